"""Outbound statements: what the agency says on its own initiative, and its periodic schedule."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

from release.models import DocType
from workflows.engine.artifact import FlowArtifact

# A statement's reference: "PN-2026-000003" (thông tin phát ngôn). Not "TT-", which reads as
# the abbreviation of a thông tư (or a tờ trình, TTr, Phụ lục III). Statements numbered before
# the change keep their stored "TT-…" reference, so old links and issued documents resolve.
REFERENCE_PREFIX = "PN"
LEGACY_REFERENCE_PREFIXES = ("TT",)


def reference_for(pk: int, year: int) -> str:
    """The reference of a new statement."""
    return f"{REFERENCE_PREFIX}-{year}-{pk:06d}"


class Statement(FlowArtifact):
    """One statement, notice or decision the agency releases to the press."""

    class Kind(models.TextChoices):
        PERIODIC = "periodic", _("Cung cấp thông tin định kỳ")
        INITIAL = "initial_statement", _("Thông tin ban đầu về sự kiện, vấn đề gây tác động lớn")
        DIVERGENT = "divergent_opinion", _("Thông tin khi dư luận có ý kiến khác nhau")
        CORRECTION = "correction_response", _("Văn bản đề nghị cải chính thông tin sai sự thật")
        CONFERENCE = "conference", _("Thông báo, giấy mời họp báo")
        ANNUAL_REPORT = "annual_report", _("Báo cáo công tác phát ngôn năm")

    class Status(models.TextChoices):
        DRAFTING = "drafting", _("Đang soạn thảo")
        REVIEW = "review", _("Người phát ngôn đang xem xét")
        SIGNOFF = "signoff", _("Chờ lãnh đạo ký")
        RELEASING = "releasing", _("Đang phát hành văn bản")
        RELEASED = "released", _("Đã phát hành")
        WITHDRAWN = "withdrawn", _("Đã hủy")
        RECALLED = "recalled", _("Đã thu hồi văn bản")

    OPEN_STATUSES = (Status.DRAFTING, Status.REVIEW, Status.SIGNOFF, Status.RELEASING)
    # Kinds whose legal clock runs in hours from `clock_start_at` (NĐ 244 Art. 7.3–7.4).
    CLOCKED_KINDS = (Kind.INITIAL, Kind.DIVERGENT, Kind.CORRECTION)
    # Kinds that are reports to a superior body, not press releases: never published in the
    # newsroom nor mailed to the press list, and opened only from the reports pages.
    UNPUBLISHED_KINDS = (Kind.ANNUAL_REPORT,)

    reference = models.CharField(_("số hiệu"), max_length=30, unique=True)
    organisation = models.ForeignKey(
        "roles.Organisation",
        verbose_name=_("cơ quan"),
        on_delete=models.PROTECT,
        related_name="statements",
    )
    kind = models.CharField(_("loại"), max_length=30, choices=Kind.choices)
    doc_type = models.CharField(_("loại văn bản phát hành"), max_length=20, choices=DocType.choices)
    title = models.CharField(_("tiêu đề"), max_length=300)
    body = models.TextField(_("nội dung"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người soạn"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The legal clock (24 h kinds): when the agency received/handled the matter, when the
    # event happened (old regime) or when the agency determined divergent opinion.
    event_summary = models.TextField(_("tóm tắt sự việc"), blank=True)
    clock_start_at = models.DateTimeField(_("thời điểm bắt đầu tính hạn"), null=True, blank=True)
    due_at = models.DateTimeField(_("hạn phát ngôn"), null=True, blank=True)
    embargo_at = models.DateTimeField(
        _("công bố lúc"),
        null=True,
        blank=True,
        help_text=_("Để trống để công bố ngay khi văn bản được ký và phát hành."),
    )
    # Correction: the article with false information.
    article_outlet = models.CharField(_("cơ quan báo chí đăng tin"), max_length=255, blank=True)
    article_title = models.CharField(_("tiêu đề bài báo"), max_length=500, blank=True)
    article_url = models.URLField(_("đường dẫn bài báo"), max_length=1000, blank=True)
    article_published_on = models.DateField(_("ngày đăng"), null=True, blank=True)
    # Press conference.
    conference_at = models.DateTimeField(_("thời gian họp báo"), null=True, blank=True)
    conference_place = models.CharField(_("địa điểm"), max_length=300, blank=True)
    # Giấy mời, Mẫu 1.7 (Nghị định 30/2020, Phụ lục III): "Tới dự …" and "Chủ trì: …".
    conference_content = models.TextField(_("nội dung họp báo"), blank=True)
    conference_chair = models.CharField(_("người chủ trì họp báo"), max_length=255, blank=True)
    invited_agencies = models.ManyToManyField(
        "roles.PressAgency", verbose_name=_("cơ quan báo chí được mời"), blank=True
    )
    topics = models.ManyToManyField(
        "roles.PlanTopic",
        verbose_name=_("nội dung kế hoạch truyền thông"),
        blank=True,
        related_name="statements",
    )
    record = models.TextField(_("biên bản, tóm tắt buổi họp báo"), blank=True)
    record_at = models.DateTimeField(_("cập nhật biên bản lúc"), null=True, blank=True)
    # Annual report: the figures table generated from the data (rows of cells separated by
    # "|"), placed in the document after the narrative; drafters cannot edit it.
    annex = models.TextField(_("bảng số liệu (tạo từ dữ liệu)"), blank=True)

    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status.choices, default=Status.DRAFTING
    )
    document = models.ForeignKey(
        "release.IssuedDocument",
        verbose_name=_("văn bản phát hành"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    released_at = models.DateTimeField(_("phát hành lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông tin phát ngôn")
        verbose_name_plural = _("thông tin phát ngôn")
        ordering = ["-created_at"]
        permissions = [
            ("draft_statement", _("Soạn thông tin phát ngôn")),
            ("review_statement", _("Xem xét thông tin phát ngôn (người phát ngôn)")),
            ("signoff_statement", _("Ký duyệt thông tin phát ngôn")),
        ]
        indexes = [
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["due_at"]),
        ]

    def __str__(self):
        return f"{self.reference} — {self.title}"

    def signed_texts(self) -> list[str]:
        """The statement's title, body and conference place: all written by the office. An
        annual report's "[BẢNG SỐ LIỆU]" is no placeholder: the figures table goes there."""
        from .fields import ANNEX_MARK

        return [
            self.title,
            self.body.replace(ANNEX_MARK, "")
            if self.kind == self.Kind.ANNUAL_REPORT
            else self.body,
            self.conference_place,
            self.conference_content,
            self.conference_chair,
        ]

    def get_absolute_url(self) -> str:
        """Return the staff page of this statement."""
        return reverse("statements:pages:detail", args=[self.pk])

    @property
    def on_time(self) -> bool | None:
        """Released within the legal clock (None when there is no clock or nothing released)."""
        if self.due_at is None or self.released_at is None:
            return None
        return self.released_at <= self.due_at


