"""The audit context: the ledger takes the client's address from the request being served."""

import pytest
from django.test import RequestFactory

import audit
from audit import context
from audit.context import AuditContext, AuditContextMiddleware, clear_for_task
from audit.models import LedgerEvent

pytestmark = pytest.mark.django_db


def test_record_without_request_takes_the_bound_context():
    with context.bound(AuditContext(ip="203.0.113.7", user_agent="Trình duyệt/1.0")):
        event = audit.record(action="probe.context")
    event = LedgerEvent.objects.get(pk=event.pk)
    assert (event.ip, event.user_agent) == ("203.0.113.7", "Trình duyệt/1.0")
    # Outside the block nothing is left behind.
    assert audit.record(action="probe.after").ip == ""


def test_middleware_binds_the_request_for_the_view():
    seen = []

    def view(request):
        seen.append(audit.record(action="probe.view"))
        return "ok"

    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.4", HTTP_USER_AGENT="UA")
    assert AuditContextMiddleware(view)(request) == "ok"
    assert (seen[0].ip, seen[0].user_agent) == ("198.51.100.4", "UA")
    assert context.current() == AuditContext()


def test_task_prelude_clears_a_leftover_context():
    token = context._current.set(AuditContext(ip="192.0.2.1"))
    try:
        clear_for_task()
        assert context.current() == AuditContext()
    finally:
        context._current.reset(token)


def test_the_prelude_is_connected_to_celery():
    from celery.signals import task_prerun

    assert any("clear_for_task" in repr(r[1]) for r in task_prerun.receivers)
