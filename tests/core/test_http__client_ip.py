"""core.http.client_ip: X-Forwarded-For is believed only from our own reverse proxies."""

import pytest
from django.test import RequestFactory

from core.http import client_ip

rf = RequestFactory()


def _request(remote="203.0.113.7", xff=None):
    extra = {"REMOTE_ADDR": remote}
    if xff is not None:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    return rf.get("/", **extra)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(_request(xff="10.0.0.1")) == "203.0.113.7"


def test_a_client_that_is_not_a_proxy_cannot_claim_another_address(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert client_ip(_request(remote="203.0.113.7", xff="10.9.9.9")) == "203.0.113.7"


@pytest.mark.parametrize(
    ("proxies", "xff", "expected"),
    [
        # nginx on the same host appends the address it saw.
        (["127.0.0.1"], "198.51.100.4", "198.51.100.4"),
        # Whatever the client put on the left is not believed: the right-most untrusted hop is.
        (["127.0.0.1"], "1.2.3.4, 198.51.100.4", "198.51.100.4"),
        # Two of our proxies (a network and an address): both skipped.
        (["127.0.0.1", "10.0.0.0/8"], "1.2.3.4, 198.51.100.4, 10.1.2.3", "198.51.100.4"),
        (["127.0.0.1"], " 2001:DB8::5 ", "2001:db8::5"),
        # Only proxies in the chain: the nearest one is all we know.
        (["127.0.0.1", "10.0.0.0/8"], "10.0.0.2", "127.0.0.1"),
        # An invalid hop is ignored, and nothing to its left is believed.
        (["127.0.0.1"], "198.51.100.4, not-an-ip", "127.0.0.1"),
        (["127.0.0.1"], "", "127.0.0.1"),
        (["127.0.0.1"], ",,, ", "127.0.0.1"),
    ],
)
def test_behind_trusted_proxies_the_nearest_untrusted_hop_is_the_client(
    settings, proxies, xff, expected
):
    settings.TRUSTED_PROXIES = proxies
    assert client_ip(_request(remote="127.0.0.1", xff=xff)) == expected


def test_ipv4_mapped_addresses_are_the_ipv4_client(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert client_ip(_request(remote="::ffff:127.0.0.1", xff="198.51.100.4")) == "198.51.100.4"


def test_no_or_bad_remote_address_gives_an_empty_string(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(None) == ""
    assert client_ip(_request(remote="")) == ""
    assert client_ip(_request(remote="garbage")) == ""


def test_a_bad_trusted_proxies_value_is_refused_at_startup(tmp_path):
    from tests.test_settings__deploy import _manage

    r = _manage(["check"], {"DEBUG": "true", "TRUSTED_PROXIES": "127.0.0.1,nginx"}, tmp_path)
    assert r.returncode != 0
    assert "TRUSTED_PROXIES" in r.stderr and "'nginx'" in r.stderr