class StatementProcess(Process):
    """viewflow's process for a statement; the durable facts live on `Statement`."""

    class Meta:
        proxy = True
        verbose_name = _("quy trình thông tin phát ngôn")
        verbose_name_plural = _("quy trình thông tin phát ngôn")

    @property
    def statement(self) -> Statement:
        return self.artifact


class PeriodicSchedule(models.Model):
    """What an organisation must say regularly (NĐ 244 Art. 6): e.g. monthly information,
    a press conference at least every three months. Periods run back to back from `starts_on`."""

    class Kind(models.TextChoices):
        INFORMATION = "information", _("Cung cấp thông tin định kỳ")
        CONFERENCE = "conference", _("Họp báo định kỳ")

    organisation = models.ForeignKey(
        "roles.Organisation",
        verbose_name=_("cơ quan"),
        on_delete=models.CASCADE,
        related_name="periodic_schedules",
    )
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    every_months = models.PositiveSmallIntegerField(
        _("chu kỳ (tháng)"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    starts_on = models.DateField(_("bắt đầu từ ngày"))
    remind_days_before = models.PositiveSmallIntegerField(
        _("nhắc trước (ngày)"), default=5, validators=[MaxValueValidator(60)]
    )
    is_active = models.BooleanField(_("đang áp dụng"), default=True)
    citation = models.CharField(
        _("căn cứ"), max_length=255, default="NĐ 244/2026/NĐ-CP, Điều 6", blank=True
    )

    class Meta:
        verbose_name = _("lịch cung cấp thông tin định kỳ")
        verbose_name_plural = _("lịch cung cấp thông tin định kỳ")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "kind"], name="one_schedule_per_kind"),
            models.CheckConstraint(
                condition=models.Q(every_months__gte=1, every_months__lte=12),
                name="schedule_every_months_1_12",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} — {self.get_kind_display()} ({self.every_months})"
