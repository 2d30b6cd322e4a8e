"""The newsroom's tables: publications, the press list and its deliveries.

Defined here, registered by `release.models` (same app label "release", same tables, no
migration); the ledger still names them "release.publication" and so on.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.text import search_key


class Publication(models.Model):
    """A press statement published on the public newsroom and mailed to the press list.

    It is public once its document is issued and `publish_at` (the later of the embargo and
    the issue time, filled when the document is issued) has passed.
    """

    organisation = models.ForeignKey(
        "roles.Organisation",
        verbose_name=_("cơ quan"),
        on_delete=models.PROTECT,
        related_name="publications",
    )
    document = models.OneToOneField(
        "release.IssuedDocument",
        verbose_name=_("văn bản"),
        on_delete=models.PROTECT,
        related_name="publication",
    )
    title = models.CharField(_("tiêu đề"), max_length=300)
    slug = models.SlugField(_("đường dẫn"), max_length=100, blank=True)
    body = models.TextField(
        _("nội dung"), help_text=_("Văn bản thuần; các đoạn cách nhau một dòng trống.")
    )
    embargo_at = models.DateTimeField(_("cấm đăng đến"), null=True, blank=True)
    publish_at = models.DateTimeField(_("công bố lúc"), null=True, blank=True, db_index=True)
    addendum = models.TextField(_("nội dung bổ sung (họp báo)"), blank=True)
    addendum_at = models.DateTimeField(_("bổ sung lúc"), null=True, blank=True)
    distributed_at = models.DateTimeField(_("gửi danh sách lúc"), null=True, blank=True)
    # Title, body and record, lower case without diacritics: what the newsroom search reads.
    search_text = models.TextField(blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("thông cáo công bố")
        verbose_name_plural = _("thông cáo công bố")
        ordering = ["-publish_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "publish_at"])]

    def __str__(self):
        return self.title[:80]

    def save(self, *args, **kwargs):
        self.search_text = search_key(f"{self.title}\n{self.body}\n{self.addendum}")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)


class Subscription(models.Model):
    """One address on an organisation's press distribution list."""

    organisation = models.ForeignKey(
        "roles.Organisation",
        verbose_name=_("cơ quan"),
        on_delete=models.PROTECT,
        related_name="press_subscriptions",
    )
    email = models.EmailField(_("thư điện tử"))
    name = models.CharField(_("tên"), max_length=255, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("nhà báo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="press_subscriptions",
    )
    press_agency = models.ForeignKey(
        "roles.PressAgency",
        verbose_name=_("cơ quan báo chí"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="press_subscriptions",
    )
    active = models.BooleanField(_("đang nhận"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thêm"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("đăng ký lúc"), auto_now_add=True)
    unsubscribed_at = models.DateTimeField(_("hủy lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("địa chỉ nhận thông cáo")
        verbose_name_plural = _("danh sách nhận thông cáo")
        ordering = ["organisation", "email"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=Q(active=True),
                name="subscription_active_email_unique",
            ),
        ]

    def __str__(self):
        return f"{self.email} — {self.organisation.abbreviation}"


class Delivery(models.Model):
    """One e-mail of one publication to one subscription."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi lỗi")

    publication = models.ForeignKey(
        Publication,
        verbose_name=_("thông cáo"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    subscription = models.ForeignKey(
        Subscription,
        verbose_name=_("địa chỉ nhận"),
        on_delete=models.PROTECT,
        related_name="deliveries",
    )
    email = models.EmailField(_("thư điện tử"))
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("số lần thử"), default=0)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("lượt gửi thông cáo")
        verbose_name_plural = _("lượt gửi thông cáo")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "subscription"], name="delivery_once_per_subscription"
            ),
        ]
        indexes = [models.Index(fields=["publication", "status"])]

    def __str__(self):
        return f"{self.email} — {self.get_status_display()}"
