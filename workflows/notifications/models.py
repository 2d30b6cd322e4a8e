"""In-app notifications, each also queued as an e-mail."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """An in-app notification (also sent by e-mail). `key` makes a reminder go out once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    case = models.ForeignKey(
        "workflows.Case",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    statement = models.ForeignKey(
        "workflows.Statement",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    message = models.TextField(_("nội dung"))
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)

    class Meta:
        app_label = "workflows"
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self):
        return self.message[:80]

    @property
    def link_label(self) -> str:
        """The short words of the notification's link ("Mở hồ sơ HS-2026-000011")."""
        return link_label(case=self.case, statement=self.statement)


def link_label(*, case=None, statement=None) -> str:
    """ "Mở hồ sơ HS-…" / "Mở thông tin PN-…" / "Mở trang": a link named by what it opens."""
    if case is not None:
        return str(_("Mở hồ sơ %(r)s")) % {"r": case.reference}
    if statement is not None:
        return str(_("Mở thông tin %(r)s")) % {"r": statement.reference}
    return str(_("Mở trang"))
