"""Verify the ledger and keep the result: the chain status page shows the last run."""

from django.utils import timezone

from .models import VerificationRun
from .services import verify_chain


def verification_run(*, from_seq=None, to_seq=None) -> VerificationRun:
    """Verify the chain (whole, or from_seq..to_seq) and store the result as a VerificationRun."""
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
