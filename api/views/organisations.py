"""Organisations: the public list of active ones."""

from drf_spectacular.utils import extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny

from roles.models import Organisation

from ..serializers.organisations import OrganisationSerializer
from .base import ApiMixin


@extend_schema(tags=["organisations"], auth=[])
class OrganisationListView(ApiMixin, ListAPIView):
    """Active organisations that receive journalists' questions (public; NĐ 244 Art. 2.1)."""

    permission_classes = [AllowAny]
    serializer_class = OrganisationSerializer

    def get_queryset(self):
        return (
            Organisation.objects.filter(is_active=True, receives_press_questions=True)
            .select_related("parent")
            .order_by("code")
        )
