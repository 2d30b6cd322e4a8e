"""The case list's filters: one FilterSet for the staff page and the API."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import CharFilter, FilterSet

from core.filters import StrictBooleanFilter, StrictChoiceFilter

from .models import Case

OPEN = "open"


class CaseFilter(FilterSet):
    """Narrow a queryset of cases the caller may already see (scoping comes first)."""

    q = CharFilter(
        method="filter_q",
        max_length=300,
        label=_("Tìm kiếm"),
        help_text=_("Số hồ sơ, tiêu đề, nhà báo hoặc cơ quan báo chí."),
    )
    status = StrictChoiceFilter(
        choices=[(OPEN, _("Đang xử lý"))] + list(Case.Status.choices),
        method="filter_status",
        label=_("Trạng thái"),
        help_text=_("open = mọi trạng thái đang xử lý."),
    )
    kind = StrictChoiceFilter(choices=Case.Kind.choices, label=_("Loại"))
    organisation = CharFilter(
        field_name="organisation__code",
        max_length=64,
        label=_("Mã cơ quan"),
    )
    overdue = StrictBooleanFilter(
        method="filter_overdue",
        label=_("Quá hạn"),
        help_text=_("1 = hồ sơ đang xử lý đã quá hạn."),
    )

    class Meta:
        model = Case
        fields = ["q", "status", "kind", "organisation", "overdue"]

    def filter_q(self, queryset, name, value):
        q = value.strip()
        if not q:
            return queryset
        return queryset.filter(
            Q(reference__icontains=q)
            | Q(subject__icontains=q)
            | Q(journalist__first_name__icontains=q)
            | Q(journalist__last_name__icontains=q)
            | Q(journalist__username__icontains=q)
            | Q(press_agency__name__icontains=q)
        )

    def filter_status(self, queryset, name, value):
        if value == OPEN:
            return queryset.filter(status__in=Case.OPEN_STATUSES)
        return queryset.filter(status=value)

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        late = Q(status__in=Case.OPEN_STATUSES, due_at__lt=timezone.now())
        return queryset.filter(late) if value else queryset.exclude(late)
