"""What the agency says: the outgoing register, issued documents and signing credentials."""

import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
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
    secret_env = models.CharField(
        _("biến môi trường chứa mật khẩu/PIN"), max_length=100, blank=True
    )
    # Visible signature: the signer's signature image, or the agency's seal image.
    image_path = models.CharField(_("ảnh chữ ký / con dấu"), max_length=500, blank=True)
    certificate_subject = models.CharField(_("chủ thể chứng thư"), max_length=500, blank=True)
    certificate_not_after = models.DateTimeField(_("chứng thư hết hạn"), null=True, blank=True)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("chứng thư ký số")
        verbose_name_plural = _("chứng thư ký số")
        constraints = [
            # Two partial constraints instead of nulls_distinct=False, which SQLite lacks.
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=Q(is_active=True, user__isnull=False),
                name="one_active_personal_credential",
            ),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(is_active=True, user__isnull=True),
                name="one_active_agency_credential",
            ),
        ]

    def __str__(self):
        who = self.user.get_full_name() if self.user_id else _("Con dấu cơ quan")
        return f"{who} — {self.organisation.abbreviation} ({self.get_backend_display()})"


class DocType(models.TextChoices):
    """Document types the release engine issues (Nghị định 30/2020, Phụ lục III)."""

    THONG_BAO = "thong_bao", _("Thông báo")
    THONG_CAO = "thong_cao", _("Thông cáo báo chí")
    BAO_CAO = "bao_cao", _("Báo cáo")
    QUYET_DINH = "quyet_dinh", _("Quyết định")
    GIAY_UY_QUYEN = "giay_uy_quyen", _("Giấy ủy quyền")
    GIAY_MOI = "giay_moi", _("Giấy mời")
    CONG_VAN = "cong_van", _("Công văn")


# Type abbreviations for the symbol (ký hiệu). A công văn has none: its symbol is agency + unit.
DOC_TYPE_ABBREVIATIONS = {
    DocType.THONG_BAO: "TB",
    DocType.THONG_CAO: "TC",
    DocType.BAO_CAO: "BC",
    DocType.QUYET_DINH: "QĐ",
    DocType.GIAY_UY_QUYEN: "GUQ",
    DocType.GIAY_MOI: "GM",
}


class Authority(models.TextChoices):
    """How the signer signs: in their own right, or for someone else (thẩm quyền ký)."""

    NONE = "", _("Ký trực tiếp")
    KT = "KT.", _("KT. (ký thay)")
    TM = "TM.", _("TM. (thay mặt)")
    TL = "TL.", _("TL. (thừa lệnh)")
    Q = "Q.", _("Q. (quyền)")
    TUQ = "TUQ.", _("TUQ. (thừa ủy quyền)")


class RegisterSeries(models.Model):
    """One numbering series of the outgoing register: organisation × year × series key."""

    organisation = models.ForeignKey(
        "roles.Organisation",
        verbose_name=_("cơ quan"),
        on_delete=models.PROTECT,
        related_name="register_series",
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    series = models.CharField(_("sổ"), max_length=30)
    last_number = models.PositiveIntegerField(_("số cuối đã cấp"), default=0)

    class Meta:
        verbose_name = _("sổ đăng ký văn bản đi")
        verbose_name_plural = _("sổ đăng ký văn bản đi")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "series"], name="register_series_unique"
            ),
        ]

    def __str__(self):
        return f"{self.organisation.abbreviation} {self.year} {self.series}: {self.last_number}"


def _new_verify_token() -> str:
    return secrets.token_urlsafe(24)


def _pdf_upload_to(document, filename):
    return (
        f"release/{document.organisation.code}/{document.year}/"
        f"{document.number:04d}-{document.pk}-{document.verify_token[:8]}.pdf"
    )


