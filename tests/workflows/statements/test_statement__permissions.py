"""A 403 for every wrong role on every task URL of a statement; other organisations see nothing."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from viewflow.workflow.models import Task

from audit.models import LedgerEvent
from roles import services as role_services
from roles.models import Role, SpokespersonAssignment
from tests.factories import UserFactory
from tests.workflows.helpers import draft_data, new_statement, open_task, task_url, to_step
from workflows.engine import steps
from workflows.flows import StatementFlow
from workflows.statements.models import PeriodicSchedule, Statement

PAGES = "/workspace/statements/pages/"

# Who may act on each step (selectors.STATEMENT_STEP_PREDICATES): the author (a specialist)
# or a spokesperson valid today drafts — the head is a spokesperson by law; a valid
# spokesperson reviews; the head or a deputy with the KT. grant signs.
WRONG = {
    "draft": [
        "journalist",
        "registry_officer",
        "deputy_head",
        "inspector",
        "outsider",
        "other_specialist",
        "expired_spokesperson",
    ],
    "review": [
        "journalist",
        "registry_officer",
        "specialist",
        "deputy_head",
        "inspector",
        "outsider",
        "expired_spokesperson",
    ],
    "signoff": [
        "journalist",
        "registry_officer",
        "specialist",
        "spokesperson",
        "inspector",
        "outsider",
        "deputy_without_kt",
        "expired_spokesperson",
    ],
}
ACTION = {
    "draft": {"action": "submit", "title": "Tiêu đề bị sửa trái phép", "body": "Nội dung khác"},
    "review": {"action": "approve"},
    "signoff": {"action": "sign", "confirm": "on"},
}


NEXT_STATUS = {
    "draft": Statement.Status.REVIEW,
    "review": Statement.Status.SIGNOFF,
    "signoff": Statement.Status.RELEASING,
}


@pytest.fixture
def other_specialist(organisation, unit):
    user = UserFactory(username="chuyenvien2")
    role_services.membership_grant(
        user=user, organisation=organisation, role=Role.SPECIALIST, title="CV", unit=unit
    )
    return user


@pytest.fixture
def deputy_without_kt(organisation):
    user = UserFactory(username="phopho")
    role_services.membership_grant(
        user=user, organisation=organisation, role=Role.DEPUTY_HEAD, title="Phó TP"
    )
    return user


@pytest.fixture
def expired_spokesperson(organisation, head):
    """An authorised spokesperson whose authorisation ran out in 2025."""
    user = UserFactory(username="uyquyen-het-han")
    role_services.spokesperson_assign(
        organisation=organisation,
        user=user,
        kind=SpokespersonAssignment.Kind.AUTHORISED,
        issued_by=head,
        scope="Vụ ngộ độc thực phẩm",
        valid_from=date(2025, 1, 1),
        valid_to=date(2025, 3, 1),
        contact_name="A",
        contact_title="B",
        contact_phone="0274 3755 111",
        contact_email="a@example.gov.vn",
    )
    return user


@pytest.fixture
def statement(staff, organisation):
    """An initial statement written by the specialist (so a colleague is not its author)."""
    return new_statement(staff["chuyenvien"], organisation)


def _state(statement: Statement, task) -> tuple:
    statement = Statement.objects.get(pk=statement.pk)
    task.refresh_from_db()
    return (
        statement.status,
        statement.title,
        statement.body,
        statement.signer_id,
        statement.document_id,
        task.status,
        task.owner_id,
        LedgerEvent.objects.filter(
            target_type="workflows.statement", target_id=str(statement.pk)
        ).count(),
    )


@pytest.mark.parametrize(
    ("step", "persona"), [(step, p) for step, personas in WRONG.items() for p in personas]
)
def test_wrong_role_gets_403_on_assign_and_execute(
    request, statement, staff, act, client, step, persona
):
    to_step(statement, staff, act, step)
    task = open_task(statement, step)
    before = _state(statement, task)
    client.force_login(request.getfixturevalue(persona))
    assert client.post(task_url(task, "assign"), {}).status_code == 403
    assert client.post(task_url(task, "execute"), ACTION[step]).status_code == 403
    assert _state(statement, task) == before


@pytest.mark.parametrize(
    ("step", "persona"), [(step, p) for step, personas in WRONG.items() for p in personas]
)
def test_wrong_role_is_refused_by_the_service_too(request, statement, staff, act, step, persona):
    """The API and scripts go through steps.task_complete: the same rules apply there,
    whatever object permissions a user may hold."""
    to_step(statement, staff, act, step)
    task = open_task(statement, step)
    user = request.getfixturevalue(persona)
    role_services.permission_grant(perm=f"workflows.{step}_statement", to=user, obj=statement)
    before = _state(statement, task)
    data = {k: v for k, v in ACTION[step].items() if k != "action"}
    with pytest.raises(PermissionDenied):
        steps.task_complete(task=task, by=user, action=ACTION[step]["action"], data=data)
    with pytest.raises(PermissionDenied):
        steps.task_claim(task=task, by=user)
    assert _state(statement, task) == before


@pytest.mark.parametrize(
    ("step", "persona"),
    [(step, p) for step, personas in WRONG.items() for p in personas if p != "outsider"],
)
def test_wrong_role_gets_403_on_a_task_already_claimed(
    request, statement, staff, act, client, step, persona
):
    """Even when the rightful actor has claimed the task, the wrong role cannot execute it."""
    to_step(statement, staff, act, step)
    task = open_task(statement, step)
    rightful = {"draft": "chuyenvien", "review": "phatngon", "signoff": "lanhdao"}[step]
    client.force_login(staff[rightful])
    if task.owner_id is None:  # a draft is held by its author from the start
        assert client.post(task_url(task, "assign"), {}).status_code == 302
    assert Task.objects.get(pk=task.pk).owner == staff[rightful]
    before = _state(statement, task)
    client.force_login(request.getfixturevalue(persona))
    assert client.post(task_url(task, "execute"), ACTION[step]).status_code == 403
    assert _state(statement, task) == before


@pytest.mark.parametrize(
    ("step", "user_key"),
    [("draft", "phatngon"), ("draft", "lanhdao"), ("review", "lanhdao"), ("signoff", "pholanhdao")],
)
def test_the_rightful_roles_may_act(statement, staff, act, step, user_key):
    """The matrix above is not trivially true: the right people get through."""
    to_step(statement, staff, act, step)
    data = draft_data(statement) if step == "draft" else ACTION[step]
    if step == "draft":  # its author holds it: they hand it over first
        steps.task_reassign(
            task=open_task(statement, "draft"),
            by=staff["chuyenvien"],
            to=staff[user_key],
            reason="Người phát ngôn soạn tiếp.",
        )
    act(staff[user_key], statement, step, data)
    assert statement.status == NEXT_STATUS[step]


def test_a_current_authorised_spokesperson_may_review(statement, staff, act, organisation, head):
    authorised = UserFactory(username="uyquyen2")
    role_services.spokesperson_assign(
        organisation=organisation,
        user=authorised,
        kind=SpokespersonAssignment.Kind.AUTHORISED,
        issued_by=head,
        scope="Vụ ngộ độc thực phẩm",
        valid_from=timezone.localdate(),
        valid_to=timezone.localdate() + timedelta(days=5),
        contact_name="A",
        contact_title="B",
        contact_phone="0274 3755 111",
        contact_email="a@example.gov.vn",
    )
    to_step(statement, staff, act, "review")
    act(authorised, statement, "review", {"action": "approve"})
    assert statement.status == Statement.Status.SIGNOFF


def test_a_claimed_task_cannot_be_executed_by_a_colleague(statement, staff, act, client):
    to_step(statement, staff, act, "review")
    task = open_task(statement, "review")
    client.force_login(staff["phatngon"])
    assert client.post(task_url(task, "assign"), {}).status_code == 302
    client.force_login(staff["lanhdao"])  # may review too, but the task is the spokesperson's
    assert client.post(task_url(task, "execute"), ACTION["review"]).status_code == 403
    assert Statement.objects.get(pk=statement.pk).status == Statement.Status.REVIEW


# ---------------------------------------------------------------- other organisations


@pytest.mark.parametrize("persona", ["outsider", "journalist"])
def test_other_organisations_get_403_on_detail_process_and_task_pages(
    request, statement, client, persona
):
    client.force_login(request.getfixturevalue(persona))
    process = statement.processes.get()
    task = open_task(statement, "draft")
    process_url = StatementFlow.instance.reverse("process_detail", args=[process.pk])
    assert client.get(process_url).status_code == 403
    for view in ("detail", "assign", "execute"):
        assert client.get(task_url(task, view)).status_code == 403, view
    # viewflow's task index sends a user with no rights home, telling nothing.
    r = client.get(task_url(task, "index"))
    assert (r.status_code, r.get("Location")) in ((403, None), (302, "/"))
    assert client.get(f"{PAGES}{statement.pk}/").status_code == 403
    assert Statement.objects.get(pk=statement.pk).status == Statement.Status.DRAFTING


def test_outsider_sees_none_of_the_rows_in_lists(statement, client, outsider, staff):
    process = statement.processes.get()
    task = open_task(statement, "draft")
    # viewflow's lists show a row as links to its process and task.
    row_marks = [f"/workspace/statement/{process.pk}/", task_url(task, "index")]
    flow_lists = [
        StatementFlow.instance.reverse(name)
        for name in ("index", "process_list", "task_list", "queue", "inbox")
    ]

    def visible(url) -> bool:
        r = client.get(url)
        assert r.status_code == 200, (url, r.status_code)
        html = r.content.decode()
        return any(mark in html for mark in row_marks + [statement.reference, statement.title])

    client.force_login(outsider)
    for url in flow_lists + [PAGES, f"{PAGES}?status=open"]:
        assert not visible(url), url
    # The same pages do list it for the organisation's own staff.
    client.force_login(staff["phatngon"])
    for url in (PAGES, StatementFlow.instance.reverse("process_list")):
        assert visible(url), url
    # The draft is held by its author: in their inbox, not in anyone's queue.
    client.force_login(staff["chuyenvien"])
    assert visible(StatementFlow.instance.reverse("inbox"))


def test_a_statement_detail_of_another_organisation_is_refused_even_with_its_id(
    client, outsider, other_organisation, staff, organisation
):
    """The outsider's own organisation's statement is visible to them; ours is not."""
    theirs = new_statement(outsider, other_organisation)  # the head of Dĩ An speaks by law
    ours = new_statement(staff["chuyenvien"], organisation, title="Thông cáo của Thuận An")
    client.force_login(outsider)
    assert client.get(f"{PAGES}{theirs.pk}/").status_code == 200
    assert client.get(f"{PAGES}{ours.pk}/").status_code == 403
    html = client.get(PAGES).content.decode()
    assert theirs.reference in html and ours.reference not in html


def test_journalists_are_refused_the_staff_pages(client, journalist, statement):
    client.force_login(journalist)
    for url in (
        PAGES,
        f"{PAGES}tao/",
        f"{PAGES}lich-dinh-ky/",
        f"{PAGES}quyet-dinh-nguoi-phat-ngon/",
    ):
        assert client.get(url).status_code == 403, url


# ---------------------------------------------------------------- schedules and decisions


def _schedule_post(organisation, **extra):
    data = {
        "organisation": organisation.pk,
        "kind": PeriodicSchedule.Kind.INFORMATION,
        "every_months": 1,
        "starts_on": "2026-07-01",
        "remind_days_before": 5,
        "is_active": "on",
    }
    data.update(extra)
    return data


@pytest.mark.parametrize(
    "persona", ["outsider", "specialist", "registry_officer", "deputy_head", "inspector"]
)
def test_schedules_post_for_an_organisation_one_does_not_lead_is_403(
    request, client, organisation, staff, persona
):
    client.force_login(request.getfixturevalue(persona))
    r = client.post(f"{PAGES}lich-dinh-ky/", _schedule_post(organisation))
    assert r.status_code == 403
    assert not PeriodicSchedule.objects.exists()


@pytest.mark.parametrize("user_key", ["phatngon", "lanhdao"])
def test_the_spokesperson_or_head_sets_the_schedule(client, organisation, staff, user_key):
    client.force_login(staff[user_key])
    r = client.post(f"{PAGES}lich-dinh-ky/", _schedule_post(organisation))
    assert r.status_code == 302, r.content.decode()[:2000]
    schedule = PeriodicSchedule.objects.get()
    assert schedule.organisation == organisation and schedule.every_months == 1
    assert LedgerEvent.objects.filter(action="schedule.save").count() == 1


def test_the_outsider_cannot_set_our_schedule_even_though_they_lead_their_own(
    client, organisation, other_organisation, outsider
):
    client.force_login(outsider)
    assert client.post(f"{PAGES}lich-dinh-ky/", _schedule_post(organisation)).status_code == 403
    r = client.post(f"{PAGES}lich-dinh-ky/", _schedule_post(other_organisation))
    assert r.status_code == 302
    assert list(PeriodicSchedule.objects.values_list("organisation", flat=True)) == [
        other_organisation.pk
    ]


@pytest.mark.parametrize(
    "persona",
    ["spokesperson", "deputy_head", "specialist", "registry_officer", "inspector", "journalist"],
)
def test_the_decisions_page_is_for_heads_only(request, client, staff, persona):
    client.force_login(request.getfixturevalue(persona))
    url = f"{PAGES}quyet-dinh-nguoi-phat-ngon/"
    assert client.get(url).status_code == 403
    assignment = SpokespersonAssignment.objects.get(user=staff["phatngon"])
    assert client.post(url, {"assignment": assignment.pk}).status_code == 403
    client.force_login(staff["lanhdao"])
    assert client.get(url).status_code == 200


def test_a_head_of_another_organisation_cannot_issue_our_decision(client, outsider, staff):
    from workflows.statements import decisions

    assignment = SpokespersonAssignment.objects.get(user=staff["phatngon"])
    client.force_login(outsider)
    url = f"{PAGES}quyet-dinh-nguoi-phat-ngon/"
    assert client.get(url).status_code == 200  # they head Dĩ An
    assert client.post(url, {"assignment": assignment.pk}).status_code == 404
    assert decisions.decision_document(assignment) is None
