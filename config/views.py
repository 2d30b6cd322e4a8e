"""Site-wide views: health check, the public home page, each person's start page, the error
pages."""

import sys

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connections
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu import Connection


def _database_ok() -> bool:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False
    finally:
        connections.close_all()  # this ran in a thread of its own


def _redis_ping(url: str) -> bool:
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    client = redis.Redis.from_url(
        url, socket_connect_timeout=1, socket_timeout=1, retry=Retry(NoBackoff(), 0)
    )
    try:
        return bool(client.ping())
    finally:
        client.close()


def _broker_ok() -> bool:
    url = settings.CELERY_BROKER_URL
    try:
        if url.startswith(("redis://", "rediss://")):
            # A frozen Redis accepts connections: ask it something, without retries.
            return _redis_ping(url)
        with Connection(
            url, transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS, connect_timeout=1
        ) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=1)
            if "filesystem" in url:
                # The serverless broker is "up" when its folder is writable.
                from pathlib import Path

                folder = Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"])
                probe = folder / ".healthz"
                probe.write_text("ok")
                probe.unlink()
        return True
    except Exception:
        return False


def _cache_ok() -> bool:
    from django.core.cache import cache

    try:
        key = "healthz:probe"
        cache.set(key, "ok", 10)
        if getattr(cache, "available", True) is False:
            return False
        return cache.get(key) == "ok"
    except Exception:
        return False


def _heartbeats() -> dict[str, str]:
    from core.heartbeats import BEAT, WORKER, heartbeat_status

    try:
        return {WORKER: heartbeat_status(WORKER), BEAT: heartbeat_status(BEAT)}
    except Exception:
        return {WORKER: "unknown", BEAT: "unknown"}


HEALTHZ_BUDGET_SECONDS = 1.8


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """Say within two seconds whether each part answers: 200 when all do, else 503 naming it.

    The database, the broker and the cache are probed at once, each in its own thread, and a
    part that has not answered within the budget is reported "timeout"; the worker and beat
    heartbeats (HEALTHZ_HEARTBEATS) come from the database.
    """
    from concurrent.futures import ThreadPoolExecutor, wait

    probes = {"database": _database_ok, "broker": _broker_ok, "cache": _cache_ok}
    pool = ThreadPoolExecutor(max_workers=len(probes))
    futures = {name: pool.submit(fn) for name, fn in probes.items()}
    wait(futures.values(), timeout=HEALTHZ_BUDGET_SECONDS)
    pool.shutdown(wait=False, cancel_futures=True)
    body: dict[str, str] = {}
    for name, future in futures.items():
        body[name] = ("ok" if future.result() else "error") if future.done() else "timeout"
    if settings.HEALTHZ_HEARTBEATS:
        # Read only once the database has answered quickly: it cannot hang the check.
        if body["database"] == "ok":
            body.update(_heartbeats())
        else:
            body.update({"worker": "unknown", "beat": "unknown"})
    healthy = all(v == "ok" for v in body.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **body}, status=200 if healthy else 503
    )


@login_not_required
def home(request):
    """Public landing page: where journalists, staff and the public start."""
    return render(request, "home.html")


@login_not_required
@require_GET
def favicon(request):
    """Point /favicon.ico at the site's icon (static/favicon.svg)."""
    from django.http import HttpResponsePermanentRedirect
    from django.templatetags.static import static

    return HttpResponsePermanentRedirect(static("favicon.svg"))


# Where each persona's work starts (roles.selectors.user_persona).
START_PAGES = {
    "journalist": "workflows:journalist-cases",
    "staff": "work:index",  # "Việc hôm nay", /workspace/work/
    "inspector": "inspection:index",
}


@require_GET
def start(request):
    """Send a signed-in person to where their work starts: LOGIN_REDIRECT_URL.

    A journalist lands on their own cases, staff on what needs them today, an inspector on the
    ledger; anyone else on the public home page.
    """
    from django.shortcuts import redirect

    from roles.selectors import user_persona

    return redirect(START_PAGES.get(user_persona(request.user), "home"))


@login_not_required
def permission_denied(request, exception=None):
    """Render the 403 page and record the refusal in the audit ledger."""
    import audit

    try:
        audit.record(
            action="access.denied",
            actor=request.user,
            target_type="page",
            target_id=request.path[:64],
            after={"method": request.method, "reason": str(exception or "")[:200]},
        )
    except Exception:  # noqa: BLE001 — a ledger failure must not turn a 403 into a 500
        import logging

        logging.getLogger(__name__).exception("Could not record an access refusal")
    return render(request, "403.html", {"exception": exception}, status=403)


def login_locked_out(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: refuse a locked-out login in Vietnamese, as the API error
    envelope (429, code "throttled") or the login page with the message (429)."""
    from django.contrib.auth.forms import AuthenticationForm
    from django.utils.translation import gettext as _

    from api.errors import envelope

    minutes = settings.LOGIN_LOCKOUT_MINUTES
    message = _(
        "Đăng nhập tạm thời bị khoá vì nhập sai quá nhiều lần. Hãy thử lại sau %(n)d phút."
    ) % {"n": minutes}
    retry_after = str(minutes * 60)
    if request.path.startswith("/api/"):
        response = JsonResponse(envelope("throttled", message), status=429)
    else:
        username = str((credentials or {}).get("username") or "")[:150]
        # Unbound: validating the posted form again would count one more failure.
        form = AuthenticationForm(request, initial={"username": username})
        response = render(
            request, "registration/login.html", {"form": form, "lockout": message}, status=429
        )
    response["Retry-After"] = retry_after
    return response


def _database_unavailable(exc) -> bool:
    from django.db import InterfaceError, OperationalError

    return isinstance(exc, OperationalError | InterfaceError)


RETRY_AFTER_SECONDS = 5


@login_not_required
def server_error(request):
    """Render a server error: 503 with Retry-After when the database is away, else 500.

    The API always answers with its JSON envelope, never an HTML page. Django calls this
    inside its exception handler, so the exception is the one being handled.
    """
    from core import requestid

    exc = sys.exc_info()[1]
    unavailable = _database_unavailable(exc)
    status = 503 if unavailable else 500
    # The id in the log lines of this failure, for the user to quote (X-Request-ID).
    request_id = getattr(request, "request_id", "") or requestid.get()
    if request.path.startswith("/api/"):
        from api.errors import envelope

        body = envelope("service_unavailable" if unavailable else "server_error")
        body["request_id"] = request_id
        response = JsonResponse(body, status=status)
    else:
        template = "503.html" if unavailable else "500.html"
        try:
            response = render(request, template, {"request_id": request_id}, status=status)
        except Exception:  # noqa: BLE001 — the page must not fail in turn
            response = render_plain_error(status, request_id)
    if unavailable:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def render_plain_error(status: int, request_id: str = ""):
    from django.http import HttpResponse
    from django.utils.html import escape

    quote = f"<p>Mã yêu cầu: <code>{escape(request_id)}</code></p>" if request_id else ""
    return HttpResponse(
        "<!DOCTYPE html><html lang='vi'><meta charset='utf-8'><title>Lỗi hệ thống</title>"
        "<h1>Hệ thống tạm thời gián đoạn</h1><p>Xin thử lại sau ít phút.</p>" + quote,
        status=status,
    )
