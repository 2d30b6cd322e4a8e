"""The hash chain: every event links to the one before, and the hashes recompute."""

import hashlib
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.test import RequestFactory
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

import audit
from audit import bundle_verifier
from audit import context as audit_context
from audit.models import LedgerEvent, LedgerImmutableError
from audit.services import (
    GENESIS_HASH,
    canonical_bytes,
    canonical_json,
    event_fields,
    format_at,
    verify_chain,
)
from roles import services as roles_services
from roles.models import Role
from tests.factories import UserFactory


@pytest.mark.django_db
def test_events_form_a_chain_from_the_genesis_hash(head, organisation):
    start = LedgerEvent.objects.count()
    for i in range(3):
        audit.record(
            action="test.step",
            actor=head,
            actor_role="head",
            organisation=organisation,
            after={"i": i, "tên": "Bình Dương"},
        )
    events = list(LedgerEvent.objects.order_by("seq"))
    assert events[0].seq == 1 and events[0].prev_hash == GENESIS_HASH
    for prev, event in zip(events, events[1:], strict=False):
        assert event.seq == prev.seq + 1
        assert event.prev_hash == prev.hash
    last = events[-1]
    assert last.seq == start + 3
    assert last.after_data == {"i": 2, "tên": "Bình Dương"}
    assert (last.actor_username, last.actor_role, last.organisation_code) == (
        "lanhdao",
        "head",
        "pgddt-thuan-an",
    )
    # The stored hash is SHA-256 over the documented canonical encoding.
    assert last.hash == hashlib.sha256(canonical_bytes(event_fields(last))).hexdigest()
    assert verify_chain().ok


@pytest.mark.django_db
def test_canonical_encoding_is_the_documented_byte_string(head):
    event = audit.record(
        action="test.doc",
        actor=head,
        actor_role="head",
        organisation="pgddt-thuan-an",
        target_type="workflows.case",
        target_id=7,
        before=None,
        after={"b": 1, "a": "Ư\tx"},
    )
    expected = "\t".join(
        [
            str(event.seq),
            format_at(event.at),
            str(head.pk),
            "lanhdao",
            "head",
            "pgddt-thuan-an",
            "test.doc",
            "workflows.case",
            "7",
            "\\N",
            '{"a":"Ư\\\\tx","b":1}',  # JSON escapes the tab as \t, whose backslash is escaped
            "",
            "",
            event.prev_hash,
        ]
    )
    assert event.hash == hashlib.sha256(expected.encode("utf-8")).hexdigest()
    assert format_at(event.at).endswith("+00:00") and len(format_at(event.at)) == 32


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=12,
)


@hsettings(max_examples=300, deadline=None)
@given(
    before=json_values,
    after=json_values,
    text=st.text(max_size=30),
    actor_id=st.none() | st.integers(min_value=1, max_value=2**40),
)
def test_the_application_and_the_standalone_verifier_encode_alike(before, after, text, actor_id):
    fields = {
        "seq": 12,
        "at": "2026-11-26T06:10:24.000001+00:00",
        "actor_id": actor_id,
        "actor_username": text.upper(),
        "actor_role": text[::-1],
        "organisation": text,
        "action": text + "\\N",
        "target_type": "x.y",
        "target_id": text,
        "before": canonical_json(before),
        "after": canonical_json(after),
        "ip": "2001:db8::1",
        "user_agent": text + '"\\\n\x01\t\r\x0b\x0c\x08',
        "prev_hash": GENESIS_HASH,
    }
    try:
        mine = canonical_bytes(fields)
    except UnicodeEncodeError:
        return  # lone surrogates: record() replaces them before anything is hashed
    assert mine == bundle_verifier.canonical(fields)
    # Injective: no raw TAB or newline survives inside a field.
    assert mine.count(b"\t") == 13 and b"\n" not in mine


