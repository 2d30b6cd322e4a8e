"""Check the digital signatures of an uploaded or stored PDF against the configured trust roots."""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from asn1crypto import x509
from django.conf import settings
from django.utils.translation import gettext as _
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import (
    PdfSignatureStatus,
    SignatureCoverageLevel,
    SignatureStatus,
)
from pyhanko_certvalidator import ValidationContext

logger = logging.getLogger(__name__)

__all__ = [
    "PdfCheckError",
    "PdfReport",
    "SignatureReport",
    "trust_roots",
    "validate_pdf",
    "validation_context",
]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
SAFE_CHANGES = frozenset({"NONE", "LTA_UPDATES", "FORM_FILLING"})


class PdfCheckError(Exception):
    """The file cannot be checked; `code` says why and `message` says it in Vietnamese."""

    NOT_PDF = "not_pdf"
    TOO_LARGE = "too_large"
    ENCRYPTED = "encrypted"
    DAMAGED = "damaged"
    NO_SIGNATURE = "no_signature"

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class SignatureReport:
    """What one embedded signature proves."""

    field_name: str
    signer: str  # the signing certificate's common name
    signed_at: datetime | None  # the timestamp's time when trusted, else the signer's claim
    intact: bool  # the signed bytes are unchanged
    valid: bool  # the cryptographic signature is correct
    trusted: bool  # the certificate chains to a configured trust root
    timestamped: bool  # an RFC 3161 timestamp is present, intact, valid and trusted
    covers_document: bool  # the signature covers the whole file (nothing appended after it)
    signer_organisation: str = ""  # the certificate's O attribute
    # What later revisions did (pyHanko's ModificationLevel): NONE, LTA_UPDATES, FORM_FILLING
    # (e.g. the seal's signature field) are harmless; ANNOTATIONS or OTHER can change what
    # the signed page shows (e.g. an overlay), so the signature no longer vouches for it.
    later_changes: str = "NONE"
    error: str = ""  # why the signature could not be evaluated, if it could not

    @property
    def later_changes_allowed(self) -> bool:
        """Return True if revisions after this signature only added signatures or form data."""
        return self.later_changes in SAFE_CHANGES

    @property
    def ok(self) -> bool:
        """Return True if intact, valid and trusted, and nothing after it changed the content."""
        return self.intact and self.valid and self.trusted and self.later_changes_allowed


@dataclass
class PdfReport:
    """The SHA-256 of the file and one report per signature, in signing order."""

    sha256: str
    signatures: list[SignatureReport] = field(default_factory=list)

    @property
    def all_valid(self) -> bool:
        """Return True if every signature is intact, valid, trusted and the last covers the file."""
        return (
            bool(self.signatures)
            and all(s.ok for s in self.signatures)
            and self.signatures[-1].covers_document
        )


# --------------------------------------------------------------------------- trust

_roots_lock = threading.Lock()
_roots_cache: dict[tuple, list[x509.Certificate]] = {}


def _configured_root_paths() -> list[Path]:
    paths = getattr(settings, "RELEASE_TRUST_ROOTS", None)
    if paths is None:
        paths = [Path(settings.VAR_DIR) / "pki" / "root-ca.pem"]
    if isinstance(paths, (str, Path)):
        paths = [paths]
    return [Path(p) for p in paths]


def trust_roots() -> list[x509.Certificate]:
    """Return the trust-root certificates named in settings.RELEASE_TRUST_ROOTS (cached)."""
    key = []
    for path in _configured_root_paths():
        try:
            stat = path.stat()
        except OSError:
            logger.warning("Trust root %s is missing", path)
            continue
        key.append((str(path), stat.st_mtime_ns, stat.st_size))
    key = tuple(key)
    with _roots_lock:
        cached = _roots_cache.get(key)
    if cached is not None:
        return cached
    roots = []
    for path_str, _mtime, _size in key:
        try:
            roots.append(load_cert_from_pemder(path_str))
        except Exception:  # noqa: BLE001 — a bad root file must not break verification
            logger.exception("Cannot read trust root %s", path_str)
    with _roots_lock:
        _roots_cache[key] = roots
    return roots


