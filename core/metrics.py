"""Prometheus metrics of the web processes and the Celery workers (prometheus_client).

Across processes: gunicorn runs several workers, and a Celery node runs its tasks in pool
children. With PROMETHEUS_MULTIPROC_DIR set (in the environment, before start), every process
writes its figures to files in that folder and a scrape adds them up
(prometheus_client's multiprocess mode); gunicorn's `child_exit` hook (config/gunicorn.py)
marks a dead worker's files. Without it (the demo, `runserver`), figures are per process.

The domain figures (queue depth, ledger head, cases, outbox, documents) are not counted here:
they are read from the database and the broker at scrape time (config/metrics.py).
"""

from __future__ import annotations

import time

from prometheus_client import Counter, Histogram

# Buckets for pages and API calls: 5 ms … 10 s.
REQUEST_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
# Tasks run from milliseconds (a sweep) to a minute (render + sign a long document).
TASK_BUCKETS = (0.01, 0.05, 0.1, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0)

REQUEST_LATENCY = Histogram(
    "phatngon_http_request_duration_seconds",
    "Time to answer an HTTP request, by view (URL name) and status code.",
    ["view", "method", "status"],
    buckets=REQUEST_BUCKETS,
)
TASKS = Counter(
    "phatngon_celery_tasks",
    "Celery tasks finished, by task name and state (SUCCESS, FAILURE, RETRY…).",
    ["task", "state"],
)
TASK_DURATION = Histogram(
    "phatngon_celery_task_duration_seconds",
    "Run time of a Celery task, by task name and state.",
    ["task", "state"],
    buckets=TASK_BUCKETS,
)

# Methods outside this set are folded into "other" (label values must stay few).
_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def view_label(request) -> str:
    """The URL name of the view that answered ("release:newsroom"), never the raw path: a
    label per path would make one time series per statement and per bot's guess."""
    kept = getattr(request, "metrics_view", None)  # a page served from a cache
    if kept:
        return kept
    match = getattr(request, "resolver_match", None)
    if match is None:
        from django.conf import settings

        # WhiteNoise answers static files before any URL is resolved.
        if request.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
            return "<static>"
        return "<unresolved>"
    if match.view_name:
        return match.view_name
    return match.route or "<unnamed>"


class MetricsMiddleware:
    """Time each request into phatngon_http_request_duration_seconds."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        start = time.perf_counter()
        response = self.get_response(request)
        method = request.method if request.method in _METHODS else "other"
        REQUEST_LATENCY.labels(view_label(request), method, str(response.status_code)).observe(
            time.perf_counter() - start
        )
        return response


# ---------------------------------------------------------------- Celery

_started: dict[str, float] = {}


def task_started(task_id: str) -> None:
    _started[task_id] = time.perf_counter()


def task_finished(task_id: str, task_name: str, state: str | None) -> None:
    start = _started.pop(task_id, None)
    state = state or "UNKNOWN"
    TASKS.labels(task_name, state).inc()
    if start is not None:
        TASK_DURATION.labels(task_name, state).observe(time.perf_counter() - start)
