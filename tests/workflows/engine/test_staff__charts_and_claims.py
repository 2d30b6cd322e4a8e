"""viewflow's extra pages are scoped like the rest (security review L1, L2) and claiming or
giving back a task on the web is ledgered like the API's claim (L3)."""

import pytest
from viewflow.workflow.status import STATUS

from audit.models import LedgerEvent
from roles import services as role_services
from roles.models import Role
from tests.factories import UserFactory
from tests.workflows.helpers import new_statement, open_task, task_url

CASE = "/workspace/case/"
STATEMENT = "/workspace/statement/"


@pytest.fixture
def other_specialist(organisation, unit):
    """A specialist of the same organisation who is on no case and wrote no statement."""
    user = UserFactory(username="chuyenvien2")
    role_services.membership_grant(
        user=user, organisation=organisation, role=Role.SPECIALIST, title="CV", unit=unit
    )
    return user


@pytest.fixture
def statement(staff, organisation):
    return new_statement(staff["chuyenvien"], organisation)


def _events(action, task):
    return LedgerEvent.objects.filter(action=action, after__regex=rf'"task":{task.pk}[,}}]')


# ---------------------------------------------------------------- L1: per-process charts


@pytest.mark.parametrize("fmt", [None, "bpmn"])
@pytest.mark.parametrize("persona", ["outsider", "specialist", "other_specialist", "journalist"])
def test_a_case_chart_is_refused_to_whoever_may_not_view_the_case(
    request, case, client, persona, fmt
):
    # At triage the specialist is not yet on the case.
    client.force_login(request.getfixturevalue(persona))
    process = case.processes.get()
    query = {"format": fmt} if fmt else {}
    assert client.get(f"{CASE}{process.pk}/chart/", query).status_code == 403


@pytest.mark.parametrize("fmt", [None, "bpmn"])
@pytest.mark.parametrize("persona", ["outsider", "other_specialist", "journalist"])
def test_a_statement_chart_is_refused_to_whoever_may_not_view_the_statement(
    request, statement, client, persona, fmt
):
    client.force_login(request.getfixturevalue(persona))
    process = statement.processes.get()
    query = {"format": fmt} if fmt else {}
    assert client.get(f"{STATEMENT}{process.pk}/chart/", query).status_code == 403


@pytest.mark.parametrize("persona", ["vanthu", "lanhdao", "thanhtra", "phatngon"])
def test_the_organisations_staff_see_a_case_chart(case, client, staff, persona):
    client.force_login(staff[persona])
    process = case.processes.get()
    svg = client.get(f"{CASE}{process.pk}/chart/")
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    bpmn = client.get(f"{CASE}{process.pk}/chart/", {"format": "bpmn"})
    assert bpmn.status_code == 200 and bpmn["Content-Type"] == "application/xml"


def test_a_specialist_on_the_case_sees_its_chart(case, client, staff, act):
    act(
        staff["vanthu"], case, "triage", {"action": "accept", "assignees": [staff["chuyenvien"].pk]}
    )
    client.force_login(staff["chuyenvien"])
    assert client.get(f"{CASE}{case.processes.get().pk}/chart/").status_code == 200


@pytest.mark.parametrize("persona", ["chuyenvien", "lanhdao", "phatngon"])
def test_the_author_and_the_organisation_see_a_statement_chart(statement, client, staff, persona):
    client.force_login(staff[persona])
    assert client.get(f"{STATEMENT}{statement.processes.get().pk}/chart/").status_code == 200


def test_a_missing_process_is_answered_like_a_foreign_one(case, statement, client, outsider, staff):
    case_process, statement_process = case.processes.get(), statement.processes.get()
    missing = max(case_process.pk, statement_process.pk) + 1000
    client.force_login(outsider)
    foreign = client.get(f"{CASE}{case_process.pk}/chart/").status_code
    # A case's process under the statement flow's URL is not a statement process either.
    wrong_flow = client.get(f"{STATEMENT}{case_process.pk}/chart/").status_code
    assert foreign == wrong_flow == client.get(f"{CASE}{missing}/chart/").status_code == 403
    # Even for staff who see every process of their organisation.
    client.force_login(staff["lanhdao"])
    assert client.get(f"{CASE}{missing}/chart/").status_code == 403
    assert client.get(f"{STATEMENT}{missing}/chart/").status_code == 403
    assert client.get(f"{STATEMENT}{case_process.pk}/chart/").status_code == 403


def test_the_flow_chart_without_a_process_stays_open_to_staff(client, staff, outsider, journalist):
    for user in (staff["chuyenvien"], outsider):
        client.force_login(user)
        assert client.get(f"{CASE}chart/").status_code == 200
        assert client.get(f"{STATEMENT}chart/").status_code == 200
    client.force_login(journalist)
    assert client.get(f"{CASE}chart/").status_code == 403


# ---------------------------------------------------------------- L2: bulk confirmation pages


def _listed(response, task):
    return f"#{task.process_id}/{task.pk}" in response.content.decode()


@pytest.mark.parametrize("persona", ["outsider", "specialist", "inspector", "journalist"])
def test_the_bulk_assign_page_lists_no_task_the_user_cannot_take(request, case, client, persona):
    task = open_task(case, "triage")
    client.force_login(request.getfixturevalue(persona))
    response = client.post(f"{CASE}queue/assign/", {"pk": [task.pk]})
    assert response.status_code in (200, 403)
    assert not _listed(response, task)
    if response.status_code == 200:
        assert list(response.context["view"].get_queryset()) == []
    # Confirming does nothing either.
    assert client.post(f"{CASE}queue/assign/", {"pk": [task.pk], "_confirm": "1"}).status_code in (
        302,
        403,
    )
    task.refresh_from_db()
    assert task.owner_id is None and task.status == STATUS.NEW
    assert not _events("task.claim", task).exists()