def validation_context(*, moment: datetime | None = None) -> ValidationContext:
    """Return a validation context that trusts only the configured roots and never fetches."""
    # Always pass trust roots: without them certvalidator falls back to the OS list.
    kwargs = {"moment": moment} if moment is not None else {}
    return ValidationContext(
        trust_roots=trust_roots(),
        allow_fetching=False,
        revocation_mode="soft-fail",
        **kwargs,
    )


# --------------------------------------------------------------------------- checks


def _max_bytes() -> int:
    return int(getattr(settings, "RELEASE_MAX_UPLOAD_BYTES", DEFAULT_MAX_BYTES))


def _common_name(cert: x509.Certificate | None, attribute: str = "common_name") -> str:
    if cert is None:
        return ""
    try:
        return str(cert.subject.native.get(attribute, ""))
    except Exception:  # noqa: BLE001
        return ""


def _timestamp_ok(status: SignatureStatus | None) -> bool:
    return bool(status is not None and status.intact and status.valid and status.trusted)


def _later_changes(status: PdfSignatureStatus) -> str:
    level = status.modification_level
    if level is None:
        return "UNKNOWN"
    if status.docmdp_ok is False:
        return "OTHER"  # a certification signature forbade even these changes
    return level.name


def _report(embedded) -> SignatureReport:
    name = embedded.field_name or ""
    try:
        status: PdfSignatureStatus = validate_pdf_signature(
            embedded,
            signer_validation_context=validation_context(),
            ts_validation_context=validation_context(),
        )
    except Exception as exc:  # noqa: BLE001 — a malformed signature is reported, not raised
        logger.info("Signature %s could not be validated", name, exc_info=True)
        cert = None
        with contextlib.suppress(Exception):
            cert = embedded.signer_cert
        return SignatureReport(
            field_name=name,
            signer=_common_name(cert),
            signed_at=None,
            intact=False,
            valid=False,
            trusted=False,
            timestamped=False,
            covers_document=False,
            signer_organisation=_common_name(cert, "organization_name"),
            later_changes="UNKNOWN",
            error=str(exc),
        )
    timestamped = _timestamp_ok(status.timestamp_validity)
    signed_at = status.timestamp_validity.timestamp if timestamped else status.signer_reported_dt
    return SignatureReport(
        field_name=name,
        signer=_common_name(status.signing_cert),
        signed_at=signed_at,
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=bool(status.trusted),
        timestamped=timestamped,
        covers_document=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        signer_organisation=_common_name(status.signing_cert, "organization_name"),
        later_changes=_later_changes(status),
    )


def validate_pdf(data: bytes) -> PdfReport:
    """Validate every signature of a PDF; raise PdfCheckError if it cannot be checked at all."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise PdfCheckError(PdfCheckError.NOT_PDF, _("Tệp tải lên không phải là tệp PDF."))
    data = bytes(data)
    limit = _max_bytes()
    if len(data) > limit:
        raise PdfCheckError(
            PdfCheckError.TOO_LARGE,
            _("Tệp quá lớn: tối đa %(mb)s MB.") % {"mb": round(limit / (1024 * 1024), 1)},
        )
    # PDF readers accept the header within the first 1024 bytes.
    if b"%PDF-" not in data[:1024]:
        raise PdfCheckError(PdfCheckError.NOT_PDF, _("Tệp tải lên không phải là tệp PDF."))
    damaged = PdfCheckError(
        PdfCheckError.DAMAGED, _("Tệp PDF bị hỏng hoặc không đọc được, không thể kiểm tra chữ ký.")
    )
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        encrypted = reader.encrypted
    except Exception as exc:  # noqa: BLE001 — any parser failure means a damaged file
        logger.info("Unreadable PDF upload", exc_info=True)
        raise damaged from exc
    if encrypted:
        raise PdfCheckError(
            PdfCheckError.ENCRYPTED,
            _("Tệp PDF được mã hóa bằng mật khẩu, không thể kiểm tra chữ ký."),
        )
    try:
        embedded = list(reader.embedded_signatures)
    except Exception as exc:  # noqa: BLE001
        logger.info("Cannot list signatures", exc_info=True)
        raise damaged from exc
    if not embedded:
        raise PdfCheckError(PdfCheckError.NO_SIGNATURE, _("Tệp PDF không có chữ ký số nào."))
    return PdfReport(
        sha256=hashlib.sha256(data).hexdigest(),
        signatures=[_report(sig) for sig in embedded],
    )
