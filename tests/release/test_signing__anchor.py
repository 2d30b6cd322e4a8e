"""Ledger anchors: a detached CMS signature by the agency credential, and its verification."""

from datetime import timedelta

import pytest
import time_machine
from asn1crypto import cms
from django.test import override_settings
from django.utils import timezone

from release.signing import SigningError, anchor_credential, sign_anchor, verify_anchor
from tests.release.conftest import credential_from

PAYLOAD = b'{"date":"2026-11-26","head":"9f2c...","count":1234}'


@pytest.fixture
def anchor_settings(signing_credentials):
    with override_settings(RELEASE_ANCHOR_ORGANISATION="pgddt-thuan-an"):
        yield signing_credentials


def test_sign_anchor_returns_detached_cms_signed_data(anchor_settings):
    der = sign_anchor(PAYLOAD)

    info = cms.ContentInfo.load(der)
    assert info["content_type"].native == "signed_data"
    signed = info["content"]
    assert signed["encap_content_info"]["content"].native is None  # detached
    cert = signed["certificates"][0].chosen
    subjects = {c.chosen.subject.native["common_name"] for c in signed["certificates"]}
    assert "Phòng Giáo dục và Đào tạo thành phố Thuận An" in subjects
    assert cert is not None


def test_verify_anchor_accepts_the_signature_and_rejects_changes(anchor_settings):
    der = sign_anchor(PAYLOAD)

    assert verify_anchor(PAYLOAD, der) is True
    assert verify_anchor(PAYLOAD + b" ", der) is False
    assert verify_anchor(PAYLOAD.replace(b"1234", b"1235"), der) is False
    tampered = bytearray(der)
    tampered[-20] ^= 0x01  # inside the RSA signature value
    assert verify_anchor(PAYLOAD, bytes(tampered)) is False


def test_verify_anchor_rejects_garbage_without_raising(anchor_settings):
    assert verify_anchor(PAYLOAD, b"") is False
    assert verify_anchor(PAYLOAD, b"\x30\x03\x02\x01\x01") is False
    assert verify_anchor(PAYLOAD, b"not der at all") is False


def test_verify_anchor_checks_the_chain_at_a_given_moment(anchor_settings):
    der = sign_anchor(PAYLOAD)
    # Long after the dev certificate expired (825 days), a check "now" fails ...
    later = timezone.now() + timedelta(days=3000)
    with time_machine.travel(later, tick=False):
        assert verify_anchor(PAYLOAD, der) is False
        # ... but checking at the (separately proven) signing time still succeeds.
        assert verify_anchor(PAYLOAD, der, at=later - timedelta(days=3000)) is True


def test_verify_anchor_needs_a_trusted_root(anchor_settings, tmp_path):
    der = sign_anchor(PAYLOAD)
    with override_settings(RELEASE_TRUST_ROOTS=[str(tmp_path / "none.pem")]):
        assert verify_anchor(PAYLOAD, der) is False


def test_anchor_organisation_defaults_to_the_root_organisation(
    dev_pki, signing_credentials, province
):
    # `organisation` has a credential but is not the root: its parent `province` is.
    with pytest.raises(SigningError, match="Chưa có chứng thư"):
        anchor_credential()
    root_credential = credential_from(dev_pki.other_agency, organisation=province)
    assert anchor_credential() == root_credential
    assert verify_anchor(PAYLOAD, sign_anchor(PAYLOAD))


def test_anchor_setting_names_the_organisation(anchor_settings):
    assert anchor_credential() == anchor_settings.agency
    with (
        override_settings(RELEASE_ANCHOR_ORGANISATION="no-such-code"),
        pytest.raises(SigningError),
    ):
        sign_anchor(PAYLOAD)


def test_personal_credentials_never_sign_anchors(anchor_settings):
    anchor_settings.agency.is_active = False
    anchor_settings.agency.save()
    with pytest.raises(SigningError):
        anchor_credential()
