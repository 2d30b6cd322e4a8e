"""Concurrent writers on PostgreSQL get one gap-free chain that never forks."""

import threading

import pytest
from django.db import connection, connections, transaction

import audit
from audit.models import LedgerEvent
from audit.services import GENESIS_HASH, verify_chain

WRITERS = 8
PER_WRITER = 25


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_form_one_unforked_gap_free_chain(require_postgres):
    assert connection.vendor == "postgresql"
    barrier = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def writer(n):
        try:
            barrier.wait()
            for i in range(PER_WRITER):
                with transaction.atomic():
                    audit.record(action="test.concurrent", after={"writer": n, "i": i})
                    if i % 5 == 4:
                        # A business change that rolls back takes its event with it.
                        transaction.set_rollback(True)
        except BaseException as exc:  # reported below: a thread must not fail silently
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    rows = list(LedgerEvent.objects.order_by("seq").values_list("seq", "prev_hash", "hash"))
    kept = WRITERS * PER_WRITER * 4 // 5
    assert [r[0] for r in rows] == list(range(1, kept + 1))
    assert rows[0][1] == GENESIS_HASH
    assert all(rows[i][1] == rows[i - 1][2] for i in range(1, len(rows)))
    assert len({r[1] for r in rows}) == len(rows)  # no two events share a predecessor
    result = verify_chain()
    assert result.ok and result.events_checked == kept
