"""A press agency's letter goes into the sổ văn bản đến with its case; the văn thư completes it."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from audit.models import LedgerEvent
from release.incoming import incoming_for
from release.models import IncomingDocument
from tests.workflows.helpers import submit
from workflows.cases.models import Case

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(datetime(2026, 11, 30, 10, tzinfo=VN), tick=True):
        yield


@pytest.fixture
def letter_case(journalist, organisation, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return submit(journalist, organisation, kind=Case.Kind.ANSWER_REQUEST, channel="api")


def test_a_case_with_a_press_agencys_letter_is_registered_on_arrival(letter_case):
    entry = incoming_for(letter_case)
    assert entry is not None and entry.number == 1
    assert entry.sender == letter_case.press_agency.name
    assert entry.subject_label == letter_case.reference
    assert entry.received_at == letter_case.received_at
    assert entry.summary.startswith("Yêu cầu trả lời trên báo chí: ")
    assert LedgerEvent.objects.filter(
        action="incoming.register", target_id=str(entry.pk), actor_role="system"
    ).exists()


def test_a_reporters_own_question_is_not_an_incoming_document(case):
    assert incoming_for(case) is None
    assert not IncomingDocument.objects.exists()


def test_the_registry_officer_completes_the_entry_on_the_case_page(login, letter_case, staff):
    client = login(staff["vanthu"])
    url = reverse("cases:pages:detail", args=[letter_case.pk])
    page = client.get(url).content.decode()
    assert "Số đến 01, ngày đến 30/11/2026" in page and "Cập nhật sổ văn bản đến" in page
    response = client.post(
        url,
        {
            "incoming-sender": letter_case.press_agency.name,
            "incoming-letter_number": "125/GDTĐ-TKTS",
            "incoming-letter_date": "27/11/2026",
            "incoming-summary": "Công văn đề nghị trả lời",
            "incoming-handler": "Tổ Giáo dục Tiểu học",
        },
    )
    assert response.status_code == 302
    entry = incoming_for(letter_case)
    assert (entry.number, entry.letter_number, entry.letter_date) == (
        1,
        "125/GDTĐ-TKTS",
        date(2026, 11, 27),
    )
    assert "văn bản số 125/GDTĐ-TKTS ngày 27/11/2026" in client.get(url).content.decode()
    register = client.get(reverse("outgoing:incoming:index")).content.decode()
    assert letter_case.reference in register and "125/GDTĐ-TKTS" in register


def test_the_registry_officer_registers_a_case_without_an_entry(login, case, staff):
    client = login(staff["vanthu"])
    url = reverse("cases:pages:detail", args=[case.pk])
    assert "chưa được vào sổ văn bản đến" in client.get(url).content.decode()
    response = client.post(
        url, {"incoming-sender": "Báo Bình Dương", "incoming-summary": "Thư của tòa soạn"}
    )
    assert response.status_code == 302
    assert incoming_for(case).subject_label == case.reference


@pytest.mark.parametrize("who", ["phatngon", "lanhdao", "pholanhdao", "thanhtra"])
def test_other_staff_see_the_entry_but_may_not_write_it(login, letter_case, staff, who):
    client = login(staff[who])
    url = reverse("cases:pages:detail", args=[letter_case.pk])
    page = client.get(url).content.decode()
    assert "Số đến 01" in page and "Cập nhật sổ văn bản đến" not in page
    response = client.post(url, {"incoming-sender": "X", "incoming-summary": "Y"})
    assert response.status_code == 403
    assert incoming_for(letter_case).sender == letter_case.press_agency.name
