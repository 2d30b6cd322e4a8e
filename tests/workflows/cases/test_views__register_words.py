"""The staff case register says the time left in Vietnamese ("còn 5 ngày"), not "1 week",
and writes moments as "19:13 ngày 30/11/2026"."""

import re
from datetime import datetime

import time_machine
from django.utils import timezone

from tests.workflows.helpers import submit

# A Monday morning in Vietnam: the answer is due five working days later.
MONDAY = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.get_default_timezone())


@time_machine.travel(MONDAY, tick=False)
def test_the_register_says_the_time_left_in_vietnamese(
    journalist, organisation, staff, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = submit(journalist, organisation)
    client.force_login(staff["vanthu"])
    html = client.get("/workspace/cases/pages/").content.decode()
    assert case.reference in html
    assert re.search(r"còn \d+ ngày", html)
    assert "week" not in html and "days" not in html
    assert re.search(r"\d{2}:\d{2} ngày \d{2}/\d{2}/\d{4}", html)
