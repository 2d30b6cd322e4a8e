"""The dashboard's filters: organisation, period (dates in Vietnam time) and scope."""

from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .selectors import Period

# Day bounds are turned into +07:00 instants: keep them far from year 1 and 9999.
DATE_MIN, DATE_MAX = date(1900, 1, 1), date(9000, 12, 31)
# The dashboard draws one column per month: five years at most.
DASHBOARD_MAX_DAYS = 5 * 366


def period_errors(start: date, end: date, max_days: int | None = None) -> dict[str, str]:
    """Return {field: message} for a period that cannot be reported on (empty when fine)."""
    errors = {}
    for name, value in (("from", start), ("to", end)):
        if not DATE_MIN <= value <= DATE_MAX:
            errors[name] = _("Ngày nằm ngoài khoảng cho phép.")
    if not errors and end < start:
        errors["to"] = _("Ngày kết thúc phải sau hoặc trùng ngày bắt đầu.")
    if not errors and max_days and (end - start).days > max_days:
        errors["to"] = _("Khoảng thời gian dài nhất là 5 năm.")
    return errors


def default_period(today: date | None = None) -> Period:
    """The last twelve months, this month included."""
    today = today or timezone.localdate()
    start = today.replace(day=1)
    for _i in range(11):
        start = (start - timedelta(days=1)).replace(day=1)
    return Period(start, today)


class ReportFilterForm(forms.Form):
    organisation = forms.CharField(label=gettext_lazy("Cơ quan"), required=False, max_length=64)
    subordinates = forms.BooleanField(
        label=gettext_lazy("Gồm cả các cơ quan cấp dưới"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword: the fields are named like the API's parameters.
        period = default_period()
        self.fields["from"] = forms.DateField(
            label=gettext_lazy("Từ ngày"), required=False, initial=period.start
        )
        self.fields["to"] = forms.DateField(
            label=gettext_lazy("Đến ngày"), required=False, initial=period.end
        )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        period = default_period()
        data["from"] = data.get("from") or period.start
        data["to"] = data.get("to") or period.end
        for field, message in period_errors(data["from"], data["to"], DASHBOARD_MAX_DAYS).items():
            self.add_error(field, message)
        return data

    @property
    def period(self) -> Period:
        return Period(self.cleaned_data["from"], self.cleaned_data["to"])
