"""Build inspection exports: a verifiable ZIP bundle, or CSV/XLSX for spreadsheets."""

import hashlib
import json
import tempfile
import zipfile
from datetime import UTC
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

import audit
from core import spreadsheets
from core.labels import datetime_display
from core.tasks import task_send_on_commit

from . import labels
from .filters import EventFilter
from .models import AuditAnchor, AuditExport
from .selectors import events_in_scope
from .services import ENCODING, event_fields
from .tasks import export_build_task

VERIFIER_SOURCE = Path(__file__).with_name("bundle_verifier.py")
_PROGRESS_STEP = 500

README_VI = """GÓI DỮ LIỆU THANH TRA — NHẬT KÝ KIỂM TOÁN PHATNGON
======================================================

Gói này chứa các sự kiện của nhật ký kiểm toán trong kỳ thanh tra, các mốc neo đã ký số
và các văn bản PDF đã phát hành có liên quan.

Nội dung:
- events.jsonl     mỗi dòng một sự kiện (JSON), theo số thứ tự tăng dần;
- anchors.jsonl    các mốc neo: số thứ tự và giá trị băm đầu chuỗi đã được ký số;
- anchors/         nội dung được ký (.json) và chữ ký CMS (.p7s) của từng mốc neo;
- documents/       các văn bản PDF đã phát hành liên quan đến các sự kiện;
- manifest.json    danh sách mọi tệp kèm giá trị băm SHA-256, phạm vi và bộ lọc;
- verify_bundle.py chương trình kiểm tra độc lập (chỉ cần Python 3.11 trở lên).

Cách kiểm tra (không cần phần mềm phatngon):
    python3 verify_bundle.py            (chạy trong thư mục đã giải nén)
    python3 verify_bundle.py goi.zip    (kiểm tra trực tiếp tệp ZIP)
Kết quả "OK" (mã thoát 0): mọi tệp khớp SHA-256, mọi sự kiện tính lại đúng giá trị băm,
các sự kiện liên tiếp nối đúng chuỗi và khớp với các mốc neo. Nếu có sai lệch, chương trình
in "KHÔNG HỢP LỆ" kèm số thứ tự sự kiện đầu tiên bị sai (mã thoát 1).

Kiểm tra chữ ký số của mốc neo (cần OpenSSL):
    openssl cms -verify -binary -inform DER -in anchors/<tệp>.p7s \\
        -content anchors/<tệp>.json -noverify -out /dev/null
rồi đối chiếu chứng thư ký với chứng thư số của cơ quan.

Lưu ý: nếu phạm vi thanh tra chỉ gồm một số cơ quan, các sự kiện của cơ quan khác không có
trong gói; chỗ đó chuỗi bị ngắt ("khoảng trống") và chỉ kiểm tra được từng sự kiện.
Giá trị băm SHA-256 của cả tệp ZIP đã được ghi vào nhật ký kiểm toán khi tạo gói.

Mã hoá chuẩn tắc (phatngon-ledger-v1): xem phần đầu của verify_bundle.py.
"""

# Spreadsheet columns (CSV/XLSX), for people: words beside the codes. The ZIP bundle keeps
# the ledger's own field names (events.jsonl), which its verifier reads.
CSV_COLUMNS = [
    _lazy("STT"),
    _lazy("Thời điểm (UTC)"),
    _lazy("Thời điểm (giờ Việt Nam)"),
    _lazy("Người thực hiện"),
    _lazy("Vai trò"),
    _lazy("Cơ quan"),
    _lazy("Mã cơ quan"),
    _lazy("Hành động"),
    _lazy("Mã hành động"),
    _lazy("Đối tượng"),
    _lazy("Loại đối tượng"),
    _lazy("Mã đối tượng"),
    _lazy("Trước"),
    _lazy("Sau"),
    _lazy("Địa chỉ IP"),
    _lazy("Trình duyệt"),
    _lazy("Băm trước"),
    _lazy("Băm"),
]


def export_queryset(export: AuditExport):
    """Events the export covers, in sequence order: the inspector page's FilterSet again."""
    event_filter = EventFilter(
        {k: v for k, v in (export.filters or {}).items() if v},
        queryset=events_in_scope(export.scope),
        scope=export.scope,
    )
    if not event_filter.is_valid():
        # Shown to the inspector in the export list (the error column).
        raise ValueError(
            _("Bộ lọc đã lưu của bản xuất không còn hợp lệ: %(errors)s")
            % {"errors": event_filter.errors.as_json()}
        )
    # period_start/period_end (in the manifest) come from the same dates: EventFilter.form.period.
    return event_filter.qs.order_by("seq")


