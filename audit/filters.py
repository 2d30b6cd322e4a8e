"""The ledger's filters: one FilterSet for the inspector's page, its exports and the API."""

from datetime import date, timedelta

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _
from django_filters import CharFilter, DateFilter, FilterSet

from .forms import EventFilterForm, day_start
from .models import LedgerEvent
from .selectors import events_about

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
# Bounded years: a date at datetime's edges (0001-01-01, 9999-12-31) would overflow when
# turned into the period's +07:00 datetimes.
DATE_VALIDATORS = [MinValueValidator(date(2000, 1, 1)), MaxValueValidator(date(2999, 12, 31))]


class EventFilter(FilterSet):
    """Narrow the events of one inspection scope (events_in_scope comes first).

    `scope` ("all" or organisation codes) also bounds the `organisation` parameter: asking
    for an organisation outside it is an error, not an empty list.
    """

    reference = CharFilter(
        method="filter_reference",
        max_length=100,
        label=_("Số hồ sơ hoặc số văn bản"),
        help_text=_("Số hồ sơ (cả các văn bản của hồ sơ) hoặc số văn bản, ví dụ 06/TB-PGDĐT."),
        widget=forms.TextInput(attrs={"placeholder": "HS-2026-000003, 06/TB-PGDĐT"}),
    )
    date_from = DateFilter(
        method="filter_date_from",
        label=_("Từ ngày"),
        input_formats=DATE_FORMATS,
        validators=DATE_VALIDATORS,
        help_text=_("Ngày (giờ +07:00), dd/mm/yyyy hoặc yyyy-mm-dd."),
    )
    date_to = DateFilter(
        method="filter_date_to",
        label=_("Đến ngày"),
        input_formats=DATE_FORMATS,
        validators=DATE_VALIDATORS,
        help_text=_("Ngày (giờ +07:00), tính cả ngày này."),
    )
    organisation = CharFilter(field_name="organisation_code", max_length=64, label=_("Mã cơ quan"))
    actor = CharFilter(
        field_name="actor_username",
        max_length=150,
        label=_("Người thực hiện (tên đăng nhập)"),
    )
    action = CharFilter(
        method="filter_action",
        max_length=100,
        label=_("Hành động"),
        # The page offers the known actions in words (a <datalist>); any code is accepted.
        widget=forms.TextInput(attrs={"list": "audit-actions"}),
        help_text=_("Kết thúc bằng dấu chấm thì lọc theo tiền tố (auth. = mọi hành động auth)."),
    )
    target_type = CharFilter(field_name="target_type", max_length=100, label=_("Loại đối tượng"))
    target_id = CharFilter(field_name="target_id", max_length=64, label=_("Mã đối tượng"))

    class Meta:
        model = LedgerEvent
        fields = [
            "reference",
            "date_from",
            "date_to",
            "organisation",
            "actor",
            "action",
            "target_type",
            "target_id",
        ]
        form = EventFilterForm

    def __init__(self, data=None, queryset=None, *, scope=None, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.scope = scope

    @property
    def form(self):
        form = super().form
        form.scope = self.scope
        return form

    def filter_date_from(self, queryset, name, value):
        return queryset.filter(at__gte=day_start(value))

    def filter_date_to(self, queryset, name, value):
        return queryset.filter(at__lt=day_start(value + timedelta(days=1)))

    def filter_action(self, queryset, name, value):
        # "auth." matches every auth action; "auth.login" only that one.
        if value.endswith("."):
            return queryset.filter(action__startswith=value)
        return queryset.filter(action=value)

    def filter_reference(self, queryset, name, value):
        return events_about(queryset, value)
