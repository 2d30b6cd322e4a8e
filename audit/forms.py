"""Forms of the inspector's pages: the filter form's checks and the export format."""

from datetime import date, datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import AuditExport

FILTER_NAMES = ("organisation", "actor", "action", "target_type", "target_id", "reference")


def day_start(day: date) -> datetime:
    """Midnight of `day` in the agency's time zone (+07:00)."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone())


class EventFilterForm(forms.Form):
    """The form behind audit.filters.EventFilter (which declares the fields).

    EventFilter sets `scope` before the form is cleaned.
    """

    scope = None

    def clean_organisation(self):
        code = (self.cleaned_data.get("organisation") or "").strip()
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
        start, end = self.cleaned_data.get("date_from"), self.cleaned_data.get("date_to")
        return (
            day_start(start) if start else None,
            day_start(end + timedelta(days=1)) if end else None,
        )

    def filters(self) -> dict:
        """The filters as plain JSON (for the ledger and for export rows)."""
        data = self.cleaned_data
        out = {k: (data.get(k) or "").strip() for k in FILTER_NAMES}
        for k in ("date_from", "date_to"):
            out[k] = data[k].isoformat() if data.get(k) else ""
        return out


class ExportForm(forms.Form):
    """The export's format; its filters are audit.filters.EventFilter's, sent alongside."""

    format = forms.ChoiceField(label=_("Định dạng"), choices=AuditExport.Format.choices)
