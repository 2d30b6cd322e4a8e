"""Pieces the django-filter FilterSets of every app share (pages and API alike)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters import BooleanFilter, ChoiceFilter, FilterSet

TRUE_VALUES = ("1", "true", "on", "yes")
FALSE_VALUES = ("0", "false", "off", "no")


class StrictBooleanField(forms.NullBooleanField):
    """A yes/no query parameter that refuses what it does not understand.

    NullBooleanField reads an unknown value as "no filter": a typo would then widen the list
    silently instead of saying so.
    """

    widget = forms.TextInput
    default_error_messages = {
        "invalid": _("Giá trị “%(value)s” không hợp lệ: dùng 1 (có) hoặc 0 (không)."),
    }

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in TRUE_VALUES:
            return True
        if text in FALSE_VALUES:
            return False
        raise forms.ValidationError(
            self.error_messages["invalid"], code="invalid", params={"value": value}
        )

    def validate(self, value):
        """Accept None: the parameter is optional."""


class StrictBooleanFilter(BooleanFilter):
    field_class = StrictBooleanField


class StrictChoiceFilter(ChoiceFilter):
    """A choice filter whose refusal names the value, in the site's words."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "error_messages",
            {"invalid_choice": _("Giá trị “%(value)s” không có trong danh sách cho phép.")},
        )
        super().__init__(*args, **kwargs)


def filter_page_state(filterset: FilterSet) -> tuple[object, dict, list[str]]:
    """Return (queryset, values, errors) for a page: no rows when a value is invalid.

    A page never filters on part of what was asked: an invalid value shows its message
    ("Trạng thái: …") above an empty list, not a wider list than the user meant.
    """
    form = filterset.form
    values = {name: form.data.get(name, "") for name in filterset.filters}
    if filterset.is_valid():
        return filterset.qs, values, []
    errors = []
    for name, messages in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        errors.extend(f"{label}: {m}" if label else str(m) for m in messages)
    return filterset.queryset.none(), values, errors
