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
