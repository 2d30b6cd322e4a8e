"""Withdrawing a statement before it is signed; the statement register's query count."""

import pytest
from viewflow.workflow.status import PROCESS, STATUS

from audit.models import LedgerEvent
from tests.workflows.helpers import new_statement, to_step
from workflows.statements.models import Statement

PAGES = "/workspace/statements/pages/"


def _post_withdraw(client, user, statement, reason="Sự việc đã được cấp trên thông tin"):
    client.force_login(user)
    return client.post(f"{PAGES}{statement.pk}/", {"form": "withdraw", "withdraw-reason": reason})


def test_the_spokesperson_withdraws_a_statement_in_review(client, staff, organisation, act):
    statement = new_statement(staff["chuyenvien"], organisation)
    to_step(statement, staff, act, "review")
    r = _post_withdraw(client, staff["phatngon"], statement)
    assert r.status_code == 302, r.content.decode()[:2000]
    statement.refresh_from_db()
    assert statement.status == Statement.Status.WITHDRAWN
    process = statement.processes.get()
    assert process.status == PROCESS.CANCELED
    assert not process.task_set.filter(status__in=[STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED])
    event = LedgerEvent.objects.get(action="statement.withdraw", target_id=str(statement.pk))
    assert event.after_data["reason"] == "Sự việc đã được cấp trên thông tin"
    assert (
        "Sự việc đã được cấp trên thông tin"
        in client.get(f"{PAGES}{statement.pk}/").content.decode()
    )


def test_a_reason_is_required(client, staff, organisation):
    statement = new_statement(staff["phatngon"], organisation)
    r = _post_withdraw(client, staff["phatngon"], statement, reason="  ")
    assert r.status_code == 200
    statement.refresh_from_db()
    assert statement.status == Statement.Status.DRAFTING


@pytest.mark.parametrize("persona", ["specialist", "registry_officer", "inspector", "outsider"])
def test_wrong_roles_cannot_withdraw(client, request, staff, organisation, persona):
    statement = new_statement(staff["phatngon"], organisation)
    user = request.getfixturevalue(persona)
    assert _post_withdraw(client, user, statement).status_code == 403
    statement.refresh_from_db()
    assert statement.status == Statement.Status.DRAFTING
    assert statement.processes.get().status != PROCESS.CANCELED


def test_a_signed_statement_cannot_be_withdrawn(client, staff, organisation, act):
    statement = new_statement(staff["chuyenvien"], organisation)
    to_step(statement, staff, act, "signoff")
    act(staff["lanhdao"], statement, "signoff", {"action": "sign", "confirm": "on"})
    assert statement.status == Statement.Status.RELEASING
    _post_withdraw(client, staff["phatngon"], statement)
    statement.refresh_from_db()
    assert statement.status == Statement.Status.RELEASING


def test_the_statement_register_has_a_constant_query_count(
    client, staff, organisation, django_assert_max_num_queries
):
    client.force_login(staff["phatngon"])
    new_statement(staff["phatngon"], organisation)
    with django_assert_max_num_queries(40) as few:
        assert client.get(PAGES).status_code == 200
    for i in range(15):
        new_statement(staff["phatngon"], organisation, title=f"Thông tin số {i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        r = client.get(PAGES)
    assert r.status_code == 200 and "Thông tin số 14" in r.content.decode()


def test_the_spokesperson_is_told_why_a_signed_statement_stays(client, staff, organisation, act):
    statement = new_statement(staff["chuyenvien"], organisation)
    to_step(statement, staff, act, "signoff")
    act(staff["lanhdao"], statement, "signoff", {"action": "sign", "confirm": "on"})
    r = _post_withdraw(client, staff["phatngon"], statement)
    assert r.status_code == 302
    page = client.get(r["Location"]).content.decode()
    assert "Chỉ hủy được thông tin chưa ký ban hành." in page
