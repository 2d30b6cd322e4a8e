#!/usr/bin/env python3
"""The statement demo, checked end to end against a running `make demo` (only `requests`):

`phatngon` opens an initial statement on an incident (24-hour clock) with an embargo a little
ahead, drafts and approves it; `lanhdao` signs; the worker signs the PDF; the statement is not
in the newsroom, the feed or on the verification page before the embargo, and is in all three
from the embargo on; with --mail-dir, the subscribers' e-mails are found there.

    python scripts/statement_demo.py [BASE_URL] [--embargo 90] [--mail-dir var/mail]

Exit status 0 when every check passed.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests
from api_demo import Api  # same folder: the token-authenticated client


def _task(api: Api, statement_id: int, step: str) -> dict:
    """The open `step` task of the statement in this user's list, following every page."""
    for task in api.all("/api/v1/tasks/"):
        if task.get("statement") == statement_id and task["step"] == step:
            return task
    raise SystemExit(f"no open {step} task for statement {statement_id} visible to {api.username}")


def _complete(api: Api, statement_id: int, step: str, action: str, **data) -> dict:
    task = _task(api, statement_id, step)
    r = api.session.post(
        api.url(f"/api/v1/tasks/{task['id']}/complete/"),
        json={"action": action, **data},
        timeout=60,
    )
    return api.check(r, 200).json()


def _public(base: str, path: str) -> str:
    r = requests.get(f"{base}{path}", timeout=30)
    return r.text if r.status_code == 200 else ""


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("base", nargs="?", default="http://127.0.0.1:8000")
    parser.add_argument("--password", default="phatngon-demo")
    parser.add_argument("--embargo", type=int, default=90, help="seconds from now")
    parser.add_argument("--timeout", type=int, default=180)
    parser.add_argument("--mail-dir", help="the demo's var/mail: check the subscribers' e-mails")
    parser.add_argument("--page-size", type=int, default=Api.page_size, help="items per page")
    args = parser.parse_args()
    Api.page_size = args.page_size
    base = args.base.rstrip("/")
    spokesperson = Api(base, "phatngon", args.password)
    head = Api(base, "lanhdao", args.password)

    now = datetime.now(UTC)
    title = f"Thông tin ban đầu về sự cố sập mái che tại Trường Tiểu học An Phú ({now:%H%M%S})"
    r = spokesperson.session.post(
        spokesperson.url("/api/v1/statements/"),
        json={
            "organisation": "pgddt-thuan-an",
            "kind": "initial_statement",
            "title": title,
            "body": "Khoảng 7 giờ sáng nay, mái che nhà xe của trường bị sập do mưa lớn; "
            "không có học sinh, giáo viên bị thương. Phòng đã cử cán bộ đến hiện trường.",
            "clock_start_at": (now - timedelta(hours=2)).isoformat(),
            "embargo_at": (now + timedelta(seconds=args.embargo)).isoformat(),
        },
        timeout=60,
    )
    statement = spokesperson.check(r, 201).json()
    sid = statement["id"]
    print(
        f"opened {statement['reference']}: due {statement['due_at']} ({statement['due_explanation']})"
    )
    _complete(spokesperson, sid, "draft", "submit")
    _complete(spokesperson, sid, "review", "approve")
    _complete(head, sid, "signoff", "sign", confirm=True)  # the signer read the draft
    print("signed by lanhdao; waiting for the worker to number, render and sign…")
    deadline = time.monotonic() + args.timeout
    while True:
        statement = spokesperson.get(f"/api/v1/statements/{sid}/").json()
        if statement["status"] == "released" and statement.get("document"):
            break
        if time.monotonic() > deadline:
            print("FAIL: not released in time:", statement["status"])
            return 1
        time.sleep(2)
    document = statement["document"]
    print(
        f"released {document['number']} on time: {statement['on_time']}; publish at {statement['publish_at']}"
    )
    ok = statement["on_time"] is True
    verify_path = document["verify_url"].split("://", 1)[-1].split("/", 1)[-1]
    verify_path = "/" + verify_path
    publish_at = datetime.fromisoformat(statement["publish_at"].replace("Z", "+00:00"))
    if datetime.now(UTC) < publish_at:
        before = {
            "newsroom": title in _public(base, "/tin-bao-chi/"),
            "feed": title in _public(base, "/tin-bao-chi/feed.atom"),
            "verify": document["number"] in _public(base, verify_path),
        }
        print("before the embargo, visible in:", [k for k, v in before.items() if v] or "nothing")
        ok &= not any(before.values())
        time.sleep(max(0.0, (publish_at - datetime.now(UTC)).total_seconds()) + 1)
    after = {
        "newsroom": title in _public(base, "/tin-bao-chi/"),
        "feed": title in _public(base, "/tin-bao-chi/feed.atom"),
        "verify": document["number"] in _public(base, verify_path),
    }
    print("from the embargo, visible in:", [k for k, v in after.items() if v])
    ok &= all(after.values())
    if args.mail_dir:
        deadline = time.monotonic() + 120
        found = []
        while time.monotonic() < deadline:
            found = [
                p
                for p in Path(args.mail_dir).glob("*.log")
                if document["number"] in p.read_text(encoding="utf-8", errors="replace")
            ]
            if found:
                break
            time.sleep(3)
        print(f"e-mails to the press list found in {args.mail_dir}: {len(found)} file(s)")
        ok &= bool(found)
    print("OK" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
