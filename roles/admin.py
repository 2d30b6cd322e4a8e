"""Django admin for configuration. Changes to people's roles go through roles.services."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from guardian.admin import GuardedModelAdmin

from core.errors import DomainError

from . import services
from .models import (
    JournalistProfile,
    Membership,
    Organisation,
    PlanTopic,
    PressAgency,
    SpokespersonAssignment,
    Unit,
)


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(GuardedModelAdmin):
    list_display = (
        "name",
        "code",
        "kind",
        "parent",
        "abbreviation",
        "place_name",
        "receives_press_questions",
        "is_active",
    )
    list_filter = ("kind", "receives_press_questions", "is_active")
    search_fields = ("name", "code", "abbreviation")
    list_select_related = ("parent",)
    prepopulated_fields = {"code": ("name",)}
    inlines = [UnitInline]
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "code",
                    "name",
                    "kind",
                    "parent",
                    "abbreviation",
                    "head_title",
                    "receives_press_questions",
                    "is_active",
                )
            },
        ),
        (
            _("Tiêu đề văn bản"),
            {
                "fields": (
                    "governing_body",
                    "header_governing_lines",
                    "header_agency_lines",
                    "place_name",
                )
            },
        ),
        (
            _("Quyết định"),
            {"fields": ("decision_authority", "decision_bases", "decision_proposer")},
        ),
        (_("Báo cáo năm"), {"fields": ("annual_report_recipient",)}),
        (_("Liên hệ"), {"fields": ("address", "phone", "email", "portal_url")}),
    )


@admin.register(PlanTopic)
class PlanTopicAdmin(admin.ModelAdmin):
    """The year's communication-plan content areas of each organisation."""

    list_display = ("organisation", "year", "number", "title", "is_active")
    list_display_links = ("title",)
    list_filter = ("year", "is_active", "organisation")
    search_fields = ("title", "organisation__name", "organisation__code")
    list_select_related = ("organisation",)
    ordering = ("organisation__name", "-year", "number")


class MembershipAdminForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = (
            "user",
            "organisation",
            "role",
            "title",
            "unit",
            "signing_mark",
            "valid_from",
            "valid_to",
        )


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    form = MembershipAdminForm
    # Grants and ends go through roles.services, which write their own ledger events.
    ledgered_by_services = True
    list_display = ("user", "organisation", "role", "title", "unit", "valid_from", "valid_to")
    list_filter = ("role", "organisation")
    search_fields = ("user__username", "user__first_name", "user__last_name", "title")
    list_select_related = ("user", "organisation", "unit")
    autocomplete_fields = ("user",)

    def get_readonly_fields(self, request, obj=None):
        # An existing membership is history: only its end date may change (through the service).
        if obj is not None:
            return ("user", "organisation", "role", "title", "unit", "signing_mark", "valid_from")
        return ()

    def save_model(self, request, obj, form, change):
        if change:
            services.membership_end(
                membership=obj, on=form.cleaned_data["valid_to"], by=request.user
            )
            return
        created = services.membership_grant(
            user=obj.user,
            organisation=obj.organisation,
            role=obj.role,
            title=obj.title,
            unit=obj.unit,
            signing_mark=obj.signing_mark,
            valid_from=obj.valid_from,
            valid_to=obj.valid_to,
            by=request.user,
        )
        obj.pk = created.pk

    def has_delete_permission(self, request, obj=None):
        return False


class SpokespersonAssignmentForm(forms.ModelForm):
    class Meta:
        model = SpokespersonAssignment
        fields = (
            "organisation",
            "user",
            "kind",
            "scope",
            "valid_from",
            "valid_to",
            "issued_by",
            "decision_reference",
            "contact_name",
            "contact_title",
            "contact_phone",
            "contact_email",
        )

    def clean(self):
        data = super().clean()
        if self.instance.pk is None and not self.errors:
            # Dry-run the service's rules so the admin shows them next to the fields.
            from .models import Role
            from .selectors import user_has_role

            issued_by, org = data.get("issued_by"), data.get("organisation")
            if (
                issued_by
                and org
                and not user_has_role(issued_by, org, Role.HEAD, data.get("valid_from"))
            ):
                raise ValidationError(
                    {
                        "issued_by": _(
                            "Chỉ người đứng đầu cơ quan mới được giao hoặc ủy quyền phát ngôn."
                        )
                    }
                )
        return data


@admin.register(SpokespersonAssignment)
class SpokespersonAssignmentAdmin(admin.ModelAdmin):
    form = SpokespersonAssignmentForm
    # Assign and publish go through roles.services (ledgered); existing rows are read-only.
    ledgered_by_services = True
    list_display = (
        "contact_name",
        "organisation",
        "kind",
        "valid_from",
        "valid_to",
        "published_at",
        "revoked_at",
    )
    list_filter = ("kind", "organisation")
    list_select_related = ("organisation",)
    actions = ["publish"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return [f.name for f in self.model._meta.fields]
        return ("published_at", "revoked_at", "revoked_reason")

    def save_model(self, request, obj, form, change):
        if change:
            return
        try:
            created = services.spokesperson_assign(
                organisation=obj.organisation,
                user=obj.user,
                kind=obj.kind,
                issued_by=obj.issued_by,
                contact_name=obj.contact_name,
                contact_title=obj.contact_title,
                contact_phone=obj.contact_phone,
                contact_email=obj.contact_email,
                valid_from=obj.valid_from,
                valid_to=obj.valid_to,
                scope=obj.scope,
                decision_reference=obj.decision_reference,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            return
        obj.pk = created.pk

    @admin.action(description=_("Công bố lên danh sách người phát ngôn"))
    def publish(self, request, queryset):
        # An entry is published by its signed decision; one already issued is published again.
        for assignment in queryset:
            try:
                services.spokesperson_publish(
                    assignment=assignment,
                    by=request.user,
                    decision_reference=assignment.decision_reference,
                    decision_issued_at=assignment.decision_issued_at,
                )
            except DomainError as exc:
                messages.error(request, f"{assignment.contact_name}: {exc.message}")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PressAgency)
class PressAgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "licence_number", "phone", "email", "shares_cases")
    search_fields = ("name", "licence_number")

    def save_model(self, request, obj, form, change):
        # Sharing cases between colleagues is a domain change with its own ledger event:
        # save the other fields as they were, then switch sharing through the service.
        if "shares_cases" not in form.changed_data:
            return super().save_model(request, obj, form, change)
        wanted = obj.shares_cases
        obj.shares_cases = not wanted
        super().save_model(request, obj, form, change)
        try:
            services.press_agency_sharing_set(
                press_agency=obj, shares_cases=wanted, by=request.user
            )
        except DomainError as exc:
            self.message_user(request, exc.message, level=messages.ERROR)


@admin.register(JournalistProfile)
class JournalistProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "press_agency", "press_card_number", "card_expiry", "status")
    list_filter = ("status", "press_agency")
    search_fields = ("user__username", "user__last_name", "press_card_number")
    list_select_related = ("user", "press_agency")

    def has_change_permission(self, request, obj=None):
        # Accreditation changes go through the staff page (roles.services.journalist_review).
        return False

    def has_add_permission(self, request):
        # Journalists register themselves; accreditation happens on the staff page.
        return False

    def has_delete_permission(self, request, obj=None):
        return False
