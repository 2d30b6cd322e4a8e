"""Audit: inspectors read the ledger in their scope and verify its hash chain."""

from datetime import date

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

import audit
from audit import selectors as audit_selectors
from audit.exports import inspector_organisation, inspector_role
from audit.forms import EventFilterForm
from audit.models import LedgerEvent
from audit.verification import verification_run

from ..serializers.audit import (
    AuditEventFilterSerializer,
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


AUDIT_DATE_MIN, AUDIT_DATE_MAX = date(1900, 1, 1), date(9000, 12, 31)


class AuditEventListView(ApiMixin, ListAPIView):
    """Inspectors: ledger events in their scope, newest first (each read is itself logged)."""

    # The scope check (and its logged refusal) is _scope(): AUDIT_ACCESS_POLICY decides.
    permission_classes = [IsAuthenticated]
    serializer_class = LedgerEventSerializer
    queryset = LedgerEvent.objects.none()  # for the schema; list() reads the scoped ledger

    @extend_schema(parameters=[AuditEventFilterSerializer], tags=["audit"])
    def list(self, request):
        scope = _scope(request)
        params = {k: v for k, v in request.query_params.items() if k in EventFilterForm.base_fields}
        form = EventFilterForm(params, scope=scope)
        if not form.is_valid():
            raise ValidationError(
                {field: [str(e) for e in errors] for field, errors in form.errors.items()}
            )
        for name in ("date_from", "date_to"):
            # Day bounds are computed in +07:00 and compared in UTC: year 1 or 9999 overflow.
            value = form.cleaned_data.get(name)
            if value and not (AUDIT_DATE_MIN <= value <= AUDIT_DATE_MAX):
                raise ValidationError({name: [_("Ngày nằm ngoài khoảng cho phép.")]})
        qs = audit_selectors.events_filter(
            audit_selectors.events_in_scope(scope), **form.query_kwargs()
        ).order_by("-seq")
        page = self.paginate_queryset(qs)
        _record_inspection(
            request,
            scope,
            "audit.view_events",
            target_type="audit.ledger",
            after={"filters": form.filters(), "page": self.paginator.page.number, "via": "api"},
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
