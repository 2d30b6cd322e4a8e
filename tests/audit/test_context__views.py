"""Views no longer pass `request=` to services: their events still carry the client's address.

The address and User-Agent come from audit.context, bound by the middleware for each request.
"""

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient

from audit.models import LedgerEvent
from tests.factories import PASSWORD, api_token_key

pytestmark = pytest.mark.django_db

CLIENT = {"REMOTE_ADDR": "198.51.100.77", "HTTP_USER_AGENT": "Cốc Cốc/2.0"}


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()
    yield
    cache.clear()


def address(action: str) -> tuple[str, str]:
    event = LedgerEvent.objects.filter(action=action).latest("seq")
    return event.ip, event.user_agent


def test_password_change(client, journalist):
    client.force_login(journalist)
    new = "Mat-khau-moi-2025!"
    data = {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    assert client.post("/doi-mat-khau/", data, **CLIENT).status_code == 302
    assert address("auth.password_change") == ("198.51.100.77", "Cốc Cốc/2.0")


def test_api_token_create_and_revoke(journalist):
    anon = APIClient()
    data = {"username": journalist.username, "password": PASSWORD}
    response = anon.post("/api/v1/auth/token/", data, format="json", **CLIENT)
    assert response.status_code == 200
    assert address("auth.token_create") == ("198.51.100.77", "Cốc Cốc/2.0")
    assert address("auth.login") == ("198.51.100.77", "Cốc Cốc/2.0")
    signed_in = APIClient()
    signed_in.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert signed_in.delete("/api/v1/auth/token/", **CLIENT).status_code == 204
    assert address("auth.token_revoke") == ("198.51.100.77", "Cốc Cốc/2.0")


def test_api_refusal(journalist):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token_key(journalist)}")
    assert api.get("/api/v1/audit/events/", **CLIENT).status_code == 403
    assert address("access.denied") == ("198.51.100.77", "Cốc Cốc/2.0")


def test_register_export_and_refusal(login, registry_officer, journalist, organisation):
    url = reverse("outgoing:register:export-csv") + f"?org={organisation.code}"
    assert login(registry_officer).get(url, **CLIENT).status_code == 200
    assert address("register.export") == ("198.51.100.77", "Cốc Cốc/2.0")
    assert login(journalist).get(url, REMOTE_ADDR="203.0.113.8").status_code == 403
    assert address("access.denied") == ("203.0.113.8", "")


def test_distribution_list_add(login, spokesperson, organisation):
    url = reverse("outgoing:distribution:index") + f"?org={organisation.code}"
    response = login(spokesperson).post(url, {"email": "toasoan@bao.vn"}, **CLIENT)
    assert response.status_code == 302
    assert address("subscription.added") == ("198.51.100.77", "Cốc Cốc/2.0")


def test_inspector_pages(login, inspector):
    assert login(inspector).get("/workspace/inspection/", **CLIENT).status_code == 200
    assert address("audit.view_events") == ("198.51.100.77", "Cốc Cốc/2.0")
