"""The drills of issue 17: each breaks one part on purpose and checks nothing is lost or doubled."""

from __future__ import annotations

import os
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests

from .report import percentile
from .run import ORGANISATION, Run

DOCUMENTS = 10


# ---------------------------------------------------------------- 1. kill -9 the signing worker
def worker_kill(run: Run, target: str) -> bool:
    """kill -9 the signing node (`target="node"`) or one of its pool children ("child")."""
    name = f"drill 1 kill -9 signing {target}"
    cases = run.cases_at_signoff(f"Diễn tập kill -9 ({target}) — câu hỏi", DOCUMENTS)
    ids = [c["id"] for c in cases]
    # All ten in flight at once: signed while the node is away, so that their messages wait
    # in the queue; then the node starts and takes them (two rendering, the rest prefetched).
    run.s.stop("worker-signing")
    run.sign_all(cases)
    run.s.worker_start("signing")
    # Kill while the node is issuing: a worker has committed its attempt on one of these
    # documents (before rendering) and not issued it yet. Rendering and signing happen in one
    # transaction, so "rendering" is never seen from outside: the attempt is.
    deadline = time.monotonic() + 240
    busy = 0
    while time.monotonic() < deadline and not busy:
        busy = run.value(
            "SELECT count(*) FROM workflows_case c JOIN release_issueddocument d "
            "ON d.id = c.document_id WHERE c.id = ANY(%s) AND d.attempts >= 1 "
            "AND d.status <> 'issued'",
            ids,
        )
        time.sleep(0.1)
    before = run.value(
        "SELECT count(*) FROM workflows_case c JOIN release_issueddocument d "
        "ON d.id = c.document_id WHERE c.id = ANY(%s) AND d.status = 'issued'",
        ids,
    )
    killed_at = time.monotonic()
    if target == "node":
        run.s.kill_node("worker-signing")
        time.sleep(5)  # a service manager's RestartSec
        run.s.worker_start("signing")
    else:
        children = run.s.pool_children("worker-signing")
        if not children:
            return run.report.add(name, False, "the signing node has no pool child to kill")
        os.kill(children[0], signal.SIGKILL)
    _, premature, pending = run.wait_issued(ids, timeout=420)
    seconds = time.monotonic() - killed_at
    documents = [run.document_of(i) for i in ids]
    document_ids = [d[0] for d in documents if d]
    problems = run.issued_once(document_ids) + run.register_gaps()
    unfinished = run.unfinished()
    ok = not pending and not problems and not premature and unfinished == 0
    detail = (
        f"{DOCUMENTS - len(pending)}/{DOCUMENTS} issued exactly once, the last "
        f"{seconds:.0f} s after the kill ({before} issued and {busy} being issued when it "
        f"came); register gapless: "
        f"{'yes' if not run.register_gaps() else 'no'}; left queued/issuing: {unfinished}; "
        f"the journalist's page said {'/'.join(sorted(run.seen_statuses))}, 'answered' "
        f"before the document was issued: {premature} times"
    )
    if problems:
        detail += "; " + "; ".join(problems[:5])
    return run.report.add(name, ok, detail)


# ---------------------------------------------------------------- 2. PostgreSQL restarted
def postgres_restart(run: Run, burst: int = 50) -> bool:
    name = "drill 2 PostgreSQL restart during 50 submissions"
    tokens = [run.api("journalist").session.headers["Authorization"]]
    tokens.append(run.api("journalist2").session.headers["Authorization"])
    go = threading.Event()
    restart: dict = {}

    def submit(i: int) -> dict:
        go.wait()
        time.sleep(i * 0.05)  # spread over 2.5 s, across the restart
        started = time.monotonic()
        try:
            r = requests.post(
                run.url("/api/v1/cases/"),
                headers={"Authorization": tokens[i % 2]},
                json={
                    "organisation": ORGANISATION,
                    "kind": "question",
                    "subject": f"Diễn tập khởi động lại CSDL — hồ sơ {i + 1}",
                    "questions": ["Kế hoạch tuyển sinh?"],
                    "purpose": "Diễn tập",
                },
                timeout=60,
            )
        except requests.RequestException as exc:
            return {"status": 0, "error": str(exc)[:100], "seconds": time.monotonic() - started}
        out = {
            "status": r.status_code,
            "type": r.headers.get("Content-Type", ""),
            "retry_after": r.headers.get("Retry-After"),
            "seconds": time.monotonic() - started,
        }
        try:
            out["body"] = r.json()
        except ValueError:
            out["body"] = None
        return out

    def restart_postgres():
        go.wait()
        time.sleep(0.7)
        started = time.monotonic()
        # -l again: pg_ctl does not remember the log file, and a server left writing to our
        # pipe would hold it open.
        log = str(run.t.run_dir / "pg.log")
        result = run.s.postgres("-l", log, "-m", "fast", "-w", "-t", "60", "restart")
        restart.update(rc=result.returncode, seconds=time.monotonic() - started)

    with ThreadPoolExecutor(max_workers=burst + 1) as pool:
        futures = [pool.submit(submit, i) for i in range(burst)]
        restarter = pool.submit(restart_postgres)
        go.set()
        results = [f.result() for f in futures]
        restarter.result()
    created = [r["body"]["id"] for r in results if r["status"] == 201]
    refused = [r for r in results if r["status"] == 503]
    other = [r for r in results if r["status"] not in (201, 503)]
    clear = [
        r
        for r in refused
        if r["type"].startswith("application/json") and r["retry_after"] and r["body"]
    ]
    found = run.value("SELECT count(*) FROM workflows_case WHERE id = ANY(%s)", created)
    # Afterwards the web and the workers reconnect by themselves.
    later_request = run.submit("Sau khi CSDL khởi động lại: hồ sơ mới")
    case = run.case_at_signoff("Sau khi CSDL khởi động lại: văn bản mới")
    run.sign(case)
    seconds, _, pending = run.wait_issued([case["id"]], timeout=240, watch_pages=False)
    ok = (
        restart.get("rc") == 0
        and not other
        and len(clear) == len(refused)
        and found == len(created)
        and bool(later_request.get("id"))
        and not pending
    )
    statuses = ", ".join(sorted({f"{r['status']}" for r in other})) or "none"
    return run.report.add(
        name,
        ok,
        f"restart took {restart.get('seconds', 0):.1f} s; {len(created)} × 201 (all {found} in "
        f"the database), {len(refused)} × 503 JSON + Retry-After ({len(clear)} clear), other "
        f"statuses: {statuses}; slowest answer {max(r['seconds'] for r in results):.1f} s; "
        f"afterwards a submission 201 and a document issued in {seconds:.0f} s",
    )