class IssuedDocument(models.Model):
    """An outgoing document: numbered in the register, rendered, signed, issued (văn bản đi)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Chờ phát hành")
        RENDERING = "rendering", _("Đang tạo tệp")
        SIGNED = "signed", _("Đã ký số")
        ISSUED = "issued", _("Đã phát hành")
        FAILED = "failed", _("Phát hành lỗi")
        CANCELLED = "cancelled", _("Đã thu hồi")

    organisation = models.ForeignKey(
        "roles.Organisation",
        verbose_name=_("cơ quan ban hành"),
        on_delete=models.PROTECT,
        related_name="issued_documents",
    )
    doc_type = models.CharField(_("loại văn bản"), max_length=20, choices=DocType.choices)
    unit = models.ForeignKey(
        "roles.Unit",
        verbose_name=_("đơn vị soạn thảo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    series = models.CharField(_("sổ"), max_length=30)
    year = models.PositiveSmallIntegerField(_("năm"))
    number = models.PositiveIntegerField(_("số"))
    symbol = models.CharField(_("ký hiệu"), max_length=60)
    summary = models.CharField(_("trích yếu"), max_length=500)
    body = models.TextField(
        _("nội dung"), help_text=_("Văn bản thuần; các đoạn cách nhau một dòng trống.")
    )
    recipients = models.JSONField(_("nơi nhận"), default=list, blank=True)
    # A công văn's “Kính gửi:” (Phụ lục III Mẫu 1.5): who it is addressed to. They are among
    # the recipients too; Nơi nhận then names them “Như trên”.
    addressees = models.JSONField(_("kính gửi"), default=list, blank=True)
    copies = models.PositiveSmallIntegerField(_("số lượng bản"), default=1)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ký"),
        on_delete=models.PROTECT,
        related_name="signed_documents",
    )
    authority = models.CharField(
        _("thẩm quyền ký"), max_length=4, choices=Authority.choices, blank=True, default=""
    )
    authority_title = models.CharField(
        _("chức danh được ký thay"),
        max_length=150,
        blank=True,
        help_text=_("Ví dụ Trưởng phòng trong “KT. TRƯỞNG PHÒNG”."),
    )
    signer_title = models.CharField(_("chức danh người ký"), max_length=150)
    signer_name = models.CharField(_("họ tên người ký"), max_length=150)
    place_name = models.CharField(_("địa danh"), max_length=100)
    doc_date = models.DateField(_("ngày văn bản"))
    numbered_at = models.DateTimeField(_("cấp số lúc"))
    issued_at = models.DateTimeField(_("phát hành lúc"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("ngày chuyển"), null=True, blank=True)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    cancel_reason = models.TextField(_("lý do thu hồi"), blank=True)
    cancelled_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thu hồi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("đính chính văn bản"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    pdf = models.FileField(_("tệp PDF đã ký"), upload_to=_pdf_upload_to, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, db_index=True)
    verify_token = models.CharField(
        _("mã xác thực"), max_length=64, unique=True, default=_new_verify_token, editable=False
    )
    attempts = models.PositiveSmallIntegerField(_("số lần thử"), default=0)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    # When the document was last handed to the broker. A queued document whose hand-over is
    # older than RELEASE_REDISPATCH_SECONDS is handed over again by the minute sweep: a lost
    # message, a dead worker or a broker that was away delays it, never loses it.
    enqueued_at = models.DateTimeField(_("chuyển hàng đợi lúc"), null=True, blank=True)
    # What the document answers (a case, a statement…), linked generically so that
    # release/ never imports workflows/.
    subject_content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject_object_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_content_type", "subject_object_id")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("văn bản đi")
        verbose_name_plural = _("văn bản đi")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "series", "number"],
                name="issued_document_number_unique",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancel_reason=""),
                name="issued_document_cancel_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["subject_content_type", "subject_object_id"]),
            models.Index(fields=["organisation", "status"]),
            # The minute sweep looks only at queued documents.
            models.Index(
                fields=["enqueued_at"], condition=Q(status="queued"), name="issued_document_queued"
            ),
        ]

    def __str__(self):
        return f"{self.number_display} — {self.summary[:60]}"

    @property
    def number_display(self) -> str:
        """Số/ký hiệu, e.g. 07/TB-PGDĐT (leading zero below 10)."""
        return f"{self.number:02d}/{self.symbol}"

    @property
    def archive_holders(self) -> str:
        """Đơn vị, người nhận bản lưu (NĐ 30/2020 Art. 19, Phụ lục IV.I column 6).

        The original (bản gốc) is kept by the văn thư; the drafting unit keeps a copy
        (bản chính) in its file of the work. Without a drafting unit, the văn thư alone.
        """
        holders = [str(_("Văn thư cơ quan (bản gốc)"))]
        if self.unit_id:
            holders.append(str(_("%(unit)s (bản lưu hồ sơ)")) % {"unit": self.unit.name})
        return "; ".join(holders)

    @property
    def type_abbreviation(self) -> str:
        return DOC_TYPE_ABBREVIATIONS.get(self.doc_type, "")

    @property
    def is_superseded(self) -> bool:
        return self.corrections.exclude(status=self.Status.CANCELLED).exists()

    @property
    def verification_status(self) -> str:
        """valid / cancelled / superseded / pending (not issued yet)."""
        if self.status == self.Status.CANCELLED:
            return "cancelled"
        if self.status != self.Status.ISSUED:
            return "pending"
        if self.corrections.filter(status=self.Status.ISSUED).exists():
            return "superseded"
        return "valid"


class IncomingDocument(models.Model):
    """An incoming document in the sổ đăng ký văn bản đến (NĐ 30/2020 Art. 22–23, Phụ lục IV).

    A press agency's letter or a report forwarded by the press, registered with its số đến:
    from 01 on 1 January, per organisation (release.incoming numbers it under the same row
    lock as the outgoing register, in its own series). It is linked generically to what it
    started (a case), so that release/ never imports workflows/.
    """

    organisation = models.ForeignKey(
        "roles.Organisation",
        verbose_name=_("cơ quan nhận"),
        on_delete=models.PROTECT,
        related_name="incoming_documents",
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    number = models.PositiveIntegerField(_("số đến"))
    received_at = models.DateTimeField(_("ngày đến"))
    sender = models.CharField(_("tác giả"), max_length=255)
    letter_number = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    letter_date = models.DateField(_("ngày tháng văn bản"), null=True, blank=True)
    summary = models.CharField(_("tên loại và trích yếu"), max_length=500)
    handler = models.CharField(_("đơn vị, người nhận"), max_length=255, blank=True)
    dispatched_at = models.DateTimeField(_("ngày chuyển"), null=True, blank=True)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    subject_content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject_object_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_content_type", "subject_object_id")
    # A short label of what it started (a case's reference), shown without a join.
    subject_label = models.CharField(_("hồ sơ"), max_length=60, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người vào sổ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("vào sổ lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("văn bản đến")
        verbose_name_plural = _("văn bản đến")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "number"], name="incoming_document_number_unique"
            ),
        ]
        indexes = [models.Index(fields=["subject_content_type", "subject_object_id"])]

    def __str__(self):
        return f"{self.number_display} — {self.summary[:60]}"

    @property
    def number_display(self) -> str:
        """Số đến with a leading zero below 10 (01 … 09, 10 …)."""
        return f"{self.number:02d}"


# The newsroom's models live in its package; importing them here registers them with the app.
from .newsroom.models import Delivery, Publication, Subscription  # noqa: E402, F401
