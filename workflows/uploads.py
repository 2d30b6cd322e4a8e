"""Check uploaded files by their content, not their name, and store them."""

import hashlib
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from roles.errors import DomainError

# What journalists may attach: PDF, images and DOCX (a DOCX is a ZIP with a Word part).
ALLOWED = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
}


@dataclass(frozen=True)
class CheckedFile:
    name: str
    data: bytes
    content_type: str
    sha256: str


def _sniff(data: bytes) -> str | None:
    kind = filetype.guess(data)
    return kind.mime if kind else None


def check_upload(name: str, data: bytes) -> CheckedFile:
    """Refuse empty, oversize or disallowed files (type sniffed from the bytes)."""
    limit = settings.CASE_MAX_UPLOAD_BYTES
    if not data:
        raise DomainError(
            _("Tệp “%(n)s” rỗng.") % {"n": name}, code="empty_file", field="attachments"
        )
    if len(data) > limit:
        raise DomainError(
            _("Tệp “%(n)s” vượt quá %(mb)d MB.") % {"n": name, "mb": limit // (1024 * 1024)},
            code="too_large",
            field="attachments",
        )
    mime = _sniff(data)
    if mime not in ALLOWED:
        raise DomainError(
            _("Tệp “%(n)s” không phải PDF, ảnh (JPEG, PNG) hoặc DOCX.") % {"n": name},
            code="file_type",
            field="attachments",
        )
    safe = "".join(c for c in name if c.isalnum() or c in "._- ")[:120].strip() or "tep"
    base = safe.rsplit(".", 1)[0] if "." in safe else safe
    return CheckedFile(
        name=f"{base}.{ALLOWED[mime]}",
        data=data,
        content_type=mime,
        sha256=hashlib.sha256(data).hexdigest(),
    )


def attachment_store(*, case, kind: str, checked: CheckedFile, by):
    from .case_models import CaseAttachment

    attachment = CaseAttachment(
        case=case,
        kind=kind,
        original_name=checked.name,
        content_type=checked.content_type,
        size=len(checked.data),
        sha256=checked.sha256,
        uploaded_by=by,
    )
    attachment.file.save(checked.name, ContentFile(checked.data), save=False)
    attachment.save()
    return attachment
