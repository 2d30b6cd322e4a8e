"""Signing fixtures: a fast dev PKI per test session, credentials for the personas, a TSA."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from django.test import override_settings

from release.models import SigningCredential
from release.pki import certificates as dev
from release.signing import clear_caches

AGENCY_NAME = "Phòng Giáo dục và Đào tạo thành phố Thuận An"


@dataclass
class DevPkiFiles:
    """A dev PKI made for the test session, with pre-issued agency and personal credentials."""

    pki: dev.DevPki
    agency: dev.IssuedCredential
    head: dev.IssuedCredential
    deputy_head: dev.IssuedCredential
    other_agency: dev.IssuedCredential

    @property
    def directory(self) -> Path:
        return self.pki.directory

    @property
    def root_path(self) -> Path:
        return self.pki.root_path


@pytest.fixture(scope="session")
def dev_pki(tmp_path_factory):
    """Make a dev PKI (RSA 2048) once per session and trust its root in RELEASE_TRUST_ROOTS."""
    directory = tmp_path_factory.mktemp("pki")
    pki = dev.ensure_authorities(directory)

    def issue(stem, cn, kind, title="", organisation=AGENCY_NAME, centre=""):
        return dev.issue_credential(
            pki,
            stem=directory / stem,
            common_name=cn,
            organisation=organisation,
            title=title,
            kind=kind,
            image_text=centre,
        )

    files = DevPkiFiles(
        pki=pki,
        agency=issue("agency/pgddt-thuan-an", AGENCY_NAME, "seal", centre="PGDĐT"),
        head=issue("people/head", "Nguyễn Văn Lãnh", "person", title="Trưởng phòng"),
        deputy_head=issue("people/deputy", "Trần Thị Phó", "person", title="Phó Trưởng phòng"),
        other_agency=issue(
            "agency/pgddt-di-an",
            "Phòng Giáo dục và Đào tạo thành phố Dĩ An",
            "seal",
            organisation="Phòng Giáo dục và Đào tạo thành phố Dĩ An",
        ),
    )
    override = override_settings(
        RELEASE_TRUST_ROOTS=[str(pki.root_path)], RELEASE_PKI_DIR=directory, TSA_URL=""
    )
    override.enable()
    yield files
    override.disable()
    clear_caches()


def credential_from(issued: dev.IssuedCredential, *, organisation, user=None) -> SigningCredential:
    """Create an active PKCS#12 SigningCredential row for pre-issued dev files."""
    return SigningCredential.objects.create(
        organisation=organisation,
        user=user,
        backend=SigningCredential.Backend.PKCS12,
        pkcs12_path=str(issued.pkcs12_path),
        secret_file=str(issued.secret_path),
        image_path=str(issued.image_path),
        certificate_subject=issued.subject,
        certificate_not_after=issued.not_after,
    )


@dataclass
class SigningCredentials:
    agency: SigningCredential
    head: SigningCredential
    deputy_head: SigningCredential


@pytest.fixture
def signing_credentials(dev_pki, organisation, head, deputy_head, settings) -> SigningCredentials:
    """Create the SigningCredential rows of `organisation` (seal), `head` and `deputy_head`.

    The trust settings are set again for this test: a function-scoped settings override
    that started before the session's one would otherwise drop it when it ends.
    """
    settings.RELEASE_TRUST_ROOTS = [str(dev_pki.pki.root_path)]
    settings.RELEASE_PKI_DIR = dev_pki.directory
    settings.TSA_URL = ""
    return SigningCredentials(
        agency=credential_from(dev_pki.agency, organisation=organisation),
        head=credential_from(dev_pki.head, organisation=organisation, user=head),
        deputy_head=credential_from(
            dev_pki.deputy_head, organisation=organisation, user=deputy_head
        ),
    )


@pytest.fixture(scope="session")
def dummy_timestamper(dev_pki):
    """Return an in-process RFC 3161 timestamper whose certificate chains to the dev root."""
    from pyhanko.keys import load_cert_from_pemder, load_private_key_from_pemder
    from pyhanko.sign.timestamps import DummyTimeStamper
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    ca = load_cert_from_pemder(str(dev_pki.pki.ca_path))
    return DummyTimeStamper(
        tsa_cert=load_cert_from_pemder(str(dev_pki.pki.tsa_cert_path)),
        tsa_key=load_private_key_from_pemder(str(dev_pki.pki.tsa_key_path), None),
        certs_to_embed=SimpleCertificateStore.from_certs([ca]),
    )


@pytest.fixture(scope="session")
def unsigned_pdf() -> bytes:
    """Render a small one-page Vietnamese PDF with WeasyPrint."""
    from weasyprint import HTML

    html = """<html lang="vi"><head><meta charset="utf-8"><style>
      @page { size: A4; margin: 20mm 20mm 20mm 30mm }
      body { font-family: 'Liberation Serif', serif; font-size: 13pt }
    </style></head><body>
      <p style="text-align:center"><b>PHÒNG GIÁO DỤC VÀ ĐÀO TẠO THÀNH PHỐ THUẬN AN</b></p>
      <p>Số: 12/PGDĐT-VP — Thuận An, ngày 26 tháng 11 năm 2026</p>
      <p>V/v trả lời phỏng vấn của Báo Giáo dục về tuyển sinh lớp 6.</p>
      <p>Kính gửi: Báo Giáo dục và Thời đại.</p>
    </body></html>"""
    return HTML(string=html).write_pdf()
