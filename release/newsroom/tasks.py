"""Celery tasks of the newsroom: distribute a public statement, send its e-mails, sweep.

They keep the names they were registered under in `release.tasks` (queued messages and the
beat schedule name them).
"""

from celery import shared_task

SEND_MAX_RETRIES = 3


def send_countdown(retries: int) -> int:
    """Backoff between mail attempts: 60 s, 240 s, 960 s."""
    return 60 * 4**retries


@shared_task(name="release.tasks.publication_distribute_task", bind=True, acks_late=True)
def publication_distribute_task(self, publication_id: int) -> str:
    """Mail a public publication to its organisation's list, once (idempotent).

    Run early (before publish_at) it plans itself again at publish_at; the minute sweep
    (`publications_due_sweep_task`) is the backstop for a lost task.
    """
    from . import distribution

    outcome, batches = distribution.publication_distribute(publication_id)
    if outcome == "later" and not self.request.is_eager:
        pub = distribution.Publication.objects.filter(pk=publication_id).first()
        if pub is not None and pub.publish_at is not None:
            self.apply_async(args=[publication_id], eta=pub.publish_at)
    for batch in batches:
        deliveries_send_task.delay(batch)
    return outcome


@shared_task(
    name="release.tasks.deliveries_send_task",
    bind=True,
    max_retries=SEND_MAX_RETRIES,
    acks_late=True,
)
def deliveries_send_task(self, delivery_ids: list[int]) -> str:
    """Send one batch of e-mails; retry the failed ones with backoff, then leave them failed."""
    from . import distribution

    final = self.request.retries >= self.max_retries
    failed = distribution.deliveries_send(delivery_ids, final=final)
    if failed and not final:
        raise self.retry(args=[failed], countdown=send_countdown(self.request.retries))
    return f"failed:{len(failed)}" if failed else "sent"


@shared_task(name="release.tasks.publications_due_sweep")
def publications_due_sweep_task() -> int:
    """Every minute: distribute public publications that no task has distributed yet, and send
    again the deliveries whose batch was lost (still pending after ten minutes)."""
    from . import distribution

    due = distribution.publications_due()
    for publication_id in due:
        publication_distribute_task.delay(publication_id)
    stale = distribution.deliveries_stale()
    size = distribution.batch_size()
    for i in range(0, len(stale), size):
        deliveries_send_task.delay(stale[i : i + size])
    return len(due) + len(stale)
