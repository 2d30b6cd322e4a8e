"""Back up the database, the media files and the ledger head into a new folder."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from release.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write database.dump (pg_dump custom format) or database.sqlite3, media.tar and "
        "manifest.json into a new folder. --secrets lists in the manifest what must be carried "
        "separately (no secret is written)."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="a new (or empty) folder")
        parser.add_argument(
            "--secrets",
            action="store_true",
            help="list SECRET_KEY's presence, trust roots and signing key files in the manifest",
        )

    def handle(self, *args, directory: Path, secrets: bool, **options):
        try:
            result = backup_create(directory, secrets=secrets)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        manifest = result.manifest
        head = manifest["ledger_head"]
        self.stdout.write(f"Backup written to {result.directory}")
        for name, entry in manifest["files"].items():
            self.stdout.write(f"  {name}: {entry['bytes']:,} bytes, sha256 {entry['sha256']}")
        self.stdout.write(
            "  ledger head: "
            + (f"seq {head['seq']} {head['hash']}" if head else "empty")
            + f"; {manifest['media_files']} media files"
        )
        timing = ", ".join(f"{k} {v:.2f} s" for k, v in result.seconds.items())
        self.stdout.write(f"  time: {timing}")
