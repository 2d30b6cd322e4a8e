"""Sign issued documents (PAdES) and ledger anchors (CMS) with an agency or personal credential.

Keys never live in the database: a `SigningCredential` names a PKCS#12 file or a PKCS#11
token, and the passphrase/PIN comes from a 0600 file or an environment variable. Parsed keys
and token sessions are cached per process, because parsing an RSA key costs ~40 ms per use.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import os
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from asn1crypto import cms
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from django.conf import settings
from django.utils.translation import gettext as _
from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.general import get_pyca_cryptography_hash
from pyhanko.sign.timestamps import HTTPTimeStamper, TimeStamper
from pyhanko.stamp import StaticStampStyle, TextStampStyle

if TYPE_CHECKING:
    from release.models import SigningCredential

logger = logging.getLogger(__name__)

__all__ = [
    "SignatureBox",
    "SignerBackend",
    "SigningError",
    "backend_for",
    "clear_caches",
    "sign_anchor",
    "sign_pdf",
    "timestamper",
    "verify_anchor",
]


class SigningError(Exception):
    """A credential could not be loaded or a signature could not be made."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class SignatureBox:
    """Where a visible signature goes: page index (0-based) and a box in PDF points."""

    page: int
    x1: float
    y1: float
    x2: float
    y2: float

    def as_tuple(self) -> tuple[int, int, int, int]:
        """Return the box as integers, which pyHanko's field spec expects."""
        return (round(self.x1), round(self.y1), round(self.x2), round(self.y2))


class SignerBackend(Protocol):
    def signer(self) -> signers.Signer: ...


# --------------------------------------------------------------------------- secrets


def _read_secret(credential: SigningCredential) -> str:
    """Return the passphrase/PIN named by the credential (file first, then environment)."""
    if credential.secret_file:
        try:
            return Path(credential.secret_file).read_text(encoding="utf-8").rstrip("\r\n")
        except OSError as exc:
            raise SigningError(
                _("Không đọc được tệp mật khẩu của chứng thư ký số: %(path)s")
                % {"path": credential.secret_file}
            ) from exc
    if credential.secret_env:
        value = os.environ.get(credential.secret_env)
        if value is None:
            raise SigningError(
                _("Biến môi trường %(name)s chứa mật khẩu/PIN chưa được đặt.")
                % {"name": credential.secret_env}
            )
        return value
    return ""


# --------------------------------------------------------------------------- backends


class CachedKeySigner(signers.SimpleSigner):
    """A SimpleSigner that parses its private key once instead of on every signature."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pyca_key = serialization.load_der_private_key(self.signing_key.dump(), password=None)

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        if mechanism.signature_algo == "rsassa_pkcs1v15" and isinstance(
            self._pyca_key, RSAPrivateKey
        ):
            return self._pyca_key.sign(
                data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm)
            )
        return super().sign_raw(data, digest_algorithm)


_cache_lock = threading.Lock()
_signer_cache: dict[tuple, signers.Signer] = {}
_pkcs11_sessions: dict[tuple, object] = {}
_stamp_cache: dict[tuple, object] = {}


def clear_caches() -> None:
    """Forget cached keys, token sessions and stamp images (tests, key rotation)."""
    with _cache_lock:
        _signer_cache.clear()
        _stamp_cache.clear()
        for session in _pkcs11_sessions.values():
            # Closing a dead session must not fail a reset.
            with contextlib.suppress(Exception):
                session.close()
        _pkcs11_sessions.clear()


@dataclass(frozen=True)
class Pkcs12Backend:
    """A key and certificate chain in a PKCS#12 file, unlocked with a passphrase."""

    credential: SigningCredential

    def signer(self) -> signers.Signer:
        path = Path(self.credential.pkcs12_path)
        try:
            stat = path.stat()
        except OSError as exc:
            raise SigningError(
                _("Không tìm thấy tệp khóa ký số: %(path)s") % {"path": str(path)}
            ) from exc
        passphrase = _read_secret(self.credential)
        # The file's identity and the secret are in the key, so a rotated file or a changed
        # passphrase is picked up (and a wrong one refused) without a restart.
        key = (
            "pkcs12",
            str(path.resolve()),
            stat.st_mtime_ns,
            stat.st_size,
            hashlib.sha256(passphrase.encode()).digest(),
        )
        with _cache_lock:
            cached = _signer_cache.get(key)
        if cached is not None:
            return cached
        try:
            loaded = signers.SimpleSigner.load_pkcs12_data(
                path.read_bytes(),
                other_certs=(),
                passphrase=passphrase.encode() if passphrase else None,
            )
        except (ValueError, OSError) as exc:
            loaded = None
            logger.warning("Cannot load PKCS#12 %s: %s", path, exc)
        # load_pkcs12 helpers report failure by returning None: never sign with "nothing".
        if loaded is None:
            raise SigningError(
                _("Không mở được tệp khóa ký số %(path)s (sai mật khẩu hoặc tệp hỏng).")
                % {"path": str(path)}
            )
        signer = CachedKeySigner(
            signing_cert=loaded.signing_cert,
            signing_key=loaded.signing_key,
            cert_registry=loaded.cert_registry,
        )
        with _cache_lock:
            _signer_cache[key] = signer
        return signer


