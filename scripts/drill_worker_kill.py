#!/usr/bin/env python3
"""Fault drill on a running demo: kill every Celery worker process while answers are issued.

    python scripts/drill_worker_kill.py [BASE_URL] [--answers 5] [--timeout 300]

Run it against `make demo` (whose worker comes back by itself when killed). It takes
`--answers` questions to sign-off through the REST API, signs them all, kills the worker
processes with SIGKILL (`pkill -9 -f "celery -A config worker"`), waits for every answer to
be issued, and checks through the inspector's ledger that each document was rendered, signed
and registered exactly once and that the register's numbers have no gap. Exit status 0 when
all of that holds.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from api_demo import USERS, Api, ApiError  # noqa: E402


def _events(inspector: Api, **filters) -> list[dict]:
    query = "&".join(f"{k}={v}" for k, v in filters.items())
    return list(inspector.all(f"/api/v1/audit/events/?{query}"))


def run(base: str, password: str, answers: int, timeout: float, organisation: str) -> bool:
    api = {role: Api(base, name, password) for role, name in USERS.items()}
    inspector = Api(base, "thanhtra", password)
    journalist = api["journalist"]
    cases = []
    for i in range(answers):
        case = journalist.post(
            "/api/v1/cases/",
            expected=(201,),
            json={
                "organisation": organisation,
                "kind": "question",
                "subject": f"Diễn tập sự cố tiến trình nền — câu hỏi {i + 1}",
                "questions": ["Lịch khai giảng năm học mới?"],
                "purpose": "Diễn tập",
            },
        ).json()
        api["registry"].act(case["id"], "triage", "accept", assignee=USERS["specialist"])
        api["specialist"].act(case["id"], "draft", "submit", answer=f"Trả lời số {i + 1}.")
        api["spokesperson"].act(case["id"], "review", "approve")
        cases.append(case)
    # The five sign-offs at once, then the kill: the worker is in the middle of issuing them.
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=answers) as pool:
        list(pool.map(lambda c: api["head"].act(c["id"], "signoff", "sign", confirm=True), cases))
    pkill = shutil.which("pkill") or "/usr/bin/pkill"
    killed = subprocess.run([pkill, "-9", "-f", "celery -A config worker"], check=False)  # noqa: S603
    kill_at = time.monotonic()
    print(f"Đã ký {answers} văn bản; pkill -9 tiến trình worker (mã {killed.returncode}).")
    before = [
        c["id"] for c in cases if journalist.get(f"/api/v1/cases/{c['id']}/").json()["documents"]
    ]
    print(f"  đã phát hành trước khi worker bị giết: {len(before)}/{answers}")

    pending = {case["id"]: case for case in cases}
    issued: dict[int, dict] = {}
    while pending and time.monotonic() - kill_at < timeout:
        for case_id in list(pending):
            case = journalist.get(f"/api/v1/cases/{case_id}/").json()
            if case["documents"]:
                issued[case_id] = case["documents"][0]
                print(
                    f"  {case['reference']}: văn bản {issued[case_id]['number']} phát hành "
                    f"{time.monotonic() - kill_at:.0f} s sau khi worker bị giết"
                )
                del pending[case_id]
        time.sleep(2)
    ok = not pending
    if pending:
        print(f"CHƯA PHÁT HÀNH sau {timeout:.0f} s: {sorted(pending)}")

    for document in issued.values():
        for action in ("document.rendered", "document.signed", "document.registered"):
            found = _events(
                inspector,
                action=action,
                target_type="release.issueddocument",
                target_id=document["id"],
            )
            if len(found) != 1:
                ok = False
                print(f"  {document['number']}: {action} × {len(found)} (phải đúng 1)")
    numbered = _events(inspector, action="document.numbered", organisation=organisation)
    series: dict[tuple, set[int]] = {}
    for event in numbered:
        after = event.get("after") or {}
        key = (after.get("year"), after.get("series"))
        number = str(after.get("number") or "").split("/")[0]  # "05/TB-PGDĐT" → 5
        if number.isdigit():
            series.setdefault(key, set()).add(int(number))
    for (year, name), numbers in sorted(series.items(), key=str):
        gaps = sorted(set(range(1, max(numbers) + 1)) - numbers)
        print(f"  sổ {name} {year}: số 1–{max(numbers)}, thiếu {gaps or 'không'}")
        ok = ok and not gaps
    print("ĐẠT" if ok else "KHÔNG ĐẠT")
    return ok


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", nargs="?", default="http://127.0.0.1:8000")
    parser.add_argument("--password", default="phatngon-demo")
    parser.add_argument("--answers", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--organisation", default="pgddt-thuan-an")
    args = parser.parse_args(argv)
    try:
        ok = run(args.base, args.password, args.answers, args.timeout, args.organisation)
    except (ApiError, requests.RequestException) as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
