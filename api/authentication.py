"""`Authorization: Token <key>` checked against the stored digests (knox)."""

from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework import exceptions


class TokenAuthentication(KnoxTokenAuthentication):
    """Knox's check, with one message in the user's language and no 500 on a garbled key."""

    def authenticate(self, request):
        try:
            return super().authenticate(request)
        except (exceptions.AuthenticationFailed, UnicodeError, ValueError):
            raise exceptions.AuthenticationFailed(
                _("Mã truy cập không hợp lệ, đã hết hạn hoặc đã bị thu hồi.")
            ) from None
