"""Press cases: what a journalist asks, how the agency handles it, what it finally answers."""

from datetime import date, datetime, time

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

from workflows.engine.artifact import FlowArtifact
from workflows.rules.models import ClockStart


def conclusion_start(day: date) -> datetime:
    """The moment a conclusion dated `day` starts a clock: the start of that day, local time
    (the Civil Code counts days from the next one)."""
    return timezone.make_aware(datetime.combine(day, time.min))


# A case's reference: "HS-2026-000012" (hồ sơ báo chí). Not "PA-": PA is the Phụ lục III
# abbreviation of a phương án (NĐ 30/2020). Cases numbered before the change keep their
# "PA-…" reference: it is stored, never rewritten, so old links and issued documents resolve.
REFERENCE_PREFIX = "HS"
LEGACY_REFERENCE_PREFIXES = ("PA",)


def reference_for(pk: int, year: int) -> str:
    """The reference of a new case."""
    return f"{REFERENCE_PREFIX}-{year}-{pk:06d}"


class Case(FlowArtifact):
    """One question, request or forwarded report from the press, and its handling."""

    class Kind(models.TextChoices):
        QUESTION = "question", _("Câu hỏi, đề nghị cung cấp thông tin của nhà báo")
        ANSWER_REQUEST = "answer_request", _("Yêu cầu trả lời trên báo chí")
        PRESS_REPORT = "press_report", _("Ý kiến, kiến nghị, phản ánh, phê bình do báo chí chuyển")
        COMPLAINT = "complaint", _("Khiếu nại, tố cáo do báo chí chuyển")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Đã gửi")
        TRIAGE = "triage", _("Đang phân loại")
        DRAFTING = "drafting", _("Đang soạn trả lời")
        REVIEW = "review", _("Người phát ngôn đang xem xét")
        SIGNOFF = "signoff", _("Chờ lãnh đạo ký")
        RELEASING = "releasing", _("Đang phát hành văn bản")
        ANSWERED = "answered", _("Đã trả lời")
        REFUSED = "refused", _("Từ chối cung cấp thông tin")
        FORWARDED = "forwarded", _("Đã chuyển cơ quan có thẩm quyền")
        DUPLICATE = "duplicate", _("Trùng hồ sơ đã có")
        AWAITING_CLARIFICATION = "awaiting_clarification", _("Chờ nhà báo làm rõ")

    class Channel(models.TextChoices):
        PORTAL = "portal", _("Cổng thông tin")
        API = "api", _("API")
        PHONE = "phone", _("Điện thoại")
        EMAIL = "email", _("Thư điện tử")
        PAPER = "paper", _("Văn bản giấy")

    class DesiredForm(models.TextChoices):
        WRITTEN = "written", _("Trả lời bằng văn bản")
        INTERVIEW = "interview", _("Phỏng vấn")
        PRESS_CONFERENCE = "press_conference", _("Họp báo")

    class Decision(models.TextChoices):
        ANSWER = "answer", _("Trả lời")
        REFUSAL = "refusal", _("Từ chối")

    class ComplaintAcceptance(models.TextChoices):
        # NĐ 237/2026 Điều 18 khoản 2: the press is told whether the complaint is taken up.
        ACCEPTED = "accepted", _("Thụ lý giải quyết")
        REJECTED = "rejected", _("Không thụ lý")

    OPEN_STATUSES = (
        Status.SUBMITTED,
        Status.TRIAGE,
        Status.DRAFTING,
        Status.REVIEW,
        Status.SIGNOFF,
        Status.RELEASING,
        Status.AWAITING_CLARIFICATION,
    )

    reference = models.CharField(_("số hồ sơ"), max_length=30, unique=True)
    organisation = models.ForeignKey(
        "roles.Organisation",
        verbose_name=_("cơ quan"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    channel = models.CharField(_("kênh tiếp nhận"), max_length=10, choices=Channel.choices)
    journalist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("nhà báo"),
        on_delete=models.PROTECT,
        related_name="press_cases",
    )
    press_agency = models.ForeignKey(
        "roles.PressAgency",
        verbose_name=_("cơ quan báo chí"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhập hộ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject = models.CharField(_("tiêu đề"), max_length=300)
    questions = models.JSONField(_("câu hỏi"), default=list)
    purpose = models.TextField(_("mục đích, dự kiến đăng tải"), blank=True)
    desired_form = models.CharField(
        _("hình thức mong muốn"),
        max_length=20,
        choices=DesiredForm.choices,
        default=DesiredForm.WRITTEN,
    )
    received_at = models.DateTimeField(_("tiếp nhận lúc"))
    due_at = models.DateTimeField(_("hạn trả lời"), null=True, blank=True)
    paused_at = models.DateTimeField(_("tạm dừng tính hạn từ"), null=True, blank=True)
    # Sum of every extension granted so far, in the rule's extension unit: the legal cap
    # (`DeadlineRule.max_extension`) holds over all of them, not over each one.
    extended_amount = models.PositiveIntegerField(_("đã gia hạn"), default=0)
    status = models.CharField(
        _("trạng thái"), max_length=30, choices=Status.choices, default=Status.SUBMITTED
    )
    assigned_unit = models.ForeignKey(
        "roles.Unit",
        verbose_name=_("đơn vị chủ trì"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    specialists = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("chuyên viên"), blank=True, related_name="+"
    )
    topics = models.ManyToManyField(
        "roles.PlanTopic",
        verbose_name=_("nội dung kế hoạch truyền thông"),
        blank=True,
        related_name="cases",
    )
    answer = models.TextField(_("nội dung trả lời"), blank=True)
    decision = models.CharField(
        _("quyết định"), max_length=10, choices=Decision.choices, blank=True
    )
    refusal_ground = models.ForeignKey(
        "workflows.RefusalGround",
        verbose_name=_("căn cứ từ chối"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    refusal_reason = models.TextField(_("lý do từ chối"), blank=True)
    forwarded_to = models.CharField(_("chuyển đến cơ quan"), max_length=255, blank=True)
    forward_reason = models.TextField(_("lý do chuyển"), blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("trùng với hồ sơ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
    )
    clarification_request = models.TextField(_("nội dung đề nghị làm rõ"), blank=True)
    clarification_reply = models.TextField(_("nội dung làm rõ"), blank=True)
    document = models.ForeignKey(
        "release.IssuedDocument",
        verbose_name=_("văn bản trả lời"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    # A complaint forwarded by the press (NĐ 237/2026 Điều 18 khoản 2): whether the competent
    # body takes it up (thụ lý), with the notice sent to the press, and the conclusion
    # (kết luận giải quyết) the 5-working-day clock runs from (workflows.cases.complaints).
    complaint_acceptance = models.CharField(
        _("thụ lý khiếu nại, tố cáo"),
        max_length=10,
        choices=ComplaintAcceptance.choices,
        blank=True,
    )
    complaint_decided_on = models.DateField(_("ngày quyết định thụ lý"), null=True, blank=True)
    complaint_decision_note = models.TextField(_("căn cứ, lý do thụ lý hoặc không"), blank=True)
    complaint_notice = models.ForeignKey(
        "release.IssuedDocument",
        verbose_name=_("văn bản thông báo thụ lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    conclusion_on = models.DateField(_("ngày kết luận giải quyết"), null=True, blank=True)
    conclusion_number = models.CharField(_("số kết luận"), max_length=60, blank=True)
    conclusion_issuer = models.CharField(
        _("cơ quan, người ban hành kết luận"), max_length=255, blank=True
    )

    class Meta:
        verbose_name = _("hồ sơ báo chí")
        verbose_name_plural = _("hồ sơ báo chí")
        ordering = ["-received_at"]
        permissions = [
            ("triage_case", _("Phân loại hồ sơ")),
            ("draft_case", _("Soạn trả lời hồ sơ")),
            ("review_case", _("Xem xét hồ sơ (người phát ngôn)")),
            ("signoff_case", _("Ký duyệt hồ sơ")),
        ]
        indexes = [
            models.Index(fields=["organisation", "status"]),
            # Reports count an organisation's cases by received date (reports.selectors).
            models.Index(fields=["organisation", "received_at"], name="case_org_received_idx"),
            models.Index(fields=["journalist", "-received_at"]),
            models.Index(fields=["due_at"]),
            # /metrics counts open and overdue cases at every scrape: an index-only scan of the
            # open cases instead of a scan of every case (docs/operations.md).
            models.Index(
                fields=["due_at"],
                condition=Q(
                    status__in=[
                        "submitted",
                        "triage",
                        "drafting",
                        "review",
                        "signoff",
                        "releasing",
                        "awaiting_clarification",
                    ]
                ),
                name="case_open_due_idx",
            ),
        ]

    def __str__(self):
        return f"{self.reference} — {self.subject}"

    def signed_texts(self) -> list[str]:
        """The office's text in the answer or refusal (the journalist's words are quoted)."""
        if self.decision == self.Decision.REFUSAL:
            return [self.refusal_reason]
        return [self.answer]

    def get_portal_url(self) -> str:
        """Return the journalist's page of this case on the portal."""
        return reverse("workflows:journalist-case", args=[self.reference])

    @property
    def clock_started_at(self):
        """When the legal clock started: the conclusion for a complaint under a rule that
        counts from it (NĐ 237/2026 Điều 18.2), else receipt."""
        if self.conclusion_on and self.rule_id and self.rule.clock_start == ClockStart.CONCLUSION:
            return conclusion_start(self.conclusion_on)
        return self.received_at

    def journalist_status_display(self) -> str:
        """Where the case stands, in the journalist's words (not the office's internal steps)."""
        return str(JOURNALIST_STATUS.get(self.status, self.get_status_display()))


# The portal's words for a status: the office's steps (triage, drafting, review, sign-off)
# are its own business; the journalist needs to know whether anything is asked of them.
_PREPARING = _("Đang chuẩn bị trả lời")
JOURNALIST_STATUS = {
    Case.Status.SUBMITTED: _("Đã nhận, chờ xử lý"),
    Case.Status.TRIAGE: _("Đã nhận, chờ xử lý"),
    Case.Status.DRAFTING: _PREPARING,
    Case.Status.REVIEW: _PREPARING,
    Case.Status.SIGNOFF: _PREPARING,
    Case.Status.RELEASING: _("Đang phát hành văn bản trả lời"),
    Case.Status.AWAITING_CLARIFICATION: _("Chờ bạn bổ sung, làm rõ"),
}


class CaseAttachment(models.Model):
    """A file attached to a case: the journalist's files, the press agency's letter, a scan."""

    class Kind(models.TextChoices):
        ATTACHMENT = "attachment", _("Tài liệu kèm theo")
        REQUEST_LETTER = "request_letter", _("Văn bản đề nghị của cơ quan báo chí")
        SCAN = "scan", _("Bản quét văn bản giấy")
        CLARIFICATION = "clarification", _("Tài liệu làm rõ")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    file = models.FileField(_("tệp"), upload_to="cases/%Y/%m/")
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    content_type = models.CharField(_("định dạng"), max_length=100)
    size = models.PositiveIntegerField(_("dung lượng"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.original_name


class CaseProcess(Process):
    """viewflow's process for a case; the durable facts live on `Case` (the artifact)."""

    class Meta:
        proxy = True
        verbose_name = _("quy trình hồ sơ")
        verbose_name_plural = _("quy trình hồ sơ")

    @property
    def case(self) -> Case:
        return self.artifact
