"""Every page has exactly one <h1> (axe's page-has-heading-one; the UX review found six staff
pages with none), and no page links to viewflow's generic screens (kanban, inbox, queue,
archive, process list/detail, task detail): each persona's pages are crawled with the test
client from their start page, following the site's links; the public and journalist pages are
read directly."""

import re
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest

from tests.workflows.helpers import open_task, task_url
from tests.workflows.test_staff_language import SKIP, busy_organisation  # noqa: F401


class _Headings(HTMLParser):
    def __init__(self):
        super().__init__()
        self.h1 = 0
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "h1":
            self.h1 += 1
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)


def _read(client, url):
    response = client.get(url)
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return None
    reader = _Headings()
    reader.feed(response.content.decode())
    return reader


# viewflow's own pages of the two flows (task forms, …/assign/ and …/execute/, are ours).
GENERIC = re.compile(
    r"^/workspace/(case|statement)/"
    r"(|\d+/|inbox/|queue/|archive/|flows/|tasks/|\d+/\w+/\d+/(detail/)?)$"
)


def _crawl(client, start: list[str], prefixes: tuple[str, ...], limit: int = 70) -> dict:
    """GET pages breadth-first; return {url: number of h1} for pages without exactly one, and
    {url: "links to <generic page>"} for pages linking to viewflow's generic screens."""
    seen, queue, wrong = set(), list(start), {}
    while queue and len(seen) < limit:
        url = urldefrag(queue.pop(0))[0]
        path = urlsplit(url).path
        if url in seen or not path.startswith(prefixes) or SKIP.search(path):
            continue
        seen.add(url)
        reader = _read(client, url)
        if reader is None:
            continue
        if reader.h1 != 1:
            wrong[url] = reader.h1
        generic = sorted({link for link in reader.links if GENERIC.match(urlsplit(link).path)})
        if generic:
            wrong[f"{url} links to"] = generic
        queue.extend(link for link in reader.links if link.startswith("/"))
    assert len(seen) > 3, seen
    return wrong


@pytest.mark.parametrize("who", ["vanthu", "chuyenvien", "phatngon", "lanhdao", "thanhtra"])
def test_every_staff_page_has_one_h1_and_no_generic_links(who, busy_organisation, staff, client):  # noqa: F811
    client.force_login(staff[who])
    drafting = open_task(busy_organisation["drafting"], "draft")
    start = [
        "/workspace/work/",
        "/workspace/work/cua-toi/",
        "/workspace/work/cho-nhan/",
        task_url(drafting, "index"),
        f"/workspace/cases/pages/{busy_organisation['returned'].pk}/",
        f"/workspace/statements/pages/{busy_organisation['statement'].pk}/",
        "/workspace/cases/pages/thong-bao/",
        "/workspace/organisation/me/",
        "/workspace/outgoing/register/",
        "/workspace/outgoing/incoming/",
        "/workspace/reports/",
        "/workspace/inspection/",
        "/workspace/inspection/xuat/",
        "/workspace/statements/pages/tao/",
    ]
    assert _crawl(client, start, ("/workspace/",)) == {}


def test_public_and_journalist_pages_have_one_h1(busy_organisation, journalist, client):  # noqa: F811
    public = ["/", "/tin-bao-chi/", "/xac-thuc/", "/nguoi-phat-ngon/", "/dang-nhap/"]
    public += ["/nha-bao/dang-ky/", "/quen-mat-khau/"]
    wrong = {url: r.h1 for url in public if (r := _read(client, url)) and r.h1 != 1}
    client.force_login(journalist)
    mine = ["/nha-bao/ho-so/", "/nha-bao/ho-so/gui/", "/thong-bao/", "/tai-khoan/"]
    mine.append(busy_organisation["returned"].get_portal_url())
    mine.append("/doi-mat-khau/")
    wrong |= {url: r.h1 for url in mine if (r := _read(client, url)) and r.h1 != 1}
    assert wrong == {}
