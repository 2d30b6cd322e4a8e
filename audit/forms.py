"""Filters for the inspector's pages and export requests."""

from datetime import date, datetime, time, timedelta

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import AuditExport

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


class EventFilterForm(forms.Form):
    reference = forms.CharField(
        label=_("Số hồ sơ hoặc số văn bản"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "PA-2026-000003, 06/TB-PGDĐT"}),
    )
    # Bounded years: a date at datetime's edges (0001-01-01, 9999-12-31) would overflow
    # when turned into the period's +07:00 datetimes.
    date_from = forms.DateField(
        label=_("Từ ngày"),
        required=False,
        input_formats=DATE_FORMATS,
        validators=[MinValueValidator(date(2000, 1, 1)), MaxValueValidator(date(2999, 12, 31))],
    )
    date_to = forms.DateField(
        label=_("Đến ngày"),
        required=False,
        input_formats=DATE_FORMATS,
        validators=[MinValueValidator(date(2000, 1, 1)), MaxValueValidator(date(2999, 12, 31))],
    )
    organisation = forms.CharField(label=_("Mã cơ quan"), required=False, max_length=64)
    actor = forms.CharField(
        label=_("Người thực hiện (tên đăng nhập)"), required=False, max_length=150
    )
    action = forms.CharField(
        label=_("Hành động"),
        required=False,
        max_length=100,
        # The page offers the known actions in words (a <datalist>); any code is accepted.
        widget=forms.TextInput(attrs={"list": "audit-actions"}),
    )
    target_type = forms.CharField(label=_("Loại đối tượng"), required=False, max_length=100)
    target_id = forms.CharField(label=_("Mã đối tượng"), required=False, max_length=64)

    def __init__(self, *args, scope=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = scope

    def clean_organisation(self):
        code = self.cleaned_data["organisation"].strip()
        if code and self.scope != "all" and code not in (self.scope or []):
            raise forms.ValidationError(_("Cơ quan này nằm ngoài phạm vi thanh tra của bạn."))
        return code

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return data

    def period(self):
        """Return (start, end) aware datetimes: whole days in the agency's time zone (+07:00)."""
        tz = timezone.get_default_timezone()
        start = end = None
        if self.cleaned_data.get("date_from"):
            start = datetime.combine(self.cleaned_data["date_from"], time.min, tzinfo=tz)
        if self.cleaned_data.get("date_to"):
            end = datetime.combine(
                self.cleaned_data["date_to"] + timedelta(days=1), time.min, tzinfo=tz
            )
        return start, end

    def filters(self) -> dict:
        """The filters as plain JSON (for the ledger and for export rows)."""
        data = self.cleaned_data
        out = {
            k: (data.get(k) or "").strip()
            for k in ("organisation", "actor", "action", "target_type", "target_id", "reference")
        }
        for k in ("date_from", "date_to"):
            out[k] = data[k].isoformat() if data.get(k) else ""
        return out

    def query_kwargs(self) -> dict:
        start, end = self.period()
        f = self.filters()
        return {
            "start": start,
            "end": end,
            "organisation": f["organisation"],
            "actor": f["actor"],
            "action": f["action"],
            "target_type": f["target_type"],
            "target_id": f["target_id"],
            "reference": f["reference"],
        }


class ExportForm(EventFilterForm):
    format = forms.ChoiceField(label=_("Định dạng"), choices=AuditExport.Format.choices)
