"""Staff pages of the incoming register (sổ đăng ký văn bản đến): the list, its exports, a form."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

import audit
from core import spreadsheets
from core.errors import DomainError
from core.filters import filter_page_state
from roles.selectors import actor_role, user_organisations

from . import incoming
from .filters import IncomingFilter
from .models import IncomingDocument
from .views import _deny

PAGE_SIZE = 100
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DAY_WIDGET_ATTRS = {
    "placeholder": "dd/mm/yyyy",
    "pattern": r"\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2}",
    "inputmode": "numeric",
    "autocomplete": "off",
}


class LetterDateField(forms.DateField):
    def to_python(self, value):
        result = super().to_python(value)
        if result is not None and not (1900 <= result.year <= 9000):
            raise forms.ValidationError(_("Năm phải trong khoảng 1900–9000."), code="year")
        return result


class IncomingForm(forms.Form):
    """What the văn thư writes into the register (the số đến and ngày đến are the system's)."""

    sender = forms.CharField(label=gettext_lazy("Tác giả (cơ quan gửi)"), max_length=255)
    letter_number = forms.CharField(
        label=gettext_lazy("Số, ký hiệu văn bản"), max_length=60, required=False
    )
    letter_date = LetterDateField(
        label=gettext_lazy("Ngày tháng văn bản"),
        required=False,
        widget=forms.DateInput(attrs=DAY_WIDGET_ATTRS, format="%d/%m/%Y"),
        input_formats=DATE_FORMATS,
    )
    summary = forms.CharField(
        label=gettext_lazy("Tên loại và trích yếu nội dung"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    handler = forms.CharField(
        label=gettext_lazy("Đơn vị, người nhận"), max_length=255, required=False
    )
    note = forms.CharField(label=gettext_lazy("Ghi chú"), max_length=255, required=False)

    def clean_letter_date(self):
        value = self.cleaned_data.get("letter_date")
        if isinstance(value, date) and value > timezone.localdate():
            raise forms.ValidationError(_("Ngày tháng văn bản không được ở tương lai."))
        return value


INCOMING_COLUMNS = [
    gettext_lazy("Ngày đến"),
    gettext_lazy("Số đến"),
    gettext_lazy("Tác giả"),
    gettext_lazy("Số, ký hiệu"),
    gettext_lazy("Ngày tháng"),
    gettext_lazy("Tên loại và trích yếu nội dung"),
    gettext_lazy("Đơn vị, người nhận"),
    gettext_lazy("Ngày chuyển"),
    gettext_lazy("Ký nhận"),
    gettext_lazy("Ghi chú"),
    gettext_lazy("Hồ sơ"),
]


def _day(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value).date()
    return value.strftime("%d/%m/%Y")


def incoming_rows(entries) -> list[list]:
    """The register as rows of plain values: the 10 columns of NĐ 30/2020 Phụ lục IV, + case."""
    return [
        [
            _day(e.received_at),
            e.number_display,
            e.sender,
            e.letter_number,
            _day(e.letter_date),
            e.summary,
            e.handler,
            _day(e.dispatched_at),
            "",  # Ký nhận: signed by hand on the printed, bound register.
            e.note,
            e.subject_label,
        ]
        for e in entries
    ]


def _organisation(request):
    organisations = user_organisations(request.user, roles=incoming.INCOMING_READERS).order_by(
        "name"
    )
    if not organisations:
        _deny(request, _("Chỉ cán bộ và thanh tra của cơ quan xem sổ văn bản đến."))
    code = request.GET.get("org") or request.POST.get("org")
    organisation = organisations.filter(code=code).first() if code else organisations.first()
    if organisation is None:
        _deny(request, _("Bạn không có quyền xem sổ văn bản đến của cơ quan này."))
    return organisation, organisations


def _filter(request, organisation) -> IncomingFilter:
    return IncomingFilter(
        request.GET,
        queryset=IncomingDocument.objects.filter(organisation=organisation)
        .select_related("registered_by")
        .order_by("-year", "-number"),
    )


@require_http_methods(["GET", "POST"])
def incoming_index(request):
    """The incoming register with its filters; the văn thư registers a letter here too."""
    organisation, organisations = _organisation(request)
    may_register = incoming.can_register(request.user, organisation)
    form = IncomingForm(request.POST or None) if may_register else None
    if request.method == "POST":
        if not may_register:
            _deny(request, _("Chỉ văn thư của cơ quan được vào sổ văn bản đến."))
        if form.is_valid():
            try:
                entry = incoming.incoming_register(
                    organisation=organisation, by=request.user, **form.cleaned_data
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(
                    request, _("Đã vào sổ văn bản đến, số đến %(n)s.") % {"n": entry.number_display}
                )
                return redirect(reverse("outgoing:incoming:index") + f"?org={organisation.code}")
    register_filter = _filter(request, organisation)
    entries, values, errors = filter_page_state(register_filter)
    year = register_filter.selected_year() if not errors else None
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    years = sorted(
        set(
            IncomingDocument.objects.filter(organisation=organisation).values_list(
                "year", flat=True
            )
        )
        | {timezone.localdate().year},
        reverse=True,
    )
    bad = errors or (request.method == "POST")
    return render(
        request,
        "release/incoming.html",
        {
            "organisation": organisation,
            "organisations": organisations,
            "entries": page.object_list,
            "page": page,
            "year": year,
            "years": years,
            "q": values.get("q", ""),
            "form": form,
            "filter_errors": errors,
        },
        status=400 if bad else 200,
    )


def incoming_export(request, fmt: str):
    """Export the incoming register as CSV or XLSX (ledgered)."""
    organisation, _orgs = _organisation(request)
    register_filter = _filter(request, organisation)
    if not register_filter.is_valid():
        return redirect(f"{reverse('outgoing:incoming:index')}?{request.GET.urlencode()}")
    year = register_filter.selected_year()
    rows = incoming_rows(register_filter.qs)
    audit.record(
        action="incoming.export",
        actor=request.user,
        actor_role=actor_role(request.user, organisation),
        organisation=organisation,
        target_type="release.incoming",
        target_id=f"{organisation.code}:{year or 'all'}",
        after={"format": fmt, "rows": len(rows)},
    )
    stem = f"so-van-ban-den-{organisation.code}-{year or 'tat-ca'}"
    return spreadsheets.spreadsheet_response(
        fmt, INCOMING_COLUMNS, rows, title=_("Sổ văn bản đến"), stem=stem
    )


def incoming_export_csv(request):
    return incoming_export(request, "csv")


def incoming_export_xlsx(request):
    return incoming_export(request, "xlsx")
