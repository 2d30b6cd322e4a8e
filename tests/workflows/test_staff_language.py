"""No English and no internal codes on the Vietnamese staff pages (viewflow's own strings
included): each persona's pages are crawled with the test client, following the links of the
staff site, and the text a person reads (text, titles, labels, placeholders, button values) is
searched for English words."""

import json
import re
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.urls import get_resolver

from tests.workflows.helpers import new_statement, open_task, submit, task_url

# viewflow's own words and the internal codes the UX review found (whole words, case-sensitive
# where a Vietnamese word could collide: "Task" is English, "task" appears in no Vietnamese).
ENGLISH = [
    "Start",
    "End",
    "After",
    "Review",
    "Triage",
    "Draft",
    "Signoff",
    "DONE",
    "NEW",
    "ASSIGNED",
    "STARTED",
    "CANCELED",
    "Done",
    "New",
    "Brief",
    "Claim",
    "Unassign",
    "Assign",
    "Cancel",
    "Process",
    "Processes",
    "Task",
    "Tasks",
    "Inbox",
    "Queue",
    "Archive",
    "Dashboard",
    "Status",
    "Created",
    "Owner",
    "Finished",
    "Execute",
    "Undo",
    "Revive",
    "Chart",
    "Flow",
    "Workflow",
    "Profile",
    "Logout",
    "Log out",
    "Search",
    "Filter",
    "Apply",
    "Reset",
    "Export",
    "Next",
    "Previous",
    "Submit",
    "Description",
    "Assigned",
    "Summary",
    "week",
    "day",
    "days",
    "hours",
    "registry_officer",
    "spokesperson",
    "specialist",
    "deputy_head",
    "thong_cao",
    "Permission",
    "Unassigned",
    "graph",
    "Parent",
    "Artifact",
    "Seed",
    "Open",
    "navigation",
    "of",
    "Quy Trình",  # title-cased Vietnamese (viewflow's |title filter)
]
# Internal codes: object permissions ("workflows.draft_case") and node names.
CODES = re.compile(r"\bworkflows\.\w+|\b(?:after_\w+|start|end)\b(?= #)")
_WORDS = re.compile(r"(?<![\w.-])(" + "|".join(re.escape(w) for w in ENGLISH) + r")(?![\w/.-])")
READ_ATTRS = {"title", "aria-label", "placeholder", "alt", "label"}
_JSON_LABEL = re.compile(r'"label":\s*"((?:[^"\\]|\\.)*)"')
# Never follow these: they change state, download files or leave the Vietnamese staff site.
SKIP = re.compile(
    r"/(dang-xuat|logout|export|xuat|xlsx|csv|pdf|download|tai-ve|quan-tri|api)\b"
    r"|\.(svg|png|bpmn|pdf|xlsx|json)$"
)


class _Reader(HTMLParser):
    """The words a person reads on a page, and the page's links. Text set as code (`<code>`,
    `<pre>`: the ledger's raw record shown to the inspector as evidence) is not prose."""

    def __init__(self):
        super().__init__()
        self.text: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style", "template", "code", "pre"):
            self._hidden += 1
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        for name, value in attrs.items():
            if name in READ_ATTRS and value:
                self.text.append(value)
            elif value and '"label"' in value:  # options handed to a widget as JSON
                self.text.extend(json.loads(f'"{m}"') for m in _JSON_LABEL.findall(value))
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.text.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template", "code", "pre") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.text.append(data)


def _crawl(client, start: list[str], limit: int = 80) -> dict[str, list[str]]:
    """GET staff pages breadth-first from `start`; return {url: English words found}."""
    seen, queue, found = set(), list(start), {}
    while queue and len(seen) < limit:
        url = urldefrag(queue.pop(0))[0]
        path = urlsplit(url).path
        if url in seen or not path.startswith("/workspace/") or SKIP.search(path):
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        reader = _Reader()
        reader.feed(response.content.decode())
        words = sorted(
            {m.group(1) for t in reader.text for m in _WORDS.finditer(t)}
            | {m.group(0) for t in reader.text for m in CODES.finditer(t)}
        )
        if words:
            found[url] = words
        queue.extend(link for link in reader.links if link.startswith("/"))
    assert len(seen) > 5, seen
    return found


@pytest.fixture
def busy_organisation(
    journalist, organisation, staff, act, client, django_capture_on_commit_callbacks
):
    """A case at each human step (one returned), and a statement under review."""
    get_resolver().url_patterns  # noqa: B018 (viewflow names its URLs when the URLconf loads)
    with django_capture_on_commit_callbacks(execute=True):
        submit(journalist, organisation)  # waits in triage
        drafting = submit(journalist, organisation, subject="Bữa ăn bán trú")
        act(
            staff["vanthu"],
            drafting,
            "triage",
            {"action": "accept", "assignees": [staff["chuyenvien"].pk]},
        )
        returned = submit(journalist, organisation, subject="Sửa chữa trường học")
        act(
            staff["vanthu"],
            returned,
            "triage",
            {"action": "accept", "assignees": [staff["chuyenvien"].pk]},
        )
        act(staff["chuyenvien"], returned, "draft", {"action": "submit", "answer": "Trả lời"})
        act(staff["phatngon"], returned, "review", {"action": "return", "comment": "Bổ sung"})
        statement = new_statement(staff["phatngon"], organisation)
        act(
            staff["phatngon"],
            statement,
            "draft",
            {"action": "submit", "title": statement.title, "body": "Nội dung", "embargo_at": ""},
        )
    client.logout()
    return {"drafting": drafting, "returned": returned, "statement": statement}


@pytest.mark.parametrize("who", ["vanthu", "chuyenvien", "phatngon", "lanhdao", "thanhtra"])
def test_staff_pages_speak_vietnamese_only(who, busy_organisation, staff, client):
    client.force_login(staff[who])
    drafting = open_task(busy_organisation["drafting"], "draft")
    start = [
        "/workspace/",
        "/bat-dau/",
        task_url(drafting, "index"),
        task_url(drafting, "detail"),
        f"/workspace/cases/pages/{busy_organisation['returned'].pk}/",
        "/workspace/cases/pages/thong-bao/",
        "/workspace/organisation/me/",
    ]
    found = _crawl(client, start)
    assert not found, found


def test_the_superuser_sees_vietnamese_too(busy_organisation, client, db):
    admin = get_user_model().objects.create_superuser("quantri", "qt@example.vn", "x")
    client.force_login(admin)
    start = ["/workspace/case/", "/workspace/statement/", "/workspace/cases/pages/"]
    found = _crawl(client, start, limit=60)
    assert not found, found