@dataclass(frozen=True)
class Pkcs11Backend:
    """A key on a PKCS#11 token or HSM; the certificate (and chain) are read from the token."""

    credential: SigningCredential

    def signer(self) -> signers.Signer:
        from pyhanko.config.pkcs11 import TokenCriteria
        from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

        cred = self.credential
        if not (cred.pkcs11_module and cred.pkcs11_token_label and cred.pkcs11_key_label):
            raise SigningError(_("Chứng thư PKCS#11 thiếu thư viện, nhãn token hoặc nhãn khóa."))
        key = ("pkcs11", cred.pkcs11_module, cred.pkcs11_token_label, cred.pkcs11_key_label)
        with _cache_lock:
            cached = _signer_cache.get(key)
        if cached is not None:
            return cached
        session_key = key[:3]
        try:
            with _cache_lock:
                session = _pkcs11_sessions.get(session_key)
            if session is None:
                session = open_pkcs11_session(
                    cred.pkcs11_module,
                    token_criteria=TokenCriteria(label=cred.pkcs11_token_label),
                    user_pin=_read_secret(cred),
                )
                with _cache_lock:
                    _pkcs11_sessions[session_key] = session
            # Pull every certificate on the token so the CMS carries the issuing CA too.
            signer = PKCS11Signer(
                session,
                key_label=cred.pkcs11_key_label,
                cert_label=cred.pkcs11_key_label,
                other_certs_to_pull=None,
            )
            signer.signing_cert  # noqa: B018 — load now, so a wrong label fails here, clearly
        except SigningError:
            raise
        except Exception as exc:  # token drivers raise PKCS11Error and many others
            raise SigningError(
                _("Không dùng được token PKCS#11 %(token)s: %(error)s")
                % {"token": cred.pkcs11_token_label, "error": exc}
            ) from exc
        with _cache_lock:
            _signer_cache[key] = signer
        return signer


def backend_for(credential: SigningCredential) -> SignerBackend:
    """Return the signer backend (PKCS#12 file or PKCS#11 token) for a credential."""
    from release.models import SigningCredential

    if credential.backend == SigningCredential.Backend.PKCS11:
        return Pkcs11Backend(credential)
    return Pkcs12Backend(credential)


def timestamper() -> TimeStamper | None:
    """Return the RFC 3161 timestamper from settings.TSA_URL (B-T), or None (B-B)."""
    url = getattr(settings, "TSA_URL", "")
    return HTTPTimeStamper(url) if url else None


_settings_timestamper = timestamper


# --------------------------------------------------------------------------- PDF


def _stamp_style(credential: SigningCredential):
    """Return a stamp style showing the credential's image (signature or seal)."""
    image_path = credential.image_path
    if image_path:
        path = Path(image_path)
        try:
            stat = path.stat()
        except OSError:
            logger.warning("Signature image %s is missing; using a text stamp", path)
        else:
            key = (str(path.resolve()), stat.st_mtime_ns)
            with _cache_lock:
                image = _stamp_cache.get(key)
            if image is None:
                from PIL import Image

                with Image.open(path) as img:
                    img.load()
                    image = img.copy()
                with _cache_lock:
                    _stamp_cache[key] = image
            # A fresh PdfImage per signature: it remembers the writer it was embedded in.
            return StaticStampStyle(
                background=PdfImage(image),
                background_opacity=1.0,
                border_width=0,
                background_layout=layout.SimpleBoxLayoutRule(
                    x_align=layout.AxisAlignment.ALIGN_MID,
                    y_align=layout.AxisAlignment.ALIGN_MID,
                    margins=layout.Margins.uniform(0),
                ),
            )
    # No image: a short ASCII text stamp (the default stamp font has no Vietnamese letters).
    return TextStampStyle(stamp_text="Digitally signed\n%(ts)s", border_width=1)


