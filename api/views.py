"""REST API v1 endpoints: thin views over workflows, release, audit and roles services."""

from datetime import date

from django.conf import settings
from django.contrib.auth import authenticate, user_logged_in
from django.contrib.auth.decorators import login_not_required
from django.db.models import Q
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, PolymorphicProxySerializer, extend_schema
from rest_framework import serializers as drf_serializers
from rest_framework import status as http
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.viewsets import GenericViewSet
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

import audit
from audit import selectors as audit_selectors
from audit.exports import inspector_organisation, inspector_role
from audit.forms import EventFilterForm
from audit.models import LedgerEvent
from audit.tasks import run_verification
from release import access as release_access
from release import verification as release_verification
from release.models import IssuedDocument
from release.newsroom.publication import publications_public
from roles.models import JournalistProfile, Membership, Organisation
from workflows import selectors as case_selectors
from workflows import services as case_services
from workflows import statement_services
from workflows.case_models import Case
from workflows.statement_models import Statement

from . import serializers as s
from . import services as token_services
from .errors import TooLarge
from .models import ApiToken
from .permissions import IsStaff
from .throttling import CaseSubmitThrottle, LoginThrottle

ERROR_409 = OpenApiResponse(description="invalid_state")


class ApiMixin:
    """Public routes (LoginRequiredMiddleware leaves them to DRF) with request body limits."""

    @classmethod
    def as_view(cls, *args, **kwargs):
        return login_not_required(super().as_view(*args, **kwargs))

    def initial(self, request, *args, **kwargs):
        # Before authentication: the CSRF check of session auth may already parse the body.
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        multipart = (request.content_type or "").startswith("multipart/")
        limit = settings.API_MAX_UPLOAD_REQUEST_BYTES if multipart else settings.API_MAX_BODY_BYTES
        if length > limit:
            raise TooLarge(
                _("Dữ liệu gửi lên vượt quá %(n)d byte.") % {"n": limit},
            )
        super().initial(request, *args, **kwargs)


def _record_denied(request) -> None:
    """Log a refusal the way the web pages do (`access.denied`)."""
    audit.record(
        action="access.denied",
        actor=request.user if request.user.is_authenticated else None,
        target_type="page",
        target_id=request.path[:64],
        request=request._request,
    )


# ---------------------------------------------------------------- auth


class TokenView(ApiMixin, APIView):
    """Exchange a username and password for a new API token, or revoke the token in use."""

    def get_authenticators(self):
        # Logging in needs no credentials (and no CSRF token); revoking needs them.
        if self.request is not None and self.request.method == "POST":
            return []
        return super().get_authenticators()

    def get_permissions(self):
        if self.request is not None and self.request.method == "POST":
            return [AllowAny()]
        return [IsAuthenticated()]

    def get_throttles(self):
        # Only logging in is slowed per client address; revoking counts as any signed-in call.
        if self.request is not None and self.request.method == "POST":
            return [LoginThrottle()]
        return super().get_throttles()

    @extend_schema(
        request=s.TokenRequestSerializer,
        responses={200: s.TokenSerializer},
        auth=[],
        tags=["auth"],
        summary="Lấy mã truy cập (token)",
        description="Each login issues a new token, valid for API_TOKEN_TTL_DAYS days. "
        "The key is in this answer only: the server keeps just a digest.",
    )
    def post(self, request):
        data = s.TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(
            request=request._request,
            username=data.validated_data["username"],
            password=data.validated_data["password"],
        )
        if user is None or not user.is_active:
            raise ValidationError(
                {"non_field_errors": [_("Tên đăng nhập hoặc mật khẩu không đúng.")]}
            )
        token, key = token_services.token_create(user=user, request=request._request)
        # Same signal as a web login: last_login and the ledger's auth.login event.
        user_logged_in.send(sender=user.__class__, request=request._request, user=user)
        return Response(
            s.TokenSerializer({"token": key, "expires_at": token.expiry}).data,
            headers={"Cache-Control": "no-store"},
        )

    @extend_schema(
        responses={204: None},
        tags=["auth"],
        summary="Thu hồi mã truy cập đang dùng",
        description="Revoke the token sent with this request (nothing with a session).",
    )
    def delete(self, request):
        if isinstance(request.auth, ApiToken):
            token_services.token_revoke(
                token=request.auth, by=request.user, reason="self", request=request._request
            )
        return Response(status=http.HTTP_204_NO_CONTENT)


