"""A real Celery worker on Redis renders and signs a case's answer (no eager mode)."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from config.celery import app as celery_app
from release.validation import validate_pdf
from tests.workflows.conftest import open_task, submit
from workflows import services
from workflows.case_models import Case

ROOT = Path(__file__).resolve().parents[2]


def _reset_connections():
    """Drop pooled broker connections made for an earlier broker URL in this process."""
    celery_app.pool.force_close_all()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def worker(postgres_db, redis_url, settings):
    """Start `celery worker` against the test database and Redis; stop it afterwards."""
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_BROKER_URL": redis_url,
        "TSA_URL": "",
    }
    env["CELERY_TASK_ALWAYS_EAGER"] = "false"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-Q",
            "celery",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    import redis

    redis.Redis.from_url(redis_url).flushdb()  # a test-only database: no stale messages
    old = {k: celery_app.conf[k] for k in ("broker_url", "task_always_eager")}
    celery_app.conf.update(broker_url=redis_url, task_always_eager=False)
    _reset_connections()
    settings.CELERY_TASK_ALWAYS_EAGER = False
    try:
        yield proc
    finally:
        celery_app.conf.update(**old)
        _reset_connections()
        proc.terminate()
        try:
            out, _ = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, _ = proc.communicate()
        print(out[-5000:])


def test_a_case_reaches_a_signed_pdf_through_the_worker(
    worker, journalist, organisation, staff, signing_credentials
):
    case = submit(journalist, organisation)
    steps = [
        (staff["vanthu"], "triage", "accept", {"assignees": [staff["chuyenvien"]]}),
        (staff["chuyenvien"], "draft", "submit", {"answer": "Nhà trường không thu tiền học thêm."}),
        (staff["phatngon"], "review", "approve", {}),
        (staff["lanhdao"], "signoff", "sign", {}),
    ]
    for user, step, action, data in steps:
        services.task_complete(task=open_task(case, step), by=user, action=action, data=data)
    case.refresh_from_db()
    assert case.status == Case.Status.RELEASING  # the web request did not render
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        case.refresh_from_db()
        if case.status == Case.Status.ANSWERED:
            break
        assert worker.poll() is None, "worker died"
        time.sleep(0.5)
    assert case.status == Case.Status.ANSWERED, case.document.last_error if case.document else None
    document = case.document
    document.refresh_from_db()
    report = validate_pdf(document.pdf.read())
    assert report.all_valid and len(report.signatures) == 2
