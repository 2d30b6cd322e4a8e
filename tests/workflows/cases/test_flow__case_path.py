"""The whole path of a case through real HTTP, with the personas of Phòng GDĐT Thuận An."""

import re

import pytest
from django.core import mail

from audit.models import LedgerEvent
from tests.workflows.helpers import open_task, task_url
from workflows.cases.models import Case


def test_journalist_submits_through_the_portal(login, journalist, organisation, staff):
    client = login(journalist)
    r = client.post(
        "/nha-bao/ho-so/gui/",
        {
            "organisation": organisation.pk,
            "kind": "question",
            "subject": "Tuyển sinh lớp 6 năm học 2027–2028",
            "questions": "Chỉ tiêu tuyển sinh là bao nhiêu?\n\nCó xét tuyển hay thi tuyển?",
            "purpose": "Bài viết về tuyển sinh",
            "desired_form": "written",
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    case = Case.objects.get()
    assert re.fullmatch(r"HS-\d{4}-\d{6}", case.reference)
    assert case.questions == ["Chỉ tiêu tuyển sinh là bao nhiêu?", "Có xét tuyển hay thi tuyển?"]
    assert case.status == Case.Status.TRIAGE and case.due_at is not None
    assert "ngày làm việc" in case.due_explanation
    page = client.get(r["Location"]).content.decode()
    assert case.reference in page and "Cơ quan tiếp nhận hồ sơ" in page
    assert open_task(case, "triage")


def test_question_from_triage_to_signoff(case, staff, act):
    act(
        staff["vanthu"], case, "triage", {"action": "accept", "assignees": [staff["chuyenvien"].pk]}
    )
    assert case.status == Case.Status.DRAFTING
    # Save a draft without completing the task.
    act(staff["chuyenvien"], case, "draft", {"action": "save", "answer": "Bản nháp"})
    assert case.status == Case.Status.DRAFTING and case.answer == "Bản nháp"
    act(
        staff["chuyenvien"],
        case,
        "draft",
        {"action": "submit", "answer": "Việc thu tiền học thêm…"},
    )
    assert case.status == Case.Status.REVIEW
    act(staff["phatngon"], case, "review", {"action": "return", "comment": "Bổ sung số liệu"})
    assert case.status == Case.Status.DRAFTING and case.last_comment == "Bổ sung số liệu"
    act(staff["chuyenvien"], case, "draft", {"action": "submit", "answer": "Đã bổ sung số liệu."})
    act(staff["phatngon"], case, "review", {"action": "approve"})
    assert case.status == Case.Status.SIGNOFF
    act(
        staff["lanhdao"],
        case,
        "signoff",
        {"action": "return", "to": "draft", "comment": "Viết ngắn hơn"},
    )
    assert case.status == Case.Status.DRAFTING
    act(staff["chuyenvien"], case, "draft", {"action": "submit", "answer": "Bản ngắn."})
    act(staff["phatngon"], case, "review", {"action": "approve"})
    act(staff["pholanhdao"], case, "signoff", {"action": "sign", "confirm": "on"})
    assert case.status == Case.Status.RELEASING
    assert case.signer == staff["pholanhdao"] and case.signing_authority == "KT."
    assert case.document is not None and case.document.authority == "KT."
    actions = list(
        LedgerEvent.objects.filter(
            target_type="workflows.case", target_id=str(case.pk)
        ).values_list("action", flat=True)
    )
    for expected in (
        "case.submit",
        "case.triage.accept",
        "case.draft.save",
        "case.draft.submit",
        "case.review.return",
        "case.review.approve",
        "case.signoff.return",
        "case.signoff.sign",
        "case.release",
    ):
        assert expected in actions


def test_refusal_needs_a_ground_from_the_rulebook_and_a_reason(case, staff, act):
    act(
        staff["vanthu"], case, "triage", {"action": "accept", "assignees": [staff["chuyenvien"].pk]}
    )
    act(staff["chuyenvien"], case, "draft", {"action": "submit", "answer": "…"})
    r = act(
        staff["phatngon"],
        case,
        "review",
        {"action": "refuse", "ground": "", "reason": ""},
        expect=200,
    )
    assert "Hãy chọn căn cứ từ chối" in r.content.decode()
    assert case.status == Case.Status.REVIEW
    from workflows.rules import deadlines
    from workflows.rules.grounds import refusal_ground_confirm

    ground = deadlines.refusal_grounds_for(case.received_at)[0]
    # The 2026 grounds' wording is unconfirmed until an administrator checks it.
    refusal_ground_confirm(ground=ground, by=staff["lanhdao"])
    ground.refresh_from_db()
    act(
        staff["phatngon"],
        case,
        "review",
        {"action": "refuse", "ground": ground.code, "reason": "Vụ việc đang được thanh tra"},
    )
    assert case.decision == Case.Decision.REFUSAL and case.refusal_ground == ground
    act(staff["lanhdao"], case, "signoff", {"action": "sign", "confirm": "on"})
    assert case.signing_authority == ""
    assert ground.label[:20] in case.document.body


def test_forward_ends_the_case_and_tells_the_journalist(
    case, staff, act, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        act(
            staff["phatngon"],
            case,
            "triage",
            {
                "action": "forward",
                "to": "Sở Y tế tỉnh Bình Dương",
                "reason": "Thuộc thẩm quyền ngành y tế",
            },
        )
    assert case.status == Case.Status.FORWARDED and case.closed_at
    assert case.processes.get().status == "DONE"
    assert any("Sở Y tế" in m.body for m in mail.outbox)


def test_duplicate_links_the_earlier_case(case, journalist, organisation, staff, act):
    from tests.workflows.helpers import submit

    second = submit(journalist, organisation, subject="Câu hỏi trùng")
    act(staff["vanthu"], second, "triage", {"action": "duplicate", "of": case.pk})
    assert second.status == Case.Status.DUPLICATE and second.duplicate_of == case


def test_clarification_pauses_the_clock_until_the_journalist_replies(
    case, staff, act, journalist, login
):
    due = case.due_at
    act(
        staff["vanthu"],
        case,
        "triage",
        {"action": "clarify", "message": "Xin cho biết tên trường cụ thể"},
    )
    assert case.status == Case.Status.AWAITING_CLARIFICATION
    client = login(journalist)
    page = client.get(f"/nha-bao/ho-so/{case.reference}/").content.decode()
    assert "Xin cho biết tên trường cụ thể" in page
    r = client.post(f"/nha-bao/ho-so/{case.reference}/", {"message": "Trường THCS Nguyễn Trãi"})
    assert r.status_code == 302
    case.refresh_from_db()
    assert (
        case.status == Case.Status.TRIAGE and case.clarification_reply == "Trường THCS Nguyễn Trãi"
    )
    assert case.due_at >= due
    assert open_task(case, "triage")


@pytest.mark.parametrize("persona", ["journalist", "specialist", "inspector", "outsider", "head"])
def test_wrong_roles_cannot_take_the_triage_task(request, case, persona, client):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    task = open_task(case, "triage")
    assert client.post(task_url(task, "assign"), {}).status_code == 403
    assert (
        client.post(
            task_url(task, "execute"), {"action": "forward", "to": "x", "reason": "y"}
        ).status_code
        == 403
    )
    case.refresh_from_db()
    assert case.status == Case.Status.TRIAGE
