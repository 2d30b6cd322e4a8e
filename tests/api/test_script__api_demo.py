"""scripts/api_demo.py (only `requests`) takes a question to a signed, verified answer."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.workflows.helpers import submit

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "api_demo.py"
DEMO_PASSWORD = "phatngon-demo"


@pytest.mark.django_db(transaction=True)
def test_demo_script_against_a_live_server(live_server, journalist, staff, signing_credentials):
    for user in [journalist, *staff.values()]:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    done = subprocess.run(
        [sys.executable, str(SCRIPT), live_server.url, "--timeout", "60"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Xác thực: valid (đăng ký: True" in done.stdout, done.stdout
    assert "vanthu" in done.stdout and "lanhdao" in done.stdout
    # The answer is a công văn: agency-unit symbol, no type abbreviation (Mẫu 1.5).
    assert re.search(r"Văn bản \d{2}/PGDĐT-TH phát hành", done.stdout), done.stdout


@pytest.fixture
def api_demo():
    """scripts/api_demo.py as a module (the scripts import it from their own folder)."""
    sys.path.insert(0, str(SCRIPT.parent))
    try:
        import api_demo

        yield api_demo
    finally:
        sys.path.remove(str(SCRIPT.parent))


@pytest.mark.django_db(transaction=True)
def test_the_client_follows_every_page_of_a_long_task_list(
    live_server, journalist, organisation, staff, api_demo, django_capture_on_commit_callbacks
):
    """The registry officer holds 25 open tasks, more than a page of 20: `Api.all` reads them
    all and `Api.task` (statement_demo's and api_demo's lookup) finds the newest, on page 2."""
    registry = staff["vanthu"]
    registry.set_password(DEMO_PASSWORD)
    registry.save(update_fields=["password"])
    with django_capture_on_commit_callbacks(execute=True):
        cases = [submit(journalist, organisation) for _ in range(25)]
    api = api_demo.Api(live_server.url, registry.username, DEMO_PASSWORD)
    api.page_size = 20  # the API's default page
    tasks = list(api.all("/api/v1/tasks/"))
    assert sorted(task["case"] for task in tasks) == sorted(case.pk for case in cases)
    assert api.task(cases[-1].pk, "triage", wait=0)["case"] == cases[-1].pk
    # A list already filtered keeps its filter on every page.
    assert len(list(api.all("/api/v1/cases/?status=triage"))) == 25
