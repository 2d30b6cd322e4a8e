"""The database itself refuses to rewrite history; only a deliberate full wipe gets through."""

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

import audit
from audit.db import maintenance
from audit.models import LedgerEvent

from .conftest import raw_sql


@pytest.fixture
def event(db, head):
    return audit.record(action="test.trigger", actor=head)


def test_update_is_refused_by_the_database(event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw_sql("UPDATE audit_ledgerevent SET action = 'rewritten' WHERE id = %s", [event.pk])
    assert LedgerEvent.objects.get(pk=event.pk).action == "test.trigger"


def test_delete_is_refused_by_the_database(event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw_sql("DELETE FROM audit_ledgerevent WHERE id = %s", [event.pk])
    assert LedgerEvent.objects.filter(pk=event.pk).exists()


def test_anchors_are_protected_too(event):
    from audit.anchors import anchor_create

    anchor = anchor_create()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw_sql("UPDATE audit_auditanchor SET head_hash = 'x' WHERE id = %s", [anchor.pk])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw_sql("DELETE FROM audit_auditanchor WHERE id = %s", [anchor.pk])


@pytest.mark.postgres
def test_truncate_is_refused_on_postgresql(event, require_postgres):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw_sql("TRUNCATE audit_ledgerevent")
    assert LedgerEvent.objects.filter(pk=event.pk).exists()


def test_the_maintenance_switch_lets_a_wipe_through(event):
    with maintenance(), transaction.atomic():
        raw_sql("DELETE FROM audit_ledgerevent")
        assert not LedgerEvent.objects.exists()
        transaction.set_rollback(True)
    # Outside the switch the refusal is back.
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw_sql("DELETE FROM audit_ledgerevent")


def test_flush_is_refused_unless_allowed(event, settings):
    settings.AUDIT_FLUSH_ALLOWED = False
    with pytest.raises(CommandError, match="AUDIT_FLUSH_ALLOWED"):
        call_command("flush", interactive=False, verbosity=0)
    assert LedgerEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_flush_between_transactional_tests_empties_the_ledger(head):
    # pytest-django flushes after this test (TRUNCATE on PostgreSQL, DELETE on SQLite);
    # the next test starting from an empty ledger proves the flush went through.
    audit.record(action="test.before_flush", actor=head)
    assert LedgerEvent.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_ledger_is_empty_after_a_flush(head):
    assert not LedgerEvent.objects.exclude(action="membership.grant").exists()
    assert LedgerEvent.objects.order_by("seq").first().seq == 1
    assert connection.vendor in ("sqlite", "postgresql")
