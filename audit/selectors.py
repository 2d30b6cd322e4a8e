"""Read the ledger: who may read what, filtered event lists, timelines, chain status."""

from django.conf import settings
from django.utils.module_loading import import_string

from .models import AuditAnchor, LedgerEvent, VerificationRun


def _fallback_policy(user):
    # Until the injected policy exists, only superusers may inspect.
    return "all" if user.is_superuser else None


def access_scope(user) -> None | str | list[str]:
    """Return "all", the organisation codes `user` may inspect, or None (no access)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    try:
        policy = import_string(settings.AUDIT_ACCESS_POLICY)
    except ImportError:
        policy = _fallback_policy
    scope = policy(user)
    if scope is None or scope == "all":
        return scope
    return list(scope)


def events_in_scope(scope):
    """Events whose organisation lies in `scope` (nothing for None)."""
    qs = LedgerEvent.objects.all()
    if scope == "all":
        return qs
    if not scope:
        return qs.none()
    return qs.filter(organisation_code__in=scope)


def chain_status() -> dict:
    """Head of the ledger, last anchor and last verification result."""
    head = LedgerEvent.objects.order_by("-seq").values("seq", "hash", "at").first()
    return {
        "head": head,
        "last_anchor": AuditAnchor.objects.order_by("-seq", "-pk").first(),
        "last_run": VerificationRun.objects.order_by("-finished_at").first(),
        "anchor_count": AuditAnchor.objects.count(),
    }
