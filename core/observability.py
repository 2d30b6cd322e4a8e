"""Celery's side of the request id and the task metrics (connected in CoreConfig.ready).

The web process sends tasks (before_task_publish); a worker runs them (task_prerun/postrun)
and, when CELERY_METRICS_PORT is set, serves its task figures on that port (worker_init).
"""

from __future__ import annotations

import logging
import os

from celery.signals import before_task_publish, task_postrun, task_prerun, worker_init

from . import metrics, requestid

logger = logging.getLogger(__name__)


@before_task_publish.connect(dispatch_uid="core.observability.publish")
def _publish(sender=None, headers=None, **kwargs):
    if headers is not None:
        requestid.task_publish_headers(headers)


@task_prerun.connect(dispatch_uid="core.observability.prerun")
def _prerun(sender=None, task_id=None, task=None, **kwargs):
    requestid.task_started(task_id or "", task or sender)
    metrics.task_started(task_id or "")


@task_postrun.connect(dispatch_uid="core.observability.postrun")
def _postrun(sender=None, task_id=None, task=None, state=None, **kwargs):
    metrics.task_finished(task_id or "", getattr(task or sender, "name", "?"), state)
    requestid.task_finished(task_id or "")


@worker_init.connect(dispatch_uid="core.observability.worker_exporter")
def _worker_exporter(sender=None, **kwargs):
    """Serve this node's task figures on CELERY_METRICS_PORT (Prometheus scrapes each node).

    The pool children run the tasks: with a prefork pool the figures are only complete when
    PROMETHEUS_MULTIPROC_DIR is set for the node (each child writes there, this adds up).
    """
    from django.conf import settings

    port = getattr(settings, "CELERY_METRICS_PORT", 0)
    if not port:
        return
    from prometheus_client import REGISTRY, CollectorRegistry, start_http_server

    registry = REGISTRY
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        logger.warning(
            "CELERY_METRICS_PORT without PROMETHEUS_MULTIPROC_DIR: "
            "tasks run in pool children are not counted"
        )
    start_http_server(port, addr=settings.CELERY_METRICS_ADDRESS, registry=registry)
    logger.info("Task metrics on %s:%s", settings.CELERY_METRICS_ADDRESS, port)
