"""/healthz answers quickly and names what is down (database, broker, cache, each queue's
workers, beat)."""

import time
from datetime import timedelta

import pytest
from django.db import OperationalError
from django.utils import timezone

from core.heartbeats import BEAT, heartbeat_record, worker_name
from core.models import Heartbeat

SIGNING, DEFAULT = worker_name("signing"), worker_name("default")


@pytest.fixture
def alive(db):
    heartbeat_record(DEFAULT)
    heartbeat_record(SIGNING)
    heartbeat_record(BEAT)


def test_healthz_ok(client, alive):
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json() == {
        "status": "ok",
        "database": "ok",
        "broker": "ok",
        "cache": "ok",
        "worker:default": "ok",
        "worker:signing": "ok",
        "worker": "ok",
        "beat": "ok",
    }


def test_healthz_reports_a_dead_broker(client, alive, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    r = client.get("/healthz")
    assert r.status_code == 503
    assert r.json()["broker"] == "error" and r.json()["database"] == "ok"


def test_healthz_reports_a_dead_database(client, alive, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def broken(self, sql, params=None):
        raise OperationalError("connection refused")

    with monkeypatch.context() as m:
        m.setattr(CursorWrapper, "execute", broken)
        r = client.get("/healthz")
    assert r.status_code == 503
    assert r.json()["database"] == "error"
    assert r.json()["worker"] == r.json()["worker:signing"] == "unknown"


def test_a_stale_or_missing_heartbeat_is_named(client, db, settings):
    heartbeat_record(DEFAULT)
    heartbeat_record(SIGNING)
    Heartbeat.objects.update_or_create(
        name=BEAT, defaults={"at": timezone.now() - timedelta(minutes=10)}
    )
    r = client.get("/healthz")
    assert r.status_code == 503
    assert (r.json()["worker"], r.json()["beat"]) == ("ok", "stale")
    Heartbeat.objects.all().delete()
    assert client.get("/healthz").json()["worker"] == "missing"
    assert client.get("/healthz").json()["worker:signing"] == "missing"
    settings.HEALTHZ_HEARTBEATS = False
    assert client.get("/healthz").status_code == 200


def test_the_heartbeat_task_and_beat_signal_record_heartbeats(db):
    from celery.signals import before_task_publish

    from core.heartbeats import TASK_NAME, heartbeat_task

    heartbeat_task.apply(args=("signing",))
    before_task_publish.send(sender=TASK_NAME, body=None, exchange="", routing_key="")
    assert set(Heartbeat.objects.values_list("name", flat=True)) == {SIGNING, BEAT}


def test_a_dead_signing_node_is_named(client, db):
    """The default queue's workers are alive, the signing node died: 503 naming it."""
    heartbeat_record(DEFAULT)
    heartbeat_record(BEAT)
    Heartbeat.objects.update_or_create(
        name=SIGNING, defaults={"at": timezone.now() - timedelta(minutes=10)}
    )
    r = client.get("/healthz")
    assert r.status_code == 503
    body = r.json()
    assert (body["worker:signing"], body["worker:default"], body["worker"]) == (
        "stale",
        "ok",
        "stale",
    )
    assert body["beat"] == "ok"


def test_beat_sends_one_heartbeat_to_each_queue(settings):
    entries = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "core.heartbeat"]
    assert sorted((e["args"][0], e["options"]["queue"]) for e in entries) == [
        ("default", "default"),
        ("signing", "signing"),
    ]


def test_signing_tasks_are_routed_to_the_signing_queue():
    from config.celery import app

    def queue(name):
        route = app.amqp.router.route({}, name, (), {})
        return route["queue"].name

    assert queue("release.tasks.document_process_task") == "signing"
    assert queue("audit.tasks.anchor_ledger") == "signing"
    assert queue("outbox.send") == queue("core.heartbeat") == "default"


def test_a_frozen_broker_is_reported_within_two_seconds(client, alive, settings, silent_port):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{silent_port}/0"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_timeout": 5, "socket_connect_timeout": 2}
    started = time.monotonic()
    r = client.get("/healthz")
    elapsed = time.monotonic() - started
    assert r.status_code == 503
    assert r.json()["broker"] in ("timeout", "error")
    assert elapsed < 2.5


@pytest.mark.django_db(transaction=True)
def test_beat_records_its_heartbeat_again_after_the_database_restarted(monkeypatch):
    """Beat's connection died with a PostgreSQL restart: the next heartbeat reconnects."""
    from celery.signals import before_task_publish
    from django.db import connection

    from core.heartbeats import TASK_NAME

    connection.ensure_connection()
    dead = connection.connection
    connection.errors_occurred = True  # what a query on the dead connection leaves behind
    monkeypatch.setattr(connection, "is_usable", lambda: False)
    before_task_publish.send(sender=TASK_NAME, body=None, exchange="", routing_key="")
    assert connection.connection is not dead
    assert Heartbeat.objects.filter(name=BEAT).exists()
