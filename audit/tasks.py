"""Celery tasks of the ledger: anchors (daily and on demand), verification, exports.

Each task loads and calls one service, imported inside the task: the services import their
tasks at top level (to enqueue them), so this module must not import the services back.
"""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from core.tasks import task_send

from .models import AuditExport


@shared_task(
    name="audit.tasks.anchor_ledger", autoretry_for=(OSError,), retry_backoff=True, max_retries=5
)
def anchor_ledger_task(force: bool = False) -> int | None:
    """Sign the ledger's current head; returns the anchor's id (None for an empty ledger)."""
    from .anchors import anchor_create

    anchor = anchor_create(force=force)
    return anchor.pk if anchor else None


@shared_task(name="audit.tasks.verify_ledger")
def verify_ledger_task() -> int:
    """Verify the whole chain (daily and on demand); returns the VerificationRun id."""
    from .verification import verification_run

    return verification_run().pk


@shared_task(name="audit.tasks.export_build", acks_late=True)
def export_build_task(export_id: int) -> None:
    """Build one inspection export (idempotent: a finished export is left alone)."""
    from .exports import export_build

    export_build(export_id)


@shared_task(name="audit.tasks.exports_pending_sweep")
def exports_pending_sweep_task() -> int:
    """Every minute: send again the exports still pending a while after their request (their
    message was lost: broker away at the request, or a worker node killed)."""
    cutoff = timezone.now() - timedelta(minutes=2)
    pending = AuditExport.objects.filter(
        status=AuditExport.Status.PENDING, requested_at__lt=cutoff
    ).values_list("pk", flat=True)[:100]
    return sum(task_send(export_build_task, pk) for pk in pending)
