from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LedgerImmutableError(Exception):
    """Raised when code tries to change or delete a ledger event."""


class LedgerEvent(models.Model):
    """One step of history. Append-only: a trigger refuses UPDATE/DELETE in the database."""

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
    before = models.JSONField(_("trước"), null=True, blank=True)
    after = models.JSONField(_("sau"), null=True, blank=True)
    ip = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    user_agent = models.CharField(_("trình duyệt"), max_length=400, blank=True)
    prev_hash = models.CharField(_("băm trước"), max_length=64)
    hash = models.CharField(_("băm"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("sự kiện nhật ký")
        verbose_name_plural = _("sự kiện nhật ký")
        ordering = ["seq"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"#{self.seq} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise LedgerImmutableError("Ledger events cannot be changed.")
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise LedgerImmutableError("Ledger events cannot be deleted.")
