"""Celery tasks of the release engine: they take ids, call one service, own their retries."""

from celery import shared_task

from . import services

MAX_RETRIES = 5


def retry_countdown(retries: int) -> int:
    """Exponential backoff: 10 s, 20 s, 40 s, 80 s, 160 s."""
    return 10 * 2**retries


@shared_task(bind=True, max_retries=MAX_RETRIES, acks_late=True, reject_on_worker_lost=True)
def document_process_task(self, document_id: int) -> str:
    """Render, sign and register one document; after the last failure mark it failed.

    Acknowledged only when done, and given back to the queue when its worker dies (an OOM
    kill): the message is never lost with the worker. The attempts are counted on the
    document, so duplicates of the message (the minute sweep, a redelivery) share one budget.
    """
    try:
        document = services.document_process(document_id=document_id)
    except services.DocumentProcessError as exc:
        attempts = (
            services.IssuedDocument.objects.filter(pk=document_id)
            .values_list("attempts", flat=True)
            .first()
        )
        if (attempts or 0) >= services.max_attempts():
            services.document_mark_failed(document_id=document_id, error=str(exc))
            return "failed"
        raise self.retry(exc=exc, countdown=retry_countdown(self.request.retries)) from exc
    return document.status if document is not None else "busy"


@shared_task(name="release.tasks.documents_dispatch_due")
def documents_dispatch_due_task() -> int:
    """Every minute: hand over again the queued documents whose message may have been lost."""
    return len(services.documents_dispatch_due())


# ---------------------------------------------------------------- publication (newsroom)

SEND_MAX_RETRIES = 3


def send_countdown(retries: int) -> int:
    """Backoff between mail attempts: 60 s, 240 s, 960 s."""
    return 60 * 4**retries


@shared_task(bind=True, acks_late=True)
def publication_distribute_task(self, publication_id: int) -> str:
    """Mail a public publication to its organisation's list, once (idempotent).

    Run early (before publish_at) it plans itself again at publish_at; the minute sweep
    (`publications_due_sweep`) is the backstop for a lost task.
    """
    from . import publication

    outcome, batches = publication.publication_distribute(publication_id)
    if outcome == "later" and not self.request.is_eager:
        pub = publication.Publication.objects.filter(pk=publication_id).first()
        if pub is not None and pub.publish_at is not None:
            self.apply_async(args=[publication_id], eta=pub.publish_at)
    for batch in batches:
        deliveries_send_task.delay(batch)
    return outcome


@shared_task(bind=True, max_retries=SEND_MAX_RETRIES, acks_late=True)
def deliveries_send_task(self, delivery_ids: list[int]) -> str:
    """Send one batch of e-mails; retry the failed ones with backoff, then leave them failed."""
    from . import publication

    final = self.request.retries >= self.max_retries
    failed = publication.deliveries_send(delivery_ids, final=final)
    if failed and not final:
        raise self.retry(args=[failed], countdown=send_countdown(self.request.retries))
    return f"failed:{len(failed)}" if failed else "sent"


@shared_task
def publications_due_sweep() -> int:
    """Every minute: distribute public publications that no task has distributed yet, and send
    again the deliveries whose batch was lost (still pending after ten minutes)."""
    from . import publication

    due = publication.publications_due()
    for publication_id in due:
        publication_distribute_task.delay(publication_id)
    stale = publication.deliveries_stale()
    size = publication.batch_size()
    for i in range(0, len(stale), size):
        deliveries_send_task.delay(stale[i : i + size])
    return len(due) + len(stale)
