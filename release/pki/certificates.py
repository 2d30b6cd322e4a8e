"""Certificates of the development PKI: the authorities (root CA, issuing CA, TSA) and the
signing certificates they issue, written as PKCS#12 files with their passphrase files."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from .images import seal_png, signature_png

KEY_SIZE = 2048  # RSA: EC keys make pyHanko declare PDF 2.0, and DummyTimeStamper needs RSA.


def _now() -> datetime:
    return datetime.now(tz=UTC)


def _write_private(path: Path, data: bytes) -> None:
    """Write a file readable by its owner only (0600), creating it with those rights."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.chmod(path, 0o600)


def _name(cn: str, organisation: str = "", unit: str = "") -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if organisation:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation[:64]))
    if unit:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit[:64]))
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, cn[:64]))
    return x509.Name(attrs)


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)


def _builder(subject, issuer, public_key, days: int) -> x509.CertificateBuilder:
    now = _now()
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=days))
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )


def _ca_extensions(builder, path_length: int | None):
    return builder.add_extension(
        x509.BasicConstraints(ca=True, path_length=path_length), critical=True
    ).add_extension(
        x509.KeyUsage(
            digital_signature=False,
            content_commitment=False,
            key_encipherment=False,
            data_encipherment=False,
            key_agreement=False,
            key_cert_sign=True,
            crl_sign=True,
            encipher_only=False,
            decipher_only=False,
        ),
        critical=True,
    )


def _leaf_usage(builder):
    return builder.add_extension(
        x509.BasicConstraints(ca=False, path_length=None), critical=True
    ).add_extension(
        x509.KeyUsage(
            digital_signature=True,
            content_commitment=True,
            key_encipherment=False,
            data_encipherment=False,
            key_agreement=False,
            key_cert_sign=False,
            crl_sign=False,
            encipher_only=False,
            decipher_only=False,
        ),
        critical=True,
    )


def _aki(builder, issuer_cert: x509.Certificate):
    ski = issuer_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    return builder.add_extension(
        x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False
    )


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _key_pem(key) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _load_pair(cert_path: Path, key_path: Path):
    if not (cert_path.exists() and key_path.exists()):
        return None
    try:
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    except ValueError:
        return None
    if cert.not_valid_after_utc < _now() + timedelta(days=30):
        return None  # about to expire: make a new one
    return cert, key


@dataclass
class DevPki:
    """The development authorities on disk (root, issuing CA, TSA) and their keys."""

    directory: Path
    root_cert: x509.Certificate
    root_key: rsa.RSAPrivateKey
    ca_cert: x509.Certificate
    ca_key: rsa.RSAPrivateKey
    tsa_cert: x509.Certificate
    tsa_key: rsa.RSAPrivateKey
    created: bool  # True if the authorities were (re)made in this call

    @property
    def root_path(self) -> Path:
        return self.directory / "root-ca.pem"

    @property
    def ca_path(self) -> Path:
        return self.directory / "issuing-ca.pem"

    @property
    def tsa_cert_path(self) -> Path:
        return self.directory / "tsa.pem"

    @property
    def tsa_key_path(self) -> Path:
        return self.directory / "tsa.key.pem"


