"""L4: staff see whether the journalist's press card is verified (pages and API)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from roles.models import JournalistProfile
from tests.factories import api_token_key
from tests.workflows.helpers import open_task, task_url

STATES = {
    # state: (status, days to expiry, label shown to staff, API code)
    "verified": ("verified", 365, "Đã xác minh", "verified"),
    "pending": ("pending", 365, "Chờ xác minh", "pending"),
    "rejected": ("rejected", 365, "Bị từ chối", "rejected"),
    "expired": ("verified", -1, "Thẻ hết hạn", "expired"),
}


def _set_card(journalist, state):
    status, days, _label, _code = STATES[state]
    profile = journalist.journalist_profile
    profile.status = status
    profile.card_expiry = timezone.localdate() + timedelta(days=days)
    profile.rejection_reason = "Số thẻ không khớp" if status == "rejected" else ""
    profile.save()


def _api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_key(user)}")
    return client


@pytest.mark.parametrize("state", list(STATES))
def test_staff_pages_show_the_card_status(case, staff, login, state):
    _set_card(case.journalist, state)
    label = STATES[state][2]
    client = login(staff["vanthu"])
    detail = client.get(f"/workspace/cases/pages/{case.pk}/").content.decode()
    assert "Thẻ nhà báo: <strong" in detail and label in detail
    assert ("tài khoản chưa được xác minh" in detail) == (state != "verified")
    listing = client.get("/workspace/cases/pages/").content.decode()
    assert "Thẻ nhà báo" in listing and label in listing
    task = open_task(case, "triage")
    assert client.post(task_url(task, "assign"), {}).status_code == 302
    page = client.get(task_url(task, "execute"))
    assert page.status_code == 200
    assert label in page.content.decode()


@pytest.mark.parametrize("state", list(STATES))
def test_staff_api_shows_the_card_status(case, staff, state):
    _set_card(case.journalist, state)
    code = STATES[state][3]
    client = _api(staff["phatngon"])
    body = client.get(f"/api/v1/cases/{case.pk}/").json()
    assert body["requester_card_status"] == code
    assert body["journalist_verified"] is (state == "verified")
    listed = client.get("/api/v1/cases/").json()["results"][0]
    assert listed["requester_card_status"] == code


def test_the_journalist_api_view_has_no_card_field_values(case):
    body = _api(case.journalist).get(f"/api/v1/cases/{case.pk}/").json()
    assert body["requester_card_status"] is None and body["journalist_verified"] is None


def test_others_do_not_reach_the_staff_page(case, login, outsider, other_journalist):
    assert login(outsider).get(f"/workspace/cases/pages/{case.pk}/").status_code == 403
    assert login(other_journalist).get(f"/workspace/cases/pages/{case.pk}/").status_code == 403
    assert _api(outsider).get(f"/api/v1/cases/{case.pk}/").status_code == 404


def test_statuses_are_the_model_codes():
    assert set(JournalistProfile.Status.values) == {s[3] for s in STATES.values()}