def sign_pdf(
    pdf: bytes,
    *,
    credential: SigningCredential,
    field_name: str,
    box: SignatureBox | None,
    reason: str = "",
    location: str = "",
    timestamper: TimeStamper | None = None,
) -> bytes:
    """Add one PAdES signature (ETSI.CAdES.detached) as an incremental update; return the PDF.

    Visible (the credential's image in `box`) when a box is given, invisible otherwise.
    Without an explicit timestamper the one from settings.TSA_URL is used (B-T), if any.
    """
    signer = backend_for(credential).signer()
    ts = timestamper if timestamper is not None else _settings_timestamper()
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason or None,
        location=location or None,
    )
    kwargs = {}
    if box is not None:
        kwargs["new_field_spec"] = fields.SigFieldSpec(
            field_name, on_page=box.page, box=box.as_tuple()
        )
        kwargs["stamp_style"] = _stamp_style(credential)
    pdf_signer = signers.PdfSigner(meta, signer, timestamper=ts, **kwargs)
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        # A fixed reservation for the CMS blob skips pyHanko's trial signature that only
        # measures its size (about a third of the signing time); generous for an RSA
        # chain, and doubled when a timestamp token is embedded.
        out = pdf_signer.sign_pdf(writer, bytes_reserved=16384 if ts is None else 32768)
    except SigningError:
        raise
    except Exception as exc:
        logger.exception("PDF signing failed for field %s", field_name)
        raise SigningError(_("Không ký số được văn bản: %(error)s") % {"error": exc}) from exc
    return out.getvalue()


# --------------------------------------------------------------------------- anchors


def anchor_credential() -> SigningCredential:
    """Return the active agency credential that signs ledger anchors."""
    from release.models import SigningCredential
    from roles.models import Organisation

    code = getattr(settings, "RELEASE_ANCHOR_ORGANISATION", "")
    if code:
        organisation = Organisation.objects.filter(code=code).first()
    else:
        organisation = Organisation.objects.filter(parent__isnull=True).order_by("pk").first()
    credential = None
    if organisation is not None:
        credential = SigningCredential.objects.filter(
            organisation=organisation, user__isnull=True, is_active=True
        ).first()
    if credential is None:
        raise SigningError(_("Chưa có chứng thư ký số của cơ quan để ký mốc nhật ký."))
    return credential


def sign_anchor(payload: bytes, *, credential: SigningCredential | None = None) -> bytes:
    """Return a detached CMS SignedData (DER) over payload, made with the agency credential."""
    signer = backend_for(credential or anchor_credential()).signer()
    try:
        signed = _sign_detached(signer, payload)
    except SigningError:
        raise
    except Exception as exc:
        raise SigningError(_("Không ký được mốc nhật ký: %(error)s") % {"error": exc}) from exc
    return signed.dump()


def _sign_detached(signer: signers.Signer, payload: bytes) -> cms.ContentInfo:
    import asyncio

    return asyncio.run(signer.async_sign_general_data(payload, "sha256", detached=True))


def verify_anchor(payload: bytes, cms_der: bytes, *, at: datetime | None = None) -> bool:
    """Return True if cms_der is an intact, valid signature over payload from a trusted chain.

    The chain is checked now, or at `at` (e.g. the time of a trusted timestamp on the anchor),
    so anchors stay verifiable after the agency certificate has expired.
    """
    import asyncio

    from pyhanko.sign.validation.generic_cms import async_validate_detached_cms

    from release.validation import validation_context

    try:
        content_info = cms.ContentInfo.load(cms_der)
        signed_data = content_info["content"]
        status = asyncio.run(
            async_validate_detached_cms(
                payload, signed_data, signer_validation_context=validation_context(moment=at)
            )
        )
    except Exception:  # noqa: BLE001 — any malformed input simply does not verify
        logger.info("Anchor signature does not verify", exc_info=True)
        return False
    return bool(status.intact and status.valid and status.trusted)
