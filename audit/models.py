"""The ledger's tables: events (append-only), signed anchors, verification runs, exports."""

import json

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LedgerImmutableError(Exception):
    """Raised when code tries to change or delete a ledger event or anchor."""


class AppendOnlyModel(models.Model):
    """A row that is written once: saving an existing row or deleting one is refused."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise LedgerImmutableError(f"{type(self).__name__} rows cannot be changed.")
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise LedgerImmutableError(f"{type(self).__name__} rows cannot be deleted.")


class LedgerEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise LedgerImmutableError("Ledger events cannot be changed.")

    def delete(self):
        raise LedgerImmutableError("Ledger events cannot be deleted.")

    def _raw_delete(self, using):
        raise LedgerImmutableError("Ledger events cannot be deleted.")


class LedgerEvent(AppendOnlyModel):
    """One step of history. Append-only: database triggers refuse UPDATE/DELETE/TRUNCATE.

    `before` and `after` hold the canonical JSON text exactly as it was hashed (not jsonb,
    which would reorder keys and re-space it), so verification hashes them without parsing.
    """

    seq = models.BigIntegerField(_("số thứ tự"), unique=True)
    at = models.DateTimeField(_("thời điểm"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    actor_username = models.CharField(_("tên đăng nhập"), max_length=150, blank=True)
    actor_role = models.CharField(_("vai trò"), max_length=64, blank=True)
    organisation_code = models.CharField(_("cơ quan"), max_length=64, blank=True, db_index=True)
    action = models.CharField(_("hành động"), max_length=100, db_index=True)
    target_type = models.CharField(_("loại đối tượng"), max_length=100, blank=True)
    target_id = models.CharField(_("mã đối tượng"), max_length=64, blank=True)
    before = models.TextField(_("trước (JSON chuẩn tắc)"), null=True, blank=True)
    after = models.TextField(_("sau (JSON chuẩn tắc)"), null=True, blank=True)
    # Kept as the exact text hashed: an inet column would re-format IPv6 addresses.
    ip = models.CharField(_("địa chỉ IP"), max_length=45, blank=True, default="")
    user_agent = models.CharField(_("trình duyệt"), max_length=400, blank=True)
    # Unique: two events claiming the same predecessor would be a fork.
    prev_hash = models.CharField(_("băm trước"), max_length=64, unique=True)
    hash = models.CharField(_("băm"), max_length=64, unique=True)

    objects = LedgerEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("sự kiện nhật ký")
        verbose_name_plural = _("sự kiện nhật ký")
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["target_type", "target_id"]),
            models.Index(fields=["at"]),
            models.Index(fields=["actor_username"]),
            # The inspection list: one organisation's newest events without a sort (issue 17).
            models.Index(fields=["organisation_code", "-seq"], name="audit_event_org_seq_idx"),
        ]

    def __str__(self):
        return f"#{self.seq} {self.action}"

    @property
    def before_data(self):
        return None if self.before is None else json.loads(self.before)

    @property
    def after_data(self):
        return None if self.after is None else json.loads(self.after)


class AuditAnchor(AppendOnlyModel):
    """A signed statement "the ledger's head was event `seq` with hash `head_hash`"."""

    seq = models.BigIntegerField(_("số thứ tự đầu chuỗi"), db_index=True)
    head_hash = models.CharField(_("băm đầu chuỗi"), max_length=64)
    created_at = models.DateTimeField(_("thời điểm"))
    payload = models.BinaryField(_("nội dung được ký"))
    signature = models.BinaryField(_("chữ ký CMS (DER)"))
    signer = models.CharField(_("hàm ký"), max_length=200)
    timestamp_token = models.BinaryField(_("dấu thời gian RFC 3161"), null=True, blank=True)

    class Meta:
        verbose_name = _("mốc neo nhật ký")
        verbose_name_plural = _("mốc neo nhật ký")
        ordering = ["seq", "pk"]

    def __str__(self):
        return f"anchor #{self.seq}"


class VerificationRun(models.Model):
    """The result of one run of the chain verification (kept for the chain status page)."""

    started_at = models.DateTimeField(_("bắt đầu"))
    finished_at = models.DateTimeField(_("kết thúc"))
    from_seq = models.BigIntegerField(_("từ số"), null=True, blank=True)
    to_seq = models.BigIntegerField(_("đến số"), null=True, blank=True)
    ok = models.BooleanField(_("toàn vẹn"))
    events_checked = models.BigIntegerField(_("số sự kiện đã kiểm"), default=0)
    anchors_checked = models.IntegerField(_("số mốc neo đã kiểm"), default=0)
    first_bad_seq = models.BigIntegerField(_("số thứ tự lỗi đầu tiên"), null=True, blank=True)
    reason = models.CharField(_("lý do"), max_length=40, blank=True)
    message = models.TextField(_("thông báo"), blank=True)

    class Meta:
        verbose_name = _("lần kiểm tra chuỗi")
        verbose_name_plural = _("lần kiểm tra chuỗi")
        ordering = ["-finished_at"]

    def __str__(self):
        return f"verification {self.finished_at:%Y-%m-%d %H:%M} {'ok' if self.ok else 'FAILED'}"


class AuditExport(models.Model):
    """An inspector's export of the ledger for a period, built by a Celery task."""

    class Format(models.TextChoices):
        BUNDLE = "bundle", _("Gói kiểm tra (ZIP)")
        CSV = "csv", _("CSV")
        XLSX = "xlsx", _("Excel (XLSX)")

    class Status(models.TextChoices):
        PENDING = "pending", _("Đang chờ")
        RUNNING = "running", _("Đang tạo")
        DONE = "done", _("Hoàn tất")
        FAILED = "failed", _("Lỗi")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người yêu cầu"),
        on_delete=models.PROTECT,
        related_name="audit_exports",
    )
    requested_at = models.DateTimeField(_("thời điểm yêu cầu"), auto_now_add=True)
    format = models.CharField(_("định dạng"), max_length=10, choices=Format.choices)
    # "all" or the list of organisation codes the requester could read at request time.
    scope = models.JSONField(_("phạm vi"))
    filters = models.JSONField(_("bộ lọc"), default=dict, blank=True)
    period_start = models.DateTimeField(_("từ thời điểm"), null=True, blank=True)
    period_end = models.DateTimeField(_("đến thời điểm"), null=True, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    file = models.FileField(_("tệp"), upload_to="audit-exports/", blank=True)
    sha256 = models.CharField(_("SHA-256 của tệp"), max_length=64, blank=True)
    event_count = models.IntegerField(_("số sự kiện"), default=0)
    error = models.TextField(_("lỗi"), blank=True)
    finished_at = models.DateTimeField(_("hoàn tất lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("bản xuất nhật ký")
        verbose_name_plural = _("bản xuất nhật ký")
        ordering = ["-requested_at"]

    def __str__(self):
        return f"export {self.pk} ({self.format})"
