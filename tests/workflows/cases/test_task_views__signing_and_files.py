"""Task pages of a case: the signer's draft document, the explicit confirmation, attachments
opened by staff, a finished task's page, and no button a user may not use."""

import re

import pytest
from django.urls import reverse

from audit.models import LedgerEvent
from tests.release.helpers import flat_text, poppler_available
from tests.workflows.helpers import open_task, submit, task_url
from workflows.cases import uploads
from workflows.cases.models import Case

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478"
    "9c6360000002000185d0a6d20000000049454e44ae426082"
)
ANSWER = "Phòng đã kiểm tra; nhà trường không thu tiền học thêm trái quy định."


def _to_signoff(case, staff, act):
    act(
        staff["vanthu"], case, "triage", {"action": "accept", "assignees": [staff["chuyenvien"].pk]}
    )
    act(staff["chuyenvien"], case, "draft", {"action": "submit", "answer": ANSWER})
    act(staff["phatngon"], case, "review", {"action": "approve"})
    assert case.status == Case.Status.SIGNOFF


def _task_page(client, user, case, step) -> str:
    """Claim the open task as `user` and return its page."""
    client.force_login(user)
    task = open_task(case, step)
    client.post(task_url(task, "assign"), {})
    r = client.get(task_url(task, "execute"))
    assert r.status_code == 200
    return r.content.decode()


def _draft_url(case, kind="pdf"):
    return reverse(f"workflows:case-draft-{kind}", args=[case.pk])


# ---------------------------------------------------------------- the draft document


@pytest.mark.skipif(not poppler_available(), reason="needs poppler (pdftotext)")
def test_the_signer_sees_the_document_that_will_be_issued(case, staff, act, client):
    _to_signoff(case, staff, act)
    page = _task_page(client, staff["lanhdao"], case, "signoff")
    assert _draft_url(case) in page and _draft_url(case, "png") in page
    assert "(số sẽ cấp khi ký)" in page and case.press_agency.name in page

    r = client.get(_draft_url(case))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"].startswith("inline")
    text = flat_text(r.content)
    # A công văn: agency-unit symbol, "Kính gửi:" the press agency (Mẫu 1.5).
    assert "…/PGDĐT-TH (số sẽ cấp khi ký)" in text and "Kính gửi:" in text
    assert "(mã xác thực sẽ cấp khi ký)" in text
    # The rotated "DỰ THẢO" mark comes out of the text letter by letter.
    assert all(letter in text for letter in "DỰTHẢO")
    assert ANSWER in text and case.reference in text
    assert case.press_agency.name in text
    image = client.get(_draft_url(case, "png"))
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert image.content.startswith(b"\x89PNG")
    # Nothing was numbered or saved by the preview.
    case.refresh_from_db()
    assert case.document is None


@pytest.mark.skipif(not poppler_available(), reason="needs poppler (pdftotext)")
def test_the_draft_has_the_issued_documents_text(case, staff, act, client):
    _to_signoff(case, staff, act)
    client.force_login(staff["lanhdao"])
    draft = flat_text(client.get(_draft_url(case)).content)
    act(staff["lanhdao"], case, "signoff", {"action": "sign", "confirm": "on"})
    document = case.document
    for paragraph in document.body.split("\n\n"):
        assert " ".join(paragraph.split())[:80] in draft
    assert document.summary in draft and document.signer_name in draft


def test_the_spokesperson_may_read_the_draft_at_review(case, staff, act, client):
    act(
        staff["vanthu"], case, "triage", {"action": "accept", "assignees": [staff["chuyenvien"].pk]}
    )
    act(staff["chuyenvien"], case, "draft", {"action": "submit", "answer": ANSWER})
    client.force_login(staff["phatngon"])
    r = client.get(_draft_url(case))
    assert r.status_code == 200 and r.content.startswith(b"%PDF")


@pytest.mark.parametrize("who", ["vanthu", "chuyenvien", "thanhtra"])
def test_the_draft_is_refused_to_who_may_not_review_or_sign(case, staff, act, client, who):
    _to_signoff(case, staff, act)
    client.force_login(staff[who])
    assert client.get(_draft_url(case)).status_code == 403
    assert client.get(_draft_url(case, "png")).status_code == 403


def test_the_draft_is_refused_to_the_journalist_and_another_organisation(
    case, staff, act, client, journalist, outsider
):
    _to_signoff(case, staff, act)
    for user in (journalist, outsider):
        client.force_login(user)
        assert client.get(_draft_url(case)).status_code == 403
        assert client.get(_draft_url(case, "png")).status_code == 403


def test_no_draft_before_review(case, staff, client):
    client.force_login(staff["lanhdao"])
    assert client.get(_draft_url(case)).status_code == 404


