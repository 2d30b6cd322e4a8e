"""Backup and restore of an installation: the database, the media files and the ledger head.

A backup folder holds `database.dump` (pg_dump custom format) or `database.sqlite3` (SQLite's
online backup), `media.tar` (MEDIA_ROOT) and `manifest.json` (versions, migrations, the ledger
head, row counts and the SHA-256 of each file). The ledger head and the row counts are read
from the same snapshot as the dump: on PostgreSQL inside a REPEATABLE READ transaction whose
snapshot pg_dump shares (`--snapshot`), on SQLite from the copy itself. The media files are
archived after the dump, so every PDF the dump records is in the archive (a PDF is written
before its row commits).

Secrets are never written: with `secrets=True` the manifest lists what a restore on a new
machine must be given separately (SECRET_KEY, trust roots, the signing credentials' key files,
passphrase files and tokens), and the restore checks that they are there.

This lives in `release`: it reads the ledger through `audit` (below release) and checks the
issued documents that release owns; the other apps' tables are only counted, by label.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import django
from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from audit.selectors import chain_status
from audit.verification import verification_run

FORMAT = "phatngon-backup/1"
MANIFEST = "manifest.json"
PG_DUMP_FILE = "database.dump"
SQLITE_FILE = "database.sqlite3"
MEDIA_FILE = "media.tar"
CHUNK = 1024 * 1024

# The tables whose row counts a manifest records (and a restore compares), by model label.
COUNTED_MODELS = (
    "auth.User",
    "roles.Organisation",
    "workflows.Case",
    "workflows.Statement",
    "release.IssuedDocument",
    "release.IncomingDocument",
    "audit.LedgerEvent",
    "audit.AuditAnchor",
    "outbox.OutgoingMail",
)


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says what to do."""


# ---------------------------------------------------------------- helpers


def stream_sha256(handle) -> str:
    """SHA-256 of an open binary file, read in chunks."""
    digest = hashlib.sha256()
    while block := handle.read(CHUNK):
        digest.update(block)
    return digest.hexdigest()


def file_sha256(path: Path) -> str:
    with open(path, "rb") as handle:
        return stream_sha256(handle)


def _vendor() -> str:
    return connection.vendor


def app_version() -> str:
    """`git describe` of the code when it is a checkout, else "unknown"."""
    try:
        out = subprocess.run(
            ["git", "describe", "--always", "--dirty", "--tags"],  # noqa: S607
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return out.stdout.strip() or "unknown"


def applied_migrations() -> dict[str, str]:
    """The latest applied migration of each app (names sort by their number prefix)."""
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        if name > latest.get(app, ""):
            latest[app] = name
    return dict(sorted(latest.items()))


def pending_migrations() -> list[str]:
    """Migrations of this code that the database has not applied yet."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{m.app_label}.{m.name}" for m, _backwards in plan]


def row_counts() -> dict[str, int]:
    counts = {}
    for label in COUNTED_MODELS:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        counts[label] = model._default_manager.count()
    return counts


def ledger_head() -> dict | None:
    head = chain_status()["head"]
    if head is None:
        return None
    return {"seq": head["seq"], "hash": head["hash"], "at": head["at"].isoformat()}


# ---------------------------------------------------------------- PostgreSQL tools


def _pg_env() -> dict[str, str]:
    """libpq environment for the default database (the password never on a command line)."""
    conf = connection.settings_dict
    env = dict(os.environ)
    for var, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if conf.get(key):
            env[var] = str(conf[key])
        else:
            env.pop(var, None)
    sslmode = (conf.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = sslmode
    return env


def pg_tool(name: str) -> str:
    """Path of pg_dump/pg_restore, checked against the server's major version."""
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} not found: install Debian's PostgreSQL client "
            f"(apt-get install postgresql-client-{server_major()}), the same major version "
            "as the server or newer."
        )
    out = subprocess.run([path, "--version"], capture_output=True, text=True, check=False)  # noqa: S603
    match = re.search(r"(\d+)(?:\.\d+)?", out.stdout)
    tool_major = int(match.group(1)) if match else 0
    server = server_major()
    if tool_major < server:
        raise BackupError(
            f"{name} is version {tool_major} but the server is PostgreSQL {server}: install "
            f"postgresql-client-{server} (a client older than the server cannot dump it)."
        )
    return path


def server_major() -> int:
    connection.ensure_connection()
    return connection.pg_version // 10000


# ---------------------------------------------------------------- backup


@dataclass
class BackupResult:
    directory: Path
    manifest: dict
    seconds: dict[str, float] = field(default_factory=dict)


