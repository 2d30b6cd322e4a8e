"""Check uploaded files by their content, not their name, and store them.

The limits of one submission (how many files, how big each, how big in all) live here, in
`submission_files_check`, which the portal's form and the API's serializer both call. Files
are read and stored in chunks, never whole in memory.
"""

import hashlib
from dataclasses import dataclass
from typing import Any

import filetype
from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.utils.translation import gettext as _

from core.errors import DomainError

# What journalists may attach: PDF, images and DOCX (a DOCX is a ZIP with a Word part).
ALLOWED = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
}
SNIFF_BYTES = 8192  # filetype needs the first 262 bytes; a DOCX's Word part is near the start


@dataclass
class Upload:
    """A file received from a form or the API, before it is checked.

    `file` (a Django UploadedFile, in memory or in a temporary file) is read in chunks;
    `data` is for callers that already hold a few bytes (scripts, tests).
    """

    name: str
    data: bytes | None = None
    file: Any = None

    @classmethod
    def from_file(cls, f) -> "Upload":
        return cls(name=f.name, file=f)

    def as_file(self) -> File:
        if self.file is not None:
            return self.file
        return ContentFile(self.data or b"", name=self.name)

    @property
    def size(self) -> int:
        if self.file is not None:
            return self.file.size
        return len(self.data or b"")


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content: File
    size: int
    content_type: str
    sha256: str


def _mb(n: int) -> int:
    return max(1, n // (1024 * 1024))


def _refuse_if_too_large(name: str, size: int, field: str) -> None:
    limit = settings.CASE_MAX_UPLOAD_BYTES
    if size > limit:
        raise DomainError(
            _("Tệp “%(n)s” vượt quá %(mb)d MB.") % {"n": name, "mb": _mb(limit)},
            code="too_large",
            field=field,
        )


def submission_files_check(*, attachments=(), request_letter=None, truncated=False) -> None:
    """Refuse too many attachments, a file over the per-file limit, or too much in all.

    Called by the portal's form and the API's serializer before anything is stored.
    `truncated` means the upload handler already dropped files over the total.
    """
    attachments = [f for f in attachments or [] if f]
    limit = settings.CASE_MAX_ATTACHMENTS
    if len(attachments) > limit:
        raise DomainError(
            _("Tối đa %(n)d tệp đính kèm.") % {"n": limit},
            code="too_many_files",
            field="attachments",
        )
    files = [(f, "attachments") for f in attachments]
    if request_letter:
        files.append((request_letter, "request_letter"))
    for f, field in files:
        _refuse_if_too_large(f.name, f.size, field)
    total_limit = settings.CASE_MAX_SUBMISSION_BYTES
    if truncated or sum(f.size for f, _field in files) > total_limit:
        raise DomainError(
            _("Tổng dung lượng các tệp gửi kèm vượt quá %(mb)d MB.") % {"mb": _mb(total_limit)},
            code="too_large",
            field="attachments",
        )


class SubmissionSizeHandler(FileUploadHandler):
    """Stop keeping files once a request's files pass CASE_MAX_SUBMISSION_BYTES.

    Installed first, before the request body is parsed: the text fields are still read (so
    the form can be shown again with them) but further file bytes are skipped, not stored.
    """

    def __init__(self, request=None):
        super().__init__(request)
        self.total = 0
        self.exceeded = False

    def receive_data_chunk(self, raw_data, start):
        self.total += len(raw_data)
        if self.total > settings.CASE_MAX_SUBMISSION_BYTES:
            self.exceeded = True
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size):
        return None


def _sniff(upload: Upload) -> str | None:
    f = upload.as_file()
    f.seek(0)
    head = f.read(SNIFF_BYTES)
    f.seek(0)
    kind = filetype.guess(head) if head else None
    return kind.mime if kind else None


def _sha256(f: File) -> str:
    digest = hashlib.sha256()
    f.seek(0)
    for chunk in f.chunks():
        digest.update(chunk)
    f.seek(0)
    return digest.hexdigest()


def check_upload(upload: Upload, *, field: str = "attachments") -> CheckedFile:
    """Refuse empty, oversize or disallowed files (type sniffed from the bytes)."""
    name = upload.name
    if not upload.size:
        raise DomainError(_("Tệp “%(n)s” rỗng.") % {"n": name}, code="empty_file", field=field)
    _refuse_if_too_large(name, upload.size, field)
    mime = _sniff(upload)
    if mime not in ALLOWED:
        raise DomainError(
            _("Tệp “%(n)s” không phải PDF, ảnh (JPEG, PNG) hoặc DOCX.") % {"n": name},
            code="file_type",
            field=field,
        )
    safe = "".join(c for c in name if c.isalnum() or c in "._- ")[:120].strip() or "tep"
    base = safe.rsplit(".", 1)[0] if "." in safe else safe
    content = upload.as_file()
    return CheckedFile(
        name=f"{base}.{ALLOWED[mime]}",
        content=content,
        size=upload.size,
        content_type=mime,
        sha256=_sha256(content),
    )


def attachment_store(*, case, kind: str, checked: CheckedFile, by):
    from .models import CaseAttachment

    attachment = CaseAttachment(
        case=case,
        kind=kind,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=by,
    )
    checked.content.seek(0)
    # Storage.save copies `content.chunks()`: the file is never read whole.
    attachment.file.save(checked.name, checked.content, save=False)
    attachment.save()
    return attachment
