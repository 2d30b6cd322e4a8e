"""Query counts on the staff lists do not grow with the number of cases."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.workflows.helpers import submit


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    assert r.status_code == 200, r.status_code
    return len(ctx.captured_queries)


def test_case_list_and_queue_query_counts_are_flat(journalist, organisation, staff, client):
    submit(journalist, organisation)
    client.force_login(staff["vanthu"])
    urls = [
        "/workspace/cases/pages/",
        "/workspace/case/queue/",
        "/workspace/case/inbox/",
        "/nha-bao/ho-so/",
    ]
    first = {u: _count(client, u) for u in urls if not u.startswith("/nha-bao")}
    for i in range(12):
        submit(journalist, organisation, subject=f"Câu hỏi số {i}")
    again = {u: _count(client, u) for u in first}
    assert again == first, (first, again)
    client.force_login(journalist)
    few = _count(client, "/nha-bao/ho-so/")
    submit(journalist, organisation, subject="Thêm một câu hỏi")
    assert _count(client, "/nha-bao/ho-so/") == few


def test_case_list_filters(journalist, organisation, staff, client):
    submit(journalist, organisation, subject="Học phí năm học mới")
    submit(
        journalist,
        organisation,
        subject="Bữa ăn bán trú",
        kind="answer_request",
        request_letter=None,
        channel="api",
    )
    client.force_login(staff["vanthu"])
    html = client.get("/workspace/cases/pages/?q=học+phí").content.decode()
    assert "Học phí năm học mới" in html and "Bữa ăn bán trú" not in html
    html = client.get("/workspace/cases/pages/?kind=answer_request").content.decode()
    assert "Bữa ăn bán trú" in html and "Học phí" not in html
    html = client.get("/workspace/cases/pages/?overdue=1").content.decode()
    assert "Không có hồ sơ nào" in html