# ---------------------------------------------------------------- 3. Redis away for 30 s
def redis_down(run: Run, outage: float = 30) -> bool:
    name = "drill 3 Redis down 30 s"
    waiting = run.case_at_signoff("Diễn tập Redis ngừng — ký trong lúc ngừng")
    journalist = run.api("journalist")
    run.s.stop("redis")
    down_at = time.monotonic()
    mails_from = run.value("SELECT now()")
    submitted = run.submit("Diễn tập Redis ngừng — gửi trong lúc ngừng")
    run.sign(waiting)
    health_started = time.monotonic()
    health_status, health = run.healthz()
    health_seconds = time.monotonic() - health_started
    answers: list[tuple[int, float]] = []
    while time.monotonic() - down_at < outage:
        for path, client in (("/tin-bao-chi/", None), ("/api/v1/cases/", journalist)):
            started = time.monotonic()
            try:
                if client is None:
                    status = requests.get(run.url(path), timeout=30).status_code
                else:
                    status = client.session.get(run.url(path), timeout=30).status_code
            except requests.RequestException:
                status = 0
            answers.append((status, time.monotonic() - started))
        time.sleep(0.5)
    run.s.redis_start()
    back_at = time.monotonic()
    seconds, _, pending = run.wait_issued([waiting["id"]], timeout=300, watch_pages=False)
    issued_after = time.monotonic() - back_at if not pending else None
    mails_left, mails = _mails_settle(run, mails_from, timeout=240)
    bad = [s for s, _ in answers if s != 200]
    latencies = [d for _, d in answers]
    document = run.document_of(waiting["id"])
    problems = run.issued_once([document[0]] if document else [])
    ok = (
        not bad
        and submitted.get("id")
        and not pending
        and not problems
        and mails_left == 0
        and health_status == 503
        and health_seconds < 3
    )
    named = ", ".join(k for k, v in health.items() if v not in ("ok",) and k != "status")
    return run.report.add(
        name,
        ok,
        f"{len(answers) - len(bad)}/{len(answers)} page and API answers 200 during the outage "
        f"(p50 {percentile(latencies, 50) * 1000:.0f} ms, max {max(latencies):.1f} s); a "
        f"submission 201; /healthz {health_status} in {health_seconds:.1f} s naming {named}; "
        f"the document signed meanwhile issued once {issued_after or 0:.0f} s after Redis "
        f"returned; e-mails queued meanwhile {mails}, unsent {mails_left}",
    )


def _mails_settle(run: Run, since, timeout: float) -> tuple[int, int]:
    """Wait until every e-mail queued since `since` is sent: (left unsent, total)."""
    deadline = time.monotonic() + timeout
    while True:
        total, left = run.sql(
            "SELECT count(*), count(*) FILTER (WHERE status <> 'sent') "
            "FROM outbox_outgoingmail WHERE created_at >= %s",
            since,
        )[0]
        if left == 0 or time.monotonic() > deadline:
            return left, total
        time.sleep(2)


# ---------------------------------------------------------------- 4. beat stopped
def _duplicates(run: Run) -> dict[str, int]:
    """What must never be doubled, counted in the database."""
    return {
        "reminders": run.value(
            "SELECT count(*) FROM (SELECT user_id, case_id, statement_id, message "
            "FROM workflows_notification WHERE key IS NOT NULL "
            "GROUP BY 1, 2, 3, 4 HAVING count(*) > 1) d"
        ),
        "anchors": run.value(
            "SELECT count(*) FROM (SELECT seq FROM audit_auditanchor GROUP BY seq "
            "HAVING count(*) > 1) d"
        ),
        "deliveries": run.value(
            "SELECT count(*) FROM (SELECT publication_id, email FROM release_delivery "
            "GROUP BY 1, 2 HAVING count(*) > 1) d"
        ),
        "document events": run.value(
            "SELECT count(*) FROM (SELECT target_id, action FROM audit_ledgerevent "
            "WHERE action IN ('document.rendered','document.signed','document.registered') "
            "GROUP BY 1, 2 HAVING count(*) > 1) d"
        ),
    }


