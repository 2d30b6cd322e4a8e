"""Recompute the ledger's hash chain and check every anchor: exit 0 when intact."""

import time

from django.core.management.base import BaseCommand, CommandError

from audit.verification import verification_run


class Command(BaseCommand):
    help = "Verify the audit ledger (hash chain + signed anchors); names the first bad event."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="from_seq", type=int, default=None, metavar="N")
        parser.add_argument("--to", dest="to_seq", type=int, default=None, metavar="M")

    def handle(self, *args, from_seq=None, to_seq=None, **options):
        if from_seq is not None and from_seq < 1:
            raise CommandError("--from must be 1 or more.")
        if to_seq is not None and from_seq is not None and to_seq < from_seq:
            raise CommandError("--to must not be smaller than --from.")
        t0 = time.perf_counter()
        run = verification_run(from_seq=from_seq, to_seq=to_seq)
        elapsed = time.perf_counter() - t0
        if run.ok:
            self.stdout.write(
                f"OK: {run.events_checked} events checked, {run.anchors_checked} anchors "
                f"checked in {elapsed:.2f} s"
            )
            return
        raise CommandError(
            f"FAILED at event {run.first_bad_seq}: {run.reason.replace('_', ' ')} — "
            f"{run.message} ({run.events_checked} events verified before it)",
            returncode=1,
        )
