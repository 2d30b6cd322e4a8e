"""Login limits on the web login page (security review M3): after LOGIN_FAILURE_LIMIT (10)
failures for one username, or from one address, further attempts are refused for
LOGIN_LOCKOUT_MINUTES (15), whatever address the client claims."""

from datetime import timedelta

import time_machine
from django.utils import timezone

URL = "/dang-nhap/"
LOCKED = "Đăng nhập tạm thời bị khoá"


def _post(client, username, password, **extra):
    return client.post(URL, {"username": username, "password": password}, **extra)


def _fail(client, username, times, **extra):
    for n in range(times):
        response = _post(client, username, f"sai-{n}", **extra)
        assert response.status_code in (200, 429)


def test_nine_failures_do_not_lock_the_account(client, journalist, password):
    _fail(client, journalist.username, 9)
    assert _post(client, journalist.username, password).status_code == 302


def test_ten_failures_lock_the_username_from_any_address(client, journalist, password):
    for n in range(10):
        _post(client, journalist.username, "sai", REMOTE_ADDR=f"198.51.100.{n}")
    response = _post(
        client,
        journalist.username,
        password,  # the right password, from a fresh address that also claims another one
        REMOTE_ADDR="203.0.113.50",
        HTTP_X_FORWARDED_FOR="192.0.2.77",
    )
    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKED in page and "15 phút" in page
    assert 'name="username"' in page  # the login form, not axes' English page
    assert "Account locked" not in page
    assert response["Retry-After"] == "900"
    assert "_auth_user_id" not in client.session


def test_a_colleagues_typos_do_not_lock_out_the_office(client, journalist, password):
    """Ten failures of one person behind the office's one address lock that person only."""
    for n in range(10):
        _post(client, "vanthu", f"sai-{n}", REMOTE_ADDR="198.51.100.9")
    assert _post(client, "vanthu", "sai", REMOTE_ADDR="198.51.100.9").status_code == 429
    response = _post(client, journalist.username, password, REMOTE_ADDR="198.51.100.9")
    assert response.status_code == 302


def test_fifty_failures_from_one_address_lock_the_address(client, journalist, password, settings):
    for n in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT):
        _post(client, f"doan-ten-{n}", "sai", REMOTE_ADDR="198.51.100.9")
    assert _post(client, journalist.username, password, REMOTE_ADDR="198.51.100.9").status_code == (
        429
    )
    # The account itself is not locked: from elsewhere its owner logs in.
    assert _post(client, journalist.username, password, REMOTE_ADDR="203.0.113.1").status_code == (
        302
    )


def test_a_spoofed_forwarded_for_does_not_escape_the_address_lock(
    client, journalist, password, settings
):
    for n in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT):
        _post(client, f"doan-ten-{n}", "sai", HTTP_X_FORWARDED_FOR=f"10.0.{n}.1")
    response = _post(client, journalist.username, password, HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert response.status_code == 429


def test_the_lock_ends_after_the_window(client, journalist, password):
    with time_machine.travel(timezone.now(), tick=True) as traveller:
        _fail(client, journalist.username, 10)
        traveller.shift(timedelta(minutes=14))
        assert _post(client, journalist.username, password).status_code == 429
        # Refused attempts do not extend the lock: it ends 15 minutes after the 10th failure.
        traveller.shift(timedelta(minutes=1, seconds=1))
        assert _post(client, journalist.username, password).status_code == 302


def test_the_lockout_message_follows_the_chosen_language(client, journalist, password):
    _fail(client, journalist.username, 10)
    client.cookies["django_language"] = "en"
    response = _post(client, journalist.username, password)
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