def beat_stopped(run: Run, down_for: float = 150) -> bool:
    """Beat stopped while a document's message is lost: the sweep issues it once beat is back."""
    import redis

    name = "drill 4 beat stopped"
    counts_before = run.value("SELECT count(*) FROM workflows_notification WHERE key IS NOT NULL")
    waiting = run.case_at_signoff("Diễn tập beat ngừng — thông điệp bị mất")
    run.s.stop("beat")
    stopped_at = time.monotonic()
    # The message of the document signed now is lost: signing node away, its queue emptied.
    run.s.stop("worker-signing")
    run.sign(waiting)
    broker = redis.Redis(port=run.t.redis_port, db=0)
    lost = broker.llen("signing")
    broker.delete("signing")
    run.s.worker_start("signing")
    stale_after, body = run.wait_healthz(
        lambda status, body: status == 503 and body.get("beat") == "stale", timeout=down_for + 60
    )
    stale_after = (time.monotonic() - stopped_at) if stale_after is not None else None
    remaining = down_for - (time.monotonic() - stopped_at)
    if remaining > 0:
        time.sleep(remaining)
    queued_while_down = run.document_of(waiting["id"])
    run.s.beat_start()
    back_at = time.monotonic()
    healthy_after, _ = run.wait_healthz(lambda status, body: status == 200, timeout=240)
    seconds, _, pending = run.wait_issued([waiting["id"]], timeout=240, watch_pages=False)
    issued_after = time.monotonic() - back_at
    document = run.document_of(waiting["id"])
    problems = run.issued_once([document[0]] if document else [])
    duplicates = _duplicates(run)
    counts_after = run.value("SELECT count(*) FROM workflows_notification WHERE key IS NOT NULL")
    ok = (
        stale_after is not None
        and healthy_after is not None
        and not pending
        and not problems
        and not any(duplicates.values())
        and queued_while_down is not None
        and queued_while_down[1] == "queued"
    )
    return run.report.add(
        name,
        ok,
        f"beat down {time.monotonic() - stopped_at - issued_after:.0f} s: /healthz 503 naming "
        f"beat 'stale' after {stale_after or 0:.0f} s, 200 again {healthy_after or 0:.0f} s "
        f"after its restart; a document whose message was lost ({lost} message dropped) stayed "
        f"'{queued_while_down[1] if queued_while_down else '?'}' and was issued once "
        f"{issued_after:.0f} s after beat returned; duplicates: "
        + ", ".join(f"{k} {v}" for k, v in duplicates.items())
        + f"; keyed notifications {counts_before} → {counts_after}",
    )


# ---------------------------------------------------------------- 5. SMTP refusing
def smtp_refusing(run: Run, n: int = 8) -> bool:
    name = "drill 5 SMTP refusing"

    def latencies(label: str) -> list[float]:
        out = []
        for i in range(n):
            started = time.monotonic()
            run.submit(f"Diễn tập SMTP ({label}) — hồ sơ {i + 1}")
            out.append(time.monotonic() - started)
        return out

    up = latencies("máy chủ thư chạy")
    refusing_from = run.value("SELECT now()")
    run.sink.state.refusing = True
    refused_before = run.sink.state.refused
    down = latencies("máy chủ thư từ chối")
    time.sleep(20)  # the workers try, are refused, and keep the mails
    held = run.sql(
        "SELECT count(*), count(*) FILTER (WHERE status = 'queued'), "
        "count(*) FILTER (WHERE attempts > 0) FROM outbox_outgoingmail WHERE created_at >= %s",
        refusing_from,
    )[0]
    refused = run.sink.state.refused - refused_before
    received_before = run.sink.state.count()
    run.sink.state.refusing = False
    back_at = time.monotonic()
    left, total = _mails_settle(run, refusing_from, timeout=240)
    sent_after = time.monotonic() - back_at
    received = run.sink.state.count() - received_before
    p50_up, p50_down = percentile(up, 50), percentile(down, 50)
    ok = (
        total > 0
        and refused > 0
        and left == 0
        and received >= total
        and p50_down <= max(1.5 * p50_up, p50_up + 0.2)
        and held[1] == total
    )
    return run.report.add(
        name,
        ok,
        f"submission p50 {p50_up * 1000:.0f} ms with SMTP up, {p50_down * 1000:.0f} ms refusing "
        f"(max {max(down) * 1000:.0f} ms); {total} e-mails queued meanwhile, {held[1]} held in "
        f"the outbox after {refused} refused connections; all sent {sent_after:.0f} s after "
        f"SMTP returned ({received} received at the sink, unsent {left})",
    )
