"""What the list filters of every process share: search over named fields and "open" status."""

from django.db.models import Q
from django_filters import FilterSet

OPEN = "open"


class ArtifactFilter(FilterSet):
    """Base of CaseFilter and StatementFilter: each names its `search_fields`; the model's
    OPEN_STATUSES (engine.artifact.FlowArtifact) give the meaning of status=open."""

    search_fields: tuple[str, ...] = ()

    def filter_q(self, queryset, name, value):
        q = value.strip()
        if not q:
            return queryset
        match = Q()
        for field in self.search_fields:
            match |= Q(**{f"{field}__icontains": q})
        return queryset.filter(match)

    def filter_status(self, queryset, name, value):
        if value == OPEN:
            return queryset.filter(status__in=self._meta.model.OPEN_STATUSES)
        return queryset.filter(status=value)
