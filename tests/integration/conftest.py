"""Shared fixtures for the integration tests: a real Celery worker on Redis and PostgreSQL."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from config.celery import app as celery_app
from tests.release.conftest import dev_pki, signing_credentials  # noqa: F401 — shared fixtures
from tests.workflows.conftest import act, case, staff  # noqa: F401 — shared fixtures

ROOT = Path(__file__).resolve().parents[2]


def _reset_connections():
    """Drop pooled broker connections made for an earlier broker URL in this process.

    kombu keeps its pools in process-wide registries keyed by URL: closing one pool without
    removing it from the registry left a closed pool to be reused ("Acquire on closed pool").
    """
    from kombu import pools

    pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def worker_popen(broker_url: str, *, pool_args=("--pool=solo",), extra_args=(), env=None):
    """Start `celery worker` on the test database and `broker_url` (not eager)."""
    db = connection.settings_dict
    environ = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_BROKER_URL": broker_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "TSA_URL": "",
        **(env or {}),
    }
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", *pool_args]
    command += ["--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"]
    # Both queues (config/settings/base.py CELERY_TASK_ROUTES): signing and everything else.
    command += ["-Q", ",".join(settings.WORKER_QUEUES), *extra_args]
    return subprocess.Popen(
        command, cwd=ROOT, env=environ, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def worker_stop(proc) -> None:
    """Stop a worker started by `worker_popen` and print the end of its log."""
    proc.terminate()
    try:
        out, _ = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
    print(out[-6000:])


@pytest.fixture
def worker(postgres_db, redis_url, settings):
    """Start `celery worker` against the test database and Redis; stop it afterwards."""
    proc = worker_popen(redis_url)
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
        worker_stop(proc)
