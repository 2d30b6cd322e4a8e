"""Outbound statements: staff draft and follow theirs; anyone reads the published ones."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from rest_framework import status as http
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from release.newsroom.publication import publications_public
from roles.models import Organisation
from workflows.statements import drafting, issue, steps
from workflows.statements import selectors as statement_selectors
from workflows.statements.filters import StatementFilter
from workflows.statements.models import Statement

from ..permissions import IsStaff
from ..serializers.statements import (
    PublicStatementSerializer,
    StatementCreateSerializer,
    StatementFieldsSerializer,
    StatementRecordSerializer,
    StatementSerializer,
    StatementWithdrawSerializer,
    statement_related,
)
from .base import ERROR_409, ApiMixin

STATEMENT_OR_PUBLIC = PolymorphicProxySerializer(
    component_name="StatementOrPublished",
    serializers=[StatementSerializer, PublicStatementSerializer],
    resource_type_field_name=None,
)


class StatementViewSet(ApiMixin, GenericViewSet):
    """Staff: outbound statements of their organisations (and their own drafts).

    Anyone else (anonymous callers, journalists) reads the published ones only, under the
    newsroom's rule (release.newsroom.publication.publications_public: issued, publish_at passed).
    """

    lookup_value_regex = "[0-9]+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    serializer_class = StatementSerializer
    permission_classes = [IsStaff]
    # The staff statement list uses the same FilterSet: same parameters, same meaning.
    filter_backends = [DjangoFilterBackend]
    filterset_class = StatementFilter
    PUBLIC_ACTIONS = ("list", "retrieve")

    def get_permissions(self):
        if self.action in self.PUBLIC_ACTIONS:
            return [AllowAny()]
        return super().get_permissions()

    def _staff(self) -> bool:
        if not hasattr(self, "_is_staff"):
            self._is_staff = IsStaff().has_permission(self.request, self)
        return self._is_staff

    def get_serializer_class(self):
        if self.request is not None and self.action in self.PUBLIC_ACTIONS and not self._staff():
            return PublicStatementSerializer
        return super().get_serializer_class()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Statement.objects.none()
        if self.action in self.PUBLIC_ACTIONS and not self._staff():
            published = publications_public(timezone.now()).values("document_id")
            return (
                Statement.objects.filter(document_id__in=published)
                .select_related("organisation", "document__publication__organisation", "document")
                .order_by("-document__publication__publish_at", "-pk")
            )
        return (
            statement_selectors.statements_visible_to_staff(self.request.user)
            .select_related(*statement_related())
            .prefetch_related("invited_agencies", "topics")
            .order_by("-created_at", "-pk")
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": timezone.now()}

    def _get(self, pk) -> Statement:
        if not str(pk).isdigit():
            raise NotFound()
        return get_object_or_404(self.get_queryset(), pk=int(pk))

    def _one(self, pk) -> dict:
        return self.get_serializer(self._get(pk)).data

    @extend_schema(
        responses={200: STATEMENT_OR_PUBLIC},
        tags=["statements"],
        description="Staff: their organisations' statements. Anyone else (no credentials "
        "needed): the published ones (PublicStatement).",
    )
    def list(self, request):
        # Scoped first (get_queryset: staff or published), then narrowed by StatementFilter.
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        responses={200: STATEMENT_OR_PUBLIC},
        tags=["statements"],
    )
    def retrieve(self, request, pk=None):
        return Response(self._one(pk))

    @extend_schema(
        request=StatementCreateSerializer,
        responses={201: StatementSerializer},
        tags=["statements"],
        summary="Mở thông tin phát ngôn (chuyên viên, người phát ngôn)",
    )
    def create(self, request):
        form = StatementCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        organisation = Organisation.objects.filter(code=data["organisation"]).first()
        if organisation is None:
            raise ValidationError({"organisation": [_("Không có cơ quan mã này.")]})
        statement = drafting.statement_create(
            organisation=organisation,
            by=request.user,
            kind=data["kind"],
            title=data["title"],
            body=data.get("body", ""),
            doc_type=data.get("doc_type", ""),
            clock_start_at=data.get("clock_start_at"),
            event_summary=data.get("event_summary", ""),
            embargo_at=data.get("embargo_at"),
            article_outlet=data.get("article_outlet", ""),
            article_title=data.get("article_title", ""),
            article_url=data.get("article_url", ""),
            article_published_on=data.get("article_published_on"),
            conference_at=data.get("conference_at"),
            conference_place=data.get("conference_place", ""),
            conference_content=data.get("conference_content", ""),
            conference_chair=data.get("conference_chair", ""),
            invited_agencies=data.get("invited_agencies", ()),
            topics=data.get("topics", ()),
        )
        return Response(
            self._one(statement.pk),
            status=http.HTTP_201_CREATED,
            headers={"Location": request.build_absolute_uri(f"{statement.pk}/")},
        )

    @extend_schema(
        request=StatementFieldsSerializer,
        responses={200: StatementSerializer, 409: ERROR_409},
        tags=["statements"],
        summary="Lưu bản nháp (chỉ ở bước soạn thảo)",
    )
    def partial_update(self, request, pk=None):
        statement = self._get(pk)
        form = StatementFieldsSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        steps.statement_draft_save(
            statement=statement,
            by=request.user,
            data=dict(form.validated_data),
        )
        return Response(self._one(statement.pk))

    @extend_schema(
        request=StatementRecordSerializer,
        responses={200: StatementSerializer, 409: ERROR_409},
        tags=["statements"],
        summary="Công bố biên bản họp báo",
    )
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        statement = self._get(pk)
        form = StatementRecordSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        issue.statement_record_attach(
            statement=statement,
            by=request.user,
            text=form.validated_data["text"],
        )
        return Response(self._one(statement.pk))

    @extend_schema(
        request=StatementWithdrawSerializer,
        responses={200: StatementSerializer, 409: ERROR_409},
        tags=["statements"],
        summary="Hủy thông tin chưa ký ban hành",
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        statement = self._get(pk)
        form = StatementWithdrawSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        drafting.statement_withdraw(
            statement=statement,
            by=request.user,
            reason=form.validated_data["reason"],
        )
        return Response(self._one(statement.pk))
