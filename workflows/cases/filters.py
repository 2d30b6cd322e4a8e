"""The case list's filters: one FilterSet for the staff page and the API."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import CharFilter

from core.filters import StrictBooleanFilter, StrictChoiceFilter
from workflows.engine.filters import OPEN, ArtifactFilter

from .models import Case


class CaseFilter(ArtifactFilter):
    """Narrow a queryset of cases the caller may already see (scoping comes first)."""

    search_fields = (
        "reference",
        "subject",
        "journalist__first_name",
        "journalist__last_name",
        "journalist__username",
        "press_agency__name",
    )

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

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        late = Q(status__in=Case.OPEN_STATUSES, due_at__lt=timezone.now())
        return queryset.filter(late) if value else queryset.exclude(late)
