"""GET /api/v1/reports/annual/<year>/: the annual report's figures for the organisation's
staff, inspectors and leaders above; 403 for others; bad input → 400 validation_error."""

import pytest
import time_machine

from reports import annual
from tests.reports.conftest import make_case, province_head, vn  # noqa: F401 — fixture

from .conftest import assert_error

URL = "/api/v1/reports/annual/2026/"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _travel():
    with time_machine.travel(vn(2026, 12, 2, 10), tick=False):
        yield


@pytest.fixture
def cases(organisation, journalist):
    make_case(organisation, journalist, received_at=vn(2025, 12, 15, 0, 0), status="answered")
    make_case(organisation, journalist, received_at=vn(2025, 12, 14, 23, 59), status="answered")


@pytest.mark.parametrize("persona", ["registry_officer", "inspector", "head", "province_head"])
def test_staff_inspectors_and_leaders_above_read_the_figures(
    persona, request, api, organisation, cases
):
    r = api(request.getfixturevalue(persona)).get(URL, {"organisation": organisation.code})
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["organisation"], body["year"], body["from"], body["to"]) == (
        "pgddt-thuan-an",
        2026,
        "2025-12-15",
        "2026-12-14",
    )
    assert body["frozen"] is False and body["status"] is None
    assert body["figures"]["questions"]["received"] == 1


def test_once_made_the_figures_are_the_frozen_ones(api, organisation, head, cases, journalist):
    annual.annual_report_create(organisation=organisation, year=2026, by=head)
    make_case(organisation, journalist, received_at=vn(2026, 11, 1, 9))  # after the freeze
    body = api(head).get(URL, {"organisation": organisation.code}).json()
    assert body["frozen"] is True and body["status"] == "drafting"
    assert body["figures"]["questions"]["received"] == 1


@pytest.mark.parametrize("persona", ["outsider", "journalist"])
def test_others_are_refused(persona, request, api, organisation):
    r = api(request.getfixturevalue(persona)).get(URL, {"organisation": organisation.code})
    assert r.status_code == 403


def test_bad_input_is_a_validation_error(api, organisation, head):
    client = api(head)
    assert_error(client.get(URL), 400, "validation_error")
    assert_error(client.get(URL, {"organisation": "khong-co"}), 400, "validation_error")
    r = client.get("/api/v1/reports/annual/2027/", {"organisation": organisation.code})
    assert_error(r, 400, "validation_error")