class TokenListView(ApiMixin, ListAPIView):
    """The caller's own tokens (never a key); revoke them all at once."""

    serializer_class = s.ApiTokenSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ApiToken.objects.none()
        return token_services.tokens_of(self.request.user).order_by("-created", "-id")

    @extend_schema(tags=["auth"], summary="Các mã truy cập của tôi")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        responses={204: None},
        tags=["auth"],
        summary="Thu hồi mọi mã truy cập của tôi",
        operation_id="auth_tokens_destroy_all",
    )
    def delete(self, request):
        token_services.token_revoke_all(
            user=request.user, by=request.user, reason="self", request=request._request
        )
        return Response(status=http.HTTP_204_NO_CONTENT)


class TokenDetailView(ApiMixin, APIView):
    """Revoke one of the caller's own tokens (another user's is 404)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={204: None}, tags=["auth"], summary="Thu hồi một mã truy cập")
    def delete(self, request, pk: int):
        if pk > 2**63 - 1:  # beyond any id (and any database integer)
            raise NotFound()
        token = get_object_or_404(ApiToken.objects.filter(user=request.user), pk=pk)
        token_services.token_revoke(
            token=token, by=request.user, reason="self", request=request._request
        )
        return Response(status=http.HTTP_204_NO_CONTENT)


class MeView(ApiMixin, APIView):
    """Who the token belongs to and their current roles."""

    @extend_schema(responses={200: s.MeSerializer}, tags=["auth"])
    def get(self, request):
        user = request.user
        memberships = [
            {"organisation": m.organisation.code, "role": m.role, "title": m.title}
            for m in Membership.objects.current()
            .filter(user=user)
            .select_related("organisation")
            .order_by("organisation__code", "role")
        ]
        return Response(
            {
                "username": user.get_username(),
                "full_name": user.get_full_name(),
                "is_journalist": JournalistProfile.objects.filter(user=user).exists(),
                "memberships": memberships,
            }
        )


# ---------------------------------------------------------------- organisations


@extend_schema(tags=["organisations"], auth=[])
class OrganisationListView(ApiMixin, ListAPIView):
    """Active organisations (public)."""

    permission_classes = [AllowAny]
    serializer_class = s.OrganisationSerializer

    def get_queryset(self):
        return Organisation.objects.filter(is_active=True).select_related("parent").order_by("code")


# ---------------------------------------------------------------- cases


class CaseFilterSerializer(drf_serializers.Serializer):
    status = drf_serializers.ChoiceField(choices=Case.Status.choices, required=False)
    kind = drf_serializers.ChoiceField(choices=Case.Kind.choices, required=False)
    organisation = drf_serializers.CharField(required=False, max_length=64)


def cases_for(user):
    """Cases `user` may read: their own as a journalist, their organisations' as staff."""
    own = case_selectors.cases_visible_to_journalist(user)
    staff = case_selectors.cases_visible_to_staff(user)
    return Case.objects.filter(Q(pk__in=own.values("pk")) | Q(pk__in=staff.values("pk")))


