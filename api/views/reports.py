"""Reports: an organisation's case figures for a period (issue 14)."""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from reports import access, annual, selectors
from reports.forms import period_errors
from reports.models import AnnualReport
from roles.models import Organisation

from ..serializers.reports import (
    AnnualReportQuerySerializer,
    AnnualReportSerializer,
    CaseReportQuerySerializer,
    CaseReportSerializer,
)
from .base import ApiMixin, record_denied


class CaseReportView(ApiMixin, APIView):
    """Staff, inspectors of the organisation, leaders above it: its cases in a period.

    Cases are counted by received date, from/to inclusive in Vietnam time.
    """

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[CaseReportQuerySerializer],
        responses={200: CaseReportSerializer},
        tags=["reports"],
    )
    def get(self, request):
        query = CaseReportQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        start, end = data["from"], data["to"]
        errors = period_errors(start, end)
        if errors:
            raise ValidationError({field: [message] for field, message in errors.items()})
        organisation = Organisation.objects.filter(code=data["organisation"]).first()
        if organisation is None:
            raise ValidationError({"organisation": [_("Không có cơ quan này.")]})
        scope = access.report_scope(request.user, organisation)
        if scope is None or (data["subordinates"] and scope != access.SUBTREE):
            record_denied(request)
            raise PermissionDenied(_("Bạn không có quyền xem báo cáo của cơ quan này."))
        ids = selectors.subtree_ids(organisation) if data["subordinates"] else [organisation.pk]
        figures = selectors.case_summary(ids, selectors.Period(start, end), timezone.now())
        body = {
            "organisation": organisation.code,
            "from": start,
            "to": end,
            "subordinates": data["subordinates"],
            **figures,
        }
        return Response(CaseReportSerializer(body).data)


class AnnualReportView(ApiMixin, APIView):
    """The annual report's figures (NĐ 244/2026 Art. 10): frozen once the report is made,
    provisional before. Staff, inspectors of the organisation and leaders above it."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[AnnualReportQuerySerializer],
        responses={200: AnnualReportSerializer},
        tags=["reports"],
    )
    def get(self, request, year: int):
        query = AnnualReportQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        if not 2000 <= year <= timezone.localdate().year:
            raise ValidationError({"year": [_("Chỉ có báo cáo của năm nay và các năm trước.")]})
        organisation = Organisation.objects.filter(
            code=query.validated_data["organisation"]
        ).first()
        if organisation is None:
            raise ValidationError({"organisation": [_("Không có cơ quan này.")]})
        if access.report_scope(request.user, organisation) is None:
            record_denied(request)
            raise PermissionDenied(_("Bạn không có quyền xem báo cáo của cơ quan này."))
        report = (
            AnnualReport.objects.filter(organisation=organisation, year=year)
            .select_related("statement__document")
            .first()
        )
        period = annual.annual_period(year)
        statement = report.statement if report else None
        document = statement.document if statement else None
        body = {
            "organisation": organisation.code,
            "year": year,
            "from": period.start,
            "to": period.end,
            "frozen": report is not None,
            "generated_at": report.generated_at if report else None,
            "status": statement.status if statement else None,
            "document": document.number_display if document and document.number else None,
            "figures": report.figures if report else annual.annual_figures(organisation, year),
        }
        return Response(AnnualReportSerializer(body).data)
