r"""Write history into the ledger, and recompute the chain to prove nobody rewrote it.

Canonical encoding, version ``phatngon-ledger-v1`` (also in docs/audit.md and in the
standalone ``verify_bundle.py``). An event's hash is

    hash = lowercase hex SHA-256 of canonical(event)

where canonical(event) is the UTF-8 encoding of the event's 14 fields, in this order,
joined by one TAB (U+0009), with no trailing newline:

     1 seq             decimal integer: 1, 2, 3, … without gaps
     2 at              UTC time "YYYY-MM-DDTHH:MM:SS.ffffff+00:00" (always 6 digits)
     3 actor_id        decimal integer, or NULL: primary key of the acting user
     4 actor_username  text: the actor's username at that moment ("" for the system)
     5 actor_role      text: the actor's role(s) at that moment ("" when unknown)
     6 organisation    text: code of the organisation the event belongs to ("" if none)
     7 action          text: what happened, e.g. "membership.grant"
     8 target_type     text: "app_label.model" of the target, or another type name
     9 target_id       text: the target's id ("" if none)
    10 before          text or NULL: canonical JSON of the state before the change
    11 after           text or NULL: canonical JSON of the state after the change
    12 ip              text: client IP address ("" without a request)
    13 user_agent      text: the client's User-Agent ("" without a request)
    14 prev_hash       text: the previous event's hash; 64 zeros ("0") for event 1

NULL is written as the two characters ``\N``. In text, six control characters and the
backslash are escaped, and nothing else: ``\`` → ``\\``, U+0008 → ``\b``, U+000C →
``\f``, U+000A → ``\n``, U+000D → ``\r``, U+0009 → ``\t``, U+000B → ``\v``. This is
exactly PostgreSQL's COPY text format, so the verifier can hash each row as the database
streams it (COPY … TO STDOUT), without re-encoding it in Python; no TAB or newline is left
inside a field, so the encoding is injective.

The canonical JSON of ``before``/``after``: Python's ``json.dumps(value, sort_keys=True,
separators=(",", ":"), ensure_ascii=False, allow_nan=False)`` (object keys sorted, no
whitespace, non-ASCII written literally). It is stored exactly as hashed (a text column,
not jsonb, which would reorder it); ``json.loads`` reads the data back.
"""

import hashlib
import json
import math
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from . import context as audit_context
from .models import AuditAnchor, LedgerEvent

ENCODING = "phatngon-ledger-v1"
GENESIS_HASH = "0" * 64
# Any constant works; it only has to be the same in every process that appends.
_PG_LOCK_KEY = 0x70686174  # "phat"

_json = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)

# PostgreSQL COPY text-format escapes (see the module docstring).
_ESCAPE = str.maketrans(
    {"\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v"}
)
NULL = "\\N"

FIELD_NAMES = (
    "seq",
    "at",
    "actor_id",
    "actor_username",
    "actor_role",
    "organisation",
    "action",
    "target_type",
    "target_id",
    "before",
    "after",
    "ip",
    "user_agent",
    "prev_hash",
)
# The same fields as model columns, plus the stored hash.
EVENT_COLUMNS = (
    "seq",
    "at",
    "actor_id",
    "actor_username",
    "actor_role",
    "organisation_code",
    "action",
    "target_type",
    "target_id",
    "before",
    "after",
    "ip",
    "user_agent",
    "prev_hash",
    "hash",
)


# ---------------------------------------------------------------- canonical encoding


def format_at(at: datetime) -> str:
    """Return the canonical UTC form of an event time."""
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def _clean_str(value: str) -> str:
    # PostgreSQL text cannot hold NUL; lone surrogates cannot be UTF-8 encoded.
    value = value.replace("\x00", "\ufffd")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = value.encode("utf-8", "replace").decode("utf-8")
    return value


def _clean(value):
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, str):
        return _clean_str(value)
    if isinstance(value, dict):
        return {_clean_str(str(k)): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted((_clean(v) for v in value), key=repr)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "_meta") and hasattr(value, "pk"):  # a model instance
        return value.pk
    return _clean_str(str(value))


def canonical_json(value) -> str | None:
    """Return the canonical JSON text of a before/after value (None stays None)."""
    if value is None:
        return None
    return _json.encode(_clean(value))


