"""manage.py generate_load_data: a small load on PostgreSQL keeps the ledger valid and the
demo personas working through the API."""

from io import StringIO

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient
from viewflow.workflow.models import Task

from audit.models import LedgerEvent
from roles.models import Organisation
from tests.factories import api_token_key
from workflows.cases.models import Case

from .conftest import vn

NOW = vn(2026, 11, 16, 9)
pytestmark = pytest.mark.postgres


def _api(username):
    client = APIClient()
    user = get_user_model().objects.get(username=username)
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_key(user)}")
    return client


def _all(client, url):
    items = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content[:300]
        items += response.json()["results"]
        url = response.json()["next"]
    return items


@time_machine.travel(NOW, tick=False)
def test_a_small_load_verifies_and_the_personas_see_their_share(postgres_db):
    out = StringIO()
    call_command(
        "generate_load_data",
        organisations=15,
        cases=400,
        events=1500,
        demo_cases=200,
        journalist_cases=60,
        seed=3,
        stdout=out,
    )
    assert "generate_load_data: organisations 15, cases 400" in out.getvalue()
    assert Organisation.objects.count() == 15
    assert Case.objects.count() == 400
    assert LedgerEvent.objects.count() >= 1500  # the demo's own events come after
    verified = StringIO()
    call_command("verify_audit", stdout=verified)
    assert verified.getvalue().startswith("OK:"), verified.getvalue()

    journalist_cases = _all(_api("journalist1"), "/api/v1/cases/")
    assert len(journalist_cases) == 60
    case = journalist_cases[0]
    assert _api("journalist1").get(f"/api/v1/cases/{case['id']}/").status_code == 200

    thuan_an = Organisation.objects.get(code="pgddt-thuan-an")
    drafting = Case.objects.filter(organisation=thuan_an, status=Case.Status.DRAFTING).count()
    assert drafting, "the seed gives the specialist drafts to hold"
    # Every draft of the Phòng is held by its specialist, who may act on it.
    tasks = _all(_api("chuyenvien"), "/api/v1/tasks/")
    assert len(tasks) == drafting
    assert {t["step"] for t in tasks} == {"draft"}
    assert _api("chuyenvien").get(f"/api/v1/tasks/{tasks[0]['id']}/").status_code == 200
    # The registry officer sees all the Phòng's triage work, held by him or queued.
    triage = Case.objects.filter(
        organisation=thuan_an,
        status__in=[Case.Status.TRIAGE, Case.Status.AWAITING_CLARIFICATION],
    ).count()
    registry_tasks = _all(_api("vanthu"), "/api/v1/tasks/")
    assert len(registry_tasks) == triage
    assert {t["step"] for t in registry_tasks} <= {"triage"}
    assert Task.objects.filter(owner__username="vanthu", status="ASSIGNED").count() <= triage
    staff_cases = _api("vanthu").get("/api/v1/cases/").json()
    assert staff_cases["count"] == Case.objects.filter(organisation=thuan_an).count() == 200
    # The inspector's ledger list, the register's documents in the newsroom.
    assert _api("thanhtra").get("/api/v1/audit/events/").json()["results"]
    assert APIClient().get("/tin-bao-chi/").status_code == 200

    with pytest.raises(CommandError, match="dữ liệu thật"):
        call_command("generate_load_data", organisations=15, cases=10, events=10, stdout=out)
