"""Who is who: organisations, staff roles, spokespersons, press agencies and journalists."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

phone_validator = RegexValidator(
    r"^\+?[0-9 .()-]{8,20}$", _("Số điện thoại chỉ gồm chữ số, dấu cách, dấu chấm hoặc gạch nối.")
)


def _header_lines(text: str) -> list[str]:
    """Split header text on its explicit line breaks; upper-case each non-empty line."""
    return [line.strip().upper() for line in (text or "").splitlines() if line.strip()]


class Organisation(models.Model):
    """A state body in the tree province → department → office → school.

    Holds what a Decree 30/2020 document header needs: the governing-body line, the full
    name, the abbreviation used in document symbols, the place name for the date line.
    """

    class Kind(models.TextChoices):
        PROVINCE = "province", _("Cấp tỉnh")
        DEPARTMENT = "department", _("Sở, ban, ngành")
        OFFICE = "office", _("Phòng, cấp xã")
        SCHOOL = "school", _("Trường học")
        OTHER = "other", _("Khác")

    code = models.SlugField(
        _("mã"),
        max_length=64,
        unique=True,
        help_text=_("Mã cố định dùng trong đường dẫn và API, ví dụ pgddt-thuan-an."),
    )
    name = models.CharField(_("tên đầy đủ"), max_length=255)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("cơ quan cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    governing_body = models.CharField(
        _("tên cơ quan chủ quản"),
        max_length=255,
        blank=True,
        help_text=_("Dòng trên cùng của tiêu đề văn bản, ví dụ UBND TỈNH BÌNH DƯƠNG."),
    )
    header_governing_lines = models.TextField(
        _("dòng cơ quan chủ quản trên tiêu đề"),
        blank=True,
        help_text=_(
            "Mỗi dòng một dòng in trên tiêu đề văn bản, đúng chỗ xuống dòng cơ quan chọn; "
            "để trống thì in tên cơ quan chủ quản trên một dòng."
        ),
    )
    header_agency_lines = models.TextField(
        _("dòng tên cơ quan ban hành trên tiêu đề"),
        blank=True,
        help_text=_(
            "Ví dụ “PHÒNG GIÁO DỤC” rồi xuống dòng “VÀ ĐÀO TẠO”; không lặp lại địa danh đã có "
            "ở dòng cơ quan chủ quản. Để trống thì in tên đầy đủ."
        ),
    )
    decision_authority = models.CharField(
        _("thẩm quyền ban hành quyết định"),
        max_length=255,
        blank=True,
        help_text=_(
            "Dòng dưới trích yếu của quyết định (Mẫu 1.2), ví dụ TRƯỞNG PHÒNG GIÁO DỤC VÀ ĐÀO "
            "TẠO THÀNH PHỐ THUẬN AN. Để trống thì ghép chức danh người đứng đầu với tên cơ quan."
        ),
    )
    decision_bases = models.TextField(
        _("căn cứ về thẩm quyền"),
        blank=True,
        help_text=_(
            "Mỗi dòng một căn cứ quy định chức năng, nhiệm vụ của cơ quan, ghi đủ loại, số, "
            "ngày, cơ quan ban hành và trích yếu; in sau căn cứ pháp lý của quyết định."
        ),
    )
    decision_proposer = models.CharField(
        _("người đề nghị ban hành quyết định"),
        max_length=255,
        blank=True,
        help_text=_("In thành “Theo đề nghị của …”, ví dụ Chánh Văn phòng."),
    )
    abbreviation = models.CharField(
        _("chữ viết tắt"),
        max_length=30,
        help_text=_("Dùng trong ký hiệu văn bản, ví dụ SGDĐT."),
    )
    head_title = models.CharField(
        _("chức danh người đứng đầu"),
        max_length=100,
        default="Giám đốc",
        help_text=_("Ví dụ Giám đốc, Trưởng phòng, Hiệu trưởng (dùng trong khối chữ ký)."),
    )
    place_name = models.CharField(
        _("địa danh"), max_length=100, help_text=_("Địa danh ghi ở dòng ngày tháng.")
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(
        _("điện thoại"), max_length=30, blank=True, validators=[phone_validator]
    )
    email = models.EmailField(_("thư điện tử"), blank=True)
    portal_url = models.URLField(_("cổng thông tin điện tử"), blank=True)
    # NĐ 244/2026 Art. 10: the yearly report on spokesperson work goes to this body.
    annual_report_recipient = models.CharField(
        _("nơi nhận báo cáo công tác phát ngôn năm"),
        max_length=255,
        blank=True,
        help_text=_(
            "Ví dụ Sở Giáo dục và Đào tạo tỉnh Bình Dương; Bộ Văn hóa, Thể thao và Du lịch."
        ),
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    # Whom journalists may ask (NĐ 244/2026 Art. 2.1): bộ, UBND tỉnh, cục, sở, thanh tra,
    # chi cục, UBND xã — and the offices that answer for them. Schools (đơn vị sự nghiệp) are
    # not listed: a new school is created with this off (see save()).
    receives_press_questions = models.BooleanField(
        _("tiếp nhận câu hỏi của báo chí"),
        default=True,
        help_text=_(
            "Cơ quan thuộc phạm vi khoản 1 Điều 2 Nghị định 244/2026/NĐ-CP (bộ, UBND tỉnh, cục, "
            "sở, thanh tra, chi cục, UBND xã…). Trường học không tiếp nhận trực tiếp."
        ),
    )

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")
        ordering = ["name"]
        permissions = [
            ("view_organisation_cases", _("Xem mọi hồ sơ của cơ quan")),
            ("sign_on_behalf", _("Ký thay người đứng đầu (KT.)")),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self._state.adding and self.kind == self.Kind.SCHOOL:
            self.receives_press_questions = False
        super().save(*args, **kwargs)

    def clean(self):
        node = self.parent
        while node is not None:
            if node.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": _("Cơ quan không thể là cấp trên của chính nó.")})
            node = node.parent

    def ancestors(self) -> list["Organisation"]:
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain

    def descendants(self) -> list["Organisation"]:
        out, frontier = [], [self]
        while frontier:
            children = list(Organisation.objects.filter(parent__in=frontier))
            out.extend(children)
            frontier = children
        return out

    def header_governing(self) -> list[str]:
        """Return the governing-body lines of the document header, upper case."""
        return _header_lines(self.header_governing_lines) or _header_lines(self.governing_body)

    def decision_authority_line(self) -> str:
        """Return the THẨM QUYỀN BAN HÀNH line of a decision, upper case.

        Without a configured line, the head's title and the name are joined, sharing a word
        they overlap on: “Trưởng phòng” + “Phòng Giáo dục…” → “TRƯỞNG PHÒNG GIÁO DỤC…”.
        """
        if self.decision_authority.strip():
            return self.decision_authority.strip().upper()
        title, name = self.head_title.strip().upper().split(), self.name.strip().upper().split()
        if title and name and title[-1] == name[0]:
            name = name[1:]
        return " ".join(title + name)

    def header_agency(self) -> list[str]:
        """Return the issuing-agency lines of the document header, upper case."""
        return _header_lines(self.header_agency_lines) or _header_lines(self.name)


class Unit(models.Model):
    """An internal unit (phòng, ban) of an organisation; its abbreviation ends a công văn symbol."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("cơ quan"), on_delete=models.CASCADE, related_name="units"
    )
    name = models.CharField(_("tên đơn vị"), max_length=200)
    abbreviation = models.CharField(_("chữ viết tắt"), max_length=20, help_text=_("Ví dụ VP."))

    class Meta:
        verbose_name = _("đơn vị trực thuộc")
        verbose_name_plural = _("đơn vị trực thuộc")
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "abbreviation"], name="unit_abbreviation_unique"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.organisation.abbreviation})"


