"""API token services: issue, revoke, revoke all. Every change is on the ledger (never a key)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

import audit

from .models import ApiToken


def _snapshot(token: ApiToken) -> dict:
    return {
        "token": token.pk,
        "created": token.created.isoformat() if token.created else None,
        "expires_at": token.expiry.isoformat() if token.expiry else None,
    }


def tokens_of(user):
    """The user's tokens that still work, newest first."""
    return ApiToken.objects.filter(user=user).filter(expiry__gt=timezone.now())


@transaction.atomic
def token_create(*, user) -> tuple[ApiToken, str]:
    """Issue a new token for `user`; return it and its key (the only time the key is known)."""
    now = timezone.now()
    # Expired tokens no longer authenticate: drop them rather than let them pile up.
    ApiToken.objects.filter(user=user, expiry__lte=now).delete()
    token, key = ApiToken.objects.create(
        user=user, expiry=timedelta(days=settings.API_TOKEN_TTL_DAYS)
    )
    audit.record(
        action="auth.token_create",
        actor=user,
        target=token,
        after=_snapshot(token),
    )
    return token, key


@transaction.atomic
def token_revoke(*, token: ApiToken, by, reason: str = "revoked") -> None:
    """Revoke one token."""
    snapshot = {**_snapshot(token), "user": token.user.get_username(), "reason": reason}
    pk = token.pk
    token.delete()
    audit.record(
        action="auth.token_revoke",
        actor=by,
        target_type=ApiToken._meta.label_lower,
        target_id=pk,
        before=snapshot,
    )


@transaction.atomic
def token_revoke_all(*, user, by, reason: str) -> int:
    """Revoke every token of `user` (one ledger event); return how many there were."""
    ids = list(ApiToken.objects.filter(user=user).values_list("pk", flat=True))
    if not ids:
        return 0
    ApiToken.objects.filter(pk__in=ids).delete()
    audit.record(
        action="auth.token_revoke",
        actor=by,
        target=user,
        before={"tokens": sorted(ids), "user": user.get_username(), "reason": reason},
    )
    return len(ids)
