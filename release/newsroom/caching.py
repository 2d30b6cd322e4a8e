"""HTTP caching of the public newsroom: validators, Cache-Control that respects embargoes,
and a server-side cache of the anonymous pages.

The rules (docs/ops-observability.md):

- A page only ever contains statements public when it was rendered, so a cached copy can be
  late, never early. How late is bounded: a list or feed says `public, max-age=N` with N at
  most NEWSROOM_MAX_AGE and never reaching past the next scheduled publication
  (`publish_at` in the future), so an embargo that lifts appears on time.
- Anonymous pages are kept in the Django cache (keyed by language, path and query, and by a
  generation that every save of a publication or document bumps), for the same bounded time.
  Each one's CSRF tokens (the language switcher's form) are blanked before storing and filled
  for the visitor at serving.
- Every response carries a weak ETag over the page without its tokens: a conditional GET
  answers 304 without rendering (anonymous) or without sending the page again (signed in).
- Signed-in responses are `private, no-cache`; errors (the 404 of an embargoed or unknown
  statement alike) are `private, no-store`: one rule for both, so the headers give nothing away.
- Vary: Cookie (session, language cookie) and Accept-Language.
"""

from __future__ import annotations

import hashlib
import math
import re
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.core.handlers.exception import response_for_exception
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.translation import get_language

from .models import Publication

GENERATION_KEY = "newsroom:generation"
_TOKEN_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_SLOT = b"\x00csrf\x00"
# Query parameters that make a cacheable variant (pages, the organisation filter); a search
# (q) is rendered each time: its variants are endless.
_CACHED_PARAMS = {"trang", "co-quan"}


def generation() -> int:
    return cache.get(GENERATION_KEY) or 0


def generation_bump() -> None:
    """Forget every cached newsroom page (a publication or a document changed)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, generation() + 1, None)


def seconds_until_next_publication(now=None) -> float | None:
    """Seconds until the next scheduled publish_at (an embargo lifting), or None."""
    now = now or timezone.now()
    upcoming = (
        Publication.objects.filter(publish_at__gt=now)
        .order_by("publish_at")
        .values_list("publish_at", flat=True)
        .first()
    )
    return None if upcoming is None else (upcoming - now).total_seconds()


def freshness(now=None) -> int:
    """How long (whole seconds) a list may be reused: NEWSROOM_MAX_AGE, cut short before
    the next scheduled publication."""
    limit = settings.NEWSROOM_MAX_AGE
    until = seconds_until_next_publication(now)
    if until is not None:
        limit = min(limit, math.floor(until))
    return max(limit, 0)


def _anonymous_cacheable(request) -> bool:
    if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
        return False
    # A session (a pending message, a half-done login) or a message cookie shows on the page.
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return False
    return set(request.GET) <= _CACHED_PARAMS


def _cache_key(request) -> str:
    query = "&".join(f"{k}={v}" for k, v in sorted(request.GET.items()))
    raw = f"{get_language()}|{request.path}|{query}"
    digest = hashlib.sha256(raw.encode()).hexdigest()[:32]
    return f"newsroom:page:{generation()}:{digest}"


def _etag(template: bytes) -> str:
    return f'W/"{hashlib.sha256(template).hexdigest()[:32]}"'


def _filled(request, template: bytes) -> bytes:
    if _SLOT not in template:
        return template
    return template.replace(_SLOT, get_token(request).encode())


def _finish(request, response, *, public_seconds: int | None):
    patch_vary_headers(response, ("Cookie", "Accept-Language"))
    if response.status_code >= 400:
        response["Cache-Control"] = "private, no-store"
    elif request.user.is_authenticated or public_seconds is None:
        response["Cache-Control"] = "private, no-cache"
    elif public_seconds <= 0:
        response["Cache-Control"] = "public, no-cache"
    else:
        response["Cache-Control"] = f"public, max-age={public_seconds}"
    return response


def newsroom_cached(view=None, *, follows_embargoes: bool = True):
    """Decorate a newsroom view (page or feed) with the rules above.

    follows_embargoes: the page lists statements (a list, a feed), so its freshness stops at
    the next scheduled publication; a statement's own page keeps NEWSROOM_MAX_AGE.
    """

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            now = timezone.now()
            cacheable = _anonymous_cacheable(request)
            key = _cache_key(request) if cacheable else None
            entry = cache.get(key) if key else None
            if entry is not None:
                expires_at, status, headers, template, etag = entry
                seconds = math.floor(expires_at - now.timestamp())
                if seconds > 0:
                    response = get_conditional_response(request, etag=etag)
                    if response is None:
                        response = HttpResponse(_filled(request, template), status=status)
                        for name, value in headers:
                            response[name] = value
                    response["ETag"] = etag
                    return _finish(request, response, public_seconds=seconds)
            try:
                response = view(request, *args, **kwargs)
            except Http404 as exc:
                # The site's own 404 page, as before, but marked as never to be stored: the
                # statement may be embargoed and public in a minute.
                response = response_for_exception(request, exc)
            if response.status_code != 200 or getattr(response, "streaming", False):
                return _finish(request, response, public_seconds=None)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            template = _TOKEN_INPUT.sub(lambda m: m.group(1) + _SLOT + m.group(2), response.content)
            etag = _etag(template)
            seconds = freshness(now) if follows_embargoes else settings.NEWSROOM_MAX_AGE
            if key and seconds > 0:
                headers = [(k, v) for k, v in response.items() if k in ("Content-Type",)]
                entry = (now.timestamp() + seconds, 200, headers, template, etag)
                cache.set(key, entry, seconds)
            response["ETag"] = etag
            conditional = get_conditional_response(request, etag=etag, response=response)
            if conditional is not response:
                return _finish(request, conditional, public_seconds=seconds)
            return _finish(request, response, public_seconds=seconds)

        # LoginRequiredMiddleware reads this on the view; a Feed instance has it on its class.
        wrapped.login_required = getattr(view, "login_required", True)
        return wrapped

    return decorate(view) if view is not None else decorate
