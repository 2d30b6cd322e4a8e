"""Verify a PDF against the register: its signatures, its registration, what anyone may see."""

from __future__ import annotations

import hashlib

from django.utils import timezone

from .models import IssuedDocument
from .selectors import document_embargoed_for


def document_public_info(document: IssuedDocument) -> dict:
    """Return what anyone may see about a registered document."""
    return {
        "number": document.number_display,
        "doc_type": document.get_doc_type_display(),
        "summary": document.summary,
        "agency": document.organisation.name,
        "date": document.doc_date.isoformat(),
        "issued_at": document.issued_at.isoformat() if document.issued_at else None,
        "signer": document.signer_name,
        "status": document.verification_status,
        "cancel_reason": document.cancel_reason,
        "sha256": document.sha256,
        "verify_token": document.verify_token,
    }


def signature_dicts(report) -> list[dict]:
    return [
        {
            "signer": s.signer,
            # Shown in Vietnam's time (+07:00), as every time in the product.
            "signed_at": timezone.localtime(s.signed_at).isoformat() if s.signed_at else None,
            "intact": s.intact,
            "trusted": s.trusted,
            "valid": s.valid,
        }
        for s in report.signatures
    ]


def _name_key(name: str) -> str:
    return " ".join(str(name or "").casefold().split())


def signer_mismatch(record_signer: str, signatures: list[dict]) -> bool:
    """True when the register's signer name is the holder of none of the signatures'
    certificates (a personal certificate carries the signer's own name)."""
    wanted = _name_key(record_signer)
    if not wanted or not signatures:
        return False
    return not any(wanted in _name_key(s.get("signer")) for s in signatures)


def document_verify_upload(data: bytes) -> dict:
    """Check an uploaded PDF's signatures and match it against the register by SHA-256."""
    from .validation import PdfCheckError, validate_pdf

    digest = hashlib.sha256(data).hexdigest()
    document = (
        IssuedDocument.objects.select_related("organisation")
        .filter(sha256=digest)
        .exclude(sha256="")
        .first()
    )
    result = {
        "status": "unknown",
        "registered": document is not None,
        "document": document_public_info(document) if document else None,
        "signatures": [],
        "sha256": digest,
        "error": None,
    }
    try:
        report = validate_pdf(data)
    except PdfCheckError as exc:
        result["status"] = "invalid"
        result["error"] = {"code": exc.code, "message": str(exc.message)}
        return result
    result["signatures"] = signature_dicts(report)
    if not report.all_valid:
        result["status"] = "invalid"
    elif document is None:
        result["status"] = "unknown"
    elif document.status == IssuedDocument.Status.CANCELLED:
        result["status"] = "cancelled"
    else:
        result["status"] = "valid"
    return result


def verify_result_masked(result: dict, user) -> dict:
    """Hide an embargoed document from an upload check (it looks like an unregistered file)."""
    info = result.get("document")
    if not info:
        return result
    document = (
        IssuedDocument.objects.select_related("organisation")
        .filter(verify_token=info.get("verify_token"))
        .first()
    )
    if document is None or not document_embargoed_for(user, document):
        return result
    masked = {**result, "registered": False, "document": None}
    if masked["status"] in ("valid", "cancelled"):
        masked["status"] = "unknown"
    return masked