def event_line(event) -> dict:
    data = event_fields(event)
    data["hash"] = event.hash
    return data


def _bundle_files(events: list) -> list[tuple[str, bytes]]:
    try:
        fn = import_string(settings.AUDIT_BUNDLE_FILES)
    except ImportError:
        return []
    return list(fn(events))


class _Progress:
    def __init__(self, export: AuditExport, total: int):
        self.export, self.total, self.done = export, max(total, 1), 0

    def step(self, n: int = 1):
        self.done += n
        if self.done % _PROGRESS_STEP == 0:
            pct = min(95, int(90 * self.done / self.total))
            AuditExport.objects.filter(pk=self.export.pk).update(progress=pct)


def _write_bundle(export: AuditExport, out, progress: _Progress) -> int:
    digests: dict[str, str] = {}
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:

        def add(name: str, data: bytes):
            digests[name] = hashlib.sha256(data).hexdigest()
            zf.writestr(name, data)

        count, first, last = 0, None, None
        h = hashlib.sha256()
        related: dict = {}
        with zf.open("events.jsonl", "w") as fh:
            for event in export_queryset(export).iterator(chunk_size=2000):
                line = (
                    json.dumps(
                        event_line(event), sort_keys=True, separators=(",", ":"), ensure_ascii=False
                    )
                    + "\n"
                ).encode("utf-8")
                fh.write(line)
                h.update(line)
                if event.target_type:
                    related.setdefault((event.target_type, event.target_id), event)
                first = event.seq if first is None else first
                last = event.seq
                count += 1
                progress.step()
        digests["events.jsonl"] = h.hexdigest()

        anchors_lines = []
        if first is not None:
            anchors = list(AuditAnchor.objects.filter(seq__gte=first, seq__lte=last))
            after = AuditAnchor.objects.filter(seq__gt=last).order_by("seq", "pk").first()
            if after is not None:
                anchors.append(after)
            for anchor in anchors:
                stem = f"anchors/anchor-{anchor.seq}-{anchor.pk}"
                add(f"{stem}.json", bytes(anchor.payload))
                add(f"{stem}.p7s", bytes(anchor.signature))
                line = {
                    "seq": anchor.seq,
                    "hash": anchor.head_hash,
                    "created_at": anchor.created_at.isoformat(),
                    "payload_file": f"{stem}.json",
                    "signature_file": f"{stem}.p7s",
                    "signer": anchor.signer,
                }
                if anchor.timestamp_token:
                    add(f"{stem}.tst", bytes(anchor.timestamp_token))
                    line["timestamp_file"] = f"{stem}.tst"
                anchors_lines.append(json.dumps(line, sort_keys=True, ensure_ascii=False))
        add("anchors.jsonl", ("\n".join(anchors_lines) + "\n").encode("utf-8"))

        seen = set()
        for name, data in _bundle_files(list(related.values())):
            safe = get_valid_filename(Path(name).name) or "document.pdf"
            while safe in seen:
                safe = f"_{safe}"
            seen.add(safe)
            add(f"documents/{safe}", data)

        add("verify_bundle.py", VERIFIER_SOURCE.read_bytes())
        add("README.txt", README_VI.encode("utf-8"))
        manifest = {
            "encoding": ENCODING,
            "created_at": timezone.now().isoformat(),
            "requested_by": export.requested_by.username,
            "scope": export.scope,
            "filters": export.filters,
            "period_start": export.period_start.isoformat() if export.period_start else None,
            "period_end": export.period_end.isoformat() if export.period_end else None,
            "event_count": count,
            "first_seq": first,
            "last_seq": last,
            "files": dict(sorted(digests.items())),
        }
        zf.writestr(
            "manifest.json",
            json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True).encode("utf-8"),
        )
    return count


def _row(event) -> list:
    return [
        event.seq,
        event.at.astimezone(UTC).isoformat(),
        datetime_display(event.at, seconds=True),
        event.actor_username,
        event.role_name,
        event.organisation_name,
        event.organisation_code,
        event.action_name,
        event.action,
        event.target_name,
        event.target_type,
        event.target_id,
        event.before or "",
        event.after or "",
        event.ip,
        event.user_agent,
        event.prev_hash,
        event.hash,
    ]


