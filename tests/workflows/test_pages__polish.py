"""Issue 13's page details: dd/mm/yyyy date inputs, the journalist's one-line deadline, no
reassign button without a colleague, people by name in pickers (each fails without its fix)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.workflows.helpers import open_task
from workflows.statements.models import Statement
from workflows.work_views import ReassignForm

CREATE_URL = "/workspace/statements/pages/tao/"


@pytest.fixture(autouse=True)
def _fixed_day():
    with time_machine.travel(
        datetime(2026, 11, 30, 10, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")), tick=True
    ):
        yield


def test_the_statement_form_takes_dates_as_dd_mm_yyyy_whatever_the_browser(
    client, staff, organisation
):
    client.force_login(staff["phatngon"])
    html = client.get(CREATE_URL).content.decode()
    assert 'type="datetime-local"' not in html and 'type="date"' not in html
    assert 'placeholder="dd/mm/yyyy hh:mm"' in html
    r = client.post(
        CREATE_URL,
        {
            "organisation": organisation.pk,
            "kind": "initial_statement",
            "title": "Thông tin ban đầu về vụ việc tại Trường Tiểu học An Phú",
            "clock_start_at": "30/11/2026 08:15",
            "event_summary": "Tóm tắt.",
            "body": "",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    started = timezone.localtime(Statement.objects.get().clock_start_at)
    assert (started.day, started.month, started.hour, started.minute) == (30, 11, 8, 15)


def test_a_bad_date_gets_a_vietnamese_message_not_a_500(client, staff, organisation):
    client.force_login(staff["phatngon"])
    r = client.post(
        CREATE_URL,
        {
            "organisation": organisation.pk,
            "kind": "initial_statement",
            "title": "Thông tin",
            "clock_start_at": "31/02/2026 25:00",
        },
    )
    assert r.status_code == 400  # the form again, with the message on the field
    assert "hợp lệ" in r.content.decode() and Statement.objects.count() == 0


def test_the_journalist_reads_the_deadline_on_one_line(case, journalist, client):
    client.force_login(journalist)
    html = client.get(case.get_portal_url()).content.decode()
    dd = html.split("Hạn trả lời", 1)[1].split("</dd>", 1)[0]
    # Submitted on Monday 30/11/2026: five working days, due Monday 07/12 (today not counted).
    assert "(còn 5 ngày làm việc)" in dd, dd
    # The legal basis is behind a details element, not spelled out on the line.
    assert '<details class="due-basis">' in dd
    assert dd.index("<details") < dd.index(case.due_explanation.splitlines()[0][:20])


def test_no_reassign_button_without_a_colleague(case, staff, act, client):
    act(
        staff["vanthu"], case, "triage", {"action": "accept", "assignees": [staff["chuyenvien"].pk]}
    )
    task = open_task(case, "draft")
    client.force_login(staff["chuyenvien"])
    html = client.get(reverse("work:mine")).content.decode()
    assert case.reference in html
    assert reverse("work:reassign", args=[task.pk]) not in html
    page = client.get(reverse("work:reassign", args=[task.pk])).content.decode()
    assert "Không có đồng nghiệp nào khác" in page


def test_pickers_show_names_and_roles_not_login_names(case, staff, organisation):
    staff["phatngon"].first_name, staff["phatngon"].last_name = "Bình", "Trần Thị"
    staff["phatngon"].save()
    form = ReassignForm(colleagues=[staff["phatngon"]], organisation=organisation)
    labels = [label for _, label in form.fields["to"].choices][1:]
    assert labels and staff["phatngon"].username not in labels[0]
    assert "Bình" in labels[0] and "phát ngôn" in labels[0].lower()


def test_the_triage_picker_names_specialists(case, staff, act, client):
    staff["chuyenvien"].first_name, staff["chuyenvien"].last_name = "Chuyên", "Phạm Văn"
    staff["chuyenvien"].save()
    client.force_login(staff["vanthu"])
    task = open_task(case, "triage")
    client.post(reverse("work:claim", args=[task.pk]))
    html = client.get(
        task.flow_task.reverse("execute", args=[task.process_id, task.pk])
    ).content.decode()
    assert "Chuyên" in html
    assert f">{staff['chuyenvien'].username}<" not in html