def canonical_line(
    seq: int,
    at_text: str,
    actor_id: int | None,
    actor_username: str,
    actor_role: str,
    organisation: str,
    action: str,
    target_type: str,
    target_id: str,
    before: str | None,
    after: str | None,
    ip: str,
    user_agent: str,
    prev_hash: str,
) -> str:
    """Return canonical(event) as text, from the stored column values in canonical order."""
    t = _ESCAPE
    return "\t".join(
        (
            str(int(seq)),
            at_text.translate(t),
            NULL if actor_id is None else str(int(actor_id)),
            actor_username.translate(t),
            actor_role.translate(t),
            organisation.translate(t),
            action.translate(t),
            target_type.translate(t),
            target_id.translate(t),
            NULL if before is None else before.translate(t),
            NULL if after is None else after.translate(t),
            ip.translate(t),
            user_agent.translate(t),
            prev_hash.translate(t),
        )
    )


def canonical_bytes_from_row(*values) -> bytes:
    """Return canonical(event) as bytes (see `canonical_line`)."""
    return canonical_line(*values).encode("utf-8")


def event_fields(event: LedgerEvent) -> dict:
    """Return the 14 hashed fields of an event, in canonical order, as plain values."""
    return {
        "seq": event.seq,
        "at": format_at(event.at),
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


def canonical_bytes(fields: dict) -> bytes:
    """Encode the 14 fields given by name (the form the standalone verifier uses)."""
    return canonical_bytes_from_row(*(fields[k] for k in FIELD_NAMES))


def event_hash(event: LedgerEvent) -> str:
    """Return the SHA-256 the event should carry."""
    return hashlib.sha256(canonical_bytes(event_fields(event))).hexdigest()


# ---------------------------------------------------------------- writing


_INSERT_SQL = (
    "INSERT INTO audit_ledgerevent (seq, at, actor_id, actor_username, actor_role, "
    "organisation_code, action, target_type, target_id, before, after, ip, user_agent, "
    "prev_hash, hash) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
    "RETURNING id"
)


def _insert(cursor, event: LedgerEvent) -> None:
    """INSERT the event with one prepared statement (no ORM work while the lock is held)."""
    at = (
        event.at
        if connection.vendor == "postgresql"
        else LedgerEvent._meta.get_field("at").get_db_prep_value(event.at, connection)
    )
    cursor.execute(
        _INSERT_SQL,
        [
            event.seq,
            at,
            event.actor_id,
            event.actor_username,
            event.actor_role,
            event.organisation_code,
            event.action,
            event.target_type,
            event.target_id,
            event.before,
            event.after,
            event.ip,
            event.user_agent,
            event.prev_hash,
            event.hash,
        ],
    )
    event.pk = cursor.fetchone()[0]
    event._state.adding = False
    event._state.db = connection.alias


def _actor_context(actor) -> tuple[str, str]:
    path = getattr(settings, "AUDIT_ACTOR_CONTEXT", None)
    if not path or actor is None:
        return "", ""
    role, org = import_string(path)(actor)
    return role or "", org or ""


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
) -> LedgerEvent:
    """Append one event to the ledger inside the caller's transaction.

    Appends are serialised (PostgreSQL advisory lock held until the caller commits; SQLite's
    single writer), so the chain never forks; an error here rolls the caller's change back.
    """
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target_id or target.pk
    org_code = getattr(organisation, "code", organisation) or ""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if actor is not None and not (actor_role and org_code):
        ctx_role, ctx_org = _actor_context(actor)
        actor_role = actor_role or ctx_role
        org_code = org_code or ctx_org
    # The client's address comes from the audit context bound for the request being served
    # (audit.context: the middleware for web requests; empty in tasks and commands).
    client = audit_context.current()
    # Everything that does not depend on the chain's head is prepared before taking the lock.
    event = LedgerEvent(
        actor=actor,
        actor_username=_clean_str(getattr(actor, "username", "") if actor else "")[:150],
        actor_role=_clean_str(str(actor_role or ""))[:64],
        organisation_code=_clean_str(str(org_code))[:64],
        action=_clean_str(str(action))[:100],
        target_type=_clean_str(str(target_type or ""))[:100],
        target_id=_clean_str(str(target_id) if target_id not in (None, "") else "")[:64],
        before=canonical_json(before),
        after=canonical_json(after),
        ip=client.ip,
        user_agent=_clean_str(client.user_agent)[:400],
    )
    # No savepoint: if the event cannot be written, the caller's whole change must fail.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One round trip: pg_advisory_xact_lock, then the head read after the lock.
            cursor.execute("SELECT * FROM audit_ledger_head(%s)", [_PG_LOCK_KEY])
            last = cursor.fetchone()
        else:
            # SQLite has one writer at a time (transaction_mode=IMMEDIATE serialises appends).
            last = LedgerEvent.objects.order_by("-seq").values_list("seq", "hash", "at").first()
        now = timezone.now()
        if last is not None and now < last[2]:
            # A clock step backwards must not make history run backwards.
            now = last[2]
        event.seq = (last[0] + 1) if last else 1
        event.at = now
        event.prev_hash = last[1] if last else GENESIS_HASH
        event.hash = event_hash(event)
        _insert(cursor, event)
    return event


