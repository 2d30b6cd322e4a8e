"""Celery tasks of the ledger: anchors (daily and on demand), verification, exports."""

from celery import shared_task
from django.utils import timezone

from . import anchors, exports
from .models import VerificationRun
from .services import verify_chain


@shared_task(
    name="audit.tasks.anchor_ledger", autoretry_for=(OSError,), retry_backoff=True, max_retries=5
)
def anchor_ledger_task(force: bool = False) -> int | None:
    """Sign the ledger's current head; returns the anchor's id (None for an empty ledger)."""
    anchor = anchors.anchor_create(force=force)
    return anchor.pk if anchor else None


def run_verification(*, from_seq=None, to_seq=None) -> VerificationRun:
    """Verify the chain and keep the result for the chain status page."""
    started = timezone.now()
    result = verify_chain(from_seq=from_seq, to_seq=to_seq)
    return VerificationRun.objects.create(
        started_at=started,
        finished_at=timezone.now(),
        from_seq=from_seq,
        to_seq=to_seq,
        ok=result.ok,
        events_checked=result.events_checked,
        anchors_checked=result.anchors_checked,
        first_bad_seq=result.first_bad_seq,
        reason=result.reason,
        message=result.message,
    )


@shared_task(name="audit.tasks.verify_ledger")
def verify_ledger_task() -> int:
    """Verify the whole chain (daily and on demand); returns the VerificationRun id."""
    return run_verification().pk


@shared_task(name="audit.tasks.export_build", acks_late=True)
def export_build_task(export_id: int) -> None:
    """Build one inspection export (idempotent: a finished export is left alone)."""
    exports.export_build(export_id)


@shared_task(name="audit.tasks.exports_pending_sweep")
def exports_pending_sweep_task() -> int:
    """Every minute: send again the exports still pending a while after their request (their
    message was lost: broker away at the request, or a worker node killed)."""
    from datetime import timedelta

    from core.tasks import task_send

    from .models import AuditExport

    cutoff = timezone.now() - timedelta(minutes=2)
    pending = AuditExport.objects.filter(
        status=AuditExport.Status.PENDING, requested_at__lt=cutoff
    ).values_list("pk", flat=True)[:100]
    return sum(task_send(export_build_task, pk) for pk in pending)
