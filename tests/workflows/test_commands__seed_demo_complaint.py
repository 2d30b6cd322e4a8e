"""The demo's complaint (issue 15): seed_demo_statements runs a complaint forwarded by the
press to its conclusion notice, with the due date counted from the conclusion."""

from datetime import date, datetime
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from release.models import IssuedDocument
from release.rendering import pdf_pages_png
from workflows.cases.models import Case
from workflows.management.commands.seed_demo_statements import COMPLAINT_SUBJECT

VN = ZoneInfo("Asia/Ho_Chi_Minh")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "complaint"


@pytest.fixture(autouse=True)
def _monday():
    with time_machine.travel(datetime(2026, 11, 30, 10, tzinfo=VN), tick=True):
        yield


def test_the_demo_complaint_runs_to_its_conclusion_notice(
    db, tmp_path, settings, client, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    out = StringIO()
    call_command("seed_demo", stdout=out)
    call_command("make_dev_pki", "--dir", str(tmp_path / "pki"), stdout=out)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo_statements", stdout=out)
    case = Case.objects.get(subject=COMPLAINT_SUBJECT)
    assert case.complaint_acceptance == Case.ComplaintAcceptance.ACCEPTED
    assert case.conclusion_on == date(2026, 11, 30)
    # Monday 30/11 → Tue 1, Wed 2, Thu 3, Fri 4, Mon 7/12: five working days from the conclusion.
    assert case.due_at.astimezone(VN).date() == date(2026, 12, 7)
    assert "ngày có kết luận 30/11/2026" in case.due_explanation
    notice = IssuedDocument.objects.get(pk=case.complaint_notice_id)
    assert notice.status == IssuedDocument.Status.ISSUED
    assert case.status == Case.Status.ANSWERED and case.document.status == "issued"
    assert "15/KL-UBND" in case.document.body
    assert f"complaint {case.reference} due 07/12/2026" in out.getvalue()
    # The renderings, for a look: the thụ lý notice and the conclusion reply.
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name, document in (("notice", notice), ("conclusion_reply", case.document)):
        with document.pdf.open("rb") as f:
            (ARTIFACTS / f"complaint_{name}.png").write_bytes(pdf_pages_png(f.read(), scale=1.53))
    # The journalist sees and downloads the notice beside the answer (portal and API).
    client.force_login(case.journalist)
    page = client.get(case.get_portal_url()).content.decode()
    assert notice.number_display in page and "Thông báo thụ lý khiếu nại, tố cáo" in page
    assert client.get(reverse("release:download", args=[notice.pk])).status_code == 200
    api = APIClient()
    api.force_authenticate(case.journalist)
    body = api.get(f"/api/v1/cases/{case.pk}/").json()
    assert len(body["documents"]) == 2 and body["complaint"]["notice_number"]
    # Idempotent: a second run finds the case.
    call_command("seed_demo_statements", stdout=StringIO())
    assert Case.objects.filter(subject=COMPLAINT_SUBJECT).count() == 1
