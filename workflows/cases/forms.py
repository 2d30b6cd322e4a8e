"""Forms for the journalist portal and the case task pages. Rules stay in `intake` and `steps`."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from roles.fields import PersonChoiceField, PersonMultipleChoiceField
from roles.models import Membership, Organisation, PlanTopic, Role
from roles.selectors import plan_topics_choosable
from workflows.engine.forms import ActionFieldsForm
from workflows.rules.grounds import ground_label

from . import uploads
from .models import Case


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class QuestionsField(forms.CharField):
    """One question per block of text separated by a blank line (numbered on output)."""

    def to_python(self, value):
        value = super().to_python(value)
        return [q.strip() for q in value.replace("\r\n", "\n").split("\n\n") if q.strip()]


class CaseSubmitForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Cơ quan được hỏi"),
        # Only the bodies journalists may ask (roles.Organisation.receives_press_questions).
        queryset=Organisation.objects.filter(is_active=True, receives_press_questions=True),
        empty_label=_("— Chọn cơ quan —"),
    )
    kind = forms.ChoiceField(label=_("Loại đề nghị"), choices=Case.Kind.choices)
    subject = forms.CharField(label=_("Tiêu đề"), max_length=300)
    questions = QuestionsField(
        label=_("Câu hỏi"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Mỗi câu hỏi cách nhau một dòng trống; hệ thống tự đánh số."),
    )
    purpose = forms.CharField(
        label=_("Mục đích, dự kiến đăng tải"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )
    desired_form = forms.ChoiceField(
        label=_("Hình thức mong muốn"), choices=Case.DesiredForm.choices
    )
    attachments = MultipleFileField(label=_("Tài liệu kèm theo (PDF, ảnh, DOCX)"), required=False)
    request_letter = forms.FileField(
        label=_("Văn bản đề nghị của cơ quan báo chí"),
        required=False,
        help_text=_(
            "Bắt buộc với yêu cầu trả lời trên báo chí và ý kiến, phản ánh, khiếu nại do báo chí chuyển."
        ),
    )

    def __init__(self, *args, truncated: bool = False, **kwargs):
        # `truncated`: the upload handler dropped files past the request's total limit.
        super().__init__(*args, **kwargs)
        self.truncated = truncated

    def clean(self):
        cleaned = super().clean()
        try:
            uploads.submission_files_check(
                attachments=cleaned.get("attachments") or [],
                request_letter=cleaned.get("request_letter"),
                truncated=self.truncated,
            )
        except DomainError as exc:
            self.add_error(exc.field if exc.field in self.fields else None, exc.message)
        return cleaned


class CaseRegisterForm(CaseSubmitForm):
    """The registry officer registers a case received by phone, e-mail or paper."""

    journalist = PersonChoiceField(
        label=_("Nhà báo"),
        queryset=get_user_model().objects.filter(journalist_profile__isnull=False),
    )
    channel = forms.ChoiceField(
        label=_("Kênh tiếp nhận"),
        choices=[
            (Case.Channel.PHONE, Case.Channel.PHONE.label),
            (Case.Channel.EMAIL, Case.Channel.EMAIL.label),
            (Case.Channel.PAPER, Case.Channel.PAPER.label),
        ],
    )
    received_at = forms.DateTimeField(
        label=_("Thời điểm tiếp nhận"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
        help_text=_("Để trống nếu là bây giờ."),
    )

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["organisation"].queryset = organisations
        self.fields["request_letter"].label = _("Bản quét văn bản / thư (nếu có)")


class ClarificationReplyForm(forms.Form):
    message = forms.CharField(
        label=_("Nội dung làm rõ"), widget=forms.Textarea(attrs={"rows": 4}), max_length=8000
    )
    attachments = MultipleFileField(label=_("Tài liệu bổ sung"), required=False)

    def clean(self):
        cleaned = super().clean()
        try:  # the same limits as a submission
            uploads.submission_files_check(attachments=cleaned.get("attachments") or [])
        except DomainError as exc:
            self.add_error(exc.field if exc.field in self.fields else None, exc.message)
        return cleaned


class TriageForm(ActionFieldsForm):
    action_fields = {
        "assignees": ("accept",),
        "to": ("forward",),
        "reason": ("forward",),
        "of": ("duplicate",),
        "message": ("clarify",),
    }
    forward_action = "accept"
    submit_labels = {
        "accept": _("Tiếp nhận và giao việc"),
        "forward": _("Chuyển"),
        "duplicate": _("Đóng vì trùng hồ sơ"),
        "clarify": _("Gửi đề nghị làm rõ"),
    }

    action = forms.ChoiceField(
        label=_("Quyết định"),
        choices=[
            ("accept", _("Tiếp nhận và giao chuyên viên")),
            ("forward", _("Chuyển cơ quan có thẩm quyền")),
            ("duplicate", _("Trùng hồ sơ đã có")),
            ("clarify", _("Đề nghị nhà báo làm rõ")),
        ],
        widget=forms.RadioSelect,
    )
    assignees = PersonMultipleChoiceField(
        label=_("Chuyên viên"), queryset=get_user_model().objects.none(), required=False
    )
    to = forms.CharField(label=_("Cơ quan có thẩm quyền"), max_length=255, required=False)
    reason = forms.CharField(
        label=_("Lý do chuyển"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    of = forms.ModelChoiceField(
        label=_("Trùng với hồ sơ"), queryset=Case.objects.none(), required=False
    )
    message = forms.CharField(
        label=_("Nội dung cần làm rõ"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    # Whatever the decision: the plan's content areas the case touches (reports count them).
    topics = forms.ModelMultipleChoiceField(
        label=_("Nội dung kế hoạch truyền thông"),
        queryset=PlanTopic.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        year = timezone.localtime(case.received_at).year
        self.fields["topics"].queryset = plan_topics_choosable([case.organisation_id], year)
        self.fields["topics"].initial = list(case.topics.values_list("pk", flat=True))
        self.fields["topics"].label_from_instance = lambda topic: f"{topic.number}. {topic.title}"
        if not self.fields["topics"].queryset.exists():
            del self.fields["topics"]
        specialists = Membership.objects.current().filter(
            organisation=case.organisation, role=Role.SPECIALIST
        )
        self.fields["assignees"].queryset = get_user_model().objects.filter(
            pk__in=specialists.values("user_id")
        )
        self.fields["of"].queryset = Case.objects.filter(organisation=case.organisation).exclude(
            pk=case.pk
        )


class DraftForm(forms.Form):
    answer = forms.CharField(
        label=_("Nội dung trả lời"), widget=forms.Textarea(attrs={"rows": 14}), required=False
    )
    action = forms.ChoiceField(
        choices=[("save", _("Lưu nháp")), ("submit", _("Trình người phát ngôn"))],
        widget=forms.HiddenInput,
        initial="submit",
    )


class ReviewForm(ActionFieldsForm):
    action_fields = {
        "comment": ("approve", "return"),
        "ground": ("refuse",),
        "reason": ("refuse",),
    }
    forward_action = "approve"
    submit_labels = {
        "approve": _("Duyệt và trình ký"),
        "return": _("Trả lại"),
        "refuse": _("Từ chối"),
    }

    action = forms.ChoiceField(
        label=_("Quyết định"),
        choices=[
            ("approve", _("Đồng ý, trình lãnh đạo ký")),
            ("return", _("Trả lại chuyên viên")),
            ("refuse", _("Từ chối cung cấp thông tin")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Ý kiến"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    ground = forms.ChoiceField(label=_("Căn cứ từ chối"), required=False)
    reason = forms.CharField(
        label=_("Lý do từ chối (gửi cơ quan báo chí)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, grounds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ground"].choices = [("", "—")] + [(g.code, ground_label(g)) for g in grounds]


class ExtendForm(forms.Form):
    days = forms.IntegerField(label=_("Số ngày gia hạn"), min_value=1, max_value=60)
    reason = forms.CharField(
        label=_("Lý do gia hạn (nhà báo được xem)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


DAY_WIDGET = forms.DateInput(
    attrs={
        "placeholder": "dd/mm/yyyy",
        "pattern": r"\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2}",
        "inputmode": "numeric",
        "autocomplete": "off",
        "size": "10",
    },
    format="%d/%m/%Y",
)
DAY_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


class ComplaintAcceptanceForm(forms.Form):
    """Whether the competent body takes the complaint up (thụ lý); issues the notice."""

    which = forms.CharField(widget=forms.HiddenInput, initial="complaint_acceptance")
    accepted = forms.TypedChoiceField(
        label=_("Quyết định"),
        choices=[("1", _("Thụ lý giải quyết")), ("0", _("Không thụ lý"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    decided_on = forms.DateField(
        label=_("Ngày thụ lý hoặc quyết định không thụ lý"),
        widget=DAY_WIDGET,
        input_formats=DAY_FORMATS,
    )
    note = forms.CharField(
        label=_("Căn cứ, lý do (ghi trong thông báo gửi cơ quan báo chí)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )


class ComplaintConclusionForm(forms.Form):
    """The competent body's conclusion: the 5-working-day clock starts from its date."""

    which = forms.CharField(widget=forms.HiddenInput, initial="complaint_conclusion")
    concluded_on = forms.DateField(
        label=_("Ngày kết luận giải quyết"), widget=DAY_WIDGET, input_formats=DAY_FORMATS
    )
    number = forms.CharField(label=_("Số kết luận"), max_length=60)
    issuer = forms.CharField(label=_("Cơ quan, người ban hành kết luận"), max_length=255)
