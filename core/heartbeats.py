"""Heartbeats of the scheduler (beat) and the workers, read by /healthz.

Beat sends `core.heartbeat` every minute to each queue (WORKER_QUEUES: "default",
"signing"); sending it records the beat's heartbeat (in the beat process, through Celery's
`before_task_publish`), and the worker that runs it records its queue's heartbeat
("worker:signing"). A stale beat, or a queue no worker consumes (a dead signing node), is then
visible at /healthz within minutes.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from celery.signals import before_task_publish
from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone

logger = logging.getLogger(__name__)

TASK_NAME = "core.heartbeat"
BEAT, WORKER = "beat", "worker"


def worker_name(queue: str) -> str:
    """The heartbeat of the workers consuming `queue`: "worker:signing"."""
    return f"{WORKER}:{queue}"


def worker_queues() -> tuple[str, ...]:
    return tuple(getattr(settings, "WORKER_QUEUES", ()) or ())


def heartbeat_record(name: str) -> None:
    from .models import Heartbeat

    Heartbeat.objects.update_or_create(name=name, defaults={"at": timezone.now()})


def heartbeat_status(name: str, *, now=None) -> str:
    """ "ok", "stale" (older than HEALTHZ_HEARTBEAT_MAX_AGE seconds) or "missing"."""
    from .models import Heartbeat

    at = Heartbeat.objects.filter(name=name).values_list("at", flat=True).first()
    if at is None:
        return "missing"
    max_age = timedelta(seconds=getattr(settings, "HEALTHZ_HEARTBEAT_MAX_AGE", 180))
    return "ok" if (now or timezone.now()) - at <= max_age else "stale"


@shared_task(bind=True, name=TASK_NAME, ignore_result=True)
def heartbeat_task(self, queue: str | None = None) -> None:
    """Beat's minute entry, one per queue: a worker consuming that queue is alive."""
    # The queue the message came from, when the broker says it; else the one beat named.
    delivered = (self.request.delivery_info or {}).get("routing_key")
    queue = delivered if delivered in worker_queues() else queue
    heartbeat_record(worker_name(queue) if queue else WORKER)


@before_task_publish.connect
def _beat_sends_heartbeat(sender=None, **kwargs):
    # Only beat sends this task; recording must never stop beat from sending.
    if sender != TASK_NAME:
        return
    try:
        # Beat has no request cycle to drop a connection that died (PostgreSQL restarted):
        # without this, every later heartbeat failed on it and /healthz said "beat stale"
        # for as long as beat ran.
        if not connection.in_atomic_block:
            close_old_connections()
        heartbeat_record(BEAT)
    except Exception:  # noqa: BLE001
        logger.warning("Could not record beat's heartbeat", exc_info=True)
