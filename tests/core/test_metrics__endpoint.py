"""GET /metrics: only from the internal networks, directly (not through the proxy); the
figures named in the docs are there; a request is counted in the latency histogram."""

import re

import pytest
from prometheus_client import REGISTRY

EXPECTED = [
    "phatngon_http_request_duration_seconds_bucket",
    "phatngon_celery_tasks_total",
    "phatngon_celery_task_duration_seconds_bucket",
    "phatngon_celery_queue_length",
    "phatngon_ledger_head_sequence",
    "phatngon_cases_open",
    "phatngon_cases_overdue",
    "phatngon_outbox_mail",
    "phatngon_documents",
    "phatngon_metrics_source_up",
]


@pytest.fixture
def redis_broker(settings, redis_url):
    settings.CELERY_BROKER_URL = redis_url
    settings.CELERY_TASK_ROUTES = {"release.tasks.document_issue": {"queue": "signing"}}
    settings.CELERY_TASK_DEFAULT_QUEUE = "default"
    import redis

    client = redis.Redis.from_url(redis_url)
    client.delete("signing", "default")
    client.rpush("signing", "m1", "m2")
    client.rpush("signing\x06\x163", "m3")
    yield
    client.delete("signing", "signing\x06\x163")


@pytest.mark.parametrize("address", ["127.0.0.1", "::1", "10.1.2.3"])
def test_allowed_networks_get_the_figures(client, db, settings, address, redis_broker):
    settings.METRICS_ALLOWED_NETWORKS = ["127.0.0.1/32", "::1/128", "10.0.0.0/8"]
    # A task finished in this process (eager), so that its counters exist.
    from core.tasks import task_send
    from outbox.tasks import outbox_sweep_task as outbox_sweep

    task_send(outbox_sweep)
    client.get("/tin-bao-chi/")
    response = client.get("/metrics", REMOTE_ADDR=address)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    for name in EXPECTED:
        assert re.search(rf"^{name}\b", text, re.M), name
    # Queue names from the settings of now, all priority levels added up.
    assert 'phatngon_celery_queue_length{queue="signing"} 3.0' in text
    assert 'phatngon_celery_queue_length{queue="default"} 0.0' in text
    assert 'phatngon_metrics_source_up{source="database"} 1.0' in text


@pytest.mark.parametrize(
    "address, headers",
    [
        ("203.0.113.7", {}),  # the internet
        ("10.1.2.3", {}),  # internal, but not in the default networks
        ("127.0.0.1", {"HTTP_X_FORWARDED_FOR": "203.0.113.7"}),  # came through nginx
        ("127.0.0.1", {"HTTP_X_REAL_IP": "203.0.113.7"}),
        ("", {}),
    ],
)
def test_others_get_404(client, db, address, headers):
    response = client.get("/metrics", REMOTE_ADDR=address, **headers)
    assert response.status_code == 404
    assert b"phatngon_" not in response.content


def _count(view: str, status: str) -> float:
    value = REGISTRY.get_sample_value(
        "phatngon_http_request_duration_seconds_count",
        {"view": view, "method": "GET", "status": status},
    )
    return value or 0.0


def test_a_request_is_counted_in_the_latency_histogram(client, db):
    before = _count("release:newsroom", "200")
    client.get("/tin-bao-chi/")
    assert _count("release:newsroom", "200") == before + 1


def test_unknown_paths_share_one_label(client, db):
    before = _count("<unresolved>", "404")
    client.get("/khong-co-trang-nay-1/")
    client.get("/khong-co-trang-nay-2/")
    assert _count("<unresolved>", "404") == before + 2


def test_task_counts_by_name_and_state(db):
    from core.tasks import task_send
    from outbox.tasks import outbox_sweep_task as outbox_sweep

    labels = {"task": outbox_sweep.name, "state": "SUCCESS"}
    before = REGISTRY.get_sample_value("phatngon_celery_tasks_total", labels) or 0.0
    task_send(outbox_sweep)
    assert REGISTRY.get_sample_value("phatngon_celery_tasks_total", labels) == before + 1


def test_database_away_still_answers(client, db, monkeypatch):
    from django.db import OperationalError

    from workflows.models import Case

    def fail(*args, **kwargs):
        raise OperationalError("away")

    monkeypatch.setattr(type(Case.objects.all()), "count", fail)
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200
    assert 'phatngon_metrics_source_up{source="database"} 0.0' in response.content.decode()
