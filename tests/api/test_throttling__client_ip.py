"""The API throttles key on core.http.client_ip: a client's own X-Forwarded-For changes nothing
(security review M3, code review D2)."""

import pytest
from django.test import RequestFactory
from rest_framework.request import Request

from api import throttling
from tests.api.conftest import assert_error

TOKEN_URL = "/api/v1/auth/token/"


def _wrong_password(anon, n, **extra):
    return anon.post(
        TOKEN_URL, {"username": "journalist1", "password": f"sai-{n}"}, format="json", **extra
    )


def test_rotating_x_forwarded_for_does_not_escape_the_login_throttle(anon, journalist, settings):
    settings.API_LOGIN_RATE = "3/minute"
    codes = [
        _wrong_password(anon, n, HTTP_X_FORWARDED_FOR=f"10.0.{n}.1").status_code for n in range(5)
    ]
    assert codes == [400, 400, 400, 429, 429]
    assert_error(_wrong_password(anon, 9, HTTP_X_FORWARDED_FOR="10.0.99.1"), 429, "throttled")


def test_rotating_x_forwarded_for_does_not_escape_the_anonymous_throttle(anon, db, settings):
    settings.API_ANON_RATE = "3/minute"
    codes = [
        anon.post(
            "/api/v1/verify/", {}, format="multipart", HTTP_X_FORWARDED_FOR=f"10.0.{n}.1"
        ).status_code
        for n in range(5)
    ]
    assert codes == [400, 400, 400, 429, 429]


def test_behind_a_trusted_proxy_each_client_has_its_own_bucket(anon, journalist, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.API_LOGIN_RATE = "2/minute"
    first = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.1"}
    second = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 198.51.100.2"}
    assert [_wrong_password(anon, n, **first).status_code for n in range(3)] == [400, 400, 429]
    # Another client behind the same proxy, whatever it claims on the left, is not slowed down.
    assert _wrong_password(anon, 3, **second).status_code == 400


@pytest.mark.parametrize(
    "throttle",
    [
        throttling.AnonThrottle,
        throttling.UserThrottle,
        throttling.LoginThrottle,
        throttling.CaseSubmitThrottle,
    ],
)
def test_every_throttle_identifies_the_client_by_client_ip(throttle, settings):
    settings.TRUSTED_PROXIES = []
    request = Request(
        RequestFactory().get("/", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="10.0.0.1")
    )
    assert throttle().get_ident(request) == "203.0.113.5"
