"""Press cases: a journalist submits, follows and clarifies theirs; staff read them."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import status as http
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from roles.models import JournalistProfile, Organisation
from workflows.cases import complaints, intake
from workflows.cases import selectors as case_selectors
from workflows.cases.filters import CaseFilter
from workflows.cases.models import Case
from workflows.timeline import cases_events

from ..serializers.cases import (
    CaseCreateSerializer,
    CaseSerializer,
    ClarificationReplySerializer,
    ComplaintAcceptanceSerializer,
    ComplaintConclusionSerializer,
)
from ..throttling import CaseSubmitThrottle
from .base import ERROR_409, ApiMixin


def cases_for(user):
    """Cases `user` may read: their own as a journalist, their organisations' as staff.

    One UNION of the two scopes' ids: an OR of two sub-queries made PostgreSQL scan every case
    (and again for the page's count); each scope alone reads its own indexes.
    """
    if user.is_superuser:
        return Case.objects.all()
    own = case_selectors.cases_visible_to_journalist(user).order_by().values("pk")
    staff = case_selectors.case_ids_visible_to_staff(user)
    return Case.objects.filter(pk__in=own.union(staff))


class CaseViewSet(ApiMixin, GenericViewSet):
    """Press cases: a journalist submits and follows theirs; staff read their organisations'."""

    lookup_value_regex = "[0-9]+"

    serializer_class = CaseSerializer
    # The staff case list uses the same FilterSet: same parameters, same meaning.
    filter_backends = [DjangoFilterBackend]
    filterset_class = CaseFilter
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Case.objects.none()
        return (
            cases_for(self.request.user)
            .select_related(
                "organisation",
                "document",
                "document__organisation",
                "complaint_notice",
                "journalist__journalist_profile",
            )
            .prefetch_related("topics")
            .order_by("-received_at", "-pk")
        )

    def get_throttles(self):
        throttles = super().get_throttles()
        if self.action == "create":
            throttles.append(CaseSubmitThrottle())
        return throttles

    def _context(self, cases) -> dict:
        ids = [c.pk for c in cases]
        staff_ids = set(
            case_selectors.cases_visible_to_staff(self.request.user)
            .filter(pk__in=ids)
            .values_list("pk", flat=True)
        )
        return {
            **self.get_serializer_context(),
            "staff_case_ids": staff_ids,
            "case_events": cases_events(ids),
        }

    def _one(self, case) -> dict:
        return CaseSerializer(case, context=self._context([case])).data

    @extend_schema(tags=["cases"])
    def list(self, request):
        # Scoped first (get_queryset), then narrowed by workflows.cases.filters.CaseFilter.
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        data = CaseSerializer(page, many=True, context=self._context(page)).data
        return self.get_paginated_response(data)

    @extend_schema(tags=["cases"])
    def retrieve(self, request, pk=None):
        return Response(self._one(self._get(pk)))

    def _get(self, pk) -> Case:
        if not str(pk).isdigit():
            raise NotFound()
        return get_object_or_404(self.get_queryset(), pk=int(pk))

    @extend_schema(
        request={
            "application/json": CaseCreateSerializer,
            "multipart/form-data": CaseCreateSerializer,
        },
        responses={201: CaseSerializer},
        tags=["cases"],
        summary="Gửi hồ sơ (nhà báo)",
    )
    def create(self, request):
        if not JournalistProfile.objects.filter(user=request.user).exists():
            raise PermissionDenied(_("Chỉ tài khoản nhà báo mới gửi được câu hỏi."))
        form = CaseCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        organisation = Organisation.objects.filter(code=data["organisation"]).first()
        if organisation is None:
            raise ValidationError({"organisation": [_("Không có cơ quan mã này.")]})
        letter = data.get("request_letter")
        case = intake.case_submit(
            journalist=request.user,
            organisation=organisation,
            kind=data["kind"],
            subject=data["subject"],
            questions=data["questions"],
            purpose=data.get("purpose", ""),
            desired_form=data.get("desired_form") or Case.DesiredForm.WRITTEN,
            attachments=[intake.Upload.from_file(f) for f in data["attachments"]],
            request_letter=intake.Upload.from_file(letter) if letter else None,
            channel=Case.Channel.API,
        )
        case = self.get_queryset().get(pk=case.pk)
        body = self._one(case)
        return Response(
            body,
            status=http.HTTP_201_CREATED,
            headers={"Location": request.build_absolute_uri(f"{case.pk}/")},
        )

    @extend_schema(
        request=ClarificationReplySerializer,
        responses={200: CaseSerializer, 409: ERROR_409},
        tags=["cases"],
        summary="Nhà báo gửi nội dung làm rõ",
    )
    @action(detail=True, methods=["post"])
    def clarify(self, request, pk=None):
        case = self._get(pk)
        form = ClarificationReplySerializer(data=request.data)
        form.is_valid(raise_exception=True)
        intake.case_clarification_reply(
            case=case,
            by=request.user,
            message=form.validated_data["message"],
        )
        return Response(self._one(self.get_queryset().get(pk=case.pk)))

    def _staff_case(self, pk) -> Case:
        case = self._get(pk)
        if not case_selectors.case_visible_to_staff(self.request.user, case):
            raise PermissionDenied(_("Chỉ cán bộ của cơ quan được ghi việc này."))
        return case

    @extend_schema(
        request=ComplaintAcceptanceSerializer,
        responses={200: CaseSerializer, 409: ERROR_409},
        tags=["cases"],
        summary="Ghi việc thụ lý khiếu nại, tố cáo và phát hành thông báo (lãnh đạo)",
    )
    @action(detail=True, methods=["post"], url_path="complaint-acceptance")
    def complaint_acceptance(self, request, pk=None):
        case = self._staff_case(pk)
        form = ComplaintAcceptanceSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        complaints.case_complaint_accept(case=case, by=request.user, **form.validated_data)
        return Response(self._one(self.get_queryset().get(pk=case.pk)))

    @extend_schema(
        request=ComplaintConclusionSerializer,
        responses={200: CaseSerializer, 409: ERROR_409},
        tags=["cases"],
        summary="Ghi kết luận giải quyết khiếu nại, tố cáo (bắt đầu tính hạn 05 ngày làm việc)",
    )
    @action(detail=True, methods=["post"], url_path="complaint-conclusion")
    def complaint_conclusion(self, request, pk=None):
        case = self._staff_case(pk)
        form = ComplaintConclusionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        complaints.case_complaint_conclude(case=case, by=request.user, **form.validated_data)
        return Response(self._one(self.get_queryset().get(pk=case.pk)))
