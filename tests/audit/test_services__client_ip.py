"""The ledger's ip is the client's (core.http.client_ip), not the reverse proxy's (code review D4)."""

from audit.models import LedgerEvent


def _login_failed_ip(client, **extra):
    client.post("/dang-nhap/", {"username": "ai-do", "password": "sai"}, **extra)
    return LedgerEvent.objects.filter(action="auth.login_failed").latest("seq").ip


def test_behind_a_trusted_proxy_the_event_carries_the_client(client, db, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    ip = _login_failed_ip(
        client, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.23"
    )
    assert ip == "198.51.100.23"


def test_an_untrusted_client_cannot_write_another_address(client, db, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    ip = _login_failed_ip(client, REMOTE_ADDR="203.0.113.4", HTTP_X_FORWARDED_FOR="198.51.100.23")
    assert ip == "203.0.113.4"
