"""The task forms' shared pieces: fields shown per action, and the sign-off form
(`engine/signoff.py`)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ActionFieldsForm(forms.Form):
    """A task form whose fields belong to some of its actions (`action_fields`).

    Each such field carries `data-actions`; the page shows only the chosen action's fields
    (static/js/task-form.js). Without script every field stays visible and works.
    """

    action_fields: dict[str, tuple[str, ...]] = {}
    # The step's forward action, chosen when the form is first shown (returning or refusing
    # stays one click away); and what the submit button says for each action.
    forward_action = ""
    submit_labels: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, actions in self.action_fields.items():
            if name in self.fields:
                self.fields[name].widget.attrs["data-actions"] = " ".join(actions)
        if self.forward_action and "action" in self.fields:
            self.fields["action"].initial = self.forward_action

    def chosen_action(self) -> str:
        """The action the form shows as chosen: the posted one, else the forward action."""
        if self.is_bound:
            return str(self.data.get(self.add_prefix("action"), ""))
        return str(self.initial.get("action") or self.fields["action"].initial or "")

    def submit_label(self) -> str:
        """The submit button's label for the chosen action (task-form.js follows the radio)."""
        return str(self.submit_labels.get(self.chosen_action(), _("Xác nhận")))

    def submit_label_attrs(self) -> list[tuple[str, str]]:
        """`data-label-<action>` attributes for the submit button (read by task-form.js)."""
        return [(action, str(label)) for action, label in self.submit_labels.items()]


class SignoffForm(ActionFieldsForm):
    action_fields = {"to": ("return",), "comment": ("return",), "confirm": ("sign",)}
    forward_action = "sign"
    submit_labels = {"sign": _("Ký số và ban hành"), "return": _("Trả lại")}

    action = forms.ChoiceField(
        label=_("Quyết định"),
        choices=[("sign", _("Ký ban hành")), ("return", _("Trả lại"))],
        widget=forms.RadioSelect,
    )
    confirm = forms.BooleanField(
        label=_("Tôi đã đọc văn bản dự thảo ở trên và đồng ý ký ban hành."),
        required=False,
    )
    to = forms.ChoiceField(
        label=_("Trả lại cho"),
        choices=[("review", _("Người phát ngôn")), ("draft", _("Chuyên viên soạn thảo"))],
        required=False,
    )
    comment = forms.CharField(
        label=_("Ý kiến"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("action") == "sign" and not data.get("confirm"):
            self.add_error(
                "confirm", _("Hãy đọc văn bản dự thảo và đánh dấu xác nhận trước khi ký.")
            )
        # A confirmation, not data for the step.
        data.pop("confirm", None)
        return data
