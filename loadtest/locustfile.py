"""The personas' journeys through the API and the public pages (issue 17), for locust.

Run it through `benchmarks/load_test.py BASE_URL --users 30 --minutes 5`, or directly:

    locust -f loadtest/locustfile.py --host http://127.0.0.1:8301 --headless -u 30 -r 5 -t 5m

against a database filled by `manage.py generate_load_data` (the demo accounts of `seed_demo`,
password LOADTEST_PASSWORD, default phatngon-demo):

- journalist (journalist1, hundreds of cases): lists their cases, sometimes a later page, opens
  one; now and then submits a question (at most LOADTEST_SUBMISSIONS per run, under the
  API's 20-an-hour allowance per journalist);
- staff (vanthu, chuyenvien, phatngon, lanhdao, dozens of open tasks each): lists their tasks,
  opens one, lists their cases;
- inspector (thanhtra): the ledger's list, sometimes a later page;
- public (no account): the newsroom, a statement's page, its verification page, the feed.

Each request is named "<persona>: <METHOD> <endpoint pattern>" so that the statistics are per
endpoint and per persona. One token per account, obtained before the users start and shared
by its simulated users.
"""

from __future__ import annotations

import os
import random
import re

import requests
from locust import HttpUser, between, events, task

PASSWORD = os.environ.get("LOADTEST_PASSWORD", "phatngon-demo")
SUBMISSIONS = int(os.environ.get("LOADTEST_SUBMISSIONS", "10"))
ORGANISATION = os.environ.get("LOADTEST_ORGANISATION", "pgddt-thuan-an")
STAFF = ["vanthu", "chuyenvien", "phatngon", "lanhdao"]

ACCOUNTS = ["journalist1", *STAFF, "thanhtra"]

_tokens: dict[str, str] = {}
_submitted = 0


@events.test_start.add_listener
def _log_in(environment, **kwargs):
    """One token per account before the users start: logins are rate-limited (API_LOGIN_RATE)
    and deliberately slow (password hashing), and a real client keeps its token; they are not
    part of the figures."""
    for username in ACCOUNTS:
        r = requests.post(
            f"{environment.host}/api/v1/auth/token/",
            json={"username": username, "password": PASSWORD},
            timeout=120,
        )
        r.raise_for_status()
        _tokens[username] = r.json()["token"]


class ApiUser(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    persona = ""
    username = ""

    def on_start(self):
        self.client.headers["Authorization"] = f"Token {_tokens[self.username]}"

    def get_json(self, path: str, name: str) -> dict:
        with self.client.get(path, name=f"{self.persona}: GET {name}", catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code} {r.text[:200]}")
                return {}
            return r.json()


class Journalist(ApiUser):
    weight = 3
    persona = "journalist"
    username = "journalist1"

    def on_start(self):
        super().on_start()
        self.cases: list[int] = []

    @task(6)
    def list_cases(self):
        page = self.get_json("/api/v1/cases/", "/api/v1/cases/")
        self.cases = [c["id"] for c in page.get("results", [])] or self.cases
        self.pages = max(1, -(-page.get("count", 0) // max(len(page.get("results", [])), 1)))

    @task(2)
    def later_page(self):
        pages = getattr(self, "pages", 1)
        if pages > 1:
            n = random.randint(2, min(pages, 15))
            self.get_json(f"/api/v1/cases/?page={n}", "/api/v1/cases/?page=N")

    @task(4)
    def open_case(self):
        if self.cases:
            self.get_json(f"/api/v1/cases/{random.choice(self.cases)}/", "/api/v1/cases/{id}/")

    @task(1)
    def submit_question(self):
        global _submitted
        if _submitted >= SUBMISSIONS:
            return
        _submitted += 1
        self.client.post(
            "/api/v1/cases/",
            json={
                "organisation": ORGANISATION,
                "kind": "question",
                "subject": f"Thử tải: câu hỏi số {_submitted}",
                "questions": ["Kế hoạch tuyển sinh năm học tới thế nào?"],
                "purpose": "Thử tải",
            },
            name=f"{self.persona}: POST /api/v1/cases/",
        )


class Staff(ApiUser):
    weight = 3
    persona = "staff"

    def on_start(self):
        self.username = random.choice(STAFF)
        super().on_start()
        self.task_ids: list[int] = []

    @task(5)
    def list_tasks(self):
        page = self.get_json("/api/v1/tasks/", "/api/v1/tasks/")
        self.task_ids = [t["id"] for t in page.get("results", [])] or self.task_ids

    @task(3)
    def open_task(self):
        if self.task_ids:
            self.get_json(f"/api/v1/tasks/{random.choice(self.task_ids)}/", "/api/v1/tasks/{id}/")

    @task(4)
    def list_cases(self):
        self.get_json("/api/v1/cases/", "/api/v1/cases/")


class Inspector(ApiUser):
    weight = 1
    persona = "inspector"
    username = "thanhtra"

    @task(3)
    def ledger(self):
        self.get_json("/api/v1/audit/events/", "/api/v1/audit/events/")

    @task(1)
    def ledger_later_page(self):
        n = random.randint(2, 10)
        self.get_json(f"/api/v1/audit/events/?page={n}", "/api/v1/audit/events/?page=N")


STATEMENT = re.compile(r'href="(/tin-bao-chi/[\w-]+/\d+-[\w-]+/)"')
VERIFY = re.compile(r'href="(/xac-thuc/[\w-]+/)"')


class Public(HttpUser):
    weight = 3
    wait_time = between(1, 3)

    def on_start(self):
        self.statements: list[str] = []
        self.verify: list[str] = []

    def page(self, path: str, name: str) -> str:
        with self.client.get(path, name=f"public: GET {name}", catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code}")
                return ""
            return r.text

    @task(4)
    def newsroom(self):
        html = self.page("/tin-bao-chi/", "/tin-bao-chi/")
        self.statements = STATEMENT.findall(html) or self.statements

    @task(3)
    def statement(self):
        if self.statements:
            html = self.page(random.choice(self.statements), "/tin-bao-chi/{org}/{id}-{slug}/")
            found = VERIFY.findall(html)
            if found:
                self.verify = list({*self.verify, *found})[-50:]

    @task(2)
    def verify_page(self):
        if self.verify:
            self.page(random.choice(self.verify), "/xac-thuc/{token}/")

    @task(2)
    def feed(self):
        self.page("/tin-bao-chi/feed.atom", "/tin-bao-chi/feed.atom")