@pytest.mark.parametrize("persona", ["outsider", "other_specialist"])
def test_the_bulk_assign_page_of_statements_lists_no_foreign_task(
    request, statement, client, persona
):
    task = open_task(statement, "draft")
    client.force_login(request.getfixturevalue(persona))
    response = client.post(f"{STATEMENT}queue/assign/", {"pk": [task.pk]})
    assert response.status_code in (200, 403) and not _listed(response, task)


def test_the_bulk_assign_page_lists_the_users_own_queue(case, client, staff, outsider):
    task = open_task(case, "triage")
    client.force_login(staff["vanthu"])
    response = client.post(f"{CASE}queue/assign/", {"pk": [task.pk]})
    assert response.status_code == 200 and _listed(response, task)


@pytest.mark.parametrize("persona", ["outsider", "lanhdao_other"])
def test_the_bulk_unassign_page_lists_only_the_users_inbox(
    request, case, client, staff, persona, other_organisation
):
    task = open_task(case, "triage")
    client.force_login(staff["vanthu"])
    assert client.post(task_url(task, "assign"), {}).status_code == 302
    response = client.post(f"{CASE}inbox/unassign/", {"pk": [task.pk]})
    assert response.status_code == 200 and _listed(response, task)

    user = (
        request.getfixturevalue("outsider")
        if persona == "outsider"
        # Organisation-wide, but the task is not in this user's inbox.
        else staff["lanhdao"]
    )
    client.force_login(user)
    response = client.post(f"{CASE}inbox/unassign/", {"pk": [task.pk]})
    assert response.status_code in (200, 403) and not _listed(response, task)
    client.post(f"{CASE}inbox/unassign/", {"pk": [task.pk], "_confirm": "1"})
    task.refresh_from_db()
    assert task.owner_id == staff["vanthu"].pk


# ---------------------------------------------------------------- L3: the ledger


def _assert_event(action, task, target, actor):
    event = _events(action, task).get()
    assert event.actor_id == actor.pk
    assert event.target_type == target._meta.label_lower
    assert event.target_id == str(target.pk)
    assert event.organisation_code == target.organisation.code
    return event


def test_web_assign_and_unassign_of_a_case_task_are_ledgered(case, client, staff):
    task = open_task(case, "triage")
    client.force_login(staff["vanthu"])
    assert client.post(task_url(task, "assign"), {}).status_code == 302
    task.refresh_from_db()
    assert task.owner_id == staff["vanthu"].pk and task.status == STATUS.ASSIGNED
    _assert_event("task.claim", task, case, staff["vanthu"])

    assert client.post(task_url(task, "unassign"), {}).status_code == 302
    task.refresh_from_db()
    assert task.owner_id is None and task.status == STATUS.NEW
    event = _assert_event("task.unclaim", task, case, staff["vanthu"])
    assert '"owner":"vanthu"' in event.before


def test_web_assign_and_unassign_of_a_statement_task_are_ledgered(statement, client, staff):
    task = open_task(statement, "draft")
    assert task.owner == staff["chuyenvien"]  # the author holds the draft from the start
    client.force_login(staff["chuyenvien"])
    assert client.post(task_url(task, "unassign"), {}).status_code == 302
    _assert_event("task.unclaim", task, statement, staff["chuyenvien"])
    assert client.post(task_url(task, "assign"), {}).status_code == 302
    _assert_event("task.claim", task, statement, staff["chuyenvien"])


def test_bulk_assign_and_unassign_are_ledgered(case, statement, client, staff):
    task = open_task(case, "triage")
    client.force_login(staff["vanthu"])
    r = client.post(f"{CASE}queue/assign/", {"pk": [task.pk], "_confirm": "1"})
    assert r.status_code == 302
    task.refresh_from_db()
    assert task.owner_id == staff["vanthu"].pk
    _assert_event("task.claim", task, case, staff["vanthu"])
    r = client.post(f"{CASE}inbox/unassign/", {"pk": [task.pk], "_confirm": "1"})
    assert r.status_code == 302
    task.refresh_from_db()
    assert task.owner_id is None
    _assert_event("task.unclaim", task, case, staff["vanthu"])

    draft = open_task(statement, "draft")
    client.force_login(staff["chuyenvien"])
    assert client.post(task_url(draft, "unassign"), {}).status_code == 302  # held by its author
    assert (
        client.post(f"{STATEMENT}queue/assign/", {"pk": [draft.pk], "_confirm": "1"}).status_code
        == 302
    )
    _assert_event("task.claim", draft, statement, staff["chuyenvien"])


@pytest.mark.parametrize("persona", ["phatngon", "lanhdao", "chuyenvien", "thanhtra"])
def test_a_colleague_cannot_unassign_a_claimed_task(case, client, staff, persona):
    task = open_task(case, "triage")
    client.force_login(staff["vanthu"])
    assert client.post(task_url(task, "assign"), {}).status_code == 302
    client.force_login(staff[persona])
    assert client.post(task_url(task, "unassign"), {}).status_code == 403
    task.refresh_from_db()
    assert task.owner_id == staff["vanthu"].pk
    assert not _events("task.unclaim", task).exists()


@pytest.mark.parametrize("persona", ["specialist", "outsider", "journalist", "inspector"])
def test_a_refused_web_assign_writes_no_claim(request, case, client, persona):
    task = open_task(case, "triage")
    client.force_login(request.getfixturevalue(persona))
    assert client.post(task_url(task, "assign"), {}).status_code == 403
    assert not _events("task.claim", task).exists()
