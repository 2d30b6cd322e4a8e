"""Run the production topology, check it, break it on purpose, restore it; tear it all down.

    bin/prod-check [--drills 1,2,3,4,5,backup] [--keep]

Prints one line per check (`PASS …` / `FAIL …`) and `N passed, M failed`; exit status 1 on
any failure. Everything it starts is its own (PostgreSQL cluster, Redis, SMTP sink, nginx,
gunicorn, two worker nodes, beat) and is stopped on success, failure and Ctrl-C.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import http.client
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from . import drills
from .config import ROOT, Topology, app_environment
from .report import Report
from .services import PYTHON, Services, port_free, self_signed_certificate
from .smtp import SmtpSink

ALL_STEPS = ("1", "2", "3", "4", "5", "backup")


def _interrupted(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drills", default=",".join(ALL_STEPS), help="e.g. 1,2,backup")
    parser.add_argument("--keep", action="store_true", help="keep the run folder (logs)")
    args = parser.parse_args(argv)
    steps = [s.strip() for s in args.drills.split(",") if s.strip()]
    report = Report(out=sys.stdout)
    run_dir = Path(tempfile.mkdtemp(prefix="phatngon-prodcheck-"))
    run_dir.chmod(0o755)  # PostgreSQL (user postgres) keeps its cluster inside
    topology = Topology(run_dir=run_dir)
    env = app_environment(topology, dict(os.environ))
    os.environ["REQUESTS_CA_BUNDLE"] = str(topology.certificate)  # trust the run's nginx
    services = Services(topology, env)
    sink = None

    def teardown():
        services.teardown()
        if sink is not None:
            sink.stop()

    atexit.register(teardown)
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _interrupted)
    print(f"prod-check: run folder {run_dir} (logs in {topology.logs})", flush=True)
    started = time.monotonic()
    interrupted = False
    try:
        sink = _run(report, topology, services, steps)
    except KeyboardInterrupt:
        interrupted = True
        report.add("run", False, "interrupted (Ctrl-C): tearing down")
    except Exception as exc:  # noqa: BLE001 — a failure is a FAIL line, then the teardown
        report.add("run", False, f"{type(exc).__name__}: {str(exc)[:400]}")
    finally:
        sink = sink or services.__dict__.get("sink")
        teardown()
    left = services.leftovers()
    report.add("teardown", not left, f"{len(left)} process(es) of the run left" + (
        f": {left[:3]}" if left else ""))  # fmt: skip
    minutes = (time.monotonic() - started) / 60
    print(f"{report.summary()} (in {minutes:.1f} min)", flush=True)
    if report.failed or args.keep or interrupted:
        shutil.rmtree(topology.pg_data, ignore_errors=True)
        shutil.rmtree(topology.var_dir, ignore_errors=True)  # collected static files
        print(f"prod-check: logs kept in {topology.logs}", flush=True)
    else:
        shutil.rmtree(run_dir, ignore_errors=True)
    return report.exit_status()


def _run(report: Report, t: Topology, s: Services, steps: list[str]) -> SmtpSink | None:
    started = time.monotonic()
    busy = [f"{name} :{port}" for name, port in t.ports().items() if not port_free(port)]
    if busy:
        report.add("topology", False, f"ports in use: {', '.join(busy)}")
        return None
    if os.geteuid() != 0:
        report.add("topology", False, "run as root (runuser starts the private PostgreSQL)")
        return None
    self_signed_certificate(t.certificate, t.certificate_key)
    sink = SmtpSink(t.smtp_port).start()
    s.__dict__["sink"] = sink
    error = s.postgres_start()
    if error:
        report.add("topology", False, f"PostgreSQL: {error}")
        return sink
    if not s.redis_start():
        report.add("topology", False, "redis-server did not start")
        return sink

    # One Python process per batch of commands (each start costs seconds on a busy machine);
    # check --deploy meanwhile. The workers, beat and the web start once the schema exists.
    from concurrent.futures import ThreadPoolExecutor

    seeded_at = time.monotonic()
    with ThreadPoolExecutor(max_workers=1) as pool:
        deploy_future = pool.submit(s.manage, "check", "--deploy", "--fail-level", "WARNING")
        error = _commands(s, "migrate", "collectstatic")
        deploy = deploy_future.result()
    output = (deploy.stdout + deploy.stderr).strip()
    report.add(
        "check --deploy",
        deploy.returncode == 0,
        output.splitlines()[-1][:300] if output else f"exit {deploy.returncode}",
    )
    if error:
        report.add("demo data", False, error)
        return sink
    t.media_root.mkdir(parents=True, exist_ok=True)
    if not s.gunicorn_start():
        report.add("topology", False, "gunicorn did not listen")
        return sink
    s.worker_start("default")
    s.beat_start()
    error = s.nginx_start()
    if error:
        report.add("topology", False, error)
        return sink
    # The signing node starts after the seeding: seed_demo_statements (one long transaction
    # that updates a statement, then appends to the ledger) can deadlock with the node issuing
    # the decision it has just signed (ledger lock taken, then the statement's row wanted).
    # PostgreSQL then aborts one of them; the node's task is retried, the seeding is not.
    # docs/operations.md, "Found while building it".
    error = _commands(s, "seed_demo", "make_dev_pki", "seed_demo_statements", "audit_anchor")
    s.worker_start("signing")
    if error:
        report.add("demo data", False, error)
        return sink
    report.add(
        "demo data",
        True,
        f"migrate, collectstatic, seed_demo, make_dev_pki, seed_demo_statements, audit_anchor "
        f"in {time.monotonic() - seeded_at:.0f} s (as `make demo` does, with DEBUG=false)",
    )
    from .run import Run

    run = Run(t, s, sink, report)
    waited, body = run.wait_healthz(lambda status, body: status == 200, timeout=180)
    report.add(
        "topology",
        waited is not None,
        f"PostgreSQL :{t.pg_port} (own cluster), Redis :{t.redis_port}, SMTP sink "
        f":{t.smtp_port}, gunicorn :{t.web_port} ×{t.web_workers}, nginx :{t.https_port} "
        f"(HTTPS) :{t.http_port} (HTTP), nodes signing@ and default@, beat; /healthz "
        f"{'200' if waited is not None else body} after {time.monotonic() - started:.0f} s: "
        + ", ".join(f"{k}={v}" for k, v in body.items() if k != "status"),
    )
    _proxy_checks(run)
    _observability_checks(run)
    _api_demo(run)
    run.login_all()
    log = open(t.logs / "drills-api.log", "a")  # noqa: SIM115 — the API clients' chatter
    with contextlib.redirect_stdout(log):
        for step, drill in (
            ("1", lambda: drills.worker_kill(run, "node")),
            ("1", lambda: drills.worker_kill(run, "child")),
            ("2", lambda: drills.postgres_restart(run)),
            ("3", lambda: drills.redis_down(run)),
            ("4", lambda: drills.beat_stopped(run)),
            ("5", lambda: drills.smtp_refusing(run)),
            ("backup", lambda: backup_restore(run)),
        ):
            if step not in steps:
                continue
            try:
                drill()
            except KeyboardInterrupt:
                raise
            except Exception as exc:  # noqa: BLE001 — one drill's crash is its FAIL line
                report.add(f"drill {step}", False, f"{type(exc).__name__}: {str(exc)[:300]}")
    log.close()
    return sink


def _commands(s: Services, *names: str) -> str:
    """Run management commands in one process; "" or what failed."""
    options = {
        "migrate": "interactive=False, verbosity=0",
        "collectstatic": "interactive=False, verbosity=0",
    }  # noqa: E501
    code = "from django.core.management import call_command as c\n" + "".join(
        f"c({name!r}, {options.get(name, '')})\n" for name in names
    )
    r = s.manage("shell", "-c", code, timeout=1200)
    return f"{', '.join(names)}: {(r.stdout + r.stderr)[-400:]}" if r.returncode else ""


def _proxy_checks(run) -> None:
    """nginx in front: HTTPS, HTTP→HTTPS, SECURE_* headers, request id, trusted proxy, /metrics."""
    t, report = run.t, run.report
    r = requests.get(run.url("/dang-nhap/"), timeout=30)
    cookies = r.headers.get("Set-Cookie", "")
    redirect = requests.get(
        f"http://127.0.0.1:{t.http_port}/tin-bao-chi/", allow_redirects=False, timeout=30
    )
    metrics = requests.get(run.url("/metrics"), timeout=30)
    ok = (
        r.status_code == 200
        and "max-age=" in r.headers.get("Strict-Transport-Security", "")
        and bool(r.headers.get("X-Request-ID"))
        and "Secure" in cookies
        and redirect.status_code == 301
        and redirect.headers.get("Location") == f"{t.base_url}/tin-bao-chi/"
        and metrics.status_code == 403
    )
    report.add(
        "nginx",
        ok,
        f"login page {r.status_code} over HTTPS with HSTS "
        f"'{r.headers.get('Strict-Transport-Security', '')}', X-Request-ID, cookies "
        f"{'Secure' if 'Secure' in cookies else 'NOT secure'}; http:// → "
        f"{redirect.status_code} {redirect.headers.get('Location')}; /metrics → "
        f"{metrics.status_code}",
    )
    # TRUSTED_PROXIES: through nginx the ledger records the client's address from
    # X-Forwarded-For; straight to gunicorn from an address that is no proxy, a forged
    # X-Forwarded-For is ignored.
    journalist = run.api("journalist")
    via_proxy = journalist.post(
        "/api/v1/cases/",
        expected=(201,),
        headers={"X-Forwarded-For": "198.51.100.23"},
        json=_case_json("Kiểm tra proxy tin cậy"),
    ).json()
    conn = http.client.HTTPConnection(
        "127.0.0.1", t.web_port, timeout=30, source_address=("127.0.0.2", 0)
    )
    import json

    conn.request(
        "POST",
        "/api/v1/cases/",
        body=json.dumps(_case_json("Kiểm tra địa chỉ giả mạo")).encode(),
        headers={
            "Authorization": journalist.session.headers["Authorization"],
            "Content-Type": "application/json",
            "Host": "127.0.0.1",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": "203.0.113.99",
        },
    )
    direct = conn.getresponse()
    direct_body = json.loads(direct.read() or b"{}")
    conn.close()

    def ip(case_id):
        return run.value(
            "SELECT ip FROM audit_ledgerevent WHERE action = 'case.submit' "
            "AND target_id = %s ORDER BY seq LIMIT 1",
            str(case_id),
        )

    proxied_ip = ip(via_proxy["id"])
    direct_ip = ip(direct_body.get("id")) if direct.status == 201 else None
    report.add(
        "trusted proxy",
        proxied_ip == "198.51.100.23" and direct_ip == "127.0.0.2",
        f"ledger address {proxied_ip} through nginx (X-Forwarded-For believed from "
        f"127.0.0.1); {direct_ip or direct.status} straight from 127.0.0.2 with a forged "
        f"X-Forwarded-For 203.0.113.99 (ignored)",
    )


def _observability_checks(run) -> None:
    """/metrics answers on gunicorn's own address (internal network) and each worker node's
    exporter; one request's id is in nginx's answer, gunicorn's JSON log and a worker's log."""
    t, report = run.t, run.report
    try:
        direct = requests.get(
            f"http://127.0.0.1:{t.web_port}/metrics", timeout=30, allow_redirects=False
        )
    except requests.RequestException as exc:
        report.add("metrics", False, f"gunicorn /metrics: {exc}")
        return
    names = (
        "phatngon_http_request_duration_seconds",
        "phatngon_celery_queue_length",
        "phatngon_ledger_head_sequence",
        "phatngon_cases_open",
    )
    missing = [n for n in names if n not in direct.text]
    nodes = {}
    for queue in ("signing", "default"):
        try:
            r = requests.get(f"http://127.0.0.1:{t.metrics_port(queue)}/metrics", timeout=10)
            nodes[queue] = r.status_code
        except requests.RequestException:
            nodes[queue] = "no answer"
    report.add(
        "metrics",
        direct.status_code == 200 and not missing and all(v == 200 for v in nodes.values()),
        f"gunicorn /metrics {direct.status_code} ({len(direct.content)} bytes"
        + (f", missing {', '.join(missing)}" if missing else ", request latency, queue depth, "
           "ledger head, open cases")
        + f"); node exporters signing {nodes['signing']}, default {nodes['default']}; "
        "through nginx refused (above)",
    )  # fmt: skip
    response = run.api("journalist").session.post(
        run.url("/api/v1/cases/"), json=_case_json("Kiểm tra mã yêu cầu"), timeout=30
    )
    rid = response.headers.get("X-Request-ID", "")
    seen: dict[str, bool] = {}
    deadline = time.monotonic() + 90
    while rid and time.monotonic() < deadline:
        for name in ("gunicorn", "worker-default", "worker-signing"):
            path = t.logs / f"{name}.log"
            seen[name] = path.exists() and rid in path.read_text(errors="replace")
        if seen["gunicorn"] and (seen["worker-default"] or seen["worker-signing"]):
            break
        time.sleep(2)
    worker_saw = seen.get("worker-default") or seen.get("worker-signing")
    report.add(
        "request id",
        response.status_code == 201 and bool(rid) and seen.get("gunicorn", False) and worker_saw,
        f"case submitted through nginx → {response.status_code}, X-Request-ID {rid or 'missing'}; "
        f"in gunicorn's log: {'yes' if seen.get('gunicorn') else 'no'}; in a worker's log "
        f"(the task it started): {'yes' if worker_saw else 'no'}",
    )


def _case_json(subject: str) -> dict:
    from .run import ORGANISATION

    return {
        "organisation": ORGANISATION,
        "kind": "question",
        "subject": subject,
        "questions": ["Câu hỏi kiểm tra?"],
        "purpose": "Kiểm tra vận hành",
    }


def _api_demo(run) -> None:
    started = time.monotonic()
    r = subprocess.run(  # noqa: S603
        [PYTHON, "scripts/api_demo.py", run.t.base_url],
        cwd=ROOT,
        env={**os.environ, "REQUESTS_CA_BUNDLE": str(run.t.certificate)},
        capture_output=True,
        text=True,
        timeout=400,
        check=False,
    )
    (run.t.logs / "api_demo.log").write_text(r.stdout + r.stderr)
    verdict = next((line for line in r.stdout.splitlines() if line.startswith("Xác thực")), "")
    run.report.add(
        "api_demo.py through nginx",
        r.returncode == 0,
        f"exit {r.returncode} in {time.monotonic() - started:.0f} s; "
        + (verdict or (r.stdout + r.stderr).strip()[-200:]),
    )


# ---------------------------------------------------------------- backup and restore
def backup_restore(run) -> bool:
    """manage.py backup → restore into a fresh database and media folder → verify_audit, and a
    PDF downloaded before the backup verifies against the restored copy."""
    s, t = run.s, run.t
    probe = s.manage("help", "backup")
    if probe.returncode:
        return run.report.add("backup", False, "manage.py backup not available")
    document = run.sql(
        "SELECT c.id FROM workflows_case c JOIN release_issueddocument d ON d.id = c.document_id "
        "WHERE d.status = 'issued' ORDER BY d.id LIMIT 1"
    )
    case = run.api("journalist").get(f"/api/v1/cases/{document[0][0]}/").json()
    pdf = run.api("journalist").get(case["documents"][0]["pdf_url"]).content
    folder = t.run_dir / "backup"
    started = time.monotonic()
    backup = s.manage("backup", str(folder), timeout=900)
    backup_seconds = time.monotonic() - started
    if backup.returncode:
        return run.report.add("backup", False, f"manage.py backup: {backup.stderr[-300:]}")
    s.createdb("phatngon_restored")
    restored_media = t.run_dir / "media-restored"
    restored_media.mkdir()
    restored_env = {
        **s.env,
        "DATABASE_URL": t.database_url("phatngon_restored"),
        "MEDIA_ROOT": str(restored_media),
        "GUNICORN_BIND": f"127.0.0.1:{t.web_port + 1}",
        "WEB_CONCURRENCY": "1",
    }
    started = time.monotonic()
    restore = s.manage("restore", str(folder), env=restored_env, timeout=900)
    restore_seconds = time.monotonic() - started
    if restore.returncode:
        return run.report.add("backup", False, f"manage.py restore: {restore.stderr[-300:]}")
    audit = s.manage("verify_audit", env=restored_env, timeout=900)
    # A second gunicorn on the restored copy answers the verification API.
    from .config import GUNICORN_CONF
    from .services import wait_port

    proc = s.spawn(
        "gunicorn-restored",
        [PYTHON, "-m", "gunicorn", "-c", str(GUNICORN_CONF), "config.wsgi"],
        env=restored_env,
    )
    verified = {}
    if wait_port(t.web_port + 1, 60, proc):
        r = requests.post(
            f"http://127.0.0.1:{t.web_port + 1}/api/v1/verify/",
            files={"file": ("before.pdf", pdf, "application/pdf")},
            headers={"X-Forwarded-Proto": "https", "Host": "127.0.0.1"},
            timeout=120,
        )
        verified = r.json() if r.status_code == 200 else {"status": f"HTTP {r.status_code}"}
    s.stop("gunicorn-restored")
    size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
    ok = audit.returncode == 0 and verified.get("status") == "valid" and verified.get("registered")
    return run.report.add(
        "backup and restore",
        bool(ok),
        f"backup {backup_seconds:.1f} s ({size / 1e6:.1f} MB), restore into a fresh database "
        f"and media folder {restore_seconds:.1f} s; verify_audit on the copy: exit "
        f"{audit.returncode}; a PDF downloaded before the backup: {verified.get('status')} "
        f"(registered: {verified.get('registered')})",
    )


if __name__ == "__main__":
    sys.exit(main())
