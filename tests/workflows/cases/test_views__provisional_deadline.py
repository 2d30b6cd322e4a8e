"""Where a due date shows, a provisional calendar says "dự kiến" and a year without data says
"chưa xác định" (issue 15, legal review §3); the start page warns the spokesperson."""

from datetime import datetime

import pytest
import time_machine
from django.urls import reverse

from tests.workflows.helpers import open_task, submit, task_url
from workflows.rules import calendar, calendar_years

pytestmark = pytest.mark.django_db

VN = calendar.VN_TZ
MARK = "(dự kiến)"


@pytest.fixture(autouse=True)
def _travel():
    with time_machine.travel(datetime(2026, 11, 30, 10, tzinfo=VN), tick=True):
        calendar.invalidate()
        yield
    calendar.invalidate()


def _pages(client, case, journalist, spokesperson):
    client.force_login(journalist)
    yield client.get(reverse("workflows:journalist-case", args=[case.reference]))
    client.force_login(spokesperson)
    yield client.get(reverse("cases:pages:detail", args=[case.pk]))
    task = open_task(case)
    if task.owner_id is None:
        assert client.post(task_url(task, "assign"), {}).status_code == 302
    yield client.get(task_url(task, "execute"))
    yield client.get(reverse("work:index"))


def test_a_due_date_in_a_provisional_year_is_marked_until_the_year_is_confirmed(
    client, case, journalist, spokesperson, head
):
    assert case.due_at is not None and calendar.local(case.due_at).year == 2026
    for page in _pages(client, case, journalist, spokesperson):
        assert page.status_code == 200
        html = page.content.decode()
        assert MARK in html, page.request["PATH_INFO"]

    calendar_years.calendar_year_confirm(
        year=2026, source="Quyết định nghỉ Tết 2026 (thử)", by=head
    )
    for page in _pages(client, case, journalist, spokesperson):
        assert MARK not in page.content.decode(), page.request["PATH_INFO"]


def test_the_start_page_warns_the_spokesperson_about_provisional_years(client, spokesperson):
    client.force_login(spokesperson)
    html = client.get(reverse("work:index")).content.decode()
    assert "Lịch nghỉ năm 2026, 2027 chưa được xác nhận theo văn bản chính thức" in html


def test_a_case_received_in_a_year_without_data_shows_an_undetermined_deadline(
    client, journalist, organisation, staff, django_capture_on_commit_callbacks
):
    with time_machine.travel(datetime(2101, 8, 31, 9, tzinfo=VN), tick=True):
        with django_capture_on_commit_callbacks(execute=True):
            case = submit(journalist, organisation)
        assert case.due_at is None
        client.force_login(journalist)
        page = client.get(reverse("workflows:journalist-case", args=[case.reference]))
        assert page.status_code == 200
        html = page.content.decode()
        assert "chưa xác định — lịch năm 2101 chưa có dữ liệu" in html, html[
            html.find("Hạn trả lời") :
        ][:600]
        client.force_login(staff["phatngon"])
        html = client.get(reverse("work:index")).content.decode()
        assert "Lịch năm 2101, 2102 chưa có dữ liệu" in html
