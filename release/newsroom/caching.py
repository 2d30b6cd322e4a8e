"""HTTP caching of the public newsroom: validators, Cache-Control that respects embargoes,
and a server-side cache of the anonymous pages.

The rules (docs/operations.md):

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

from .models import Publication

GENERATION_KEY = "newsroom:generation"
_TOKEN_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_SLOT = b"\x00csrf\x00"
# Query parameters that make a cacheable variant (pages, the organisation filter); a search
# (q) is rendered each time: its variants are endless.
_CACHED_PARAMS = {"trang", "co-quan"}
_PREFIX = "/tin-bao-chi/"


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
    """A visitor without a session (so anonymous: the site signs in by session) whose page
    has no per-visitor part, asking for a variant worth keeping."""
    if request.method not in ("GET", "HEAD"):
        return False
    # A session (a signed-in user, a pending message) or a message cookie shows on the page.
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return False
    return set(request.GET) <= _CACHED_PARAMS


def _cache_key(request, language: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in sorted(request.GET.items()))
    # The feeds' links are absolute (host and scheme of the request): part of the key.
    raw = f"{language}|{request.scheme}://{request.get_host()}{request.path}|{query}"
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
    """Decorate a newsroom view (page or feed) with the rules above; NewsroomCacheMiddleware
    keeps the anonymous result.

    follows_embargoes: the page lists statements (a list, a feed), so its freshness stops at
    the next scheduled publication; a statement's own page keeps NEWSROOM_MAX_AGE.
    """

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            now = timezone.now()
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
            if seconds > 0 and not request.user.is_authenticated and _anonymous_cacheable(request):
                response.newsroom_cache = (now.timestamp() + seconds, template, etag)
            response["ETag"] = etag
            conditional = get_conditional_response(request, etag=etag, response=response)
            if conditional is not response:
                return _finish(request, conditional, public_seconds=seconds)
            return _finish(request, response, public_seconds=seconds)

        # LoginRequiredMiddleware reads this on the view; a Feed instance has it on its class.
        wrapped.login_required = getattr(view, "login_required", True)
        return wrapped

    return decorate(view) if view is not None else decorate


# Headers that belong to one response, not to the page: never replayed from the cache.
_OWN_HEADERS = {"content-length", "date", "x-request-id", "set-cookie", "cache-control", "etag"}


class NewsroomCacheMiddleware:
    """Serve kept anonymous newsroom pages before the rest of the stack (sessions, CSRF,
    authentication, locale…): a hit costs two cache reads, no query, no template.

    Placed early in MIDDLEWARE; stores what `newsroom_cached` marked, with the headers the
    whole stack added (security headers, Content-Language, Vary), so a hit answers exactly
    as a miss would, with the visitor's own CSRF token and cookie.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = None
        if request.path.startswith(_PREFIX) and _anonymous_cacheable(request):
            from django.utils import translation

            language = translation.get_language_from_request(request, check_path=False)
            key = _cache_key(request, language)
            entry = cache.get(key)
            if entry is not None:
                response = self._serve(request, entry)
                if response is not None:
                    return response
        response = self.get_response(request)
        kept = getattr(response, "newsroom_cache", None)
        if key and kept and response.status_code == 200:
            expires_at, template, etag = kept
            headers = [(k, v) for k, v in response.items() if k.lower() not in _OWN_HEADERS]
            view = getattr(getattr(request, "resolver_match", None), "view_name", "") or ""
            seconds = math.floor(expires_at - timezone.now().timestamp())
            if seconds > 0:
                cache.set(key, (expires_at, headers, template, etag, view), seconds)
        return response

    def _serve(self, request, entry):
        from django.http import HttpResponseNotModified
        from django.middleware.csrf import CsrfViewMiddleware

        expires_at, headers, template, etag, view = entry
        seconds = math.floor(expires_at - timezone.now().timestamp())
        if seconds <= 0:
            return None
        request.metrics_view = view  # core.metrics labels the hit with the page's view
        if get_conditional_response(request, etag=etag) is not None:
            response = HttpResponseNotModified()
        else:
            # The visitor's CSRF secret (cookie) or a new one, exactly as CsrfViewMiddleware.
            csrf = CsrfViewMiddleware(lambda r: None)
            csrf.process_request(request)
            response = HttpResponse(_filled(request, template))
            for name, value in headers:
                response[name] = value
            csrf.process_response(request, response)
            response["Content-Length"] = str(len(response.content))
        response["ETag"] = etag
        response["Cache-Control"] = f"public, max-age={seconds}"
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        return response