def test_signing_needs_the_explicit_confirmation(case, staff, act):
    _to_signoff(case, staff, act)
    r = act(staff["lanhdao"], case, "signoff", {"action": "sign"}, expect=200)
    assert "đánh dấu xác nhận trước khi ký" in r.content.decode()
    assert case.status == Case.Status.SIGNOFF and case.document is None
    act(staff["lanhdao"], case, "signoff", {"action": "sign", "confirm": "on"})
    assert case.status == Case.Status.RELEASING


def _checked_action(page: str) -> list[str]:
    return re.findall(r'<input type="radio" name="action" value="(\w+)"[^>]*checked', page)


def _submit_label(page: str) -> str:
    button = re.search(
        r'<button type="submit" class="[^"]*task-submit"[^>]*>([^<]*)</button>', page
    )
    assert button, "no submit button"
    return button.group(1)


def test_each_step_opens_with_its_forward_action_and_a_button_that_names_it(
    case, staff, act, client
):
    page = _task_page(client, staff["vanthu"], case, "triage")
    assert _checked_action(page) == ["accept"] and _submit_label(page) == "Tiếp nhận và giao việc"
    assert 'data-label-forward="Chuyển"' in page
    act(
        staff["vanthu"], case, "triage", {"action": "accept", "assignees": [staff["chuyenvien"].pk]}
    )
    act(staff["chuyenvien"], case, "draft", {"action": "submit", "answer": ANSWER})
    page = _task_page(client, staff["phatngon"], case, "review")
    assert _checked_action(page) == ["approve"] and _submit_label(page) == "Duyệt và trình ký"
    assert 'data-label-return="Trả lại"' in page and 'data-label-refuse="Từ chối"' in page
    act(staff["phatngon"], case, "review", {"action": "approve"})
    page = _task_page(client, staff["lanhdao"], case, "signoff")
    assert _checked_action(page) == ["sign"] and _submit_label(page) == "Ký số và ban hành"
    # The signer's confirmation is not pre-ticked.
    assert re.search(r'<input type="checkbox" name="confirm"[^>]*checked', page) is None


def test_a_form_sent_back_with_errors_keeps_the_chosen_action(case, staff, act):
    _to_signoff(case, staff, act)
    r = act(staff["lanhdao"], case, "signoff", {"action": "return", "to": "nowhere"}, expect=200)
    page = r.content.decode()
    assert _checked_action(page) == ["return"] and _submit_label(page) == "Trả lại"
    r = act(staff["lanhdao"], case, "signoff", {"action": ""}, expect=200)
    assert _checked_action(r.content.decode()) == []


def test_the_return_does_not_need_the_confirmation(case, staff, act):
    _to_signoff(case, staff, act)
    act(staff["lanhdao"], case, "signoff", {"action": "return", "to": "draft", "comment": "Sửa"})
    assert case.status == Case.Status.DRAFTING


# ---------------------------------------------------------------- attachments


