"""Django admin for the rulebook (regimes, rules, refusal grounds, swaps, internal limits), and
viewflow's processes and tasks, read-only."""

from datetime import date

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.admin import ProcessAdmin, TaskAdmin
from viewflow.workflow.models import Process, Task

from core.errors import DomainError

from .rules import calendar_years
from .rules.grounds import refusal_ground_confirm
from .rules.models import (
    CalendarSwap,
    CalendarYear,
    DeadlineRule,
    InternalStepLimit,
    LegalRegime,
    RefusalGround,
)

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
    actions = ["confirm_wording"]

    @admin.display(description=_("nội dung"))
    def short_label(self, obj):
        return obj.label[:80]

    @admin.action(
        description=_("Xác nhận nội dung căn cứ đã đối chiếu văn bản gốc"),
        permissions=["change"],
    )
    def confirm_wording(self, request, queryset):
        # A service (ledgered as "refusal_ground.confirm"): admin actions write no change log.
        count = 0
        for ground in queryset.filter(unconfirmed=True):
            refusal_ground_confirm(ground=ground, by=request.user)
            count += 1
        self.message_user(
            request,
            gettext("Đã xác nhận nội dung %(n)d căn cứ từ chối.") % {"n": count},
            messages.SUCCESS,
        )


@admin.register(CalendarSwap)
class CalendarSwapAdmin(admin.ModelAdmin):
    formfield_overrides = DATE_FIELDS
    list_display = ("date", "weekday", "kind", "note", "source")
    list_filter = ("kind",)
    search_fields = ("note", "source")
    date_hierarchy = "date"

    @admin.display(description=_("thứ"))
    def weekday(self, obj):
        return calendar_years.WEEKDAYS[obj.date.weekday()]


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    """Each year's days off with their source, its status, and the warnings (legal review §3).

    The list page is the overview (last year, this year, next year and any year with an entry);
    its forms confirm a year and switch a package holiday off or on through the ledgered
    services of `workflows.rules.calendar_years`. The change form edits one entry (ledgered by
    the admin site).
    """

    list_display = ("year", "status", "source", "confirmed_by", "confirmed_at")
    readonly_fields = ("confirmed_by", "confirmed_at")
    fields = ("year", "status", "source", "note", "confirmed_by", "confirmed_at")
    overview_template = "admin/workflows/calendaryear/overview.html"

    def save_model(self, request, obj, form, change):
        if obj.status == CalendarYear.Status.CONFIRMED and (
            "status" in form.changed_data or obj.confirmed_at is None
        ):
            obj.confirmed_by, obj.confirmed_at = request.user, timezone.now()
        elif obj.status == CalendarYear.Status.PROVISIONAL:
            obj.confirmed_by, obj.confirmed_at = None, None
        super().save_model(request, obj, form, change)

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            return self._overview_post(request)
        years = sorted(
            set(calendar_years.years_around())
            | set(CalendarYear.objects.values_list("year", flat=True))
        )
        summaries = calendar_years.year_summaries(years)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Lịch làm việc theo năm"),
            "opts": self.model._meta,
            "summaries": summaries,
            "can_change": self.has_change_permission(request),
            "can_switch": self._may_switch(request),
            "package_source": calendar_years.calendar.PACKAGE_SOURCE,
            **(extra_context or {}),
        }
        return TemplateResponse(request, self.overview_template, context)

    def _may_switch(self, request) -> bool:
        swap_admin = self.admin_site._registry.get(CalendarSwap)
        return bool(
            swap_admin
            and swap_admin.has_add_permission(request)
            and swap_admin.has_delete_permission(request)
        )

    def _overview_post(self, request):
        action = request.POST.get("action", "")
        allowed = (
            self._may_switch(request)
            if action in ("switch_off", "switch_on")
            else self.has_change_permission(request)
        )
        if not allowed:
            raise PermissionDenied
        try:
            message = self._apply(request, action)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, message)
        return redirect(reverse("admin:workflows_calendaryear_changelist"))

    def _apply(self, request, action: str) -> str:
        data, user = request.POST, request.user
        if action == "confirm":
            entry = calendar_years.calendar_year_confirm(
                year=_int(data.get("year")), source=data.get("source", ""), by=user
            )
            return gettext("Đã xác nhận lịch năm %(year)s.") % {"year": entry.year}
        if action == "unconfirm":
            entry = calendar_years.calendar_year_unconfirm(
                year=_int(data.get("year")), reason=data.get("reason", ""), by=user
            )
            return gettext("Lịch năm %(year)s trở lại dự kiến.") % {"year": entry.year}
        if action == "switch_off":
            day = _day(data.get("day"))
            calendar_years.package_holiday_switch_off(
                day=day, reason=data.get("reason", ""), source=data.get("source", ""), by=user
            )
            return gettext("Ngày %(day)s được tính là ngày làm việc.") % {"day": f"{day:%d/%m/%Y}"}
        if action == "switch_on":
            day = _day(data.get("day"))
            calendar_years.package_holiday_switch_on(day=day, by=user)
            return gettext("Ngày %(day)s lại là ngày nghỉ.") % {"day": f"{day:%d/%m/%Y}"}
        raise DomainError(gettext("Thao tác không hợp lệ."), code="validation_error")


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise DomainError(
            gettext("Năm không hợp lệ."), code="validation_error", field="year"
        ) from None


def _day(value) -> date:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        raise DomainError(
            gettext("Ngày không hợp lệ."), code="validation_error", field="day"
        ) from None


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
