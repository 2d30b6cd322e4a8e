"""Intake: the portal, the registry officer's registration, files checked by content."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from viewflow.workflow.models import Process

from tests.workflows.helpers import open_task, submit
from workflows.cases.models import Case, CaseAttachment

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000185d0a6d20000000049454e44ae426082"
)


def _docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def _post(client, organisation, **files):
    data = {
        "organisation": organisation.pk,
        "kind": "answer_request",
        "subject": "Bữa ăn bán trú kém chất lượng",
        "questions": "Đề nghị Phòng trả lời trên báo về chất lượng bữa ăn.",
        "desired_form": "written",
    }
    data.update(files)
    return client.post("/nha-bao/ho-so/gui/", data)


@pytest.mark.parametrize("kind", ["answer_request", "press_report", "complaint"])
def test_kinds_forwarded_by_the_press_need_the_agency_letter(
    login, journalist, organisation, staff, kind
):
    client = login(journalist)
    r = client.post(
        "/nha-bao/ho-so/gui/",
        {
            "organisation": organisation.pk,
            "kind": kind,
            "subject": "Phản ánh",
            "questions": "Nội dung",
            "desired_form": "written",
        },
    )
    assert r.status_code == 400 and "văn bản đề nghị của cơ quan báo chí" in r.content.decode()
    r = client.post(
        "/nha-bao/ho-so/gui/",
        {
            "organisation": organisation.pk,
            "kind": kind,
            "subject": "Phản ánh",
            "questions": "Nội dung",
            "desired_form": "written",
            "request_letter": SimpleUploadedFile("cong-van.pdf", PDF),
        },
    )
    assert r.status_code == 302
    case = Case.objects.get()
    assert case.kind == kind and case.rule.kind == kind
    letter = case.attachments.get()
    assert (
        letter.kind == CaseAttachment.Kind.REQUEST_LETTER
        and letter.content_type == "application/pdf"
    )


def test_files_are_checked_by_content_not_name(login, journalist, organisation, staff):
    client = login(journalist)
    fake = SimpleUploadedFile("bao-cao.pdf", b"MZ\x90\x00 this is an executable")
    r = _post(
        client, organisation, request_letter=SimpleUploadedFile("l.pdf", PDF), attachments=[fake]
    )
    assert (
        r.status_code == 400 and "không phải PDF, ảnh (JPEG, PNG) hoặc DOCX" in r.content.decode()
    )
    assert not Case.objects.exists()
    r = _post(
        client,
        organisation,
        request_letter=SimpleUploadedFile("l.pdf", PDF),
        attachments=[
            SimpleUploadedFile("anh.jpg.exe", PNG),
            SimpleUploadedFile("tai-lieu", _docx()),
        ],
    )
    assert r.status_code == 302
    types = sorted(Case.objects.get().attachments.values_list("content_type", flat=True))
    assert types == [
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "image/png",
    ]


def test_oversize_and_empty_files_are_refused(login, journalist, organisation, staff, settings):
    settings.CASE_MAX_UPLOAD_BYTES = 100
    client = login(journalist)
    r = _post(client, organisation, request_letter=SimpleUploadedFile("l.pdf", PDF + b" " * 200))
    assert r.status_code == 400 and "vượt quá" in r.content.decode()


def test_registry_officer_registers_a_phone_case(
    login, registry_officer, journalist, organisation, staff
):
    client = login(registry_officer)
    assert client.get("/workspace/cases/pages/nhap/").status_code == 200
    r = client.post(
        "/workspace/cases/pages/nhap/",
        {
            "journalist": journalist.pk,
            "organisation": organisation.pk,
            "kind": "question",
            "subject": "Hỏi qua điện thoại",
            "questions": "Câu hỏi 1",
            "desired_form": "written",
            "channel": "phone",
            "received_at": "2026-11-20T09:30",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    case = Case.objects.get()
    assert case.channel == "phone" and case.registered_by == registry_officer
    assert timezone.localtime(case.received_at).isoformat().startswith("2026-11-20T09:30")
    r = client.post(
        "/workspace/cases/pages/nhap/",
        {
            "journalist": journalist.pk,
            "organisation": organisation.pk,
            "kind": "question",
            "subject": "Tương lai",
            "questions": "Câu hỏi",
            "desired_form": "written",
            "channel": "email",
            "received_at": "2099-01-01T09:30",
        },
    )
    assert r.status_code == 400 and "không được ở tương lai" in r.content.decode()


def test_specialists_cannot_register_cases(login, specialist, staff):
    assert login(specialist).get("/workspace/cases/pages/nhap/").status_code == 403


def test_one_live_process_per_case_is_a_database_constraint(case):
    process = case.processes.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Process.objects.create(
            flow_class=process.flow_class,
            artifact_content_type=process.artifact_content_type,
            artifact_object_id=case.pk,
            status="NEW",
        )


def test_journalist_sees_the_timeline_without_internal_comments(
    case, staff, act, login, journalist
):
    act(
        staff["vanthu"], case, "triage", {"action": "accept", "assignees": [staff["chuyenvien"].pk]}
    )
    act(staff["chuyenvien"], case, "draft", {"action": "submit", "answer": "Dự thảo nội bộ XYZ"})
    act(staff["phatngon"], case, "review", {"action": "return", "comment": "Ý kiến nội bộ bí mật"})
    html = login(journalist).get(f"/nha-bao/ho-so/{case.reference}/").content.decode()
    assert "Hồ sơ được giao đơn vị xử lý" in html
    assert "Ý kiến nội bộ bí mật" not in html and "Dự thảo nội bộ XYZ" not in html
    assert "chuyenvien" not in html and "vanthu" not in html


def test_task_history_times_are_ordered(case, staff, act):
    act(
        staff["vanthu"], case, "triage", {"action": "accept", "assignees": [staff["chuyenvien"].pk]}
    )
    task = case.processes.get().task_set.get(flow_task_type="HUMAN", status="DONE")
    assert task.created <= task.assigned <= task.started <= task.finished


def test_extension_where_the_rule_allows_is_visible_to_the_journalist(
    case, staff, login, journalist
):
    due = case.due_at
    client = login(staff["phatngon"])
    r = client.post(
        f"/workspace/cases/pages/{case.pk}/", {"days": 2, "reason": "Cần xác minh tại trường"}
    )
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.due_at > due and "Cần xác minh tại trường" in case.due_explanation
    assert (
        "Cần xác minh tại trường"
        in login(journalist).get(f"/nha-bao/ho-so/{case.reference}/").content.decode()
    )
    client = login(staff["vanthu"])
    r = client.post(f"/workspace/cases/pages/{case.pk}/", {"days": 2, "reason": "x"})
    assert r.status_code == 403


def test_draft_starts_from_the_kind_template(case, staff, act, client):
    from tests.workflows.helpers import task_url

    act(
        staff["vanthu"], case, "triage", {"action": "accept", "assignees": [staff["chuyenvien"].pk]}
    )
    client.force_login(staff["chuyenvien"])
    task = open_task(case, "draft")
    client.post(task_url(task, "assign"), {})
    html = client.get(task_url(task, "execute")).content.decode()
    assert "Nghị định số 244/2026/NĐ-CP" in html


def test_submitting_needs_a_journalist_profile(organisation, registry_officer):
    from core.errors import DomainError

    with pytest.raises(DomainError):
        submit(registry_officer, organisation)
