#!/usr/bin/env python3
"""Take one press question from submission to a signed, verified answer through the REST API.

Run against `make demo` (only `requests` is needed):

    python scripts/api_demo.py [BASE_URL] [--password phatngon-demo] [--timeout 180]

Exit status 0 when the downloaded answer verifies as "valid".
"""

from __future__ import annotations

import argparse
import sys
import time

import requests

USERS = {
    "journalist": "journalist1",
    "registry": "vanthu",
    "specialist": "chuyenvien",
    "spokesperson": "phatngon",
    "head": "lanhdao",
}


class ApiError(RuntimeError):
    pass


class Api:
    """A tiny client: one token-authenticated session per user."""

    # Items asked for per page of a list; every list is read to its end (see `all`).
    page_size = 100

    def __init__(self, base: str, username: str, password: str):
        self.base = base.rstrip("/")
        self.username = username
        self.session = requests.Session()
        r = self.session.post(
            self.url("/api/v1/auth/token/"),
            json={"username": username, "password": password},
            timeout=30,
        )
        self.check(r, 200)
        self.session.headers["Authorization"] = f"Token {r.json()['token']}"

    def url(self, path: str) -> str:
        return path if path.startswith("http") else f"{self.base}{path}"

    @staticmethod
    def check(response, *expected):
        if response.status_code not in expected:
            raise ApiError(
                f"{response.request.method} {response.url}: {response.status_code} {response.text[:500]}"
            )
        return response

    def get(self, path: str, **kw):
        return self.check(self.session.get(self.url(path), timeout=60, **kw), 200)

    def all(self, path: str):
        """Yield every item of a paginated list, following `next` to the last page."""
        separator = "&" if "?" in path else "?"
        url = f"{path}{separator}page_size={self.page_size}"
        while url:
            page = self.get(url).json()
            yield from page["results"]
            url = page["next"]

    def post(self, path: str, expected=(200, 201), **kw):
        return self.check(self.session.post(self.url(path), timeout=120, **kw), *expected)

    def task(self, case_id: int, step: str, wait: float = 30) -> dict:
        """The open task of `step` for the case in this user's list (waits for the worker)."""
        deadline = time.monotonic() + wait
        while True:
            for task in self.all("/api/v1/tasks/"):
                if task["case"] == case_id and task["step"] == step:
                    return task
            if time.monotonic() > deadline:
                raise ApiError(f"{self.username}: no {step} task for case {case_id}")
            time.sleep(0.5)

    def act(self, case_id: int, step: str, action: str, **data) -> dict:
        task = self.task(case_id, step)
        if task["status"] == "new":
            self.post(f"/api/v1/tasks/{task['id']}/claim/")
        case = self.post(
            f"/api/v1/tasks/{task['id']}/complete/", json={"action": action, **data}
        ).json()
        print(f"  {self.username:12} {step:8} {action:8} → {case['status']}")
        return case


def run(base: str, password: str, timeout: float, organisation: str = "pgddt-thuan-an") -> dict:
    """Do the whole path and return the verification result."""
    api = {role: Api(base, name, password) for role, name in USERS.items()}
    journalist = api["journalist"]

    case = journalist.post(
        "/api/v1/cases/",
        expected=(201,),
        json={
            "organisation": organisation,
            "kind": "question",
            "subject": "Tuyển sinh lớp 6 năm học 2027–2028",
            "questions": [
                "Chỉ tiêu tuyển sinh lớp 6 của thành phố là bao nhiêu?",
                "Các trường xét tuyển hay thi tuyển?",
            ],
            "purpose": "Bài viết về tuyển sinh đầu cấp",
        },
    ).json()
    print(f"Hồ sơ {case['reference']} (id {case['id']}): hạn {case['due_at']}")
    print(f"  {case['due_explanation']}")

    api["registry"].act(case["id"], "triage", "accept", assignee=USERS["specialist"])
    api["specialist"].act(
        case["id"],
        "draft",
        "submit",
        answer="Chỉ tiêu tuyển sinh lớp 6 năm học 2027–2028 là 4.200 học sinh; các trường xét tuyển.",
    )
    api["spokesperson"].act(case["id"], "review", "approve")
    # The signer confirms having read the draft document, as on the web page.
    api["head"].act(case["id"], "signoff", "sign", confirm=True)

    # The worker renders and signs the answer; wait for the document to appear.
    deadline = time.monotonic() + timeout
    while True:
        case = journalist.get(f"/api/v1/cases/{case['id']}/").json()
        if case["documents"]:
            break
        if time.monotonic() > deadline:
            raise ApiError(f"no signed document after {timeout:.0f} s (status {case['status']})")
        time.sleep(1)
    document = case["documents"][0]
    print(
        f"Văn bản {document['number']} phát hành {document['issued_at']}; trạng thái hồ sơ: {case['status']}"
    )

    pdf = journalist.get(document["pdf_url"])
    assert pdf.headers["Content-Type"] == "application/pdf", pdf.headers["Content-Type"]
    print(f"Đã tải {len(pdf.content)} byte PDF")
    result = requests.post(
        f"{journalist.base}/api/v1/verify/",
        files={"file": ("tra-loi.pdf", pdf.content, "application/pdf")},
        timeout=120,
    )
    Api.check(result, 200)
    return result.json()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", nargs="?", default="http://127.0.0.1:8000")
    parser.add_argument("--password", default="phatngon-demo")
    parser.add_argument("--timeout", type=float, default=180)
    parser.add_argument("--organisation", default="pgddt-thuan-an")
    parser.add_argument("--page-size", type=int, default=Api.page_size, help="items per page")
    args = parser.parse_args(argv)
    Api.page_size = args.page_size
    try:
        result = run(args.base, args.password, args.timeout, args.organisation)
    except (ApiError, requests.RequestException) as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    print(
        f"Xác thực: {result['status']} (đăng ký: {result['registered']}, sha256 {result['sha256']})"
    )
    for sig in result["signatures"]:
        print(
            f"  chữ ký: {sig['signer']} lúc {sig['signed_at']} — "
            f"toàn vẹn: {sig['intact']}, tin cậy: {sig['trusted']}"
        )
    return 0 if result["status"] == "valid" else 1


if __name__ == "__main__":
    sys.exit(main())
