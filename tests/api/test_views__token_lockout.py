"""POST /api/v1/auth/token/ shares the web login's limits (security review M3): a locked
username gets 429 with code "throttled" in the error envelope, whatever address it claims."""

from datetime import timedelta

import time_machine
from django.utils import timezone

from api.models import ApiToken
from tests.api.conftest import assert_error

URL = "/api/v1/auth/token/"


def _post(anon, password, **extra):
    return anon.post(URL, {"username": "journalist1", "password": password}, format="json", **extra)


def test_a_locked_username_gets_429_throttled(anon, journalist, password, settings):
    settings.API_LOGIN_RATE = ""  # the per-address throttle off: this is the per-account limit
    codes = [
        _post(anon, f"sai-{n}", REMOTE_ADDR=f"198.51.100.{n}", HTTP_X_FORWARDED_FOR=f"10.0.{n}.1")
        for n in range(10)
    ]
    assert [r.status_code for r in codes] == [400] * 9 + [429]
    response = _post(anon, password, REMOTE_ADDR="203.0.113.8")
    body = assert_error(response, 429, "throttled")
    assert "Đăng nhập tạm thời bị khoá" in body["message"]
    assert response["Retry-After"] == "900"
    assert not ApiToken.objects.filter(user=journalist).exists()


def test_after_the_window_the_token_is_issued(anon, journalist, password, settings):
    settings.API_LOGIN_RATE = ""
    with time_machine.travel(timezone.now(), tick=True) as traveller:
        for n in range(10):
            _post(anon, f"sai-{n}")
        assert _post(anon, password).status_code == 429
        traveller.shift(timedelta(minutes=16))
        response = _post(anon, password)
    assert response.status_code == 200 and response.json()["token"]


def test_web_and_api_failures_count_together(client, anon, journalist, password, settings):
    settings.API_LOGIN_RATE = ""
    for n in range(10):
        client.post("/dang-nhap/", {"username": "journalist1", "password": f"sai-{n}"})
    assert_error(_post(anon, password), 429, "throttled")