# ---------------------------------------------------------------- verification


@dataclass
class VerificationResult:
    ok: bool
    events_checked: int = 0
    anchors_checked: int = 0
    first_seq: int | None = None
    last_seq: int | None = None
    first_bad_seq: int | None = None
    reason: str = ""  # hash_mismatch | chain_break | missing_sequence | anchor_mismatch
    message: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def anchor_problem(anchor: AuditAnchor) -> str | None:
    """Return why an anchor cannot be trusted, or None when its signature and payload hold."""
    payload = bytes(anchor.payload)
    try:
        data = json.loads(payload)
    except ValueError:
        return "payload is not JSON"
    if data.get("seq") != anchor.seq or data.get("hash") != anchor.head_hash:
        return "payload does not match the anchor row"
    try:
        verifier = import_string(settings.AUDIT_ANCHOR_VERIFIER)
    except ImportError as exc:
        return f"the anchor verifier cannot be imported ({exc})"
    try:
        good = verifier(payload, bytes(anchor.signature))
    except Exception as exc:  # a malformed signature is a failed check, not a crash
        return f"signature check failed: {exc}"
    return None if good else "signature does not verify"


_PG_COLUMNS = (
    "seq, pg_catalog.to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"'), "
    "actor_id, actor_username, actor_role, organisation_code, action, target_type, target_id, "
    "before, after, ip, user_agent, prev_hash, hash"
)
# A COPY row ends with TAB prev_hash TAB hash LF: 64 + 1 + 64 + 1 bytes after the fields.
_TAIL = 66


class _Checker:
    """Shared bookkeeping of one verification run (first failure wins)."""

    def __init__(self, start: int, expected_prev: str, anchors: dict):
        self.result = VerificationResult(ok=True)
        self.expected_seq = start
        self.expected_prev = expected_prev
        self.count = 0
        self.anchors = anchors

    def fail(self, seq, reason, message) -> VerificationResult:
        r = self.result
        r.ok = False
        r.events_checked = self.count
        r.last_seq = self.expected_seq - 1 if self.count else None
        r.first_bad_seq = seq
        r.reason = reason
        r.message = message
        return r

    def missing(self, seq) -> VerificationResult:
        exp = self.expected_seq
        if seq is not None and seq < exp:
            return self.fail(exp, "missing_sequence", f"event {seq} appears out of order")
        return self.fail(
            exp, "missing_sequence", f"event {exp} is missing (the next event present is {seq})"
        )

    def chain_break(self, seq) -> VerificationResult:
        return self.fail(
            seq,
            "chain_break",
            f"event {seq}: prev_hash does not equal the hash of event {seq - 1}"
            f" (event {seq - 1} or {seq} was altered)",
        )

    def mismatch(self, seq, stored, computed) -> VerificationResult:
        return self.fail(
            seq,
            "hash_mismatch",
            f"event {seq}: stored hash {stored[:12]}… but its content hashes to {computed[:12]}…",
        )

    def anchor(self, seq, stored) -> VerificationResult | None:
        for head_hash, problem in self.anchors[seq]:
            self.result.anchors_checked += 1
            if problem:
                return self.fail(seq, "anchor_mismatch", f"anchor at event {seq}: {problem}")
            if head_hash != stored:
                return self.fail(
                    seq,
                    "anchor_mismatch",
                    f"anchor at event {seq} signed hash {head_hash[:12]}… but the ledger "
                    f"holds {stored[:12]}…",
                )
        return None


