"""The outgoing register's filters: one FilterSet for the register page and its exports."""

from django.core.validators import RegexValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import CharFilter, FilterSet

from .models import IncomingDocument, IssuedDocument

ALL_YEARS = "all"


class RegisterFilter(FilterSet):
    """Narrow one organisation's register (the organisation is chosen, and checked, first).

    Without `year` the register shows the current year (in the agency's time zone);
    `year=all` shows every year.
    """

    year = CharFilter(
        method="filter_year",
        label=_("Năm"),
        help_text=_("Năm (4 chữ số) hoặc all; mặc định là năm nay."),
        validators=[
            RegexValidator(
                r"^(all|[0-9]{4})\Z", _("Năm phải gồm 4 chữ số, hoặc “all” để xem mọi năm.")
            )
        ],
    )

    class Meta:
        model = IssuedDocument
        fields = ["year"]

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and not data.get("year"):
            data = data.copy()
            data["year"] = str(timezone.localdate().year)
        super().__init__(data, *args, **kwargs)

    def filter_year(self, queryset, name, value):
        if value == ALL_YEARS:
            return queryset
        return queryset.filter(year=int(value))

    def selected_year(self) -> int | None:
        """The year shown (None for every year); call after is_valid()."""
        value = self.form.cleaned_data.get("year")
        return None if value in (None, "", ALL_YEARS) else int(value)


class IncomingFilter(RegisterFilter):
    """Narrow one organisation's incoming register: the year (as above) and a search text."""

    q = CharFilter(
        method="filter_text",
        label=_("Tìm"),
        help_text=_("Tác giả, số ký hiệu, trích yếu, người nhận hoặc số hồ sơ."),
    )

    class Meta:
        model = IncomingDocument
        fields = ["year", "q"]

    def filter_text(self, queryset, name, value):
        value = value.strip()[:100]
        if not value:
            return queryset
        return queryset.filter(
            Q(sender__icontains=value)
            | Q(letter_number__icontains=value)
            | Q(summary__icontains=value)
            | Q(handler__icontains=value)
            | Q(subject_label__icontains=value)
        )