class CaseViewSet(ApiMixin, GenericViewSet):
    """Press cases: a journalist submits and follows theirs; staff read their organisations'."""

    lookup_value_regex = "[0-9]+"

    serializer_class = s.CaseSerializer
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
                "journalist__journalist_profile",
            )
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
        return {**self.get_serializer_context(), "staff_case_ids": staff_ids}

    def _one(self, case) -> dict:
        return s.CaseSerializer(case, context=self._context([case])).data

    @extend_schema(parameters=[CaseFilterSerializer], tags=["cases"])
    def list(self, request):
        filters = CaseFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        qs = self.get_queryset()
        for key in ("status", "kind"):
            if filters.validated_data.get(key):
                qs = qs.filter(**{key: filters.validated_data[key]})
        if filters.validated_data.get("organisation"):
            qs = qs.filter(organisation__code=filters.validated_data["organisation"])
        page = self.paginate_queryset(qs)
        data = s.CaseSerializer(page, many=True, context=self._context(page)).data
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
            "application/json": s.CaseCreateSerializer,
            "multipart/form-data": s.CaseCreateSerializer,
        },
        responses={201: s.CaseSerializer},
        tags=["cases"],
        summary="Gửi hồ sơ (nhà báo)",
    )
    def create(self, request):
        if not JournalistProfile.objects.filter(user=request.user).exists():
            raise PermissionDenied(_("Chỉ tài khoản nhà báo mới gửi được câu hỏi."))
        form = s.CaseCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        organisation = Organisation.objects.filter(code=data["organisation"]).first()
        if organisation is None:
            raise ValidationError({"organisation": [_("Không có cơ quan mã này.")]})
        letter = data.get("request_letter")
        case = case_services.case_submit(
            journalist=request.user,
            organisation=organisation,
            kind=data["kind"],
            subject=data["subject"],
            questions=data["questions"],
            purpose=data.get("purpose", ""),
            desired_form=data.get("desired_form") or Case.DesiredForm.WRITTEN,
            attachments=[case_services.Upload.from_file(f) for f in data["attachments"]],
            request_letter=case_services.Upload.from_file(letter) if letter else None,
            channel=Case.Channel.API,
            request=request._request,
        )
        case = self.get_queryset().get(pk=case.pk)
        body = self._one(case)
        return Response(
            body,
            status=http.HTTP_201_CREATED,
            headers={"Location": request.build_absolute_uri(f"{case.pk}/")},
        )

    @extend_schema(
        request=s.ClarificationReplySerializer,
        responses={200: s.CaseSerializer, 409: ERROR_409},
        tags=["cases"],
        summary="Nhà báo gửi nội dung làm rõ",
    )
    @action(detail=True, methods=["post"])
    def clarify(self, request, pk=None):
        case = self._get(pk)
        form = s.ClarificationReplySerializer(data=request.data)
        form.is_valid(raise_exception=True)
        case_services.case_clarification_reply(
            case=case,
            by=request.user,
            message=form.validated_data["message"],
            request=request._request,
        )
        return Response(self._one(self.get_queryset().get(pk=case.pk)))


# ---------------------------------------------------------------- tasks


def _human_tasks():
    """The human steps of press cases and of outbound statements."""
    from workflows.flows import CaseFlow, StatementFlow

    return Task.objects.filter(
        Q(process__flow_class=CaseFlow) | Q(process__flow_class=StatementFlow),
        flow_task_type="HUMAN",
    )


OPEN = [STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED]


def tasks_for(user) -> list[Task]:
    """Open tasks `user` may act on now: the queue they may claim and their own."""
    base = _human_tasks()
    queue = base.filter(status=STATUS.NEW).user_queue(user)
    mine = base.filter(owner=user, status__in=[STATUS.ASSIGNED, STATUS.STARTED])
    tasks = (
        base.filter(Q(pk__in=queue.values("pk")) | Q(pk__in=mine.values("pk")))
        .select_related("process", "owner")
        .order_by("created", "pk")
    )
    return [t for t in tasks if case_services.task_can_act(user, t)]


