"""The API refuses to sign a document with an unfilled placeholder, with a stable code."""

import pytest

from tests.api.conftest import assert_error
from tests.workflows.helpers import new_statement, open_task
from workflows.statements.models import Statement

pytestmark = pytest.mark.django_db


def _complete(client, statement, step, data, expect=200):
    r = client.post(f"/api/v1/tasks/{open_task(statement, step).pk}/complete/", data, format="json")
    assert r.status_code == expect, r.content
    return r


def test_signing_an_unfilled_statement_is_a_validation_error(api, staff, organisation):
    statement = new_statement(staff["chuyenvien"], organisation)
    _complete(
        api(staff["chuyenvien"]),
        statement,
        "draft",
        {"action": "submit", "body": "Ngày …, tại …, đã xảy ra sự việc …", "embargo_at": None},
    )
    _complete(api(staff["phatngon"]), statement, "review", {"action": "approve"})
    r = api(staff["lanhdao"]).post(
        f"/api/v1/tasks/{open_task(statement, 'signoff').pk}/complete/",
        {"action": "sign", "confirm": True},
        format="json",
    )
    body = assert_error(r, 400, "validation_error")
    assert "Văn bản còn chỗ trống chưa điền" in body["message"]
    assert body["reason"] == "placeholder" and "body" in body["fields"]
    statement.refresh_from_db()
    assert statement.status == Statement.Status.SIGNOFF and statement.signer is None