class PlanTopic(models.Model):
    """A content area of an organisation's communication plan for one year (nội dung truyền
    thông của kế hoạch năm): cases and statements carry them, reports count their coverage."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("cơ quan"),
        on_delete=models.PROTECT,
        related_name="plan_topics",
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    number = models.PositiveSmallIntegerField(_("số thứ tự"))
    title = models.CharField(_("nội dung"), max_length=300)
    is_active = models.BooleanField(
        _("đang dùng"),
        default=True,
        help_text=_("Bỏ chọn để không gắn thêm hồ sơ, thông tin mới vào nội dung này."),
    )

    class Meta:
        verbose_name = _("nội dung kế hoạch truyền thông")
        verbose_name_plural = _("nội dung kế hoạch truyền thông")
        ordering = ["organisation", "year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "number"], name="plan_topic_number_unique"
            )
        ]

    def __str__(self):
        return f"{self.number}. {self.title} ({self.year})"


class Role(models.TextChoices):
    REGISTRY_OFFICER = "registry_officer", _("Văn thư / cán bộ truyền thông")
    SPECIALIST = "specialist", _("Chuyên viên")
    SPOKESPERSON = "spokesperson", _("Người phát ngôn")
    HEAD = "head", _("Người đứng đầu")
    DEPUTY_HEAD = "deputy_head", _("Cấp phó")
    INSPECTOR = "inspector", _("Thanh tra")
    ADMINISTRATOR = "administrator", _("Quản trị hệ thống")


class SigningMark(models.TextChoices):
    """How a member signs the organisation's documents (Nghị định 30/2020, Phụ lục I, II.7.b).

    Empty: by role (the head signs in their own name; a deputy with the right signs KT.).
    """

    BY_ROLE = "", _("Theo vai trò")
    KT = "KT.", _("KT. (ký thay)")
    TM = "TM.", _("TM. (thay mặt tập thể)")
    Q = "Q.", _("Q. (quyền)")
    TL = "TL.", _("TL. (thừa lệnh)")
    TUQ = "TUQ.", _("TUQ. (thừa ủy quyền)")


class MembershipQuerySet(models.QuerySet):
    def current(self, on=None):
        """Keep memberships valid on the given date (today in Asia/Ho_Chi_Minh by default)."""
        on = on or timezone.localdate()
        return self.filter(valid_from__lte=on).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=on)
        )


class Membership(models.Model):
    """A user holds a role in an organisation, with a title, for a period."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("cơ quan"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("vai trò"), max_length=30, choices=Role.choices)
    title = models.CharField(_("chức danh"), max_length=150, help_text=_("Ví dụ Phó Giám đốc."))
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    signing_mark = models.CharField(
        _("thẩm quyền ký"),
        max_length=4,
        choices=SigningMark.choices,
        blank=True,
        default="",
        help_text=_(
            "Để trống: người đứng đầu ký trực tiếp, cấp phó được giao ký thay (KT.). Chọn TM., "
            "Q., TL. hoặc TUQ. khi người này được giao ký theo cách đó."
        ),
    )
    valid_from = models.DateField(_("hiệu lực từ ngày"))
    valid_to = models.DateField(_("hiệu lực đến ngày"), null=True, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("vị trí công tác")
        verbose_name_plural = _("vị trí công tác")
        ordering = ["organisation", "role", "user__username"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="membership_period_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(role="specialist") | Q(unit__isnull=False),
                name="membership_specialist_has_unit",
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.organisation.abbreviation}"

    def clean(self):
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("Ngày hết hiệu lực phải sau ngày bắt đầu.")})
        if self.role == Role.SPECIALIST and not self.unit_id:
            raise ValidationError({"unit": _("Chuyên viên phải thuộc một đơn vị.")})
        if (
            self.unit_id
            and self.organisation_id
            and self.unit.organisation_id != self.organisation_id
        ):
            raise ValidationError({"unit": _("Đơn vị không thuộc cơ quan đã chọn.")})

    def is_current(self, on=None) -> bool:
        on = on or timezone.localdate()
        return self.valid_from <= on and (self.valid_to is None or self.valid_to >= on)