class TaskViewSet(ApiMixin, GenericViewSet):
    """Staff: the human steps of press cases and statements they may act on; claim and
    complete them."""

    lookup_value_regex = "[0-9]+"

    serializer_class = s.TaskSerializer
    permission_classes = [IsStaff]

    def get_queryset(self):  # for the schema generator; lists use tasks_for()
        return _human_tasks()

    def _task(self, pk) -> Task:
        if not str(pk).isdigit():
            raise NotFound()
        return get_object_or_404(_human_tasks().select_related("process", "owner"), pk=int(pk))

    @extend_schema(tags=["tasks"])
    def list(self, request):
        page = self.paginate_queryset(tasks_for(request.user))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(tags=["tasks"])
    def retrieve(self, request, pk=None):
        task = self._task(pk)
        may_see = task.status in OPEN and case_services.task_can_act(request.user, task)
        if not may_see or (task.owner_id and task.owner_id != request.user.pk):
            raise NotFound()
        return Response(self.get_serializer(task).data)

    @extend_schema(
        request=None,
        responses={200: s.TaskSerializer, 409: ERROR_409},
        tags=["tasks"],
        summary="Nhận công việc",
    )
    @action(detail=True, methods=["post"])
    def claim(self, request, pk=None):
        task = case_services.task_claim(task=self._task(pk), by=request.user)
        return Response(self.get_serializer(self._task(task.pk)).data)

    @extend_schema(
        request=s.TaskCompleteSerializer,
        responses={
            200: PolymorphicProxySerializer(
                component_name="TaskArtifact",
                serializers=[s.CaseSerializer, s.StatementSerializer],
                resource_type_field_name=None,
            ),
            409: ERROR_409,
        },
        tags=["tasks"],
        summary="Hoàn thành công việc với một thao tác",
        description="Trả về hồ sơ (công việc của hồ sơ) hoặc thông tin phát ngôn.",
    )
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        task = self._task(pk)
        form = s.TaskCompleteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        artifact = case_services.task_complete(
            task=task,
            by=request.user,
            action=form.validated_data["action"],
            data=form.service_data(),
            request=request._request,
        )
        if isinstance(artifact, Statement):
            statement = Statement.objects.select_related(*s.statement_related()).get(pk=artifact.pk)
            return Response(
                s.StatementSerializer(statement, context=self.get_serializer_context()).data
            )
        case = Case.objects.select_related("organisation", "document").get(pk=artifact.pk)
        staff_ids = {case.pk} if case_selectors.case_visible_to_staff(request.user, case) else set()
        context = {**self.get_serializer_context(), "staff_case_ids": staff_ids}
        return Response(s.CaseSerializer(case, context=context).data)


# ---------------------------------------------------------------- statements


class StatementFilterSerializer(drf_serializers.Serializer):
    status = drf_serializers.ChoiceField(
        choices=[("open", "open")] + Statement.Status.choices,
        required=False,
        allow_blank=True,
        help_text="open = drafting, review, signoff or releasing",
    )
    kind = drf_serializers.ChoiceField(
        choices=Statement.Kind.choices, required=False, allow_blank=True
    )
    organisation = drf_serializers.CharField(required=False, max_length=64, allow_blank=True)
    q = drf_serializers.CharField(
        required=False, max_length=300, allow_blank=True, help_text="Số hiệu hoặc tiêu đề."
    )


STATEMENT_OR_PUBLIC = PolymorphicProxySerializer(
    component_name="StatementOrPublished",
    serializers=[s.StatementSerializer, s.PublicStatementSerializer],
    resource_type_field_name=None,
)


