"""scripts/api_demo.py (only `requests`) takes a question to a signed, verified answer."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

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
