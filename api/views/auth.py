"""Auth: exchange a password for a token, list and revoke tokens, who am I."""

from django.contrib.auth import authenticate, user_logged_in
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status as http
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from roles.models import JournalistProfile, Membership

from .. import services as token_services
from ..models import ApiToken
from ..serializers.auth import (
    ApiTokenSerializer,
    MeSerializer,
    TokenRequestSerializer,
    TokenSerializer,
)
from ..throttling import LoginThrottle
from .base import ApiMixin


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
        request=TokenRequestSerializer,
        responses={200: TokenSerializer},
        auth=[],
        tags=["auth"],
        summary="Lấy mã truy cập (token)",
        description="Each login issues a new token, valid for API_TOKEN_TTL_DAYS days. "
        "The key is in this answer only: the server keeps just a digest.",
    )
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
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
        token, key = token_services.token_create(user=user)
        # Same signal as a web login: last_login and the ledger's auth.login event.
        user_logged_in.send(sender=user.__class__, request=request._request, user=user)
        return Response(
            TokenSerializer({"token": key, "expires_at": token.expiry}).data,
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
            token_services.token_revoke(token=request.auth, by=request.user, reason="self")
        return Response(status=http.HTTP_204_NO_CONTENT)


class TokenListView(ApiMixin, ListAPIView):
    """The caller's own tokens (never a key); revoke them all at once."""

    serializer_class = ApiTokenSerializer
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
        token_services.token_revoke_all(user=request.user, by=request.user, reason="self")
        return Response(status=http.HTTP_204_NO_CONTENT)


class TokenDetailView(ApiMixin, APIView):
    """Revoke one of the caller's own tokens (another user's is 404)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={204: None}, tags=["auth"], summary="Thu hồi một mã truy cập")
    def delete(self, request, pk: int):
        if pk > 2**63 - 1:  # beyond any id (and any database integer)
            raise NotFound()
        token = get_object_or_404(ApiToken.objects.filter(user=request.user), pk=pk)
        token_services.token_revoke(token=token, by=request.user, reason="self")
        return Response(status=http.HTTP_204_NO_CONTENT)


class MeView(ApiMixin, APIView):
    """Who the token belongs to and their current roles."""

    @extend_schema(responses={200: MeSerializer}, tags=["auth"])
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
