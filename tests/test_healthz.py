"""/healthz answers quickly and names what is down (database, broker, cache, worker, beat)."""

import time
from datetime import timedelta

import pytest
from django.db import OperationalError
from django.utils import timezone

from core.heartbeats import BEAT, WORKER, heartbeat_record
from core.models import Heartbeat


@pytest.fixture
def alive(db):
    heartbeat_record(WORKER)
    heartbeat_record(BEAT)


def test_healthz_ok(client, alive):
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json() == {
        "status": "ok",
        "database": "ok",
        "broker": "ok",
        "cache": "ok",
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
    assert r.json()["worker"] == "unknown"


def test_a_stale_or_missing_heartbeat_is_named(client, db, settings):
    heartbeat_record(WORKER)
    Heartbeat.objects.update_or_create(
        name=BEAT, defaults={"at": timezone.now() - timedelta(minutes=10)}
    )
    r = client.get("/healthz")
    assert r.status_code == 503
    assert (r.json()["worker"], r.json()["beat"]) == ("ok", "stale")
    Heartbeat.objects.all().delete()
    assert client.get("/healthz").json()["worker"] == "missing"
    settings.HEALTHZ_HEARTBEATS = False
    assert client.get("/healthz").status_code == 200


def test_the_heartbeat_task_and_beat_signal_record_heartbeats(db):
    from celery.signals import before_task_publish

    from core.heartbeats import TASK_NAME, heartbeat_task

    heartbeat_task.apply()
    before_task_publish.send(sender=TASK_NAME, body=None, exchange="", routing_key="")
    assert set(Heartbeat.objects.values_list("name", flat=True)) == {WORKER, BEAT}


def test_a_frozen_broker_is_reported_within_two_seconds(client, alive, settings, silent_port):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{silent_port}/0"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_timeout": 5, "socket_connect_timeout": 2}
    started = time.monotonic()
    r = client.get("/healthz")
    elapsed = time.monotonic() - started
    assert r.status_code == 503
    assert r.json()["broker"] in ("timeout", "error")
    assert elapsed < 2.5
