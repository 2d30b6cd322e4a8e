"""`manage.py verify_audit` proves the chain intact and names the first bad event."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

import audit
from audit.anchors import anchor_create
from audit.models import AuditAnchor, LedgerEvent, VerificationRun
from audit.services import verify_chain

from .conftest import drop_triggers, raw_sql


@pytest.fixture
def history(db, head, organisation):
    """Ten events after the fixtures' own, with an anchor in the middle and one at the head."""
    for i in range(5):
        audit.record(action="test.history", actor=head, organisation=organisation, after={"i": i})
    anchor_create()
    for i in range(5, 10):
        audit.record(action="test.history", actor=head, organisation=organisation, after={"i": i})
    anchor_create()
    return list(LedgerEvent.objects.order_by("seq"))


def run(*args):
    out = io.StringIO()
    call_command("verify_audit", *args, stdout=out)
    return out.getvalue()


def failure(*args) -> CommandError:
    with pytest.raises(CommandError) as exc:
        run(*args)
    assert exc.value.returncode == 1
    return exc.value


def test_intact_ledger_exits_zero(history):
    out = run()
    assert out.startswith(f"OK: {len(history)} events checked, 2 anchors checked")
    run_row = VerificationRun.objects.get()
    assert run_row.ok and run_row.events_checked == len(history)


def test_a_range_can_be_verified(history):
    assert run("--from", "3", "--to", "6").startswith("OK: 4 events checked")


def test_content_tampered_in_sql_is_caught_as_hash_mismatch(history):
    victim = history[4]
    drop_triggers()
    raw_sql("UPDATE audit_ledgerevent SET after = %s WHERE seq = %s", ['{"i":999}', victim.seq])
    exc = failure()
    assert f"FAILED at event {victim.seq}: hash mismatch" in str(exc)
    assert VerificationRun.objects.get().first_bad_seq == victim.seq
    # A range that ends before the tampered event is still intact.
    assert run("--to", str(victim.seq - 1)).startswith("OK")


def test_tampered_and_rehashed_event_breaks_the_chain(history):
    from audit.services import event_hash

    victim = history[3]
    drop_triggers()
    raw_sql("UPDATE audit_ledgerevent SET actor_role = 'spokesperson' WHERE seq = %s", [victim.seq])
    rewritten = LedgerEvent.objects.get(seq=victim.seq)
    raw_sql(
        "UPDATE audit_ledgerevent SET hash = %s WHERE seq = %s", [event_hash(rewritten), victim.seq]
    )
    exc = failure()
    assert f"FAILED at event {victim.seq + 1}: chain break" in str(exc)


def test_deleted_event_is_caught_as_missing_sequence(history):
    victim = history[6]
    drop_triggers()
    raw_sql("DELETE FROM audit_ledgerevent WHERE seq = %s", [victim.seq])
    exc = failure()
    assert f"FAILED at event {victim.seq}: missing sequence" in str(exc)
    assert f"event {victim.seq} is missing" in str(exc)


def test_truncated_tail_is_caught_by_the_anchor(history):
    drop_triggers()
    raw_sql("DELETE FROM audit_ledgerevent WHERE seq >= %s", [history[-2].seq])
    exc = failure()
    assert f"FAILED at event {history[-2].seq}: missing sequence" in str(exc)
    assert "anchor" in str(exc)


def test_anchor_signing_another_hash_is_an_anchor_mismatch(history):
    anchor = AuditAnchor.objects.order_by("seq").first()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER audit_auditanchor_no_change ON audit_auditanchor")
        else:
            cursor.execute("DROP TRIGGER audit_auditanchor_no_update")
    raw_sql("UPDATE audit_auditanchor SET head_hash = %s WHERE id = %s", ["a" * 64, anchor.pk])
    exc = failure()
    assert f"FAILED at event {anchor.seq}: anchor mismatch" in str(exc)


def test_anchor_with_a_forged_signature_is_an_anchor_mismatch(history, settings, tmp_path):
    # Someone with database rights signs a new anchor with a key of their own.
    trusted_dir = settings.AUDIT_DEV_SIGNER_DIR
    settings.AUDIT_DEV_SIGNER_DIR = tmp_path / "attacker"
    event = audit.record(action="test.more")
    forged = anchor_create()
    settings.AUDIT_DEV_SIGNER_DIR = trusted_dir
    result = verify_chain()
    assert not result.ok and result.reason == "anchor_mismatch"
    assert result.first_bad_seq == forged.seq == event.seq
    assert "signature does not verify" in result.message


def test_from_beyond_a_missing_predecessor_is_reported(history):
    drop_triggers()
    raw_sql("DELETE FROM audit_ledgerevent WHERE seq = %s", [history[2].seq])
    exc = failure("--from", str(history[3].seq))
    assert f"event {history[2].seq} is missing" in str(exc)


def test_bad_arguments_are_refused(history):
    with pytest.raises(CommandError, match="--from"):
        run("--from", "0")
    with pytest.raises(CommandError, match="--to"):
        run("--from", "5", "--to", "2")
