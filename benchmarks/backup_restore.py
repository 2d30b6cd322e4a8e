"""Time `manage.py backup` and `manage.py restore` of one PostgreSQL database (issue 17).

Usage:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/phatngon_backupbench MEDIA_ROOT=… \\
        .venv/bin/python benchmarks/backup_restore.py [--keep] [--jobs N]

Backs up DATABASE_URL and MEDIA_ROOT into a new temporary folder, creates an empty database
`<name>_restorebench` (dropped first, and again at the end unless --keep) and restores into it
with a new empty media folder, each command in its own process as an operator runs them. Prints
the wall time of each command, the phases the commands report (dump, media, checks, restore,
verification), the database's size on the server, the backup files' sizes and the throughput
(database size on the server / dump or restore seconds, in MB/s).
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024


def psql(url: str, sql: str) -> str:
    out = subprocess.run(["psql", url, "-Atqc", sql], capture_output=True, text=True, check=True)
    return out.stdout.strip()


def manage(*args: str, env: dict) -> tuple[float, str]:
    t0 = time.perf_counter()
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - t0
    if result.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return elapsed, result.stdout


def phases(output: str) -> dict[str, float]:
    line = next((x for x in output.splitlines() if x.strip().startswith("time:")), "")
    return {k: float(v) for k, v in re.findall(r"(\w+) ([\d.]+) s", line)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the restored copy and folder")
    parser.add_argument("--jobs", type=int, default=1, help="restore --jobs (pg_restore)")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    parts = urlparse(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        sys.exit("DATABASE_URL must be a postgres://… URL")
    name = parts.path.lstrip("/")
    target_name = f"{name}_restorebench"
    admin_url = urlunparse(parts._replace(path="/postgres"))
    target_url = urlunparse(parts._replace(path=f"/{target_name}"))
    env = {**os.environ, "DEBUG": os.environ.get("DEBUG", "true")}

    work = Path(tempfile.mkdtemp(prefix="phatngon-backup-bench-"))
    folder = work / "backup"
    db_bytes = int(psql(url, "SELECT pg_database_size(current_database())"))
    events = psql(url, "SELECT count(*) FROM audit_ledgerevent")
    cases = psql(url, "SELECT count(*) FROM workflows_case")

    backup_s, backup_out = manage("backup", str(folder), env=env)
    manifest = json.loads((folder / "manifest.json").read_text())
    dump_bytes = manifest["files"][manifest["database"]["file"]]["bytes"]
    media_bytes = manifest["files"]["media.tar"]["bytes"]

    psql(admin_url, f'DROP DATABASE IF EXISTS "{target_name}"')
    psql(admin_url, f'CREATE DATABASE "{target_name}"')
    restore_env = {
        **env,
        "DATABASE_URL": target_url,
        "MEDIA_ROOT": str(work / "media-restored"),
    }
    restore_s, restore_out = manage("restore", str(folder), f"--jobs={args.jobs}", env=restore_env)
    restored_bytes = int(psql(target_url, "SELECT pg_database_size(current_database())"))

    b, r = phases(backup_out), phases(restore_out)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"machine: {os.cpu_count()} CPUs, load average {load} (wall times include Django's start)"
    )
    print(
        f"database {name}: {cases} cases, {events} ledger events, {db_bytes / MB:,.0f} MB on the server"
    )
    print(
        f"backup : {backup_s:6.1f} s wall (pg_dump {b.get('database', 0):.1f} s, media "
        f"{b.get('media', 0):.1f} s, SHA-256 {b.get('checksums', 0):.1f} s); "
        f"database.dump {dump_bytes / MB:,.1f} MB, media.tar {media_bytes / MB:,.1f} MB; "
        f"{db_bytes / MB / max(b.get('database', backup_s), 1e-9):,.0f} MB/s of database dumped"
    )
    print(
        f"restore: {restore_s:6.1f} s wall (check {r.get('check', 0):.1f} s, pg_restore "
        f"{r.get('database', 0):.1f} s, media {r.get('media', 0):.1f} s, verification "
        f"{r.get('verify', 0):.1f} s); restored database {restored_bytes / MB:,.0f} MB; "
        f"{restored_bytes / MB / max(r.get('database', restore_s), 1e-9):,.0f} MB/s restored"
    )
    for line in restore_out.splitlines():
        if "verify_audit" in line or "documents:" in line or "ledger head" in line:
            print("        ", line.strip())
    if not args.keep:
        psql(admin_url, f'DROP DATABASE IF EXISTS "{target_name}"')
        shutil.rmtree(work)
    else:
        print(f"kept: {folder}, database {target_name}")


if __name__ == "__main__":
    main()