@pytest.mark.django_db
def test_awkward_data_is_stored_as_hashed(head):
    event = audit.record(
        action="test.awkward\x00",
        actor=head,
        after={
            "nul": "a\x00b",
            1: "int key",
            "when": timedelta(days=1),
            "nan": float("nan"),
            "copy": "tab\there\nnew line\\back\\slash\r\\N",
        },
    )
    event = LedgerEvent.objects.get(pk=event.pk)
    assert event.action == "test.awkward\ufffd"
    assert event.after_data == {
        "1": "int key",
        "copy": "tab\there\nnew line\\back\\slash\r\\N",
        "nan": "nan",
        "nul": "a\ufffdb",
        "when": "1 day, 0:00:00",
    }
    request = RequestFactory().get("/", HTTP_USER_AGENT="a\tb\\c\\N")
    with audit_context.bound(audit_context.from_request(request)):
        audit.record(action="test.agent")
    assert verify_chain().ok


@pytest.mark.django_db
def test_request_ip_and_user_agent_are_recorded(head):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="2001:DB8:0:0::1", HTTP_USER_AGENT="Cốc Cốc/1.0"
    )
    with audit_context.bound(audit_context.from_request(request)):
        event = audit.record(action="test.request", actor=head)
    assert (event.ip, event.user_agent) == ("2001:db8::1", "Cốc Cốc/1.0")
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_rolling_back_the_business_change_removes_its_event(organisation):
    user = UserFactory(username="rollback")
    before = LedgerEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        roles_services.membership_grant(
            user=user, organisation=organisation, role=Role.REGISTRY_OFFICER, title="Văn thư"
        )
        assert LedgerEvent.objects.count() == before + 1
        raise RuntimeError("the business change fails after its event was written")
    assert LedgerEvent.objects.count() == before
    assert not user.memberships.exists()
    # The next append continues the chain where it was, with no hole.
    audit.record(action="test.after_rollback")
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_a_failing_record_makes_the_business_change_fail(organisation, monkeypatch):
    user = UserFactory(username="nohistory")

    def broken_insert(cursor, event):
        raise IntegrityError("ledger unavailable")

    monkeypatch.setattr("audit.services._insert", broken_insert)
    with pytest.raises(IntegrityError):
        roles_services.membership_grant(
            user=user, organisation=organisation, role=Role.REGISTRY_OFFICER, title="Văn thư"
        )
    assert not user.memberships.exists()


@pytest.mark.django_db
def test_the_model_refuses_to_change_or_delete_events(head):
    event = audit.record(action="test.immutable", actor=head)
    event.action = "test.rewritten"
    with pytest.raises(LedgerImmutableError):
        event.save()
    with pytest.raises(LedgerImmutableError):
        event.delete()
    with pytest.raises(LedgerImmutableError):
        LedgerEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(LedgerImmutableError):
        LedgerEvent.objects.filter(pk=event.pk).delete()
    assert LedgerEvent.objects.get(pk=event.pk).action == "test.immutable"


@pytest.mark.django_db
def test_two_events_cannot_claim_the_same_predecessor(head):
    event = audit.record(action="test.fork", actor=head)
    fork = LedgerEvent(
        seq=event.seq + 1,
        at=event.at,
        action="test.fork2",
        prev_hash=event.prev_hash,  # a second child of event.seq - 1
        hash="f" * 64,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        fork.save(force_insert=True)


@pytest.mark.django_db
def test_actor_context_fills_role_and_organisation(settings, head):
    settings.AUDIT_ACTOR_CONTEXT = "tests.audit.policy.actor_context"
    event = audit.record(action="test.context", actor=head)
    assert (event.actor_role, event.organisation_code) == (Role.HEAD, "pgddt-thuan-an")


@pytest.mark.postgres
def test_postgresql_copy_streams_exactly_the_canonical_bytes(head, require_postgres):
    from django.db import connection

    from audit.services import _PG_COLUMNS

    weird = "".join(chr(c) for c in range(1, 32)) + "\\ \\N ư \x7f"
    event = audit.record(action=weird, actor=head, after={"x": weird}, target_id=weird[:60])
    sql = f"COPY (SELECT {_PG_COLUMNS} FROM audit_ledgerevent WHERE seq = {event.seq}) TO STDOUT"  # noqa: S608
    with transaction.atomic(), connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        line = b"".join(bytes(block) for block in copy)
    stored = LedgerEvent.objects.get(pk=event.pk)
    assert line[:-66] == canonical_bytes(event_fields(stored))
    assert line[-65:-1].decode() == stored.hash
    assert verify_chain().ok
