"""The sign-off form, the same for every flow (`engine/signoff.py`)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class SignoffForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Quyết định"),
        choices=[("sign", _("Ký ban hành")), ("return", _("Trả lại"))],
        widget=forms.RadioSelect,
    )
    to = forms.ChoiceField(
        label=_("Trả lại cho"),
        choices=[("review", _("Người phát ngôn")), ("draft", _("Chuyên viên soạn thảo"))],
        required=False,
    )
    comment = forms.CharField(
        label=_("Ý kiến"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
