"""Anchors: the ledger's head (sequence number + hash), signed (CMS) and optionally timestamped.

The signing function is named in settings (`AUDIT_ANCHOR_SIGNER`, `AUDIT_ANCHOR_VERIFIER`),
so the ledger imports nothing of phatngon's. Until the release engine's agency signer is
configured, `dev_sign`/`dev_verify` sign with an EC key and a self-signed certificate
generated into `AUDIT_DEV_SIGNER_DIR` (default var/audit-dev/) on first use.
"""

import asyncio
import contextlib
import hashlib
import json
import os
import tempfile
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from asn1crypto import cms
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import AuditAnchor, LedgerEvent
from .services import ENCODING, format_at

# ---------------------------------------------------------------- payload


def anchor_payload(*, seq: int, head_hash: str, created_at: datetime) -> bytes:
    """Return the exact bytes an anchor signs (canonical JSON, UTF-8)."""
    return json.dumps(
        {
            "created_at": format_at(created_at),
            "encoding": ENCODING,
            "hash": head_hash,
            "seq": seq,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode("utf-8")


def anchor_create(*, force: bool = False) -> AuditAnchor | None:
    """Sign the current head of the ledger; None when the ledger is empty.

    Without `force`, a head that is already anchored is not signed again (idempotent).
    """
    head = LedgerEvent.objects.order_by("-seq").values_list("seq", "hash").first()
    if head is None:
        return None
    seq, head_hash = head
    if not force:
        existing = AuditAnchor.objects.filter(seq=seq, head_hash=head_hash).first()
        if existing is not None:
            return existing
    created_at = timezone.now()
    payload = anchor_payload(seq=seq, head_hash=head_hash, created_at=created_at)
    signer_path = settings.AUDIT_ANCHOR_SIGNER
    signature = import_string(signer_path)(payload)
    token = None
    stamper_path = getattr(settings, "AUDIT_ANCHOR_TIMESTAMPER", "")
    if stamper_path:
        token = import_string(stamper_path)(signature)
    anchor = AuditAnchor(
        seq=seq,
        head_hash=head_hash,
        created_at=created_at,
        payload=payload,
        signature=signature,
        signer=signer_path,
        timestamp_token=token,
    )
    anchor.save(force_insert=True)
    return anchor


# ---------------------------------------------------------------- RFC 3161 timestamp


def tsa_timestamp(data: bytes) -> bytes | None:
    """Return an RFC 3161 token over SHA-256(data) from settings.TSA_URL, or None without a TSA."""
    url = getattr(settings, "TSA_URL", "")
    if not url:
        return None
    from pyhanko.sign.timestamps import HTTPTimeStamper

    digest = hashlib.sha256(data).digest()
    token = asyncio.run(HTTPTimeStamper(url).async_timestamp(digest, "sha256"))
    return token.dump()


# ---------------------------------------------------------------- development signer


def _dev_dir() -> Path:
    return Path(getattr(settings, "AUDIT_DEV_SIGNER_DIR", settings.VAR_DIR / "audit-dev"))


def _generate(path: Path) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, "phatngon audit anchor (development)"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "phatngon development"),
        ]
    )
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ) + cert.public_bytes(serialization.Encoding.PEM)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".signer-")
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, pem)
        os.close(fd)
        # link() fails if another process won the race: everyone then uses the winner's key.
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)
    finally:
        os.unlink(tmp)


@lru_cache(maxsize=4)
def _dev_credentials(path: Path):
    if not path.exists():
        _generate(path)
    data = path.read_bytes()
    key = serialization.load_pem_private_key(data, password=None)
    cert = x509.load_pem_x509_certificate(data)
    return key, cert


def dev_certificate() -> x509.Certificate:
    """Return the development anchor certificate (generated on first use)."""
    return _dev_credentials(_dev_dir() / "signer.pem")[1]


def dev_sign(payload: bytes) -> bytes:
    """Sign `payload` with the development key: CMS SignedData, detached, DER."""
    key, cert = _dev_credentials(_dev_dir() / "signer.pem")
    return (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(payload)
        .add_signer(cert, key, hashes.SHA256())
        .sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.DetachedSignature])
    )


def cms_signature_valid(payload: bytes, signature: bytes, trusted: x509.Certificate) -> bool:
    """Check a detached CMS signature over `payload` made by the `trusted` certificate."""
    info = cms.ContentInfo.load(signature)
    if info["content_type"].native != "signed_data":
        return False
    signed = info["content"]
    trusted_der = trusted.public_bytes(serialization.Encoding.DER)
    certs = [c.chosen for c in signed["certificates"] or []]
    for signer_info in signed["signer_infos"]:
        sid = signer_info["sid"].chosen
        cert = next(
            (
                c
                for c in certs
                if c.issuer == sid["issuer"] and c.serial_number == sid["serial_number"].native
            ),
            None,
        )
        if cert is None or cert.dump() != trusted_der:
            continue
        algo = signer_info["digest_algorithm"]["algorithm"].native
        if algo != "sha256":
            return False
        attrs = signer_info["signed_attrs"]
        if not attrs:
            return False
        digest = None
        for attr in attrs:
            if attr["type"].native == "message_digest":
                digest = attr["values"][0].native
        if digest != hashlib.sha256(payload).digest():
            return False
        # The signature covers the DER of the attributes as a SET (tag 0x31), not [0].
        signed_bytes = b"\x31" + attrs.dump()[1:]
        public_key = trusted.public_key()
        try:
            if isinstance(public_key, ec.EllipticCurvePublicKey):
                public_key.verify(
                    signer_info["signature"].native, signed_bytes, ec.ECDSA(hashes.SHA256())
                )
            elif isinstance(public_key, rsa.RSAPublicKey):
                public_key.verify(
                    signer_info["signature"].native,
                    signed_bytes,
                    padding.PKCS1v15(),
                    hashes.SHA256(),
                )
            else:
                return False
        except InvalidSignature:
            return False
        return True
    return False


def dev_verify(payload: bytes, signature: bytes) -> bool:
    """Check a signature made by `dev_sign` (trusting only the development certificate)."""
    return cms_signature_valid(payload, signature, dev_certificate())
