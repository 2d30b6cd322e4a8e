"""Who is asking, for the ledger: the client's address and User-Agent of the current request.

A context variable set by `AuditContextMiddleware` for each request and cleared by a Celery
task prelude (`clear_for_task`, connected in `AuditConfig.ready`), so services do not pass
`request=` around to let `audit.record` write the address: it reads `current()`. Code that runs
outside a request (the worker, management commands) records "" for both, as before.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class AuditContext:
    ip: str = ""
    user_agent: str = ""


_EMPTY = AuditContext()
_current: ContextVar[AuditContext] = ContextVar("audit_context", default=_EMPTY)


def current() -> AuditContext:
    return _current.get()


def from_request(request) -> AuditContext:
    from core.http import client_ip

    return AuditContext(
        ip=client_ip(request) or "",
        user_agent=request.META.get("HTTP_USER_AGENT", "") or "",
    )


@contextmanager
def bound(context: AuditContext):
    """Run a block with `context` as the current one (tests, scripts, the middleware)."""
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)


class AuditContextMiddleware:
    """Bind the request's address and User-Agent for every ledger event written while serving it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with bound(from_request(request)):
            return self.get_response(request)


def clear_for_task(**_kwargs) -> None:
    """Celery task prelude: a task records no client address (nothing leaks between tasks)."""
    _current.set(_EMPTY)
