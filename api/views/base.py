"""What every API view shares: public routing, body limits, logged refusals."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse

import audit

from ..errors import TooLarge

# The documented 409 of operations that a business rule may refuse (api.schema adds the body).
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


def record_denied(request) -> None:
    """Log a refusal the way the web pages do (`access.denied`)."""
    audit.record(
        action="access.denied",
        actor=request.user if request.user.is_authenticated else None,
        target_type="page",
        target_id=request.path[:64],
    )
