"""Sending Celery tasks from a request without letting the broker fail the request."""

import logging

from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def task_send(task, *args, eta=None) -> bool:
    """Send `task(*args)` to the broker now; return False (and log) when the broker is away.

    Every caller has a sweep that finds the work again from the database (a queued document,
    a queued e-mail…), so a lost send only delays the work: it never fails the request that
    committed it.
    """
    if task.app.conf.task_always_eager:  # tests: run inline, let its errors show
        task.apply_async(args=args, eta=eta)
        return True
    try:
        with task.app.producer_or_acquire() as producer:
            # One try, no retries: with the broker down the request must not wait for it.
            producer.connection.ensure_connection(max_retries=0)
            task.apply_async(args=args, eta=eta, producer=producer, retry=False)
    except (OperationalError, OSError):
        logger.warning("Broker unavailable: %s%r not sent; its sweep will send it", task.name, args)
        return False
    return True


def task_send_on_commit(task, *args, eta=None) -> None:
    """Send `task(*args)` once the current transaction commits (see `task_send`)."""
    transaction.on_commit(lambda: task_send(task, *args, eta=eta))
