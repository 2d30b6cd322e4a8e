from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import JournalistProfile, PressAgency


class JournalistRegistrationForm(UserCreationForm):
    """Self-registration of a journalist on the public site."""

    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    email = forms.EmailField(label=_("Thư điện tử"))
    phone = forms.CharField(label=_("Điện thoại"), max_length=30, required=False)
    press_agency = forms.ModelChoiceField(
        label=_("Cơ quan báo chí"),
        queryset=PressAgency.objects.all(),
        empty_label=_("— Chọn cơ quan báo chí —"),
    )
    press_card_number = forms.CharField(label=_("Số thẻ nhà báo"), max_length=30)
    card_expiry = forms.DateField(
        label=_("Ngày hết hạn thẻ"),
        widget=forms.DateInput(attrs={"type": "date"}),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "full_name", "email")

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("Thư điện tử này đã được dùng cho một tài khoản khác."))
        return email

    def clean_card_expiry(self):
        expiry = self.cleaned_data["card_expiry"]
        if expiry < timezone.localdate():
            raise forms.ValidationError(_("Thẻ nhà báo đã hết hạn; hãy dùng thẻ còn hiệu lực."))
        return expiry

    def clean_press_card_number(self):
        number = self.cleaned_data["press_card_number"].strip().upper()
        field = JournalistProfile._meta.get_field("press_card_number")
        for validator in field.validators:
            validator(number)
        if JournalistProfile.objects.filter(press_card_number=number).exists():
            raise forms.ValidationError(_("Số thẻ nhà báo này đã được đăng ký."))
        return number

    def clean_phone(self):
        phone = self.cleaned_data.get("phone", "").strip()
        if phone:
            for validator in JournalistProfile._meta.get_field("phone").validators:
                validator(phone)
        return phone


class JournalistReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Quyết định"),
        choices=[("verify", _("Xác minh")), ("reject", _("Từ chối"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Lý do (bắt buộc khi từ chối)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=1000,
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not data.get("reason", "").strip():
            self.add_error("reason", _("Hãy ghi lý do từ chối để nhà báo biết cần bổ sung gì."))
        return data


class PreferenceForm(forms.Form):
    """The user's own settings (own-account page)."""

    email_notifications = forms.BooleanField(
        label=_("Nhận thông báo qua e-mail"),
        required=False,
        help_text=_("Thông báo trong ứng dụng vẫn hiển thị khi tắt e-mail."),
        widget=forms.CheckboxInput(attrs={"aria-describedby": "id_email_notifications-help"}),
    )
