"""One JSON error envelope for every failure: {"code", "message", "fields"}.

Codes are stable (clients branch on them); messages are for people, in the request's
language (Vietnamese by default).
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings

from core.errors import DomainError

try:  # Django ≥ 5.2.? splits "too many files" from "too many fields"
    from django.core.exceptions import TooManyFilesSent
except ImportError:  # pragma: no cover
    TooManyFilesSent = TooManyFieldsSent


class TooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"

    def __init__(self, detail=None):
        super().__init__(detail or _("Dữ liệu gửi lên quá lớn."), "too_large")


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "invalid_state"


def _messages() -> dict[str, str]:
    return {
        "validation_error": _("Dữ liệu không hợp lệ."),
        "not_authenticated": _("Bạn cần đăng nhập: gửi tiêu đề “Authorization: Token <mã>”."),
        "permission_denied": _("Bạn không có quyền thực hiện thao tác này."),
        "not_found": _("Không tìm thấy."),
        "invalid_state": _("Không thể thực hiện ở trạng thái hiện tại."),
        "too_large": _("Dữ liệu gửi lên quá lớn."),
        "throttled": _("Quá nhiều yêu cầu; hãy thử lại sau."),
        "method_not_allowed": _("Phương thức này không được hỗ trợ."),
        "unsupported_media_type": _("Định dạng dữ liệu gửi lên không được hỗ trợ."),
        "not_acceptable": _("Không có định dạng trả về phù hợp."),
        "server_error": _("Lỗi máy chủ."),
        "service_unavailable": _("Hệ thống tạm thời gián đoạn; hãy thử lại sau ít giây."),
    }


def envelope(
    code: str, message: str = "", fields: dict | None = None, reason: str | None = None
) -> dict:
    body = {"code": code, "message": message or _messages().get(code, ""), "fields": fields or {}}
    if reason:
        body["reason"] = reason  # the service's own stable code (core.errors.DomainError)
    return body


def _flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """Turn DRF's nested error detail into {"field" | "field.0": ["message", …]}."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            out.update(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(detail, list | tuple):
        if all(not isinstance(item, dict | list | tuple) for item in detail):
            if detail:
                out.setdefault(prefix or "non_field_errors", []).extend(str(d) for d in detail)
        else:
            for index, item in enumerate(detail):
                if item:
                    out.update(_flatten(item, f"{prefix}.{index}" if prefix else str(index)))
    else:
        out.setdefault(prefix or "non_field_errors", []).append(str(detail))
    return out


def _validation(detail) -> tuple[str, dict]:
    fields = _flatten(detail)
    general = fields.pop(api_settings.NON_FIELD_ERRORS_KEY, None) or fields.pop(
        "non_field_errors", None
    )
    if general:
        return " ".join(general), fields
    return _messages()["validation_error"], fields


def _detail_text(exc: exceptions.APIException) -> str:
    detail = exc.detail
    if isinstance(detail, list | dict):
        return ""
    return str(detail)


def _classify(exc) -> tuple[int, dict, dict] | None:
    """Return (status, body, headers) for a known exception, or None for a real bug."""
    headers: dict[str, str] = {}
    if isinstance(exc, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent):
        return 413, envelope("too_large"), headers
    if isinstance(exc, DomainError):
        message, reason = str(exc.message), exc.code
        fields = {exc.field: [message]} if exc.field else {}
        if exc.code == "invalid_state":
            return 409, envelope("invalid_state", message, reason=reason), headers
        if exc.code == "too_large":
            return 413, envelope("too_large", message, fields, reason=reason), headers
        return 400, envelope("validation_error", message, fields, reason=reason), headers
    if isinstance(exc, Http404):
        return 404, envelope("not_found"), headers
    if isinstance(exc, DjangoPermissionDenied):
        message = str(exc) if exc.args and str(exc) else ""
        return 403, envelope("permission_denied", message), headers
    if not isinstance(exc, exceptions.APIException):
        return None
    if isinstance(exc, exceptions.ValidationError):
        message, fields = _validation(exc.detail)
        return 400, envelope("validation_error", message, fields), headers
    if isinstance(exc, exceptions.ParseError):
        return 400, envelope("validation_error", _detail_text(exc)), headers
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if exc.status_code == 403:  # no scheme to offer (DRF turns 401 into 403)
            return 403, envelope("permission_denied"), headers
        message = _detail_text(exc) if isinstance(exc, exceptions.AuthenticationFailed) else ""
        return 401, envelope("not_authenticated", message), headers
    if isinstance(exc, exceptions.PermissionDenied):
        default = str(exceptions.PermissionDenied.default_detail)
        text = _detail_text(exc)
        return 403, envelope("permission_denied", "" if text == default else text), headers
    if isinstance(exc, exceptions.NotFound):
        default = str(exceptions.NotFound.default_detail)
        text = _detail_text(exc)
        return 404, envelope("not_found", "" if text == default else text), headers
    if isinstance(exc, exceptions.Throttled):
        wait = int(exc.wait) if exc.wait is not None else None
        message = _messages()["throttled"]
        if wait is not None:
            headers["Retry-After"] = str(max(wait, 1))
            message = _("Quá nhiều yêu cầu; hãy thử lại sau %(s)d giây.") % {"s": max(wait, 1)}
        return 429, envelope("throttled", message), headers
    if isinstance(exc, exceptions.MethodNotAllowed):
        return 405, envelope("method_not_allowed"), headers
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return 415, envelope("unsupported_media_type"), headers
    if isinstance(exc, exceptions.NotAcceptable):
        return 406, envelope("not_acceptable"), headers
    if isinstance(exc, TooLarge):
        return 413, envelope("too_large", _detail_text(exc)), headers
    if isinstance(exc, Conflict):
        return 409, envelope("invalid_state", _detail_text(exc)), headers
    code = exc.default_code if isinstance(exc.default_code, str) else "error"
    return exc.status_code, envelope(code, _detail_text(exc)), headers


def exception_handler(exc, context):
    """DRF EXCEPTION_HANDLER: map every expected failure to the envelope (never a 500)."""
    result = _classify(exc)
    if result is None:
        return None
    status_code, body, headers = result
    request = context.get("request")
    if request is not None:
        # Errors are JSON whatever the client asked for (e.g. Accept: application/pdf).
        request.accepted_renderer = JSONRenderer()
        request.accepted_media_type = "application/json"
    return Response(body, status=status_code, headers=headers)


@csrf_exempt
def not_found_view(request, *args, **kwargs):
    """Unknown paths under /api/: the envelope instead of the HTML 404 page."""
    return JsonResponse(envelope("not_found"), status=404)