def _check_target_dir(directory: Path) -> None:
    if directory.exists():
        if not directory.is_dir():
            raise BackupError(f"{directory} exists and is not a folder.")
        if any(directory.iterdir()):
            raise BackupError(f"{directory} is not empty: give a new folder for each backup.")
    directory.mkdir(parents=True, exist_ok=True)


def _dump_postgresql(target: Path) -> dict:
    """pg_dump in the snapshot where the ledger head and counts are read."""
    pg_dump = pg_tool("pg_dump")
    if connection.in_atomic_block:
        raise BackupError("backup must not run inside a transaction.")
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        state = {
            "ledger_head": ledger_head(),
            "row_counts": row_counts(),
            "migrations": applied_migrations(),
        }
        result = subprocess.run(  # noqa: S603
            [pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={target}"],
            env=_pg_env(),
            capture_output=True,
            text=True,
            check=False,
        )
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    state["server_version"] = connection.pg_version
    state["pg_dump"] = subprocess.run(  # noqa: S603
        [pg_dump, "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return state


def _read_sqlite_copy(path: Path) -> dict:
    """Ledger head, counts and migrations read from the copy itself (exactly what it holds)."""
    ledger_table = apps.get_model("audit.LedgerEvent")._meta.db_table
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = con.execute(
            f"SELECT seq, hash, at FROM {ledger_table} ORDER BY seq DESC LIMIT 1"  # noqa: S608
        ).fetchone()
        counts = {}
        for label in COUNTED_MODELS:
            try:
                table = apps.get_model(label)._meta.db_table
            except LookupError:
                continue
            counts[label] = con.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608
        latest: dict[str, str] = {}
        for app, name in con.execute("SELECT app, name FROM django_migrations"):
            if name > latest.get(app, ""):
                latest[app] = name
    finally:
        con.close()
    head = None
    if row:
        at = parse_datetime(str(row[2]))
        head = {"seq": row[0], "hash": row[1], "at": at.isoformat() if at else str(row[2])}
    return {"ledger_head": head, "row_counts": counts, "migrations": dict(sorted(latest.items()))}


def _dump_sqlite(target: Path) -> dict:
    connection.ensure_connection()
    dest = sqlite3.connect(target)
    try:
        connection.connection.backup(dest)
    finally:
        dest.close()
    state = _read_sqlite_copy(target)
    state["sqlite_version"] = sqlite3.sqlite_version
    return state


def _archive_media(target: Path) -> int:
    """Tar MEDIA_ROOT's regular files and folders (relative names); return the file count."""
    root = Path(settings.MEDIA_ROOT)
    files = 0
    with tarfile.open(target, "w") as tar:
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_symlink() or not (path.is_file() or path.is_dir()):
                    continue
                tar.add(path, arcname=path.relative_to(root).as_posix(), recursive=False)
                files += path.is_file()
    return files


def secrets_inventory() -> dict:
    """What a restore on a new machine needs besides this folder. Names and paths only."""
    credential_model = apps.get_model("release.SigningCredential")
    roots = []
    for path in settings.RELEASE_TRUST_ROOTS:
        entry = {"path": str(path), "exists": Path(path).is_file()}
        if entry["exists"]:
            entry["sha256"] = file_sha256(Path(path))  # certificates are public
        roots.append(entry)
    credentials = []
    for cred in credential_model.objects.select_related("organisation", "user").order_by("pk"):
        credentials.append(
            {
                "id": cred.pk,
                "organisation": cred.organisation.code,
                "user": cred.user.get_username() if cred.user_id else "",
                "backend": cred.backend,
                "active": cred.is_active,
                "pkcs12_path": cred.pkcs12_path,
                "pkcs11_module": cred.pkcs11_module,
                "pkcs11_token_label": cred.pkcs11_token_label,
                "pkcs11_key_label": cred.pkcs11_key_label,
                "secret_file": cred.secret_file,
                "secret_env": cred.secret_env,
                "image_path": cred.image_path,
                "certificate_subject": cred.certificate_subject,
            }
        )
    return {
        "note": "Not in this backup: carry these separately (never in clear beside the backup).",
        "SECRET_KEY": "set" if settings.SECRET_KEY else "missing",
        "RELEASE_PKI_DIR": str(settings.RELEASE_PKI_DIR),
        "RELEASE_TRUST_ROOTS": roots,
        "TSA_URL": settings.TSA_URL or "",
        "signing_credentials": credentials,
    }


def backup_create(directory: Path, *, secrets: bool = False, clock=None) -> BackupResult:
    """Write the database, the media files and a manifest into a new folder `directory`."""
    import time

    clock = clock or time.perf_counter
    directory = Path(directory)
    _check_target_dir(directory)
    seconds = {}
    created_at = timezone.now()
    t0 = clock()
    if _vendor() == "postgresql":
        db_file = PG_DUMP_FILE
        state = _dump_postgresql(directory / db_file)
    elif _vendor() == "sqlite":
        db_file = SQLITE_FILE
        state = _dump_sqlite(directory / db_file)
    else:
        raise BackupError(f"unsupported database engine: {_vendor()}")
    seconds["database"] = clock() - t0
    t0 = clock()
    media_files = _archive_media(directory / MEDIA_FILE)
    seconds["media"] = clock() - t0
    t0 = clock()
    files = {}
    for name in (db_file, MEDIA_FILE):
        path = directory / name
        files[name] = {"sha256": file_sha256(path), "bytes": path.stat().st_size}
    seconds["checksums"] = clock() - t0
    manifest = {
        "format": FORMAT,
        "created_at": created_at.isoformat(),
        "app_version": app_version(),
        "django_version": django.get_version(),
        "database": {
            "engine": _vendor(),
            "file": db_file,
            **{k: state[k] for k in ("server_version", "pg_dump", "sqlite_version") if k in state},
        },
        # Read in the dump's own snapshot (PostgreSQL) or from the copy (SQLite): the dump
        # holds exactly this head.
        "ledger_head": state["ledger_head"],
        "migrations": state["migrations"],
        "row_counts": state["row_counts"],
        "media_files": media_files,
        "files": files,
    }
    if secrets:
        manifest["secrets"] = secrets_inventory()
    manifest["manifest_sha256"] = manifest_digest(manifest)
    (directory / MANIFEST).write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return BackupResult(directory=directory, manifest=manifest, seconds=seconds)


# ---------------------------------------------------------------- restore


@dataclass
class Report:
    lines: list[tuple[bool, str]] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    def ok(self, text: str) -> None:
        self.lines.append((True, text))

    def fail(self, text: str) -> None:
        self.lines.append((False, text))

    @property
    def failed(self) -> bool:
        return any(not good for good, _ in self.lines)


def manifest_digest(manifest: dict) -> str:
    """SHA-256 of the manifest without this field: catches a damaged or edited manifest.

    Not a signature (whoever edits the manifest can recompute it); a forged ledger head is
    caught after the restore by verify_audit against the signed anchors and the head check.
    """
    rest = {k: v for k, v in manifest.items() if k != "manifest_sha256"}
    canonical = json.dumps(rest, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def manifest_read(directory: Path) -> dict:
    path = Path(directory) / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{path} is missing: not a backup folder.") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupError(f"{path} is not valid JSON ({exc}): the manifest is damaged.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not a {FORMAT} manifest.")
    return manifest


def _member_problem(member: tarfile.TarInfo) -> str | None:
    name = PurePosixPath(member.name)
    if name.is_absolute() or member.name.startswith(("/", "\\")):
        return "absolute path"
    if ".." in name.parts:
        return "'..' in path"
    if not (member.isfile() or member.isdir()):
        return "not a regular file or folder (link or device)"
    return None


def media_members_check(tar_path: Path) -> list[str]:
    """Names of unsafe members (absolute, '..', links, devices), with the reason."""
    problems = []
    with tarfile.open(tar_path, "r") as tar:
        for member in tar.getmembers():
            problem = _member_problem(member)
            if problem:
                problems.append(f"{member.name!r}: {problem}")
    return problems


def backup_check(directory: Path) -> tuple[dict, Report]:
    """Check a backup folder on its own: manifest, SHA-256 of each file, safe media archive."""
    directory = Path(directory)
    report = Report()
    manifest = manifest_read(directory)
    if manifest.get("manifest_sha256") != manifest_digest(manifest):
        report.fail(f"{MANIFEST}: its SHA-256 does not match its content (edited or damaged)")
        return manifest, report
    report.ok(f"manifest {FORMAT}, created {manifest.get('created_at')}")
    files = manifest.get("files") or {}
    expected = {manifest.get("database", {}).get("file"), MEDIA_FILE}
    if set(files) != expected:
        report.fail(f"manifest lists {sorted(files)}, expected {sorted(filter(None, expected))}")
    for name, entry in sorted(files.items()):
        path = directory / name
        if PurePosixPath(name).name != name or not path.is_file():
            report.fail(f"{name}: missing")
            continue
        digest = file_sha256(path)
        if digest != entry.get("sha256"):
            report.fail(f"{name}: SHA-256 {digest[:16]}… differs from the manifest's")
        else:
            report.ok(f"{name}: SHA-256 matches ({path.stat().st_size:,} bytes)")
    media = directory / MEDIA_FILE
    if media.is_file() and not report.failed:
        try:
            problems = media_members_check(media)
        except tarfile.TarError as exc:
            problems = [f"unreadable archive: {exc}"]
        if problems:
            report.fail(f"{MEDIA_FILE}: unsafe members refused: {'; '.join(problems[:5])}")
        else:
            report.ok(f"{MEDIA_FILE}: every member is a relative regular file or folder")
    return manifest, report


def database_has_tables() -> list[str]:
    connection.ensure_connection()
    return connection.introspection.table_names()


def _media_nonempty(root: Path) -> bool:
    return root.is_dir() and any(root.iterdir())


def _restore_postgresql(dump: Path, *, force: bool, jobs: int = 1) -> None:
    pg_restore = pg_tool("pg_restore")
    if force:
        # Destructive by design (--force): the ledger's triggers refuse DELETE and TRUNCATE,
        # not DROP SCHEMA.
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
    connection.close()
    result = subprocess.run(  # noqa: S603
        [
            pg_restore,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            f"--jobs={max(1, jobs)}",
            f"--dbname={connection.settings_dict['NAME']}",
            str(dump),
        ],
        env=_pg_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")


def _restore_sqlite(copy: Path) -> None:
    target = str(connection.settings_dict["NAME"])
    if target in ("", ":memory:") or target.startswith("file:"):
        raise BackupError("the SQLite database is in memory: set DATABASE_URL to a file.")
    connection.close()
    source = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    dest = sqlite3.connect(target)
    try:
        source.backup(dest)
    finally:
        dest.close()
        source.close()


def _extract_media(tar_path: Path, root: Path) -> int:
    root.mkdir(parents=True, exist_ok=True)
    files = 0
    with tarfile.open(tar_path, "r") as tar:
        members = tar.getmembers()
        for member in members:
            problem = _member_problem(member)
            if problem:
                raise BackupError(f"{MEDIA_FILE}: refused member {member.name!r}: {problem}")
        # 'data' refuses what the check above refuses, a second time, and drops modes.
        tar.extractall(root, members=members, filter="data")  # noqa: S202 (checked above)
        files = sum(1 for m in members if m.isfile())
    return files


def restore_run(directory: Path, *, force: bool = False, jobs: int = 1) -> Report:
    """Restore a backup folder into the configured database and MEDIA_ROOT, then verify."""
    import time

    directory = Path(directory)
    t0 = time.perf_counter()
    manifest, report = backup_check(directory)
    report.seconds["check"] = time.perf_counter() - t0
    if report.failed:
        return report
    engine = manifest["database"]["engine"]
    if engine != _vendor():
        raise BackupError(f"the backup is of a {engine} database but DATABASE_URL is {_vendor()}.")
    media_root = Path(settings.MEDIA_ROOT)
    if _media_nonempty(media_root) and not force:
        raise BackupError(
            f"MEDIA_ROOT ({media_root}) is not empty: restore into an empty folder, or pass "
            "--force to write over it."
        )
    tables = database_has_tables()
    if tables and not force:
        raise BackupError(
            f"the target database already has {len(tables)} tables: restore into an empty "
            "database (createdb), or pass --force to ERASE it first."
        )
    db_file = directory / manifest["database"]["file"]
    t0 = time.perf_counter()
    if engine == "postgresql":
        _restore_postgresql(db_file, force=force, jobs=jobs)
    else:
        _restore_sqlite(db_file)
    report.seconds["database"] = time.perf_counter() - t0
    report.ok(f"database restored from {db_file.name}")
    t0 = time.perf_counter()
    files = _extract_media(directory / MEDIA_FILE, media_root)
    report.seconds["media"] = time.perf_counter() - t0
    report.ok(f"media: {files} files extracted into {media_root}")
    t0 = time.perf_counter()
    verify_restored(manifest, report, exact=True)
    report.seconds["verify"] = time.perf_counter() - t0
    return report


def verify_restored(manifest: dict, report: Report, *, exact: bool) -> Report:
    """Check the database and media against a manifest: migrations, ledger, documents.

    `exact`: just restored, so the ledger head and row counts must equal the manifest's;
    otherwise (a later `--verify`, after migrate) the manifest's head must still be in the
    chain and newer events are allowed.
    """
    applied = applied_migrations()
    missing = {
        app: name for app, name in manifest["migrations"].items() if applied.get(app, "") < name
    }
    if missing:
        report.fail(f"migrations: the database lacks the manifest's {missing}")
    else:
        report.ok("migrations: as in the manifest")
    pending = pending_migrations()
    if pending:
        report.fail(
            f"migrations: this code has {len(pending)} migrations the backup lacks "
            f"({', '.join(pending[:3])}…): run `manage.py migrate`, then "
            "`manage.py restore --verify <dir>`"
        )
        return report

    run = verification_run()
    if run.ok:
        report.ok(f"verify_audit: {run.events_checked} events, {run.anchors_checked} anchors OK")
    else:
        report.fail(f"verify_audit: FAILED at event {run.first_bad_seq}: {run.message}")

    expected = manifest.get("ledger_head")
    head = ledger_head()
    ledger_event = apps.get_model("audit.LedgerEvent")
    if expected is None:
        if head is None or not exact:
            report.ok("ledger head: empty, as in the manifest")
        else:
            report.fail(f"ledger head: seq {head['seq']}, the manifest's ledger was empty")
    elif head is None:
        report.fail(f"ledger head: empty, the manifest's is seq {expected['seq']}")
    elif exact and (head["seq"], head["hash"]) != (expected["seq"], expected["hash"]):
        report.fail(
            f"ledger head: seq {head['seq']} {head['hash'][:12]}…, the manifest's is "
            f"seq {expected['seq']} {expected['hash'][:12]}…"
        )
    else:
        stored = (
            ledger_event.objects.filter(seq=expected["seq"]).values_list("hash", flat=True).first()
        )
        if stored != expected["hash"]:
            report.fail(f"ledger head: event {expected['seq']} differs from the manifest's")
        else:
            newer = head["seq"] - expected["seq"]
            suffix = f" (+{newer} newer events)" if newer else ""
            report.ok(f"ledger head: seq {expected['seq']} {expected['hash'][:12]}…{suffix}")

    if exact:
        counts = row_counts()
        differ = {
            k: (counts.get(k), v) for k, v in manifest["row_counts"].items() if counts.get(k) != v
        }
        if differ:
            report.fail(f"row counts differ (restored, manifest): {differ}")
        else:
            report.ok(f"row counts: {len(counts)} tables as in the manifest")

    documents_check(report)
    if "secrets" in manifest:
        secrets_check(manifest["secrets"], report)
    return report


def documents_check(report: Report) -> None:
    """Each issued document's PDF is in the storage and hashes to its recorded SHA-256."""
    document_model = apps.get_model("release.IssuedDocument")
    checked, bad = 0, []
    rows = (
        document_model.objects.exclude(pdf="").exclude(sha256="").values_list("pk", "pdf", "sha256")
    )
    for pk, name, sha in rows.iterator():
        checked += 1
        try:
            with default_storage.open(name, "rb") as handle:
                digest = stream_sha256(handle)
        except FileNotFoundError:
            bad.append(f"#{pk} {name}: missing")
            continue
        if digest != sha:
            bad.append(f"#{pk} {name}: SHA-256 differs")
    if bad:
        report.fail(f"documents: {len(bad)} of {checked} bad: {'; '.join(bad[:5])}")
    else:
        report.ok(f"documents: {checked} PDFs present, SHA-256 as recorded")


def secrets_check(inventory: dict, report: Report) -> None:
    """The secrets a backup does not carry are in place on this machine."""
    problems = []
    if not settings.SECRET_KEY:
        problems.append("SECRET_KEY is not set")
    for root in inventory.get("RELEASE_TRUST_ROOTS", []):
        path = Path(root["path"])
        if not path.is_file():
            problems.append(f"trust root {path} missing")
        elif root.get("sha256") and file_sha256(path) != root["sha256"]:
            problems.append(f"trust root {path} differs from the backed-up machine's")
    for cred in inventory.get("signing_credentials", []):
        if not cred.get("active"):
            continue
        who = f"credential #{cred['id']} ({cred['organisation']} {cred['user'] or 'seal'})"
        for key in ("pkcs12_path", "pkcs11_module", "secret_file", "image_path"):
            if cred.get(key) and not Path(cred[key]).exists():
                problems.append(f"{who}: {key} {cred[key]} missing")
        if cred.get("secret_env") and cred["secret_env"] not in os.environ:
            problems.append(f"{who}: environment variable {cred['secret_env']} not set")
    if problems:
        report.fail(f"secrets: {len(problems)} missing: {'; '.join(problems[:8])}")
    else:
        report.ok("secrets: SECRET_KEY, trust roots and signing key files in place")
