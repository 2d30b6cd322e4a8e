"""Write history into the ledger."""

import hashlib
import json
from datetime import UTC

from django.db import connection, transaction
from django.utils import timezone

from .models import LedgerEvent

GENESIS_HASH = "0" * 64
# Any constant works; it only has to be the same in every process that appends.
_PG_LOCK_KEY = 0x70686174  # "phat"


def canonical_bytes(fields: dict) -> bytes:
    """Encode an event's fields canonically: JSON, sorted keys, no spaces, UTF-8."""
    return json.dumps(
        fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    ).encode("utf-8")


def event_fields(event: LedgerEvent) -> dict:
    """Return the fields the hash covers, in their canonical value forms."""
    return {
        "seq": event.seq,
        "at": event.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "actor_id": event.actor_id,
        "actor_username": event.actor_username,
        "actor_role": event.actor_role,
        "organisation": event.organisation_code,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "before": event.before,
        "after": event.after,
        "ip": event.ip,
        "user_agent": event.user_agent,
        "prev_hash": event.prev_hash,
    }


def event_hash(event: LedgerEvent) -> str:
    return hashlib.sha256(canonical_bytes(event_fields(event))).hexdigest()


def _client_ip(request):
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def _normalise(data):
    # Round-trip through JSON so what is hashed equals what the database returns later.
    if data is None:
        return None
    return json.loads(json.dumps(data, ensure_ascii=False, default=str, sort_keys=True))


def record(
    *,
    action: str,
    actor=None,
    actor_role: str = "",
    organisation=None,
    target=None,
    target_type: str = "",
    target_id="",
    before=None,
    after=None,
    request=None,
) -> LedgerEvent:
    """Append one event to the ledger inside the caller's transaction."""
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target_id or target.pk
    org_code = getattr(organisation, "code", organisation) or ""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])
        last = LedgerEvent.objects.order_by("-seq").only("seq", "hash").first()
        event = LedgerEvent(
            seq=(last.seq + 1) if last else 1,
            at=timezone.now().replace(microsecond=timezone.now().microsecond),
            actor=actor,
            actor_username=getattr(actor, "username", "") if actor else "",
            actor_role=actor_role or "",
            organisation_code=org_code,
            action=action,
            target_type=target_type or "",
            target_id=str(target_id) if target_id not in (None, "") else "",
            before=_normalise(before),
            after=_normalise(after),
            ip=_client_ip(request),
            user_agent=(request.META.get("HTTP_USER_AGENT", "")[:400] if request else ""),
            prev_hash=last.hash if last else GENESIS_HASH,
        )
        event.hash = event_hash(event)
        event.save(force_insert=True)
    return event
