"""What the agency says: the outgoing register, issued documents and signing credentials."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SigningCredential(models.Model):
    """Where a signing key lives: a PKCS#12 file or a PKCS#11 token. Never the key itself.

    A personal credential (user set) signs as the head/deputy; an agency credential (user
    empty) applies the agency's digital signature (the electronic seal). Secrets (PKCS#12
    passphrase, token PIN) are read at signing time from a file or an environment variable
    named here, so the database holds no key material in clear.
    """

    class Backend(models.TextChoices):
        PKCS12 = "pkcs12", _("Tệp PKCS#12")
        PKCS11 = "pkcs11", _("Thiết bị PKCS#11 (token/HSM)")

    organisation = models.ForeignKey(
        "roles.Organisation",
        verbose_name=_("cơ quan"),
        on_delete=models.PROTECT,
        related_name="signing_credentials",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ký"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signing_credentials",
        help_text=_("Để trống với chữ ký số của cơ quan (con dấu điện tử)."),
    )
    backend = models.CharField(
        _("nơi lưu khóa"), max_length=10, choices=Backend.choices, default=Backend.PKCS12
    )
    # PKCS#12
    pkcs12_path = models.CharField(_("đường dẫn tệp PKCS#12"), max_length=500, blank=True)
    # PKCS#11
    pkcs11_module = models.CharField(_("thư viện PKCS#11"), max_length=500, blank=True)
    pkcs11_token_label = models.CharField(_("nhãn token"), max_length=100, blank=True)
    pkcs11_key_label = models.CharField(_("nhãn khóa"), max_length=100, blank=True)
    # Secret: a file (0600) or an environment variable holding the passphrase / PIN.
    secret_file = models.CharField(_("tệp chứa mật khẩu/PIN"), max_length=500, blank=True)
    secret_env = models.CharField(_("biến môi trường chứa mật khẩu/PIN"), max_length=100, blank=True)
    # Visible signature: the signer's signature image, or the agency's seal image.
    image_path = models.CharField(_("ảnh chữ ký / con dấu"), max_length=500, blank=True)
    certificate_subject = models.CharField(_("chủ thể chứng thư"), max_length=500, blank=True)
    certificate_not_after = models.DateTimeField(_("chứng thư hết hạn"), null=True, blank=True)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("chứng thư ký số")
        verbose_name_plural = _("chứng thư ký số")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=Q(is_active=True),
                name="one_active_credential_per_signer",
                nulls_distinct=False,
            ),
        ]

    def __str__(self):
        who = self.user.get_full_name() if self.user_id else _("Con dấu cơ quan")
        return f"{who} — {self.organisation.abbreviation} ({self.get_backend_display()})"
