"""Complaints forwarded by the press (NĐ 237/2026 Điều 18.2; legal review row 44): thụ lý
recorded with a signed notice, the conclusion's date starts the 5-working-day clock (with
reminders), and a complaint case cannot close without them. Time travels to fixed days."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from rest_framework.test import APIClient

from audit.models import LedgerEvent
from core.errors import DomainError
from release.models import IssuedDocument
from tests.workflows.helpers import submit
from workflows.cases import complaints
from workflows.cases.models import Case
from workflows.cases.reminders import reminders_sweep
from workflows.notifications.models import Notification

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(autouse=True)
def _monday():
    # Monday 30/11/2026, under the 2026 regime (the complaint clock starts at the conclusion).
    with time_machine.travel(datetime(2026, 11, 30, 10, tzinfo=VN), tick=True):
        yield


def _page(case) -> str:
    return reverse("cases:pages:detail", args=[case.pk])


def _at(*args):
    return time_machine.travel(datetime(*args, tzinfo=VN), tick=False)


@pytest.fixture
def complaint(journalist, organisation, staff, act, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = submit(
            journalist,
            organisation,
            kind=Case.Kind.COMPLAINT,
            subject="Khiếu nại việc thu tiền học thêm tại Trường THCS Nguyễn Trãi",
            channel=Case.Channel.API,
        )
    act(
        staff["vanthu"], case, "triage", {"action": "accept", "assignees": [staff["chuyenvien"].pk]}
    )
    return case


def _accept(case, staff, accepted=True, note="", on=date(2026, 11, 30)):
    return complaints.case_complaint_accept(
        case=case, by=staff["lanhdao"], accepted=accepted, decided_on=on, note=note
    )


def _conclude(case, staff, on=date(2026, 12, 2), who="chuyenvien"):
    return complaints.case_complaint_conclude(
        case=case,
        by=staff[who],
        concluded_on=on,
        number="12/KL-UBND",
        issuer="Chủ tịch UBND thành phố Thuận An",
    )


def test_a_complaint_has_no_due_date_until_its_conclusion(complaint):
    assert complaint.due_at is None
    assert "chưa bắt đầu tính" in complaint.due_explanation


def test_acceptance_issues_a_notice_to_the_press_and_keeps_the_case_open(
    complaint, staff, django_capture_on_commit_callbacks
):
    case = _accept(complaint, staff, note="Đơn đủ điều kiện thụ lý.")
    case.refresh_from_db()
    assert case.complaint_acceptance == Case.ComplaintAcceptance.ACCEPTED
    assert case.complaint_decided_on == date(2026, 11, 30)
    notice = IssuedDocument.objects.get(pk=case.complaint_notice_id)
    # A công văn (Mẫu 1.5) whose trích yếu names the complaint once.
    assert notice.doc_type == "cong_van" and notice.addressees
    assert notice.summary.startswith("thông báo thụ lý khiếu nại về việc thu tiền học thêm")
    assert "thụ lý giải quyết đơn" in notice.body
    assert "về việc thu tiền học thêm" in notice.body and "về khiếu nại việc" not in notice.body
    assert notice.signer == staff["lanhdao"]
    assert "05 ngày làm việc" in notice.body and case.press_agency.name in notice.recipients[0]
    assert case.status == Case.Status.DRAFTING and case.document is None and case.is_open
    assert LedgerEvent.objects.filter(
        action="case.complaint.acceptance", target_id=str(case.pk)
    ).exists()
    # Once signed by the worker, the notice goes to the journalist; the case stays open.
    with django_capture_on_commit_callbacks(execute=True):
        complaints.case_notice_issued(document=notice)
    notice.refresh_from_db()
    case.refresh_from_db()
    assert notice.dispatched_at is not None and case.is_open
    assert Notification.objects.filter(user=case.journalist, key__contains="complaint").exists()


def test_a_refusal_to_take_it_up_needs_a_reason(complaint, staff):
    with pytest.raises(DomainError) as exc:
        _accept(complaint, staff, accepted=False)
    assert exc.value.code == "note"
    case = _accept(complaint, staff, accepted=False, note="Đơn đã được giải quyết lần hai.")
    assert case.complaint_acceptance == Case.ComplaintAcceptance.REJECTED
    assert "không thụ lý" in IssuedDocument.objects.get(pk=case.complaint_notice_id).summary
    with pytest.raises(DomainError) as exc:
        _conclude(case, staff)
    assert exc.value.code == "complaint_acceptance_missing"


def test_acceptance_is_recorded_once_and_only_on_complaints(
    complaint, journalist, organisation, staff
):
    _accept(complaint, staff)
    with pytest.raises(DomainError) as exc:
        _accept(complaint, staff)
    assert exc.value.code == "invalid_state"
    question = submit(journalist, organisation)
    question.status = Case.Status.DRAFTING
    question.save(update_fields=["status"])
    with pytest.raises(DomainError) as exc:
        _accept(question, staff)
    assert exc.value.code == "not_complaint"


def test_the_conclusion_starts_five_working_days(complaint, staff):
    _accept(complaint, staff)
    with pytest.raises(DomainError) as exc:
        _conclude(complaint, staff, on=date(2026, 11, 29))  # before the thụ lý
    assert exc.value.field == "concluded_on"
    with pytest.raises(DomainError) as exc:
        _conclude(complaint, staff, on=date(2026, 12, 1))  # tomorrow
    assert exc.value.field == "concluded_on"
    with _at(2026, 12, 2, 15):
        case = _conclude(complaint, staff)
    # Wednesday 02/12 → Thu 3, Fri 4, Mon 7, Tue 8, Wed 9: ends 23:59:59 on 09/12/2026.
    due = case.due_at.astimezone(VN)
    assert (due.date(), due.hour, due.minute) == (date(2026, 12, 9), 23, 59)
    assert "ngày có kết luận 02/12/2026" in case.due_explanation
    assert "Điều 18" in case.due_explanation
    assert case.clock_started_at == datetime(2026, 12, 2, tzinfo=VN)
    event = LedgerEvent.objects.get(action="case.complaint.conclusion", target_id=str(case.pk))
    assert "12/KL-UBND" in event.after


def _clock_marks(case) -> set[str]:
    """The legal-clock reminders sent ("case:<pk>:<due stamp>:<mark>:<user>"), not the
    internal step limits ("case:<pk>:task:…")."""
    keys = Notification.objects.filter(key__startswith=f"case:{case.pk}:").values_list(
        "key", flat=True
    )
    return {k.split(":")[3] for k in keys if k.count(":") == 4 and ":task:" not in k}


def test_reminders_run_from_the_conclusion(complaint, staff):
    _accept(complaint, staff)
    with _at(2026, 12, 5, 12):
        reminders_sweep()
    assert _clock_marks(complaint) == set()  # no conclusion yet: no clock, no reminder
    with _at(2026, 12, 8, 9):
        case = _conclude(complaint, staff, on=date(2026, 12, 8))
    assert case.due_at.astimezone(VN).date() == date(2026, 12, 15)
    # 9/12 noon: 19 % of the time from the conclusion (58 % from receipt): nothing yet.
    with _at(2026, 12, 9, 12):
        reminders_sweep()
    assert _clock_marks(case) == set()
    with _at(2026, 12, 12, 12):
        assert reminders_sweep() > 0
    assert _clock_marks(case) == {"50"}
    with _at(2026, 12, 16, 9):
        reminders_sweep()
    assert _clock_marks(case) == {"50", "80", "due_day", "overdue"}


def test_a_complaint_cannot_be_approved_or_signed_without_its_records(complaint, staff, act):
    act(
        staff["chuyenvien"],
        complaint,
        "draft",
        {"action": "submit", "answer": "Kết quả: nhà trường đã hoàn trả tiền."},
    )
    r = act(staff["phatngon"], complaint, "review", {"action": "approve"}, expect=200)
    assert "chưa ghi việc thụ lý" in r.content.decode()
    _accept(complaint, staff)
    r = act(staff["phatngon"], complaint, "review", {"action": "approve"}, expect=200)
    assert "chưa ghi ngày kết luận giải quyết" in r.content.decode()
    assert complaint.status == Case.Status.REVIEW
    _conclude(complaint, staff, on=date(2026, 11, 30))
    act(staff["phatngon"], complaint, "review", {"action": "approve"})
    assert complaint.status == Case.Status.SIGNOFF
    # A conclusion recorded, then the record lost (e.g. a data fix): sign-off refuses too.
    Case.objects.filter(pk=complaint.pk).update(conclusion_on=None)
    r = act(staff["lanhdao"], complaint, "signoff", {"action": "sign", "confirm": "on"}, 200)
    assert "chưa ghi ngày kết luận giải quyết" in r.content.decode()
    Case.objects.filter(pk=complaint.pk).update(conclusion_on=date(2026, 11, 30))
    act(staff["lanhdao"], complaint, "signoff", {"action": "sign", "confirm": "on"})
    assert complaint.document is not None


def test_a_complaint_not_taken_up_closes_without_a_conclusion(complaint, staff, act):
    _accept(complaint, staff, accepted=False, note="Không thuộc thẩm quyền giải quyết.")
    act(
        staff["chuyenvien"],
        complaint,
        "draft",
        {"action": "submit", "answer": "Không thuộc thẩm quyền của Phòng."},
    )
    act(staff["phatngon"], complaint, "review", {"action": "approve"})
    assert complaint.status == Case.Status.SIGNOFF


def test_the_case_page_records_both_and_shows_the_due_date(complaint, staff, client):
    url = _page(complaint)
    client.force_login(staff["lanhdao"])
    page = client.get(url).content.decode()
    assert "Ghi việc thụ lý khiếu nại, tố cáo" in page and "chưa ghi" in page
    r = client.post(
        url,
        {"which": "complaint_acceptance", "accepted": "1", "decided_on": "30/11/2026", "note": ""},
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    r = client.post(
        url,
        {
            "which": "complaint_conclusion",
            "concluded_on": "31/12/2026",
            "number": "1",
            "issuer": "x",
        },
    )
    assert r.status_code == 200 and "Ngày không được sau hôm nay." in r.content.decode()
    with _at(2026, 12, 2, 15):
        client.force_login(staff["chuyenvien"])
        r = client.post(
            url,
            {
                "which": "complaint_conclusion",
                "concluded_on": "02/12/2026",
                "number": "12/KL-UBND",
                "issuer": "Chủ tịch UBND thành phố Thuận An",
            },
        )
        assert r.status_code == 302, r.content.decode()[:2000]
        page = client.get(url).content.decode()
    assert "Số 12/KL-UBND ngày 02/12/2026 của Chủ tịch UBND thành phố Thuận An" in page
    assert "ngày 09/12/2026" in page  # the due date, "23:59 ngày 09/12/2026"


@pytest.mark.parametrize("who", ["vanthu", "chuyenvien", "phatngon", "thanhtra"])
def test_only_who_signs_the_notice_records_acceptance(complaint, staff, client, who):
    client.force_login(staff[who])
    r = client.post(
        _page(complaint),
        {"which": "complaint_acceptance", "accepted": "1", "decided_on": "30/11/2026"},
    )
    assert r.status_code == 403
    complaint.refresh_from_db()
    assert complaint.complaint_acceptance == ""


@pytest.mark.parametrize("who", ["vanthu", "thanhtra"])
def test_who_does_not_handle_the_case_cannot_record_the_conclusion(complaint, staff, who):
    _accept(complaint, staff)
    with pytest.raises(PermissionDenied):
        _conclude(complaint, staff, who=who)


def test_other_organisations_and_journalists_are_refused(complaint, outsider, journalist, client):
    for user in (outsider, journalist):
        client.force_login(user)
        r = client.post(
            _page(complaint),
            {"which": "complaint_acceptance", "accepted": "1", "decided_on": "30/11/2026"},
        )
        assert r.status_code in (403, 404)
        api = APIClient()
        api.force_authenticate(user)
        r = api.post(
            f"/api/v1/cases/{complaint.pk}/complaint-acceptance/",
            {"accepted": True, "decided_on": "2026-11-30"},
            format="json",
        )
        assert r.status_code in (403, 404)
    complaint.refresh_from_db()
    assert complaint.complaint_acceptance == ""


def test_the_api_records_both_with_stable_codes(complaint, staff, journalist, organisation):
    head, specialist = APIClient(), APIClient()
    head.force_authenticate(staff["lanhdao"])
    specialist.force_authenticate(staff["chuyenvien"])
    base = f"/api/v1/cases/{complaint.pk}"
    r = specialist.post(
        f"{base}/complaint-acceptance/", {"accepted": True, "decided_on": "2026-11-30"}
    )
    assert r.status_code == 403 and r.json()["code"] == "permission_denied"
    r = head.post(
        f"{base}/complaint-conclusion/",
        {"concluded_on": "2026-11-30", "number": "1", "issuer": "x"},
    )
    assert r.status_code == 400 and r.json()["reason"] == "complaint_acceptance_missing"
    r = head.post(f"{base}/complaint-acceptance/", {"accepted": True, "decided_on": "30-11-2026"})
    assert r.status_code == 400 and r.json()["code"] == "validation_error"
    r = head.post(
        f"{base}/complaint-acceptance/",
        {"accepted": True, "decided_on": "2026-11-30"},
        format="json",
    )
    assert r.status_code == 200, r.content
    assert r.json()["complaint"]["acceptance"] == "accepted"
    with _at(2026, 12, 2, 15):
        r = specialist.post(
            f"{base}/complaint-conclusion/",
            {"concluded_on": "2026-12-02", "number": "12/KL-UBND", "issuer": "UBND thành phố"},
            format="json",
        )
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["complaint"]["conclusion_on"] == "2026-12-02"
    assert body["due_at"].startswith("2026-12-09T23:59:59")
    question = submit(journalist, organisation)
    r = head.post(
        f"/api/v1/cases/{question.pk}/complaint-acceptance/",
        {"accepted": True, "decided_on": "2026-11-30"},
        format="json",
    )
    assert r.status_code == 400 and r.json()["reason"] == "not_complaint"
    assert head.get(f"/api/v1/cases/{question.pk}/").json()["complaint"] is None