class SpokespersonAssignmentQuerySet(models.QuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(revoked_at__isnull=True, valid_from__lte=on).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=on)
        )


class SpokespersonAssignment(models.Model):
    """The head's written decision naming a spokesperson (NĐ 244/2026 Art. 3).

    Regular: open-ended or for a period. Authorised: for one matter (scope) and a fixed
    period, issued by the head only — no sub-delegation (Art. 3.5–3.6).
    """

    class Kind(models.TextChoices):
        REGULAR = "regular", _("Người phát ngôn thường xuyên")
        AUTHORISED = "authorised", _("Người được ủy quyền phát ngôn")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("cơ quan"),
        on_delete=models.PROTECT,
        related_name="spokesperson_assignments",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người phát ngôn"),
        on_delete=models.PROTECT,
        related_name="spokesperson_assignments",
    )
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    scope = models.TextField(
        _("phạm vi vụ việc"), blank=True, help_text=_("Bắt buộc với người được ủy quyền.")
    )
    valid_from = models.DateField(_("hiệu lực từ ngày"))
    valid_to = models.DateField(_("hiệu lực đến ngày"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ký quyết định"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_reference = models.CharField(
        _("số quyết định / giấy ủy quyền"), max_length=100, blank=True
    )
    # When the signed decision (QĐ / GUQ) was issued through the release engine. The public
    # directory shows only entries with one (NĐ 244 Art. 3.3: the decision comes first).
    decision_issued_at = models.DateTimeField(
        _("quyết định ban hành lúc"), null=True, blank=True, editable=False
    )
    contact_name = models.CharField(_("họ và tên công bố"), max_length=150)
    contact_title = models.CharField(_("chức vụ công bố"), max_length=150)
    contact_phone = models.CharField(
        _("điện thoại công bố"), max_length=30, validators=[phone_validator]
    )
    contact_email = models.EmailField(_("thư điện tử công vụ"))
    published_at = models.DateTimeField(_("công bố lúc"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    revoked_reason = models.CharField(_("lý do thu hồi"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    objects = SpokespersonAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("phân công người phát ngôn")
        verbose_name_plural = _("phân công người phát ngôn")
        ordering = ["organisation", "kind", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="spokesperson_period_ordered",
            ),
            models.CheckConstraint(
                condition=Q(kind="regular") | (Q(valid_to__isnull=False) & ~Q(scope="")),
                name="authorisation_has_scope_and_end",
            ),
        ]

    def __str__(self):
        return f"{self.contact_name} — {self.get_kind_display()} — {self.organisation.abbreviation}"

    def is_current(self, on=None) -> bool:
        on = on or timezone.localdate()
        return (
            self.revoked_at is None
            and self.valid_from <= on
            and (self.valid_to is None or self.valid_to >= on)
        )


class PressAgency(models.Model):
    """A licensed press agency (cơ quan báo chí)."""

    name = models.CharField(_("tên cơ quan báo chí"), max_length=255, unique=True)
    licence_number = models.CharField(_("số giấy phép hoạt động"), max_length=100, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(
        _("điện thoại"), max_length=30, blank=True, validators=[phone_validator]
    )
    email = models.EmailField(_("thư điện tử"), blank=True)
    website = models.URLField(_("trang web"), blank=True)
    shares_cases = models.BooleanField(
        _("nhà báo cùng cơ quan xem hồ sơ của nhau"),
        default=False,
        help_text=_("Khi bật, nhà báo của cơ quan này xem được hồ sơ của đồng nghiệp."),
    )

    class Meta:
        verbose_name = _("cơ quan báo chí")
        verbose_name_plural = _("cơ quan báo chí")
        ordering = ["name"]

    def __str__(self):
        return self.name


class JournalistProfile(models.Model):
    """A journalist's accreditation: press card and agency, verified by the registry office."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ xác minh")
        VERIFIED = "verified", _("Đã xác minh")
        REJECTED = "rejected", _("Bị từ chối")
        EXPIRED = "expired", _("Thẻ hết hạn")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        related_name="journalist_profile",
    )
    press_agency = models.ForeignKey(
        PressAgency,
        verbose_name=_("cơ quan báo chí"),
        on_delete=models.PROTECT,
        related_name="journalists",
    )
    press_card_number = models.CharField(
        _("số thẻ nhà báo"),
        max_length=30,
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9./-]{3,30}$",
                _("Số thẻ nhà báo chỉ gồm chữ, số, dấu chấm, gạch chéo hoặc gạch nối."),
            )
        ],
    )
    card_expiry = models.DateField(_("ngày hết hạn thẻ"))
    phone = models.CharField(
        _("điện thoại"), max_length=30, blank=True, validators=[phone_validator]
    )
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    email_confirmed_at = models.DateTimeField(_("xác nhận thư lúc"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xác minh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("xác minh lúc"), null=True, blank=True)
    rejection_reason = models.TextField(_("lý do từ chối"), blank=True)
    created_at = models.DateTimeField(_("đăng ký lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("hồ sơ nhà báo")
        verbose_name_plural = _("hồ sơ nhà báo")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["press_card_number"], name="journalist_press_card_unique"
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="journalist_rejection_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.user.get_full_name() or self.user.username} ({self.press_agency})"

    @property
    def effective_status(self) -> str:
        """The status a person should see: a verified card past its expiry shows as expired."""
        if self.status == self.Status.VERIFIED and self.card_expiry < timezone.localdate():
            return self.Status.EXPIRED
        return self.status

    def get_effective_status_display(self) -> str:
        return self.Status(self.effective_status).label

    @property
    def is_accredited(self) -> bool:
        return self.effective_status == self.Status.VERIFIED


class UserPreference(models.Model):
    """A user's own settings. No row means the defaults (e-mail notifications on)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        related_name="preference",
    )
    email_notifications = models.BooleanField(_("nhận thông báo qua e-mail"), default=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("tuỳ chọn cá nhân")
        verbose_name_plural = _("tuỳ chọn cá nhân")

    def __str__(self):
        return str(self.user)
