"""The statement list's filters: one FilterSet for the staff page and the API."""

from django.utils.translation import gettext_lazy as _
from django_filters import CharFilter

from core.filters import StrictChoiceFilter
from workflows.engine.filters import OPEN, ArtifactFilter

from .models import Statement


class StatementFilter(ArtifactFilter):
    """Narrow a queryset of statements the caller may already see (scoping comes first)."""

    search_fields = ("reference", "title")

    q = CharFilter(
        method="filter_q",
        max_length=300,
        label=_("Tìm kiếm"),
        help_text=_("Số hiệu hoặc tiêu đề."),
    )
    status = StrictChoiceFilter(
        choices=[(OPEN, _("Đang xử lý"))] + list(Statement.Status.choices),
        method="filter_status",
        label=_("Trạng thái"),
        help_text=_("open = đang soạn thảo, xem xét, chờ ký hoặc đang phát hành."),
    )
    kind = StrictChoiceFilter(choices=Statement.Kind.choices, label=_("Loại"))
    organisation = CharFilter(
        field_name="organisation__code",
        max_length=64,
        label=_("Mã cơ quan"),
    )

    class Meta:
        model = Statement
        fields = ["q", "status", "kind", "organisation"]
