"""Legal regimes and their rules as effective-dated data with citations (LEGAL.md).

A regime (one per set of laws) holds a deadline rule per case kind and step, and the refusal
grounds a spokesperson may cite. The regime in force on the local date a case is received
governs that case for life. Administrators add a future decree as a new regime, and edit
calendar swaps and per-organisation internal step limits (quy chế nội bộ), without code.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = [
    "CalendarSwap",
    "CalendarYear",
    "ClockStart",
    "DeadlineRule",
    "InternalStepLimit",
    "LegalRegime",
    "RefusalGround",
    "RuleKind",
    "Step",
    "SwapKind",
    "TimeUnit",
]


class RuleKind(models.TextChoices):
    """Case kinds (inbound, from the press) and statement kinds (outbound)."""

    QUESTION = "question", _("Câu hỏi, đề nghị cung cấp thông tin của nhà báo")
    ANSWER_REQUEST = "answer_request", _("Yêu cầu trả lời trên báo chí")
    PRESS_REPORT = "press_report", _("Ý kiến, kiến nghị, phản ánh, phê bình do báo chí chuyển đến")
    COMPLAINT = "complaint", _("Khiếu nại, tố cáo do báo chí chuyển đến")
    INFORMATION_REQUEST = (
        "information_request",
        _("Yêu cầu cung cấp thông tin (Luật Tiếp cận thông tin)"),
    )
    INITIAL_STATEMENT = (
        "initial_statement",
        _("Thông tin ban đầu về sự kiện, vấn đề có tác động lớn"),
    )
    DIVERGENT_OPINION = "divergent_opinion", _("Thông tin ban đầu khi dư luận có ý kiến khác nhau")
    CORRECTION_RESPONSE = (
        "correction_response",
        _("Văn bản phản hồi, đề nghị cải chính thông tin sai"),
    )
    PERIODIC = "periodic", _("Cung cấp thông tin định kỳ")


class Step(models.TextChoices):
    """`final` is the legal deadline; the others are internal steps of the case flow."""

    FINAL = "final", _("Thời hạn theo quy định pháp luật")
    TRIAGE = "triage", _("Phân loại, giao xử lý")
    DRAFT = "draft", _("Soạn thảo")
    REVIEW = "review", _("Người phát ngôn xem xét")
    SIGNOFF = "signoff", _("Lãnh đạo ký duyệt")


INTERNAL_STEPS = [(value, label) for value, label in Step.choices if value != Step.FINAL]


class TimeUnit(models.TextChoices):
    HOURS = "hours", _("giờ")
    CALENDAR_DAYS = "calendar_days", _("ngày")
    WORKING_DAYS = "working_days", _("ngày làm việc")


class ClockStart(models.TextChoices):
    RECEIVED = "received", _("Từ khi cơ quan nhận")
    EVENT = "event", _("Từ khi sự việc xảy ra")
    DETERMINATION = "determination", _("Từ khi cơ quan xác định")
    CONCLUSION = "conclusion", _("Từ khi có kết luận")


class SwapKind(models.TextChoices):
    DAY_OFF = "day_off", _("Ngày nghỉ thêm (nghỉ bù, nghỉ lễ)")
    WORKING_DAY = "working_day", _("Ngày làm việc (làm bù)")


class LegalRegime(models.Model):
    """A set of laws in force between two dates (inclusive), e.g. 2017 or 2026."""

    code = models.SlugField(_("mã"), max_length=32, unique=True, help_text=_("Ví dụ 2017, 2026."))
    name = models.CharField(_("tên"), max_length=255)
    effective_from = models.DateField(_("hiệu lực từ ngày"))
    effective_to = models.DateField(
        _("hết hiệu lực sau ngày"),
        null=True,
        blank=True,
        help_text=_(
            "Ngày cuối cùng còn hiệu lực. Để trống nếu chưa có văn bản thay thế; khi có chế độ "
            "mới hiệu lực muộn hơn, chế độ mới được áp dụng từ ngày hiệu lực của nó."
        ),
    )
    citation = models.TextField(_("căn cứ pháp lý"), help_text=_("Các văn bản tạo nên chế độ này."))
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        app_label = "workflows"
        verbose_name = _("chế độ pháp lý")
        verbose_name_plural = _("chế độ pháp lý")
        ordering = ["-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(effective_to__isnull=True)
                | models.Q(effective_to__gte=models.F("effective_from")),
                name="legalregime_period_ordered",
            )
        ]

    def __str__(self):
        return f"{self.code} — {self.name}"

    def clean(self):
        if self.effective_to and self.effective_to < self.effective_from:
            raise ValidationError(
                {"effective_to": _("Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực.")}
            )


class DeadlineRule(models.Model):
    """One time limit of a regime: kind × step → limit, unit, clock start, pause/extension."""

    regime = models.ForeignKey(
        LegalRegime,
        verbose_name=_("chế độ pháp lý"),
        on_delete=models.PROTECT,
        related_name="rules",
    )
    kind = models.CharField(_("loại việc"), max_length=32, choices=RuleKind.choices)
    step = models.CharField(_("bước"), max_length=16, choices=Step.choices, default=Step.FINAL)
    limit = models.PositiveIntegerField(_("thời hạn"))
    unit = models.CharField(_("đơn vị"), max_length=16, choices=TimeUnit.choices)
    clock_start = models.CharField(
        _("bắt đầu tính"), max_length=16, choices=ClockStart.choices, default=ClockStart.RECEIVED
    )
    pausable = models.BooleanField(
        _("tạm dừng khi đề nghị làm rõ"),
        default=False,
        help_text=_("Thời gian chờ người gửi bổ sung, làm rõ không tính vào thời hạn."),
    )
    extendable = models.BooleanField(_("được gia hạn"), default=False)
    max_extension = models.PositiveIntegerField(_("gia hạn tối đa"), null=True, blank=True)
    extension_unit = models.CharField(
        _("đơn vị gia hạn"), max_length=16, choices=TimeUnit.choices, blank=True
    )
    citation = models.CharField(
        _("căn cứ"), max_length=255, help_text=_("Ví dụ NĐ 237/2026/NĐ-CP, Điều 18 khoản 3.")
    )
    agency_practice = models.BooleanField(
        _("mặc định của cơ quan"),
        default=False,
        help_text=_("Luật không quy định con số; đây là mức mặc định cơ quan có thể sửa."),
    )
    unconfirmed = models.BooleanField(
        _("chưa xác thực"),
        default=False,
        help_text=_("Con số đọc từ bản OCR hoặc tin báo, chưa đối chiếu Công báo."),
    )
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        app_label = "workflows"
        verbose_name = _("quy tắc thời hạn")
        verbose_name_plural = _("quy tắc thời hạn")
        ordering = ["regime", "kind", "step"]
        constraints = [
            models.UniqueConstraint(
                fields=["regime", "kind", "step"], name="deadlinerule_one_per_kind_step"
            )
        ]

    def __str__(self):
        return f"{self.regime.code} · {self.get_kind_display()} · {self.limit} {self.get_unit_display()}"

    @property
    def effective_extension_unit(self) -> str:
        return self.extension_unit or self.unit

    def clean(self):
        if self.extendable and not self.max_extension:
            raise ValidationError(
                {"max_extension": _("Quy tắc được gia hạn phải ghi mức gia hạn tối đa.")}
            )
        if self.limit == 0 and self.step == Step.FINAL:
            raise ValidationError({"limit": _("Thời hạn phải lớn hơn 0.")})


class RefusalGround(models.Model):
    """A ground on which a spokesperson may refuse information, with its citation."""

    regime = models.ForeignKey(
        LegalRegime,
        verbose_name=_("chế độ pháp lý"),
        on_delete=models.PROTECT,
        related_name="refusal_grounds",
    )
    kind = models.CharField(
        _("chỉ áp dụng cho loại việc"),
        max_length=32,
        choices=RuleKind.choices,
        blank=True,
        help_text=_("Để trống nếu áp dụng cho mọi loại việc không có căn cứ từ chối riêng."),
    )
    code = models.CharField(_("điểm"), max_length=8, help_text=_("Ví dụ a, b, c, d."))
    label = models.TextField(_("nội dung"))
    citation = models.CharField(_("căn cứ"), max_length=255)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    unconfirmed = models.BooleanField(_("chưa xác thực"), default=False)

    class Meta:
        app_label = "workflows"
        verbose_name = _("căn cứ từ chối")
        verbose_name_plural = _("căn cứ từ chối")
        ordering = ["regime", "kind", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["regime", "kind", "code"], name="refusalground_unique_code"
            )
        ]

    def __str__(self):
        return f"{self.code}) {self.label[:60]}"


class CalendarSwap(models.Model):
    """An announced change to the working calendar: an extra day off or a make-up working day.

    A swap overrides both the weekend rule and the `holidays` package for its date.
    """

    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=16, choices=SwapKind.choices)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    source = models.CharField(
        _("văn bản"), max_length=255, blank=True, help_text=_("Số, ký hiệu văn bản thông báo.")
    )
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)

    class Meta:
        app_label = "workflows"
        verbose_name = _("ngày nghỉ bù, làm bù")
        verbose_name_plural = _("ngày nghỉ bù, làm bù")
        ordering = ["-date"]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} — {self.get_kind_display()}"


class CalendarYear(models.Model):
    """Whether a year's official holiday decision (Tết, Quốc khánh, swaps) has been entered.

    A year without a confirmed row is provisional: its days off are the `holidays` package's
    estimate, and deadlines that fall in it are shown "dự kiến" (Bộ luật Lao động Điều 112.3:
    the Prime Minister decides the Tết and Quốc khánh days each year).
    """

    class Status(models.TextChoices):
        PROVISIONAL = "provisional", _("Dự kiến (chưa nhập văn bản chính thức)")
        CONFIRMED = "confirmed", _("Đã xác nhận theo văn bản")

    year = models.PositiveSmallIntegerField(_("năm"), unique=True)
    status = models.CharField(
        _("tình trạng"), max_length=16, choices=Status.choices, default=Status.PROVISIONAL
    )
    source = models.TextField(
        _("văn bản"),
        blank=True,
        help_text=_(
            "Số, ký hiệu và ngày của văn bản công bố lịch nghỉ (Tết, Quốc khánh, hoán đổi ngày)."
        ),
    )
    note = models.TextField(_("ghi chú"), blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xác nhận"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("xác nhận lúc"), null=True, blank=True)
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)

    class Meta:
        app_label = "workflows"
        verbose_name = _("lịch nghỉ theo năm")
        verbose_name_plural = _("lịch nghỉ theo năm")
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year} — {self.get_status_display()}"

    def clean(self):
        if self.status == self.Status.CONFIRMED and not (self.source or "").strip():
            raise ValidationError(
                {"source": _("Cần ghi số, ký hiệu và ngày của văn bản để xác nhận lịch năm.")}
            )


class InternalStepLimit(models.Model):
    """An organisation's own limit for one step of the case flow (quy chế nội bộ, NĐ 244 Điều 8)."""

    organisation = models.ForeignKey(
        "roles.Organisation",
        verbose_name=_("cơ quan"),
        on_delete=models.CASCADE,
        related_name="internal_step_limits",
    )
    step = models.CharField(_("bước"), max_length=16, choices=INTERNAL_STEPS)
    kind = models.CharField(
        _("loại việc"),
        max_length=32,
        choices=RuleKind.choices,
        blank=True,
        help_text=_("Để trống để áp dụng cho mọi loại việc."),
    )
    limit = models.PositiveIntegerField(_("thời hạn"))
    unit = models.CharField(
        _("đơn vị"), max_length=16, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS
    )
    citation = models.CharField(
        _("căn cứ"), max_length=255, blank=True, help_text=_("Ví dụ Quy chế phát ngôn số …")
    )

    class Meta:
        app_label = "workflows"
        verbose_name = _("thời hạn nội bộ")
        verbose_name_plural = _("thời hạn nội bộ")
        ordering = ["organisation", "step", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "step", "kind"], name="internalsteplimit_unique"
            )
        ]

    def __str__(self):
        return f"{self.organisation} · {self.get_step_display()} · {self.limit} {self.get_unit_display()}"