def _rows(export: AuditExport, progress: _Progress):
    batch: list = []
    for event in export_queryset(export).iterator(chunk_size=2000):
        batch.append(event)
        if len(batch) == _PROGRESS_STEP:
            yield from (_row(e) for e in labels.events_describe(batch))
            progress.step(len(batch))
            batch = []
    yield from (_row(e) for e in labels.events_describe(batch))
    progress.step(len(batch))


def _write_csv(export: AuditExport, out, progress: _Progress) -> int:
    return spreadsheets.csv_write(out, CSV_COLUMNS, _rows(export, progress))


def _write_xlsx(export: AuditExport, out, progress: _Progress) -> int:
    return spreadsheets.xlsx_write(out, CSV_COLUMNS, _rows(export, progress), title=_("Nhật ký"))


WRITERS = {
    AuditExport.Format.BUNDLE: (_write_bundle, "zip"),
    AuditExport.Format.CSV: (_write_csv, "csv"),
    AuditExport.Format.XLSX: (_write_xlsx, "xlsx"),
}


def export_request(*, user, scope, form_filters: dict, start, end, fmt: str):
    """Create an export for `user` and queue its build after commit."""
    with transaction.atomic():
        export = AuditExport.objects.create(
            requested_by=user,
            format=fmt,
            scope=scope,
            filters=form_filters,
            period_start=start,
            period_end=end,
        )
        audit.record(
            action="audit.export_request",
            actor=user,
            actor_role=inspector_role(user),
            organisation=inspector_organisation(user, scope),
            target=export,
            after={"format": fmt, "filters": form_filters, "scope": scope},
        )
        # A lost send is caught by the minute sweep (exports_pending_sweep_task).
        task_send_on_commit(export_build_task, export.pk)
    return export


def export_build(export_id: int) -> AuditExport:
    """Write the export file with the storage API; safe to run twice."""
    export = AuditExport.objects.select_related("requested_by").get(pk=export_id)
    if export.status == AuditExport.Status.DONE:
        return export
    AuditExport.objects.filter(pk=export.pk).update(status=AuditExport.Status.RUNNING, progress=0)
    writer, ext = WRITERS[export.format]
    try:
        total = export_queryset(export).count()
        progress = _Progress(export, total)
        with tempfile.TemporaryFile() as tmp:
            count = writer(export, tmp, progress)
            tmp.seek(0)
            digest = hashlib.sha256()
            for chunk in iter(lambda: tmp.read(1 << 20), b""):
                digest.update(chunk)
            tmp.seek(0)
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            name = f"nhat-ky-kiem-toan-{export.pk}-{stamp}.{ext}"
            export.file.save(name, File(tmp, name=name), save=False)
        with transaction.atomic():
            export.status = AuditExport.Status.DONE
            export.progress = 100
            export.sha256 = digest.hexdigest()
            export.event_count = count
            export.finished_at = timezone.now()
            export.error = ""
            export.save(
                update_fields=[
                    "status",
                    "progress",
                    "sha256",
                    "event_count",
                    "finished_at",
                    "error",
                    "file",
                ]
            )
            audit.record(
                action="audit.export_ready",
                target=export,
                organisation=inspector_organisation(export.requested_by, export.scope),
                after={"sha256": export.sha256, "events": count, "file": export.file.name},
            )
    except Exception as exc:
        AuditExport.objects.filter(pk=export.pk).update(
            status=AuditExport.Status.FAILED, error=str(exc)[:2000]
        )
        raise
    return export


def inspector_role(user) -> str:
    return "superuser" if user.is_superuser else "inspector"


def inspector_organisation(user, scope) -> str:
    """The organisation an inspector's own events are filed under.

    The actor's organisation from AUDIT_ACTOR_CONTEXT when configured, else the first code
    of the scope.
    """
    path = getattr(settings, "AUDIT_ACTOR_CONTEXT", "")
    if path:
        organisation = import_string(path)(user)[1]
        if organisation:
            return organisation
    if isinstance(scope, list) and scope:
        return scope[0]
    return ""


def export_filename(export: AuditExport) -> str:
    return Path(export.file.name).name if export.file else ""
