"""Django admin for the rulebook (regimes, rules, refusal grounds, swaps, internal limits), and
viewflow's processes and tasks, read-only."""

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.admin import ProcessAdmin, TaskAdmin
from viewflow.workflow.models import Process, Task

from .rules.models import CalendarSwap, DeadlineRule, InternalStepLimit, LegalRegime, RefusalGround

# Django's "vi" locale sets no input formats, so 05/12/2026 would be read as 12 May (US order).
DATE_FIELDS = {models.DateField: {"input_formats": ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"]}}


class DeadlineRuleInline(admin.TabularInline):
    model = DeadlineRule
    extra = 0
    fields = (
        "kind",
        "step",
        "limit",
        "unit",
        "clock_start",
        "pausable",
        "extendable",
        "max_extension",
        "extension_unit",
        "citation",
        "agency_practice",
        "unconfirmed",
    )


class RefusalGroundInline(admin.TabularInline):
    model = RefusalGround
    extra = 0
    fields = ("order", "kind", "code", "label", "citation", "unconfirmed")


@admin.register(LegalRegime)
class LegalRegimeAdmin(admin.ModelAdmin):
    formfield_overrides = DATE_FIELDS
    list_display = ("code", "name", "effective_from", "effective_to", "rule_count")
    search_fields = ("code", "name", "citation")
    inlines = [DeadlineRuleInline, RefusalGroundInline]

    @admin.display(description=_("số quy tắc"))
    def rule_count(self, obj):
        return obj.rules.count()


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(admin.ModelAdmin):
    list_display = (
        "regime",
        "kind",
        "step",
        "limit",
        "unit",
        "clock_start",
        "pausable",
        "extendable",
        "citation",
        "agency_practice",
        "unconfirmed",
    )
    list_filter = ("regime", "kind", "step", "unit", "unconfirmed", "agency_practice")
    search_fields = ("citation", "note")
    list_select_related = ("regime",)


@admin.register(RefusalGround)
class RefusalGroundAdmin(admin.ModelAdmin):
    list_display = ("regime", "kind", "code", "short_label", "citation", "unconfirmed")
    list_filter = ("regime", "kind", "unconfirmed")
    search_fields = ("label", "citation")
    list_select_related = ("regime",)

    @admin.display(description=_("nội dung"))
    def short_label(self, obj):
        return obj.label[:80]


@admin.register(CalendarSwap)
class CalendarSwapAdmin(admin.ModelAdmin):
    formfield_overrides = DATE_FIELDS
    list_display = ("date", "weekday", "kind", "note", "source")
    list_filter = ("kind",)
    search_fields = ("note", "source")
    date_hierarchy = "date"

    @admin.display(description=_("thứ"))
    def weekday(self, obj):
        names = [
            _("Thứ Hai"),
            _("Thứ Ba"),
            _("Thứ Tư"),
            _("Thứ Năm"),
            _("Thứ Sáu"),
            _("Thứ Bảy"),
            _("Chủ nhật"),
        ]
        return names[obj.date.weekday()]


@admin.register(InternalStepLimit)
class InternalStepLimitAdmin(admin.ModelAdmin):
    list_display = ("organisation", "step", "kind", "limit", "unit", "citation")
    list_filter = ("step", "unit", "organisation")
    search_fields = ("organisation__name", "organisation__code", "citation")
    list_select_related = ("organisation",)
    autocomplete_fields = ("organisation",)


class ReadOnlyAdminMixin:
    """Show, never write: workflow state changes only through the flows (security review M1)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# viewflow registers editable admins: a process could be deleted or re-pointed to another case.
admin.site.unregister(Process)
admin.site.unregister(Task)


@admin.register(Process)
class ReadOnlyProcessAdmin(ReadOnlyAdminMixin, ProcessAdmin):
    pass


@admin.register(Task)
class ReadOnlyTaskAdmin(ReadOnlyAdminMixin, TaskAdmin):
    pass