class StatementViewSet(ApiMixin, GenericViewSet):
    """Staff: outbound statements of their organisations (and their own drafts).

    Anyone else (anonymous callers, journalists) reads the published ones only, under the
    newsroom's rule (release.newsroom.publication.publications_public: issued, publish_at passed).
    """

    lookup_value_regex = "[0-9]+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    serializer_class = s.StatementSerializer
    permission_classes = [IsStaff]
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
            return s.PublicStatementSerializer
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
            case_selectors.statements_visible_to_staff(self.request.user)
            .select_related(*s.statement_related())
            .prefetch_related("invited_agencies")
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
        parameters=[StatementFilterSerializer],
        responses={200: STATEMENT_OR_PUBLIC},
        tags=["statements"],
        description="Staff: their organisations' statements. Anyone else (no credentials "
        "needed): the published ones (PublicStatement).",
    )
    def list(self, request):
        filters = StatementFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        qs = self.get_queryset()
        if data.get("status") == "open":
            qs = qs.filter(status__in=Statement.OPEN_STATUSES)
        elif data.get("status"):
            qs = qs.filter(status=data["status"])
        if data.get("kind"):
            qs = qs.filter(kind=data["kind"])
        if data.get("organisation"):
            qs = qs.filter(organisation__code=data["organisation"])
        q = (data.get("q") or "").strip()
        if q:
            qs = qs.filter(Q(reference__icontains=q) | Q(title__icontains=q))
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        responses={200: STATEMENT_OR_PUBLIC},
        tags=["statements"],
    )
    def retrieve(self, request, pk=None):
        return Response(self._one(pk))

    @extend_schema(
        request=s.StatementCreateSerializer,
        responses={201: s.StatementSerializer},
        tags=["statements"],
        summary="Mở thông tin phát ngôn (chuyên viên, người phát ngôn)",
    )
    def create(self, request):
        form = s.StatementCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        organisation = Organisation.objects.filter(code=data["organisation"]).first()
        if organisation is None:
            raise ValidationError({"organisation": [_("Không có cơ quan mã này.")]})
        statement = statement_services.statement_create(
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
            invited_agencies=data.get("invited_agencies", ()),
            request=request._request,
        )
        return Response(
            self._one(statement.pk),
            status=http.HTTP_201_CREATED,
            headers={"Location": request.build_absolute_uri(f"{statement.pk}/")},
        )

    @extend_schema(
        request=s.StatementFieldsSerializer,
        responses={200: s.StatementSerializer, 409: ERROR_409},
        tags=["statements"],
        summary="Lưu bản nháp (chỉ ở bước soạn thảo)",
    )
    def partial_update(self, request, pk=None):
        statement = self._get(pk)
        form = s.StatementFieldsSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        statement_services.statement_draft_save(
            statement=statement,
            by=request.user,
            data=dict(form.validated_data),
            request=request._request,
        )
        return Response(self._one(statement.pk))

    @extend_schema(
        request=s.StatementRecordSerializer,
        responses={200: s.StatementSerializer, 409: ERROR_409},
        tags=["statements"],
        summary="Công bố biên bản họp báo",
    )
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        statement = self._get(pk)
        form = s.StatementRecordSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        statement_services.statement_record_attach(
            statement=statement,
            by=request.user,
            text=form.validated_data["text"],
            request=request._request,
        )
        return Response(self._one(statement.pk))

    @extend_schema(
        request=s.StatementWithdrawSerializer,
        responses={200: s.StatementSerializer, 409: ERROR_409},
        tags=["statements"],
        summary="Hủy thông tin chưa ký ban hành",
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        statement = self._get(pk)
        form = s.StatementWithdrawSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        statement_services.statement_withdraw(
            statement=statement,
            by=request.user,
            reason=form.validated_data["reason"],
            request=request._request,
        )
        return Response(self._one(statement.pk))


# ---------------------------------------------------------------- documents


class PdfRenderer(BaseRenderer):
    """Lets a client ask for `Accept: application/pdf`; the view streams the file itself."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


def document_readable_by(user, document: IssuedDocument) -> bool:
    """The same rule as the web download (release.selectors.document_downloadable_by)."""
    from release.selectors import document_downloadable_by

    return document_downloadable_by(user, document)


class DocumentViewSet(ApiMixin, GenericViewSet):
    """Issued (signed) documents: metadata and the signed PDF."""

    lookup_value_regex = "[0-9]+"

    serializer_class = s.DocumentSerializer
    queryset = IssuedDocument.objects.select_related("organisation")

    def _document(self, pk) -> IssuedDocument:
        if not str(pk).isdigit():
            raise NotFound()
        document = get_object_or_404(self.queryset, pk=int(pk))
        if not document_readable_by(self.request.user, document):
            _record_denied(self.request)
            raise PermissionDenied(_("Bạn không có quyền tải văn bản này."))
        return document

    @extend_schema(tags=["documents"])
    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(self._document(pk)).data)

    @extend_schema(
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
        tags=["documents"],
        summary="Tải tệp PDF đã ký",
    )
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, PdfRenderer])
    def pdf(self, request, pk=None):
        document = self._document(pk)
        if not document.pdf:
            raise NotFound(_("Văn bản chưa được phát hành."))
        release_access.document_download_record(
            document=document, by=request.user, request=request._request
        )
        return FileResponse(
            document.pdf.open("rb"),
            as_attachment=True,
            filename=document.number_display.replace("/", "-") + ".pdf",
            content_type="application/pdf",
        )


# ---------------------------------------------------------------- verification


class VerifyView(ApiMixin, APIView):
    """Anyone: check a PDF's signatures and whether it is in an outgoing register."""

    permission_classes = [AllowAny]
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": s.VerifyUploadSerializer},
        responses={200: s.VerifyResultSerializer},
        tags=["verify"],
        auth=[],
        summary="Kiểm tra tệp PDF đã ký",
    )
    def post(self, request):
        form = s.VerifyUploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        upload = form.validated_data["file"]
        limit = settings.RELEASE_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise TooLarge(_("Tệp quá lớn (tối đa %(mb)d MB).") % {"mb": limit // (1024 * 1024)})

        result = release_verification.document_verify_upload(upload.read(limit + 1))
        # An embargoed statement's PDF looks unregistered until it is published (as on the web).
        result = release_verification.verify_result_masked(result, request.user)
        document = None
        if result["document"]:
            info = result["document"]
            registered = (
                IssuedDocument.objects.select_related("organisation")
                .filter(verify_token=info["verify_token"])
                .first()
            )
            document = {
                "number": info["number"],
                "organisation": registered.organisation.code if registered else "",
                "organisation_name": info["agency"],
                "issued_at": info["issued_at"],
                "status": info["status"],
                "verify_url": request.build_absolute_uri(
                    reverse("release:verify", args=[info["verify_token"]])
                ),
            }
        return Response({**result, "document": document})


# ---------------------------------------------------------------- audit


def _scope(request):
    scope = audit_selectors.access_scope(request.user)
    if scope is None:
        _record_denied(request)
        raise PermissionDenied(_("Chỉ thanh tra mới được xem nhật ký kiểm toán."))
    return scope


def _record_inspection(request, scope, action_name: str, **kwargs) -> None:
    audit.record(
        action=action_name,
        actor=request.user,
        actor_role=inspector_role(request.user),
        organisation=inspector_organisation(request.user, scope),
        request=request._request,
        **kwargs,
    )


AUDIT_DATE_MIN, AUDIT_DATE_MAX = date(1900, 1, 1), date(9000, 12, 31)


class AuditEventFilterSerializer(drf_serializers.Serializer):
    date_from = drf_serializers.DateField(required=False, help_text="YYYY-MM-DD (giờ +07:00)")
    date_to = drf_serializers.DateField(required=False)
    organisation = drf_serializers.CharField(required=False, max_length=64)
    actor = drf_serializers.CharField(required=False, max_length=150)
    action = drf_serializers.CharField(required=False, max_length=100)
    target_type = drf_serializers.CharField(required=False, max_length=100)
    target_id = drf_serializers.CharField(required=False, max_length=64)


class AuditEventListView(ApiMixin, ListAPIView):
    """Inspectors: ledger events in their scope, newest first (each read is itself logged)."""

    # The scope check (and its logged refusal) is _scope(): AUDIT_ACCESS_POLICY decides.
    permission_classes = [IsAuthenticated]
    serializer_class = s.LedgerEventSerializer
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

    @extend_schema(responses={200: s.ChainVerifySerializer}, tags=["audit"])
    def get(self, request):
        scope = _scope(request)
        _record_inspection(
            request, scope, "audit.verify_request", target_type="audit.ledger", after={"via": "api"}
        )
        run = run_verification()
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
