"""A 403 for every wrong role on every task URL; other organisations see nothing of a case."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from roles import services as role_services
from roles.models import Role, SpokespersonAssignment
from tests.factories import UserFactory
from tests.workflows.helpers import open_task, task_url
from workflows.cases.models import Case
from workflows.flows import CaseFlow


def _to_step(case, staff, act, step):
    if step == "triage":
        return
    act(
        staff["vanthu"], case, "triage", {"action": "accept", "assignees": [staff["chuyenvien"].pk]}
    )
    if step == "draft":
        return
    act(staff["chuyenvien"], case, "draft", {"action": "submit", "answer": "Trả lời"})
    if step == "review":
        return
    act(staff["phatngon"], case, "review", {"action": "approve"})


WRONG = {
    "triage": ["journalist", "specialist", "head", "deputy_head", "inspector", "outsider"],
    "draft": [
        "journalist",
        "registry_officer",
        "spokesperson",
        "head",
        "inspector",
        "outsider",
        "other_specialist",
    ],
    "review": [
        "journalist",
        "registry_officer",
        "specialist",
        "deputy_head",
        "inspector",
        "outsider",
    ],
    "signoff": [
        "journalist",
        "registry_officer",
        "specialist",
        "spokesperson",
        "inspector",
        "outsider",
        "deputy_without_kt",
    ],
}
ACTION = {
    "triage": {"action": "forward", "to": "X", "reason": "Y"},
    "draft": {"action": "submit", "answer": "Z"},
    "review": {"action": "approve"},
    "signoff": {"action": "sign", "confirm": "on"},
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


@pytest.mark.parametrize(
    ("step", "persona"), [(step, p) for step, personas in WRONG.items() for p in personas]
)
def test_wrong_role_gets_403_on_assign_and_execute(
    request, case, staff, act, client, step, persona
):
    _to_step(case, staff, act, step)
    status_before = Case.objects.get(pk=case.pk).status
    user = request.getfixturevalue(persona)
    client.force_login(user)
    task = open_task(case, step)
    assert client.post(task_url(task, "assign"), {}).status_code == 403
    assert client.post(task_url(task, "execute"), ACTION[step]).status_code == 403
    assert Case.objects.get(pk=case.pk).status == status_before


def test_a_spokesperson_whose_authorisation_expired_is_refused(
    case, staff, act, client, organisation, head, specialist
):
    authorised = UserFactory(username="uyquyen")
    role_services.spokesperson_assign(
        organisation=organisation,
        user=authorised,
        kind=SpokespersonAssignment.Kind.AUTHORISED,
        issued_by=head,
        scope="Vụ việc thu tiền học thêm",
        valid_from=date(2025, 1, 1),
        valid_to=date(2025, 3, 1),
        contact_name="A",
        contact_title="B",
        contact_phone="0274 3755 111",
        contact_email="a@example.gov.vn",
    )
    _to_step(case, staff, act, "review")
    client.force_login(authorised)
    task = open_task(case, "review")
    assert client.post(task_url(task, "assign"), {}).status_code == 403


def test_a_current_authorised_spokesperson_may_review(case, staff, act, organisation, head):
    authorised = UserFactory(username="uyquyen2")
    role_services.spokesperson_assign(
        organisation=organisation,
        user=authorised,
        kind=SpokespersonAssignment.Kind.AUTHORISED,
        issued_by=head,
        scope="Vụ việc thu tiền học thêm",
        valid_from=timezone.localdate(),
        valid_to=timezone.localdate() + timedelta(days=5),
        contact_name="A",
        contact_title="B",
        contact_phone="0274 3755 111",
        contact_email="a@example.gov.vn",
    )
    _to_step(case, staff, act, "review")
    act(authorised, case, "review", {"action": "approve"})
    assert case.status == Case.Status.SIGNOFF


def test_a_claimed_task_cannot_be_executed_by_a_colleague(case, staff, act, client, organisation):
    client.force_login(staff["vanthu"])
    task = open_task(case, "triage")
    assert client.post(task_url(task, "assign"), {}).status_code == 302
    client.force_login(staff["phatngon"])
    assert client.post(task_url(task, "execute"), ACTION["triage"]).status_code == 403


@pytest.mark.parametrize("persona", ["outsider", "journalist", "other_journalist"])
def test_other_organisations_get_403_on_process_and_task_pages(request, case, client, persona):
    client.force_login(request.getfixturevalue(persona))
    process = case.processes.get()
    task = open_task(case, "triage")
    assert (
        client.get(CaseFlow.instance.reverse("process_detail", args=[process.pk])).status_code
        == 403
    )
    assert client.get(task_url(task, "detail")).status_code == 403
    assert client.get(f"/workspace/cases/pages/{case.pk}/").status_code == 403


def test_outsider_sees_none_of_the_rows_in_viewflow_lists(case, client, outsider, staff):
    client.force_login(outsider)
    for url in (
        "/workspace/case/",
        "/workspace/case/flows/",
        "/workspace/case/tasks/",
        "/workspace/case/queue/",
        "/workspace/cases/pages/",
    ):
        r = client.get(url)
        assert r.status_code in (200, 302), (url, r.status_code)
        if r.status_code == 200:
            assert case.reference not in r.content.decode(), url
            assert case.subject not in r.content.decode(), url
    client.force_login(staff["vanthu"])
    assert case.subject in client.get("/workspace/cases/pages/").content.decode()


def test_journalists_see_only_their_own_cases(case, login, other_journalist, journalist):
    client = login(other_journalist)
    assert client.get(f"/nha-bao/ho-so/{case.reference}/").status_code == 404
    assert case.reference not in client.get("/nha-bao/ho-so/").content.decode()
    client = login(journalist)
    assert case.reference in client.get("/nha-bao/ho-so/").content.decode()


def test_agency_opt_in_shares_cases_with_colleagues(case, login, journalist, db):
    from tests.factories import JournalistProfileFactory

    colleague = JournalistProfileFactory(
        press_agency=journalist.journalist_profile.press_agency
    ).user
    client = login(colleague)
    assert client.get(f"/nha-bao/ho-so/{case.reference}/").status_code == 404
    agency = journalist.journalist_profile.press_agency
    agency.shares_cases = True
    agency.save()
    assert client.get(f"/nha-bao/ho-so/{case.reference}/").status_code == 200


def test_staff_pages_refuse_journalists(login, journalist, case):
    client = login(journalist)
    assert client.get("/workspace/cases/pages/").status_code == 403
    assert client.get("/workspace/cases/pages/nhap/").status_code == 403
