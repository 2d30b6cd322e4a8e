"""Celery tasks of the release engine: they take ids, call one service, own their retries."""

from celery import shared_task

from . import services

MAX_RETRIES = 5


def retry_countdown(retries: int) -> int:
    """Exponential backoff: 10 s, 20 s, 40 s, 80 s, 160 s."""
    return 10 * 2**retries


@shared_task(bind=True, max_retries=MAX_RETRIES, acks_late=True)
def document_process_task(self, document_id: int) -> str:
    """Render, sign and register one document; after the last failure mark it failed."""
    try:
        document = services.document_process(document_id=document_id)
    except services.DocumentProcessError as exc:
        if self.request.retries >= self.max_retries:
            services.document_mark_failed(document_id=document_id, error=str(exc))
            return "failed"
        raise self.retry(exc=exc, countdown=retry_countdown(self.request.retries)) from exc
    return document.status if document is not None else "busy"
