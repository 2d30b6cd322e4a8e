"""Audit: inspectors read the ledger in their scope and verify its hash chain."""

from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

import audit
from audit import selectors as audit_selectors
from audit.exports import inspector_organisation, inspector_role
from audit.filters import EventFilter
from audit.models import LedgerEvent
from audit.verification import verification_run

from ..serializers.audit import (
    ChainVerifySerializer,
    LedgerEventSerializer,
)
from .base import ApiMixin, record_denied


def _scope(request):
    scope = audit_selectors.access_scope(request.user)
    if scope is None:
        record_denied(request)
        raise PermissionDenied(_("Chỉ thanh tra mới được xem nhật ký kiểm toán."))
    return scope


def _record_inspection(request, scope, action_name: str, **kwargs) -> None:
    audit.record(
        action=action_name,
        actor=request.user,
        actor_role=inspector_role(request.user),
        organisation=inspector_organisation(request.user, scope),
        **kwargs,
    )


class AuditEventListView(ApiMixin, ListAPIView):
    """Inspectors: ledger events in their scope, newest first (each read is itself logged)."""

    # The scope check (and its logged refusal) is _scope(): AUDIT_ACCESS_POLICY decides.
    permission_classes = [IsAuthenticated]
    serializer_class = LedgerEventSerializer
    queryset = LedgerEvent.objects.none()  # for the schema; list() reads the scoped ledger
    filter_backends = [DjangoFilterBackend]  # documents EventFilter's parameters
    filterset_class = EventFilter

    @extend_schema(tags=["audit"])
    def list(self, request):
        scope = _scope(request)
        # The inspector's page and its exports use the same FilterSet (audit.filters).
        event_filter = EventFilter(
            request.query_params,
            queryset=audit_selectors.events_in_scope(scope),
            scope=scope,
            request=request,
        )
        if not event_filter.is_valid():
            raise translate_validation(event_filter.errors)
        qs = event_filter.qs.order_by("-seq")
        page = self.paginate_queryset(qs)
        _record_inspection(
            request,
            scope,
            "audit.view_events",
            target_type="audit.ledger",
            after={
                "filters": event_filter.form.filters(),
                "page": self.paginator.page.number,
                "via": "api",
            },
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class AuditVerifyView(ApiMixin, APIView):
    """Inspectors: recompute the whole hash chain now and report the first broken event."""

    # The scope check (and its logged refusal) is _scope(): AUDIT_ACCESS_POLICY decides.
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: ChainVerifySerializer}, tags=["audit"])
    def get(self, request):
        scope = _scope(request)
        _record_inspection(
            request, scope, "audit.verify_request", target_type="audit.ledger", after={"via": "api"}
        )
        run = verification_run()
        head = audit_selectors.chain_status()["head"]
        return Response(
            {
                "ok": run.ok,
                "events": run.events_checked,
                "anchors": run.anchors_checked,
                "head": head,
                "first_bad_seq": run.first_bad_seq,
                "reason": run.reason,
                "message": run.message,
            }
        )
