"""Sign the ledger's current head now (the daily Celery beat task does the same)."""

from django.core.management.base import BaseCommand

from audit.anchors import anchor_create


class Command(BaseCommand):
    help = "Write a signed anchor for the audit ledger's current head."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="sign even if already anchored")

    def handle(self, *args, force=False, **options):
        anchor = anchor_create(force=force)
        if anchor is None:
            self.stdout.write("The ledger is empty: nothing to anchor.")
        else:
            self.stdout.write(f"Anchor at event {anchor.seq}: {anchor.head_hash}")
