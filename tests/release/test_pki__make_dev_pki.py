"""`manage.py make_dev_pki`: files, 0600 secrets, credentials, idempotence, --force."""

import os
import stat
from io import StringIO
from pathlib import Path

import pytest
from cryptography import x509
from django.core.management import call_command
from django.test import override_settings

from release.models import SigningCredential
from release.signing import SignatureBox, sign_pdf
from release.validation import validate_pdf


def run(directory, *args):
    out = StringIO()
    call_command("make_dev_pki", "--dir", str(directory), *args, stdout=out)
    return out.getvalue()


def snapshot(directory):
    return {
        p.relative_to(directory): (p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def key_pool():
    from release.pki import certificates

    return [certificates._new_key() for _ in range(4)]


@pytest.fixture(autouse=True)
def fast_keys(key_pool, monkeypatch):
    """Reuse a few RSA keys: generation (~0.15 s each) would dominate these tests' time."""
    keys = iter(key_pool * 100)
    monkeypatch.setattr("release.pki.certificates._new_key", lambda: next(keys))


@pytest.fixture
def pki_dir(tmp_path):
    return tmp_path / "pki"


@pytest.fixture
def people(head, deputy_head, outsider, specialist):
    return {
        "head": head,
        "deputy_head": deputy_head,
        "outsider": outsider,
        "specialist": specialist,
    }


def test_creates_authorities_credentials_and_images(pki_dir, people, organisation, province):
    output = run(pki_dir)

    for name in ("root-ca.pem", "issuing-ca.pem", "tsa.pem"):
        assert (pki_dir / name).is_file()
    for key in ("root-ca.key.pem", "issuing-ca.key.pem", "tsa.key.pem"):
        assert stat.S_IMODE((pki_dir / key).stat().st_mode) == 0o600
    agency = SigningCredential.objects.get(organisation=organisation, user=None, is_active=True)
    personal = SigningCredential.objects.get(
        organisation=organisation, user=people["head"], is_active=True
    )
    assert SigningCredential.objects.filter(user=people["deputy_head"]).count() == 1
    assert SigningCredential.objects.filter(user=people["outsider"]).count() == 1
    assert not SigningCredential.objects.filter(user=people["specialist"]).exists()
    assert SigningCredential.objects.filter(organisation=province, user=None).exists()
    for credential in (agency, personal):
        assert credential.backend == SigningCredential.Backend.PKCS12
        for path in (credential.pkcs12_path, credential.secret_file):
            assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        assert credential.image_path.endswith(".png")
        assert Path(credential.image_path).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert credential.certificate_not_after is not None
    assert "Phòng Giáo dục và Đào tạo thành phố Thuận An" in agency.certificate_subject
    assert "credentials ready" in output


def test_credentials_sign_documents_that_validate(pki_dir, people, organisation, unsigned_pdf):
    run(pki_dir)
    head_cred = SigningCredential.objects.get(organisation=organisation, user=people["head"])
    agency_cred = SigningCredential.objects.get(organisation=organisation, user=None)

    pdf = sign_pdf(
        unsigned_pdf,
        credential=head_cred,
        field_name="A",
        box=SignatureBox(0, 330, 120, 500, 190),
    )
    pdf = sign_pdf(
        pdf, credential=agency_cred, field_name="B", box=SignatureBox(0, 300, 100, 400, 200)
    )
    with override_settings(RELEASE_TRUST_ROOTS=[str(pki_dir / "root-ca.pem")]):
        report = validate_pdf(pdf)
    assert report.all_valid
    assert report.signatures[0].signer == people["head"].get_full_name()


def test_is_idempotent(pki_dir, people):
    run(pki_dir)
    rows = list(SigningCredential.objects.order_by("pk").values())
    files = snapshot(pki_dir)

    run(pki_dir)

    assert list(SigningCredential.objects.order_by("pk").values()) == rows
    assert snapshot(pki_dir) == files


def test_force_regenerates_keys_and_updates_rows(pki_dir, people, organisation):
    run(pki_dir)
    root_before = x509.load_pem_x509_certificate((pki_dir / "root-ca.pem").read_bytes())
    agency = SigningCredential.objects.get(organisation=organisation, user=None)
    p12_before = Path(agency.pkcs12_path).read_bytes()

    run(pki_dir, "--force")

    root_after = x509.load_pem_x509_certificate((pki_dir / "root-ca.pem").read_bytes())
    assert root_after.serial_number != root_before.serial_number
    agency_after = SigningCredential.objects.get(organisation=organisation, user=None)
    assert agency_after.pk == agency.pk
    assert Path(agency_after.pkcs12_path).read_bytes() != p12_before
    assert SigningCredential.objects.filter(organisation=organisation, user=None).count() == 1


def test_missing_leaf_files_are_reissued_under_the_same_ca(pki_dir, people, organisation):
    run(pki_dir)
    root = (pki_dir / "root-ca.pem").read_bytes()
    agency = SigningCredential.objects.get(organisation=organisation, user=None)
    os.remove(agency.pkcs12_path)

    run(pki_dir)

    assert (pki_dir / "root-ca.pem").read_bytes() == root
    assert os.path.exists(agency.pkcs12_path)


def test_a_token_credential_set_by_an_administrator_is_left_alone(pki_dir, people, organisation):
    token = SigningCredential.objects.create(
        organisation=organisation,
        backend=SigningCredential.Backend.PKCS11,
        pkcs11_module="/usr/lib/softhsm/libsofthsm2.so",
        pkcs11_token_label="agency",
        pkcs11_key_label="seal",
        secret_env="AGENCY_PIN",
    )

    run(pki_dir)

    token.refresh_from_db()
    assert token.backend == SigningCredential.Backend.PKCS11
    assert token.pkcs12_path == ""
    assert SigningCredential.objects.filter(organisation=organisation, user=None).count() == 1
