"""Forms for outbound statements. Rules stay in the services (`drafting`, `steps`, `issue`)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from release.models import DocType
from roles.models import PlanTopic, PressAgency
from roles.selectors import plan_topics_choosable
from workflows.engine.forms import ActionFieldsForm, SignoffForm

from .models import PeriodicSchedule, Statement

DATETIME_FORMATS = ["%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]

# Text inputs shown "dd/mm/yyyy hh:mm" whatever the browser's language (a datetime-local
# picker shows mm/dd/yyyy in an en-US browser); ISO values (the API, old tabs) still parse.
MOMENT_WIDGET_ATTRS = {
    "placeholder": "dd/mm/yyyy hh:mm",
    "pattern": r"\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}|\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}",
    "inputmode": "numeric",
    "autocomplete": "off",
    "size": "16",
}
DAY_WIDGET_ATTRS = {
    "placeholder": "dd/mm/yyyy",
    "pattern": r"\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2}",
    "inputmode": "numeric",
    "autocomplete": "off",
    "size": "10",
}


YEAR_RANGE = (1900, 9000)


def _check_year(value, message):
    if value is not None and not YEAR_RANGE[0] <= value.year <= YEAR_RANGE[1]:
        raise forms.ValidationError(message, code="out_of_range")
    return value


YEAR_MESSAGE = _("Năm phải trong khoảng 1900–9000.")


class MomentField(forms.DateTimeField):
    """A date and time in the agency's zone; absurd years get a message (year 1 would
    otherwise overflow when made timezone-aware)."""

    def to_python(self, value):
        try:
            result = super().to_python(value)
        except OverflowError:
            raise forms.ValidationError(YEAR_MESSAGE, code="out_of_range") from None
        return _check_year(result, YEAR_MESSAGE)


class DayField(forms.DateField):
    def to_python(self, value):
        return _check_year(super().to_python(value), YEAR_MESSAGE)


def _datetime_field(label, help_text=""):
    return MomentField(
        label=label,
        required=False,
        widget=forms.DateTimeInput(attrs=MOMENT_WIDGET_ATTRS, format="%d/%m/%Y %H:%M"),
        input_formats=DATETIME_FORMATS,
        help_text=help_text,
    )


class StatementFieldsForm(forms.Form):
    """The fields a drafter fills; which apply depends on the kind."""

    title = forms.CharField(label=_("Tiêu đề (trích yếu)"), max_length=300)
    body = forms.CharField(
        label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 14}), required=False
    )
    event_summary = forms.CharField(
        label=_("Tóm tắt sự việc (nội bộ)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=4000,
    )
    embargo_at = _datetime_field(
        _("Công bố lúc"),
        _("Để trống để công bố ngay khi văn bản được ký số và phát hành."),
    )
    article_outlet = forms.CharField(
        label=_("Cơ quan báo chí đăng tin sai"), max_length=255, required=False
    )
    article_title = forms.CharField(label=_("Tiêu đề bài báo"), max_length=500, required=False)
    article_url = forms.URLField(
        label=_("Đường dẫn bài báo"), max_length=1000, required=False, assume_scheme="https"
    )
    article_published_on = DayField(
        label=_("Ngày đăng"),
        required=False,
        widget=forms.DateInput(attrs=DAY_WIDGET_ATTRS, format="%d/%m/%Y"),
        input_formats=DATE_FORMATS,
    )
    conference_at = _datetime_field(_("Thời gian họp báo"))
    conference_place = forms.CharField(label=_("Địa điểm họp báo"), max_length=300, required=False)
    conference_content = forms.CharField(
        label=_("Tới dự (nội dung họp báo)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("In ở dòng “Tới dự” của giấy mời, ví dụ họp báo thông tin về kết quả …"),
    )
    conference_chair = forms.CharField(
        label=_("Người chủ trì"),
        max_length=255,
        required=False,
        help_text=_("Ví dụ ông Nguyễn Văn Lãnh, Trưởng phòng."),
    )
    invited_agencies = forms.ModelMultipleChoiceField(
        label=_("Cơ quan báo chí được mời"),
        queryset=PressAgency.objects.order_by("name"),
        required=False,
    )

    clock_start_at = _datetime_field(
        _("Thời điểm tiếp nhận, xử lý hoặc xác định vụ việc"),
        _(
            "Bắt đầu tính hạn 24 giờ. Từ 01/7/2026 (NĐ 244): lúc cơ quan tiếp nhận, xử lý vụ "
            "việc, hoặc lúc xác định dư luận có ý kiến khác nhau; trước đó (NĐ 09/2017): lúc sự "
            "việc xảy ra. Để trống với văn bản đề nghị cải chính: tính từ bây giờ."
        ),
    )

    KIND_FIELDS = {
        Statement.Kind.INITIAL: ("clock_start_at",),
        Statement.Kind.DIVERGENT: ("clock_start_at",),
        Statement.Kind.CORRECTION: (
            "clock_start_at",
            "article_outlet",
            "article_title",
            "article_url",
            "article_published_on",
        ),
        Statement.Kind.CONFERENCE: (
            "conference_at",
            "conference_place",
            "conference_content",
            "conference_chair",
            "invited_agencies",
        ),
    }
    ALL_KIND_FIELDS = {f for fields in KIND_FIELDS.values() for f in fields}

    def __init__(self, *args, kind: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if kind is not None:
            keep = set(self.KIND_FIELDS.get(kind, ()))
            for name in self.ALL_KIND_FIELDS - keep:
                del self.fields[name]


class StatementCreateForm(StatementFieldsForm):
    # An annual report is opened from the reports pages (with its figures), not here.
    kind = forms.ChoiceField(
        label=_("Loại thông tin"),
        choices=[c for c in Statement.Kind.choices if c[0] not in Statement.UNPUBLISHED_KINDS],
    )
    organisation = forms.ModelChoiceField(label=_("Cơ quan"), queryset=None)
    doc_type = forms.ChoiceField(
        label=_("Phát hành dưới dạng"),
        choices=[("", _("— Theo loại thông tin —"))]
        + [
            (c, label)
            for c, label in DocType.choices
            if c in {"thong_cao", "thong_bao", "giay_moi", "cong_van"}
        ],
        required=False,
    )

    topics = forms.ModelMultipleChoiceField(
        label=_("Nội dung kế hoạch truyền thông"),
        queryset=PlanTopic.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    field_order = ["organisation", "kind", "doc_type", "title", "clock_start_at"]

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        # Each kind's own fields show once that kind is chosen (static/js/task-form.js).
        for name in self.ALL_KIND_FIELDS & set(self.fields):
            kinds = [k for k, names in self.KIND_FIELDS.items() if name in names]
            self.fields[name].widget.attrs["data-actions"] = " ".join(kinds)
        self.fields["organisation"].queryset = organisations
        several = organisations.count() > 1
        if not several:
            self.fields["organisation"].initial = organisations.first()
        # This year's topics of every organisation offered; the service checks the pair.
        topics = plan_topics_choosable(organisations, timezone.localdate().year)
        self.fields["topics"].queryset = topics
        self.fields["topics"].label_from_instance = lambda t: (
            f"{t.organisation.abbreviation} — {t.number}. {t.title}"
            if several
            else f"{t.number}. {t.title}"
        )
        if not topics.exists():
            del self.fields["topics"]


class StatementDraftForm(StatementFieldsForm):
    action = forms.ChoiceField(
        choices=[("save", _("Lưu nháp")), ("submit", _("Trình người phát ngôn"))],
        widget=forms.HiddenInput,
        initial="submit",
    )


class StatementReviewForm(ActionFieldsForm):
    action_fields = {"comment": ("approve", "return")}
    forward_action = "approve"
    submit_labels = {"approve": _("Duyệt và trình ký"), "return": _("Trả lại")}

    action = forms.ChoiceField(
        label=_("Quyết định"),
        choices=[("approve", _("Đồng ý, trình lãnh đạo ký")), ("return", _("Trả lại người soạn"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Ý kiến"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class StatementSignoffForm(SignoffForm):
    """The case's sign-off form; a statement goes back to its drafter, not a specialist."""

    to = forms.ChoiceField(
        label=_("Trả lại cho"),
        choices=[("review", _("Người phát ngôn")), ("draft", _("Người soạn"))],
        required=False,
    )


class RecordForm(forms.Form):
    text = forms.CharField(
        label=_("Biên bản hoặc tóm tắt buổi họp báo"),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=100_000,
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do hủy"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )


class ScheduleForm(forms.ModelForm):
    class Meta:
        model = PeriodicSchedule
        fields = ["kind", "every_months", "starts_on", "remind_days_before", "is_active"]
        widgets = {"starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_on"].input_formats = DATE_FORMATS

    def clean_starts_on(self):
        value = self.cleaned_data["starts_on"]
        if not 2000 <= value.year <= 2100:
            raise forms.ValidationError(_("Ngày bắt đầu phải trong khoảng năm 2000–2100."))
        return value
