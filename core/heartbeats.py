"""Heartbeats of the scheduler (beat) and the workers, read by /healthz.

Beat sends `core.heartbeat` every minute; sending it records the beat's heartbeat (in the
beat process, through Celery's `before_task_publish`), and a worker running it records the
workers'. A stale beat or worker is then visible at /healthz, within minutes.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from celery.signals import before_task_publish
from django.conf import settings
from django.utils import timezone

logger = logging.getLogger(__name__)

TASK_NAME = "core.heartbeat"
BEAT, WORKER = "beat", "worker"


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


@shared_task(name=TASK_NAME, ignore_result=True)
def heartbeat_task() -> None:
    """Beat's minute entry: the worker that runs it is alive."""
    heartbeat_record(WORKER)


@before_task_publish.connect
def _beat_sends_heartbeat(sender=None, **kwargs):
    # Only beat sends this task; recording must never stop beat from sending.
    if sender != TASK_NAME:
        return
    try:
        heartbeat_record(BEAT)
    except Exception:  # noqa: BLE001
        logger.warning("Could not record beat's heartbeat", exc_info=True)
