"""The request id: one token that follows a request through its log lines and into the
Celery tasks it sends, so that an operator can grep one id from nginx to the worker.

nginx sets `X-Request-ID $request_id`; the id is believed only from a trusted proxy
(TRUSTED_PROXIES, as for the client's address) and only when it looks like a token.
Otherwise, or without a proxy, a fresh one is made.
"""

from __future__ import annotations

import logging
import re
import uuid
from contextvars import ContextVar

from .http import from_trusted_proxy

HEADER = "X-Request-ID"
META_KEY = "HTTP_X_REQUEST_ID"
# What the Celery message carries (a custom header beside the task's own).
TASK_HEADER = "request_id"
# nginx's $request_id is 32 hex digits; uuid4 is 36. Letters, digits and - _ . only: no
# spaces, quotes or newlines that would forge a log line or a header.
_TOKEN = re.compile(r"[A-Za-z0-9._-]{8,64}")

_request_id: ContextVar[str] = ContextVar("request_id", default="")
_task: ContextVar[tuple[str, str]] = ContextVar("task", default=("", ""))


def new_id() -> str:
    return uuid.uuid4().hex


def get() -> str:
    """The id of the request or task being handled here, or ""."""
    return _request_id.get()


def set_id(value: str):
    return _request_id.set(value)


def reset(token) -> None:
    _request_id.reset(token)


def is_token(value: str) -> bool:
    return bool(value) and _TOKEN.fullmatch(value) is not None


def request_id_for(request) -> str:
    """The proxy's X-Request-ID when a trusted proxy sent a sane one, else a new id."""
    offered = request.META.get(META_KEY, "")
    if offered and is_token(offered) and from_trusted_proxy(request):
        return offered
    return new_id()


class RequestIdMiddleware:
    """Bind the request id for the request's log lines and tasks; return it as X-Request-ID."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_for(request)
        request.request_id = request_id
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Put request_id (and, in a worker, task_name and task_id) on every log record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        task_name, task_id = _task.get()
        record.task_name = task_name
        record.task_id = task_id
        return True


# ---------------------------------------------------------------- Celery


def task_publish_headers(headers: dict) -> None:
    """before_task_publish: carry the current id to the worker (a task sent by a task keeps
    the id of the request that started the chain)."""
    current = _request_id.get()
    if current and TASK_HEADER not in headers:
        headers[TASK_HEADER] = current


# Tokens to unbind at task_postrun, by task id (an eager task may run inside another one).
_bound: dict[str, tuple] = {}


def task_started(task_id: str, task) -> None:
    """task_prerun: bind the id the message carried (or a new one) and the task's name/id."""
    request = getattr(task, "request", None)
    carried = ""
    if request is not None:
        carried = getattr(request, TASK_HEADER, None) or (
            (getattr(request, "headers", None) or {}).get(TASK_HEADER, "")
        )
    if not is_token(carried or ""):
        # An eager task run inside a request keeps the request's id.
        carried = _request_id.get() or new_id()
    _bound[task_id] = (_request_id.set(carried), _task.set((task.name, task_id or "")))


def task_finished(task_id: str) -> None:
    """task_postrun: unbind what task_started bound."""
    tokens = _bound.pop(task_id, None)
    if not tokens:
        return
    rid_token, task_token = tokens
    try:
        _task.reset(task_token)
        _request_id.reset(rid_token)
    except ValueError:  # bound in another context: clear instead
        _task.set(("", ""))
        _request_id.set("")
