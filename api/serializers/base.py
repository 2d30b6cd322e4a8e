"""What several sections share: absolute links and bounded date and time fields."""

from django.utils import timezone
from django.utils.translation import gettext_lazy
from rest_framework import serializers


def absolute_url(request, path: str) -> str:
    """`path` as an absolute URL (as it is when no request is in the context)."""
    return request.build_absolute_uri(path) if request is not None else path


YEAR_MIN, YEAR_MAX = 1900, 9000


class MomentField(serializers.DateTimeField):
    """ISO 8601 date and time (without an offset: +07:00), within years 1900–9000."""

    default_error_messages = {"out_of_range": gettext_lazy("Thời điểm nằm ngoài khoảng cho phép.")}

    def to_internal_value(self, value):
        try:
            moment = super().to_internal_value(value)
        except OverflowError:  # e.g. year 1 moved to UTC
            self.fail("out_of_range")
        if not (YEAR_MIN <= timezone.localtime(moment).year <= YEAR_MAX):
            self.fail("out_of_range")
        return moment


class DayField(serializers.DateField):
    """YYYY-MM-DD within years 1900–9000."""

    default_error_messages = {"out_of_range": gettext_lazy("Ngày nằm ngoài khoảng cho phép.")}

    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        if not (YEAR_MIN <= day.year <= YEAR_MAX):
            self.fail("out_of_range")
        return day