def ensure_authorities(directory: Path, *, force: bool = False) -> DevPki:
    """Load the dev root CA, issuing CA and TSA from directory, or make them (force: remake)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    os.chmod(directory, 0o700)
    paths = {
        "root": (directory / "root-ca.pem", directory / "root-ca.key.pem"),
        "ca": (directory / "issuing-ca.pem", directory / "issuing-ca.key.pem"),
        "tsa": (directory / "tsa.pem", directory / "tsa.key.pem"),
    }
    loaded = {} if force else {k: _load_pair(*v) for k, v in paths.items()}
    if not force and all(loaded.values()):
        root, ca, tsa = loaded["root"], loaded["ca"], loaded["tsa"]
        return DevPki(directory, *root, *ca, *tsa, created=False)

    root_key = _new_key()
    root_name = _name("phatngon DEV Root CA", "phatngon (thử nghiệm, không có giá trị pháp lý)")
    root_cert = _ca_extensions(
        _builder(root_name, root_name, root_key.public_key(), 3650), path_length=1
    ).sign(root_key, hashes.SHA256())

    ca_key = _new_key()
    ca_name = _name("phatngon DEV Issuing CA", "phatngon (thử nghiệm, không có giá trị pháp lý)")
    ca_cert = _aki(
        _ca_extensions(_builder(ca_name, root_name, ca_key.public_key(), 3650), path_length=0),
        root_cert,
    ).sign(root_key, hashes.SHA256())

    tsa_key = _new_key()
    tsa_cert = (
        _aki(
            _builder(
                _name("phatngon DEV TSA", "phatngon (thử nghiệm)"),
                ca_name,
                tsa_key.public_key(),
                3650,
            ),
            ca_cert,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    for (cert_path, key_path), (cert, key) in zip(
        paths.values(),
        ((root_cert, root_key), (ca_cert, ca_key), (tsa_cert, tsa_key)),
        strict=True,
    ):
        cert_path.write_bytes(_pem(cert))
        _write_private(key_path, _key_pem(key))
    return DevPki(directory, root_cert, root_key, ca_cert, ca_key, tsa_cert, tsa_key, created=True)


@dataclass(frozen=True)
class IssuedCredential:
    """Files of one issued credential: PKCS#12, its passphrase file, the certificate, the image."""

    pkcs12_path: Path
    secret_path: Path
    cert_path: Path
    image_path: Path
    subject: str
    not_after: datetime
    created: bool


def issue_credential(
    pki: DevPki,
    *,
    stem: Path,
    common_name: str,
    organisation: str,
    title: str = "",
    kind: str,
    image_text: str = "",
    force: bool = False,
) -> IssuedCredential:
    """Issue (or reuse) a signing certificate as `<stem>.p12` + `.secret` + `.pem` + `.png`.

    kind is "person" (blue handwritten-style signature image) or "seal" (red round seal).
    """
    stem = Path(stem)
    p12_path = stem.with_suffix(".p12")
    secret_path = stem.with_suffix(".secret")
    cert_path = stem.with_suffix(".pem")
    image_path = stem.with_suffix(".png")
    subject = _name(common_name, organisation, title)

    cert = None
    reuse = not force and not pki.created and p12_path.exists() and secret_path.exists()
    if reuse and cert_path.exists():
        try:
            cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        except ValueError:
            cert = None
        if cert is not None and (
            cert.subject != subject
            or cert.issuer != pki.ca_cert.subject
            or cert.not_valid_after_utc < _now() + timedelta(days=30)
        ):
            cert = None
    created = cert is None
    if created:
        key = _new_key()
        cert = _leaf_usage(
            _aki(_builder(subject, pki.ca_cert.subject, key.public_key(), 825), pki.ca_cert)
        ).sign(pki.ca_key, hashes.SHA256())
        passphrase = secrets.token_urlsafe(24)
        data = pkcs12.serialize_key_and_certificates(
            name=common_name.encode("utf-8")[:64],
            key=key,
            cert=cert,
            cas=[pki.ca_cert],
            encryption_algorithm=serialization.BestAvailableEncryption(passphrase.encode()),
        )
        _write_private(secret_path, passphrase.encode())
        _write_private(p12_path, data)
        cert_path.write_bytes(_pem(cert))
    if created or force or not image_path.exists():
        if kind == "seal":
            seal_png(image_path, text=organisation, centre=image_text)
        else:
            signature_png(image_path, seed=common_name)
    return IssuedCredential(
        pkcs12_path=p12_path,
        secret_path=secret_path,
        cert_path=cert_path,
        image_path=image_path,
        subject=subject.rfc4514_string(),
        not_after=cert.not_valid_after_utc,
        created=created,
    )
