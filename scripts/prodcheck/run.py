"""The context a run's checks and drills share: the services, the database, the API users."""

from __future__ import annotations

import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

from .config import Topology
from .report import Report
from .services import Services
from .smtp import SmtpSink

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # scripts/: the API clients
from api_demo import USERS, Api  # noqa: E402

PASSWORD = "phatngon-demo"  # noqa: S105 — the demo accounts' published password
ORGANISATION = "pgddt-thuan-an"
# Documents being issued: numbered and queued, or a worker is rendering/signing them.
UNFINISHED = ("queued", "rendering", "signed")


class Run:
    def __init__(self, topology: Topology, services: Services, sink: SmtpSink, report: Report):
        self.t = topology
        self.s = services
        self.sink = sink
        self.report = report
        self._api: dict[str, Api] = {}

    # ------------------------------------------------------------------ database
    def sql(self, query: str, *params, database: str | None = None) -> list[tuple]:
        """Read the run's database directly (a fresh connection: it survives restarts)."""
        import psycopg

        with psycopg.connect(
            host="127.0.0.1",
            port=self.t.pg_port,
            user="postgres",
            dbname=database or self.t.database,
            connect_timeout=5,
        ) as conn:
            cursor = conn.execute(query, params)
            return cursor.fetchall() if cursor.description else []

    def value(self, query: str, *params):
        rows = self.sql(query, *params)
        return rows[0][0] if rows else None

    # ------------------------------------------------------------------ HTTP
    def url(self, path: str) -> str:
        return f"{self.t.base_url}{path}"

    def healthz(self) -> tuple[int, dict]:
        try:
            r = requests.get(self.url("/healthz"), timeout=10)
        except requests.RequestException as exc:
            return 0, {"error": str(exc)}
        try:
            return r.status_code, r.json()
        except ValueError:
            return r.status_code, {"body": r.text[:200]}

    def wait_healthz(self, predicate, timeout: float) -> tuple[float | None, dict]:
        """Seconds until /healthz satisfies `predicate(status, body)`, or None at timeout."""
        started = time.monotonic()
        body: dict = {}
        while time.monotonic() - started < timeout:
            status, body = self.healthz()
            if predicate(status, body):
                return time.monotonic() - started, body
            time.sleep(2)
        return None, body

    def api(self, role: str) -> Api:
        """A token-authenticated client of a demo user ("journalist", "head", "thanhtra"…)."""
        if role not in self._api:
            self._api[role] = Api(self.t.base_url, USERS.get(role, role), PASSWORD)
        return self._api[role]

    def login_all(self) -> None:
        """Log every user of the drills in once, one after the other (the clients are shared
        by the drills' threads)."""
        for role in [*USERS, "journalist2"]:
            self.api(role)

    # ------------------------------------------------------------------ cases
    def submit(self, subject: str, journalist: str = "journalist") -> dict:
        return (
            self.api(journalist)
            .post(
                "/api/v1/cases/",
                expected=(201,),
                json={
                    "organisation": ORGANISATION,
                    "kind": "question",
                    "subject": subject,
                    "questions": ["Lịch khai giảng năm học mới?"],
                    "purpose": "Diễn tập vận hành",
                },
            )
            .json()
        )

    def case_at_signoff(self, subject: str) -> dict:
        """A question taken through triage, draft and review: it waits for the head's signature."""
        case = self.submit(subject)
        self.api("registry").act(case["id"], "triage", "accept", assignee=USERS["specialist"])
        self.api("specialist").act(case["id"], "draft", "submit", answer=f"Trả lời: {subject}.")
        self.api("spokesperson").act(case["id"], "review", "approve")
        return case

    def cases_at_signoff(self, prefix: str, n: int) -> list[dict]:
        with ThreadPoolExecutor(max_workers=3) as pool:
            return list(pool.map(lambda i: self.case_at_signoff(f"{prefix} {i + 1}"), range(n)))

    def sign(self, case: dict) -> dict:
        return self.api("head").act(case["id"], "signoff", "sign", confirm=True)

    def sign_all(self, cases: list[dict]) -> None:
        with ThreadPoolExecutor(max_workers=len(cases)) as pool:
            list(pool.map(self.sign, cases))

    # ------------------------------------------------------------------ documents
    def document_of(self, case_id: int) -> tuple[int, str] | None:
        rows = self.sql(
            "SELECT d.id, d.status FROM workflows_case c JOIN release_issueddocument d "
            "ON d.id = c.document_id WHERE c.id = %s",
            case_id,
        )
        return rows[0] if rows else None

    def wait_issued(self, case_ids: list[int], timeout: float, watch_pages: bool = True):
        """Poll until every case's document is issued; return (seconds, premature, pending).

        `premature` counts the times the journalist's page (GET /api/v1/cases/<id>/) said
        answered, or offered the document, while the database had not issued it yet.
        """
        started = time.monotonic()
        pending = set(case_ids)
        premature = 0
        self.seen_statuses: set[str] = set()  # what the journalist's page said meanwhile
        journalist = self.api("journalist")
        while pending and time.monotonic() - started < timeout:
            for case_id in sorted(pending):
                shown = None
                if watch_pages:
                    page = journalist.get(f"/api/v1/cases/{case_id}/").json()
                    shown = page["status"] == "answered" or bool(page["documents"])
                    self.seen_statuses.add(page["status"])
                document = self.document_of(case_id)
                issued = document is not None and document[1] == "issued"
                if shown and not issued:
                    premature += 1
                if issued:
                    pending.discard(case_id)
            if pending:
                time.sleep(1)
        return time.monotonic() - started, premature, pending

    def issued_once(self, document_ids: list[int]) -> list[str]:
        """Problems with the ledger of these documents: each rendered, signed, registered once."""
        if not document_ids:
            return []
        rows = self.sql(
            "SELECT target_id, action, count(*) FROM audit_ledgerevent "
            "WHERE target_type = 'release.issueddocument' AND target_id = ANY(%s) "
            "AND action IN ('document.rendered', 'document.signed', 'document.registered') "
            "GROUP BY target_id, action",
            [str(pk) for pk in document_ids],
        )
        counts = {(int(t), a): n for t, a, n in rows}
        problems = []
        for pk in document_ids:
            for action in ("document.rendered", "document.signed", "document.registered"):
                n = counts.get((pk, action), 0)
                if n != 1:
                    problems.append(f"document {pk}: {action} ×{n}")
        return problems

    def register_gaps(self) -> list[str]:
        """Gaps or duplicates in any series of the outgoing register."""
        rows = self.sql(
            "SELECT organisation_id, year, series, array_agg(number ORDER BY number) "
            "FROM release_issueddocument GROUP BY organisation_id, year, series"
        )
        problems = []
        for org, year, series, numbers in rows:
            if numbers != list(range(1, len(numbers) + 1)):
                problems.append(f"{series} {year} (org {org}): {numbers}")
        return problems

    def unfinished(self) -> int:
        return self.value(
            "SELECT count(*) FROM release_issueddocument WHERE status = ANY(%s)", list(UNFINISHED)
        )
