"""Restore a backup folder into an empty database and MEDIA_ROOT, then verify the result."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from release.backup import BackupError, Report, backup_check, restore_run, verify_restored


class Command(BaseCommand):
    help = (
        "Restore a folder written by `manage.py backup` into DATABASE_URL and MEDIA_ROOT (both "
        "must be empty), then check migrations, the ledger (verify_audit and its head) and "
        "each issued PDF's SHA-256. --check only verifies the folder; --verify only runs the "
        "checks on the current database (e.g. after migrate). Exit 1 on any failure."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            "--check", action="store_true", help="verify the backup folder only; touch nothing"
        )
        mode.add_argument(
            "--verify",
            action="store_true",
            help="run the post-restore checks on the current database and media only",
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=1,
            metavar="N",
            help="pg_restore --jobs: restore tables and build indexes on N connections",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="DESTRUCTIVE: erase the target database (DROP SCHEMA public CASCADE) and "
            "write over MEDIA_ROOT's files",
        )

    def handle(
        self, *args, directory: Path, check: bool, verify: bool, force: bool, jobs: int, **options
    ):
        try:
            if check:
                _manifest, report = backup_check(directory)
            elif verify:
                manifest, report = backup_check(directory)
                if not report.failed:
                    verify_restored(manifest, report, exact=False)
            else:
                report = restore_run(directory, force=force, jobs=jobs)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self._print(report)
        if report.failed:
            raise CommandError("restore: FAILED (see the lines marked FAIL)", returncode=1)
        self.stdout.write("restore: OK" if not (check or verify) else "OK")

    def _print(self, report: Report) -> None:
        for good, text in report.lines:
            self.stdout.write(f"  {'ok  ' if good else 'FAIL'} {text}")
        if report.seconds:
            timing = ", ".join(f"{k} {v:.2f} s" for k, v in report.seconds.items())
            self.stdout.write(f"  time: {timing}")