@pytest.fixture
def case_with_files(journalist, organisation, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return submit(
            journalist,
            organisation,
            attachments=[
                uploads.Upload(name="giay-gioi-thieu.pdf", data=PDF),
                uploads.Upload(name="the-nha-bao.png", data=PNG),
            ],
        )


def _file_url(case, attachment):
    return reverse("workflows:case-attachment", args=[case.pk, attachment.pk])


@pytest.mark.parametrize("who", ["vanthu", "chuyenvien", "phatngon", "lanhdao", "thanhtra"])
def test_staff_of_the_organisation_open_attachments_inline(case_with_files, staff, client, who):
    pdf, png = case_with_files.attachments.order_by("pk")
    client.force_login(staff[who])
    r = client.get(_file_url(case_with_files, pdf))
    if who == "chuyenvien":  # not assigned yet: a specialist sees only their cases
        assert r.status_code == 403
        return
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"].startswith("inline")
    assert b"".join(r.streaming_content) == PDF
    # The page may frame it (the task page shows it in an <iframe>).
    assert r["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in r["Content-Security-Policy"]
    r = client.get(_file_url(case_with_files, png))
    assert r.status_code == 200 and r["Content-Type"] == "image/png"
    r = client.get(_file_url(case_with_files, png) + "?download=1")
    assert r["Content-Disposition"].startswith("attachment")
    opened = LedgerEvent.objects.filter(action="case.attachment.open", actor=staff[who])
    assert opened.count() == 3
    assert pdf.sha256 in str(opened.order_by("seq").first().after)


def test_the_assigned_specialist_opens_attachments_from_the_task_page(
    case_with_files, staff, act, client
):
    act(
        staff["vanthu"],
        case_with_files,
        "triage",
        {"action": "accept", "assignees": [staff["chuyenvien"].pk]},
    )
    page = _task_page(client, staff["chuyenvien"], case_with_files, "draft")
    pdf = case_with_files.attachments.order_by("pk").first()
    assert _file_url(case_with_files, pdf) in page and "giay-gioi-thieu.pdf" in page
    assert client.get(_file_url(case_with_files, pdf)).status_code == 200


def test_attachments_are_refused_to_others(case_with_files, client, outsider, other_journalist):
    pdf = case_with_files.attachments.first()
    for user in (outsider, other_journalist):
        client.force_login(user)
        assert client.get(_file_url(case_with_files, pdf)).status_code == 403
    assert not LedgerEvent.objects.filter(action="case.attachment.open").exists()


def test_the_journalist_opens_their_own_attachments(case_with_files, client, journalist):
    client.force_login(journalist)
    pdf = case_with_files.attachments.first()
    assert client.get(_file_url(case_with_files, pdf)).status_code == 200


def test_an_attachment_of_another_case_is_not_found(case_with_files, case, staff, client):
    client.force_login(staff["vanthu"])
    pdf = case_with_files.attachments.first()
    url = reverse("workflows:case-attachment", args=[case.pk, pdf.pk])
    assert client.get(url).status_code == 404


# ---------------------------------------------------------------- finished tasks, buttons


def test_a_finished_tasks_address_says_it_is_done(case, staff, act, client):
    task = open_task(case, "triage")
    act(
        staff["vanthu"], case, "triage", {"action": "accept", "assignees": [staff["chuyenvien"].pk]}
    )
    detail = reverse("cases:pages:detail", args=[case.pk])
    for view in ("execute", "assign"):
        r = client.get(task_url(task, view))
        page = r.content.decode()
        assert r.status_code == 200, (view, page[:500])
        assert "Việc này đã được xử lý xong." in page and detail in page
        assert "no transition" not in page
    # A form sent again from an old tab changes nothing.
    r = client.post(task_url(task, "execute"), {"action": "clarify", "message": "?"})
    assert r.status_code == 409 and "đã được xử lý xong" in r.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.DRAFTING


def test_a_finished_task_is_refused_to_another_organisation(case, staff, act, client, outsider):
    task = open_task(case, "triage")
    act(
        staff["vanthu"], case, "triage", {"action": "accept", "assignees": [staff["chuyenvien"].pk]}
    )
    client.force_login(outsider)
    assert client.get(task_url(task, "execute")).status_code == 403


def test_the_cancel_button_shows_only_to_who_may_cancel(case, staff, client, admin_user):
    process = case.processes.get()
    task = open_task(case, "triage")
    url = task.flow_task.flow_class.instance.reverse("process_detail", args=[process.pk])
    cancel = task.flow_task.flow_class.instance.reverse("process_cancel", args=[process.pk])
    for who in ("vanthu", "phatngon", "lanhdao"):
        client.force_login(staff[who])
        r = client.get(url, follow=True)  # staff land on the case's page (engine/landing.py)
        assert r.redirect_chain[-1][0] == f"/workspace/cases/pages/{case.pk}/"
        assert r.status_code == 200 and cancel not in r.content.decode()
    client.force_login(admin_user)
    assert cancel in client.get(url).content.decode()


def test_the_timeline_names_people_and_hides_permission_grants(case, staff, act, client):
    staff["vanthu"].first_name, staff["vanthu"].last_name = "Hoa", "Nguyễn Thị"
    staff["vanthu"].save()
    act(
        staff["vanthu"], case, "triage", {"action": "accept", "assignees": [staff["chuyenvien"].pk]}
    )
    assert LedgerEvent.objects.filter(action="permission.grant").exists()
    page = _task_page(client, staff["chuyenvien"], case, "draft")
    assert staff["vanthu"].get_full_name() in page
    assert "Cấp quyền trên hồ sơ" not in page


def test_the_triage_form_marks_each_field_with_its_decision(case, staff, client):
    page = _task_page(client, staff["vanthu"], case, "triage")
    assert 'name="assignees"' in page and 'data-actions="accept"' in page
    assert 'data-actions="forward"' in page and 'data-actions="clarify"' in page
    assert "js/task-form" in page


def test_the_case_pages_list_the_attachments(case_with_files, staff, client, journalist):
    pdf = case_with_files.attachments.order_by("pk").first()
    url = _file_url(case_with_files, pdf)
    client.force_login(staff["vanthu"])
    page = client.get(reverse("cases:pages:detail", args=[case_with_files.pk])).content.decode()
    assert url in page and "giay-gioi-thieu.pdf" in page
    client.force_login(journalist)
    page = client.get(
        reverse("workflows:journalist-case", args=[case_with_files.reference])
    ).content.decode()
    assert url in page and "<iframe" not in page
