from django.db import OperationalError


def test_healthz_ok(client, db):
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_healthz_reports_a_dead_broker(client, db, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    r = client.get("/healthz")
    assert r.status_code == 503
    assert r.json() == {"status": "error", "database": "ok", "broker": "error"}


def test_healthz_reports_a_dead_database(client, db, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def broken(self, sql, params=None):
        raise OperationalError("connection refused")

    with monkeypatch.context() as m:
        m.setattr(CursorWrapper, "execute", broken)
        r = client.get("/healthz")
    assert r.status_code == 503
    assert r.json()["database"] == "error"
