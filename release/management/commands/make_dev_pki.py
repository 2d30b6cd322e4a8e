"""Make the development PKI under var/pki/ and the matching signing credentials."""

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from release.pki.credentials import sync_dev_credentials


class Command(BaseCommand):
    help = (
        "Create (idempotently) a development root CA, issuing CA and TSA, one agency seal "
        "credential per organisation and one personal credential per current head/deputy head."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir",
            default=None,
            help="Folder for the PKI files (default: settings.RELEASE_PKI_DIR, i.e. var/pki).",
        )
        parser.add_argument(
            "--force", action="store_true", help="Regenerate every key and certificate."
        )

    def handle(self, *args, **options):
        directory = Path(options["dir"] or settings.RELEASE_PKI_DIR)
        started = time.perf_counter()
        credentials = sync_dev_credentials(directory=directory, force=options["force"])
        elapsed = time.perf_counter() - started
        people = sum(1 for c in credentials if c.user_id)
        self.stdout.write(
            self.style.SUCCESS(
                f"Dev PKI in {directory}: {len(credentials) - people} agency and {people} personal "
                f"credentials ready ({elapsed:.1f} s). Trust root: {directory / 'root-ca.pem'}"
            )
        )
