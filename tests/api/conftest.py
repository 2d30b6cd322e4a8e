"""API fixtures: token clients for the personas, and the press-case fixtures of workflows."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.factories import api_token_key
from tests.release.conftest import dev_pki, signing_credentials  # noqa: F401
from tests.workflows.conftest import case, staff  # noqa: F401


@pytest.fixture(autouse=True)
def _fresh_throttles():
    """Throttle counters live in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def anon():
    return APIClient()


@pytest.fixture
def api():
    """Return a token-authenticated client for `user` (a fresh client per call)."""

    def _api(user):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_key(user)}")
        return client

    return _api


def token_key(user, days: int = 365) -> str:
    """A key for `user` straight from the model (no ledger event, long-lived for time travel)."""
    return api_token_key(user, days)


def assert_error(response, status: int, code: str):
    assert response.status_code == status, (response.status_code, response.content[:500])
    body = response.json()
    assert body["code"] == code, body
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["fields"], dict)
    return body
