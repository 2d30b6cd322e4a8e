"""Backup and restore: a signed document survives into a fresh database and media folder.

The backup runs in this process against the test database; each restore runs as
`manage.py restore` in a child process whose DATABASE_URL and media folder are new, as on a
new machine. PostgreSQL (pg_dump/pg_restore) and SQLite (online backup API) both.
"""

import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from release import backup
from release.models import IssuedDocument
from release.validation import validate_pdf
from tests.release.helpers import issue

ROOT = Path(settings.BASE_DIR)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def issued(organisation, head, signing_credentials, django_capture_on_commit_callbacks):
    """A document signed by the head and issued (committed: pg_dump reads committed rows)."""
    with django_capture_on_commit_callbacks(execute=True):
        document = issue(organisation, head)
    document.refresh_from_db()
    assert document.status == IssuedDocument.Status.ISSUED
    return document


@pytest.fixture
def restore_target(tmp_path):
    """A new, empty database of the current engine; yields its DATABASE_URL."""
    conf = connection.settings_dict
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    name = f"{conf['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    auth = conf["USER"] + (f":{conf['PASSWORD']}" if conf.get("PASSWORD") else "")
    yield f"postgres://{auth}@{conf['HOST'] or '127.0.0.1'}:{conf['PORT'] or 5432}/{name}"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_manage(*args, database_url: str, var_dir: Path, trust_root: Path | None = None):
    """`manage.py …` in a child process on another database and var/ (hence media) folder."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url,
        "PHATNGON_VAR_DIR": str(var_dir),  # the test settings put MEDIA_ROOT in it
        "RELEASE_TRUST_ROOTS": str(trust_root or ""),
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _backup(tmp_path, *extra) -> Path:
    folder = tmp_path / "backup"
    call_command("backup", str(folder), *extra, stdout=io.StringIO())
    return folder


def _roundtrip(tmp_path, issued, restore_target, dev_pki):
    downloaded = issued.pdf.read()
    folder = _backup(tmp_path, "--secrets")
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["ledger_head"]["seq"] == backup.ledger_head()["seq"]
    assert manifest["row_counts"]["release.IssuedDocument"] == 1
    assert manifest["secrets"]["SECRET_KEY"] == "set"
    assert "test-only-not-secret" not in (folder / "manifest.json").read_text()

    var2 = tmp_path / "var2"
    result = run_manage(
        "restore",
        str(folder),
        database_url=restore_target,
        var_dir=var2,
        trust_root=dev_pki.pki.root_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "verify_audit:" in result.stdout and "FAIL" not in result.stdout
    assert "documents: 1 PDFs present" in result.stdout

    restored = (var2 / "test-media" / issued.pdf.name).read_bytes()
    assert restored == downloaded
    assert validate_pdf(restored).all_valid

    # The PDF downloaded before the backup verifies against the restored register.
    (tmp_path / "downloaded.pdf").write_bytes(downloaded)
    check = run_manage(
        "shell",
        "-c",
        "from pathlib import Path; from release.verification import document_verify_upload; "
        f"print(document_verify_upload(Path({str(tmp_path / 'downloaded.pdf')!r}).read_bytes())"
        "['status'])",
        database_url=restore_target,
        var_dir=var2,
        trust_root=dev_pki.pki.root_path,
    )
    assert check.stdout.strip().splitlines()[-1] == "valid", check.stdout + check.stderr
    return folder


@pytest.mark.postgres
def test_postgresql_backup_restores_into_a_fresh_database(
    postgres_db, tmp_path, issued, restore_target, dev_pki
):
    folder = _roundtrip(tmp_path, issued, restore_target, dev_pki)
    assert (folder / "database.dump").read_bytes()[:5] == b"PGDMP"  # pg_dump custom format


# The embedded default's path exists only where the suite runs on SQLite (`make test-fast`
# without DATABASE_URL); on PostgreSQL (CI) the test above covers backup and restore. Defined
# conditionally rather than skipped: CI counts a skipped test as a failure.
if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":

    def test_sqlite_backup_restores_into_a_fresh_database(
        transactional_db, tmp_path, issued, restore_target, dev_pki
    ):
        assert connection.vendor == "sqlite"
        folder = _roundtrip(tmp_path, issued, restore_target, dev_pki)
        assert (folder / "database.sqlite3").read_bytes()[:15] == b"SQLite format 3"


def _flip_byte(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def test_a_changed_byte_in_media_tar_is_refused(transactional_db, tmp_path, issued):
    folder = _backup(tmp_path)
    call_command("restore", str(folder), "--check", stdout=io.StringIO())  # intact: passes
    _flip_byte(folder / "media.tar", 600)
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("restore", str(folder), "--check", stdout=out)
    assert "media.tar: SHA-256" in out.getvalue()


def test_a_changed_manifest_is_refused(transactional_db, tmp_path, issued):
    folder = _backup(tmp_path)
    path = folder / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["ledger_head"]["seq"] += 1
    path.write_text(json.dumps(manifest, indent=2))
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("restore", str(folder), "--check", stdout=out)
    assert "does not match its content" in out.getvalue()


def test_a_tar_member_leaving_the_media_folder_is_refused(transactional_db, tmp_path):
    folder = _backup(tmp_path)
    media = folder / "media.tar"
    with tarfile.open(media, "w") as tar:
        for name in ("documents/ok.pdf", "../escaped.txt", "/etc/evil"):
            info = tarfile.TarInfo(name)
            info.size = 2
            tar.addfile(info, io.BytesIO(b"x\n"))
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["files"]["media.tar"]["sha256"] = backup.file_sha256(media)
    manifest["manifest_sha256"] = backup.manifest_digest(manifest)
    (folder / "manifest.json").write_text(json.dumps(manifest))
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("restore", str(folder), "--check", stdout=out)
    assert "'../escaped.txt': '..' in path" in out.getvalue()
    assert "'/etc/evil': absolute path" in out.getvalue()

    target = tmp_path / "target"
    with pytest.raises(backup.BackupError, match="refused member"):
        backup._extract_media(media, target)
    assert not (tmp_path / "escaped.txt").exists()
    assert not (target / "documents" / "ok.pdf").exists()  # nothing extracted at all


def test_a_database_with_tables_is_refused(transactional_db, tmp_path):
    folder = _backup(tmp_path)
    with pytest.raises(CommandError, match="already has .* tables"):
        call_command("restore", str(folder), stdout=io.StringIO())


def test_a_non_empty_media_folder_is_refused(transactional_db, tmp_path, settings):
    folder = _backup(tmp_path)
    settings.MEDIA_ROOT = tmp_path / "other-media"
    settings.MEDIA_ROOT.mkdir()
    (settings.MEDIA_ROOT / "left-over.pdf").write_bytes(b"%PDF")
    with pytest.raises(CommandError, match="is not empty"):
        call_command("restore", str(folder), stdout=io.StringIO())
    assert [p.name for p in settings.MEDIA_ROOT.iterdir()] == ["left-over.pdf"]


def test_backup_refuses_a_non_empty_folder(transactional_db, tmp_path):
    folder = tmp_path / "backup"
    folder.mkdir()
    (folder / "other").write_text("x")
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", str(folder), stdout=io.StringIO())