def _scan_postgresql(check: _Checker, to_seq: int | None) -> VerificationResult | None:
    """Hash each row exactly as COPY streams it: canonical(event) is the row's first 14 fields."""
    where = f"seq >= {int(check.expected_seq)}"
    if to_seq is not None:
        where += f" AND seq <= {int(to_seq)}"
    # COPY takes no bind parameters; the bounds are integers, formatted as such.
    sql = f"COPY (SELECT {_PG_COLUMNS} FROM audit_ledgerevent WHERE {where} ORDER BY seq) TO STDOUT"  # noqa: S608
    from psycopg import pq

    sha256 = hashlib.sha256
    anchors = check.anchors
    exp_seq = first = check.expected_seq
    exp_prev = check.expected_prev.encode("ascii")
    count = 0
    outcome = None
    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor.connection
        with cursor.cursor.copy(sql):
            pg = raw.pgconn
            get = pg.get_copy_data
            while True:
                nbytes, data = get(0)
                if nbytes <= 0:
                    break
                line = bytes(data)
                stored = line[-_TAIL + 1 : -1]
                if (
                    line.startswith(b"%d\t" % exp_seq)
                    and line[-_TAIL - 64 : -_TAIL] == exp_prev
                    and sha256(line[:-_TAIL]).hexdigest().encode("ascii") == stored
                    and exp_seq not in anchors
                ):
                    count += 1
                    exp_prev = stored
                    exp_seq += 1
                    continue
                # The slow path: find out which check failed (or handle an anchor).
                check.count, check.expected_seq = count, exp_seq
                if not line.startswith(b"%d\t" % exp_seq):
                    outcome = check.missing(int(line[: line.index(b"\t")]))
                elif line[-_TAIL - 64 : -_TAIL] != exp_prev:
                    outcome = check.chain_break(exp_seq)
                elif (computed := sha256(line[:-_TAIL]).hexdigest()) != stored.decode(
                    "ascii", "replace"
                ):
                    outcome = check.mismatch(exp_seq, stored.decode("ascii", "replace"), computed)
                else:
                    outcome = check.anchor(exp_seq, stored.decode("ascii"))
                if outcome is not None:
                    while nbytes > 0:  # drain the stream so the connection stays usable
                        nbytes, data = get(0)
                    break
                count += 1
                exp_prev = stored
                exp_seq += 1
            if nbytes == -2:
                raise DatabaseError(pg.error_message.decode("utf-8", "replace"))
            res = pg.get_result()
            while res is not None:
                if res.status == pq.ExecStatus.FATAL_ERROR:
                    raise DatabaseError(res.error_message.decode("utf-8", "replace"))
                res = pg.get_result()
    if count:
        check.result.first_seq = first
    if outcome is not None:
        return outcome
    check.count, check.expected_seq = count, exp_seq
    check.expected_prev = exp_prev.decode("ascii")
    return None


def _scan_orm(check: _Checker, to_seq: int | None, chunk_size: int) -> VerificationResult | None:
    """The portable path (SQLite): the same checks over rows read with the ORM."""
    qs = LedgerEvent.objects.filter(seq__gte=check.expected_seq)
    if to_seq is not None:
        qs = qs.filter(seq__lte=to_seq)
    sha256 = hashlib.sha256
    for row in qs.order_by("seq").values_list(*EVENT_COLUMNS).iterator(chunk_size=chunk_size):
        seq, at, *rest, prev_hash, stored = row
        if seq != check.expected_seq:
            return check.missing(seq)
        if prev_hash != check.expected_prev:
            return check.chain_break(seq)
        computed = sha256(
            canonical_bytes_from_row(seq, format_at(at), *rest, prev_hash)
        ).hexdigest()
        if computed != stored:
            return check.mismatch(seq, stored, computed)
        if seq in check.anchors and (outcome := check.anchor(seq, stored)):
            return outcome
        if check.count == 0:
            check.result.first_seq = seq
        check.count += 1
        check.expected_prev = stored
        check.expected_seq = seq + 1
    return None


def _copy_fast_path() -> bool:
    if connection.vendor != "postgresql":
        return False
    connection.ensure_connection()
    return connection.connection.info.encoding == "utf-8"


def verify_chain(
    *, from_seq: int | None = None, to_seq: int | None = None, chunk_size: int = 20000
) -> VerificationResult:
    """Recompute every hash and link from `from_seq` to `to_seq` and check the anchors."""
    start = max(1, from_seq or 1)
    if start == 1:
        expected_prev = GENESIS_HASH
    else:
        expected_prev = (
            LedgerEvent.objects.filter(seq=start - 1).values_list("hash", flat=True).first()
        )
    anchors = AuditAnchor.objects.filter(seq__gte=start)
    if to_seq is not None:
        anchors = anchors.filter(seq__lte=to_seq)
    anchor_hashes: dict[int, list[tuple[str, str | None]]] = {}
    for anchor in anchors:
        anchor_hashes.setdefault(anchor.seq, []).append((anchor.head_hash, anchor_problem(anchor)))
    check = _Checker(start, expected_prev or "", anchor_hashes)
    if expected_prev is None:
        return check.fail(start - 1, "missing_sequence", f"event {start - 1} is missing")

    if _copy_fast_path():
        outcome = _scan_postgresql(check, to_seq)
    else:
        outcome = _scan_orm(check, to_seq, chunk_size)
    if outcome is not None:
        return outcome
    result = check.result
    result.events_checked = check.count
    result.last_seq = check.expected_seq - 1 if check.count else None
    beyond = sorted(s for s in anchor_hashes if s >= check.expected_seq)
    if beyond:
        return check.fail(
            check.expected_seq,
            "missing_sequence",
            f"event {check.expected_seq} is missing: an anchor signed the ledger up to event "
            f"{beyond[0]} (anchor mismatch: the ledger was truncated)",
        )
    return result
