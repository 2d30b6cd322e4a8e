"""Outbound statements through real HTTP: draft → review → sign-off → release → publication."""

from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import LedgerEvent
from tests.workflows.helpers import open_task
from workflows.statements.models import Statement

CREATE_URL = "/workspace/statements/pages/tao/"


def _create_initial(client, user, organisation, **extra):
    client.force_login(user)
    data = {
        "organisation": organisation.pk,
        "kind": "initial_statement",
        "title": "Thông tin ban đầu về vụ ngộ độc thực phẩm tại Trường Tiểu học An Phú",
        "clock_start_at": timezone.localtime(timezone.now() - timedelta(hours=1)).strftime(
            "%Y-%m-%dT%H:%M"
        ),
        "event_summary": "12 học sinh nhập viện sau bữa trưa bán trú.",
        "body": "",
    }
    data.update(extra)
    return client.post(CREATE_URL, data)


def test_spokesperson_opens_an_initial_statement_with_a_24_hour_clock(client, staff, organisation):
    r = _create_initial(client, staff["phatngon"], organisation)
    assert r.status_code == 302, r.content.decode()[:3000]
    statement = Statement.objects.get()
    assert statement.reference.startswith("PN-")
    assert statement.status == Statement.Status.DRAFTING
    assert statement.doc_type == "thong_cao"
    assert statement.due_at - statement.clock_start_at == timedelta(hours=24)
    assert "24 giờ" in statement.due_explanation and "244/2026" in statement.due_explanation
    assert "Ngay sau khi nắm được thông tin" in statement.body  # the kind's template
    page = client.get(r["Location"]).content.decode()
    assert "Còn 22 giờ" in page or "Còn 23 giờ" in page
    assert open_task(statement, "draft")


def test_specialist_drafts_and_the_statement_goes_round_to_signature(
    client, staff, organisation, act
):
    r = _create_initial(client, staff["chuyenvien"], organisation)
    assert r.status_code == 302, r.content.decode()[:2000]
    statement = Statement.objects.get()
    draft = {
        "action": "submit",
        "title": statement.title,
        "body": "Ngày 25/11, 12 học sinh có biểu hiện ngộ độc…",
        "event_summary": "",
        "embargo_at": "",
    }
    act(staff["chuyenvien"], statement, "draft", {**draft, "action": "save", "body": "Nháp"})
    assert statement.status == Statement.Status.DRAFTING and statement.body == "Nháp"
    act(staff["chuyenvien"], statement, "draft", draft)
    assert statement.status == Statement.Status.REVIEW
    act(staff["phatngon"], statement, "review", {"action": "return", "comment": "Thêm số liệu"})
    assert statement.status == Statement.Status.DRAFTING
    assert statement.last_comment == "Thêm số liệu"
    act(staff["chuyenvien"], statement, "draft", draft)
    act(staff["phatngon"], statement, "review", {"action": "approve"})
    assert statement.status == Statement.Status.SIGNOFF
    act(
        staff["lanhdao"], statement, "signoff", {"action": "return", "to": "review", "comment": "X"}
    )
    assert statement.status == Statement.Status.REVIEW
    act(staff["phatngon"], statement, "review", {"action": "approve"})
    act(staff["pholanhdao"], statement, "signoff", {"action": "sign", "confirm": "on"})
    assert statement.status == Statement.Status.RELEASING
    assert statement.signing_authority == "KT."
    assert statement.document is not None and statement.document.doc_type == "thong_cao"
    assert statement.document.publication.embargo_at is None
    actions = set(
        LedgerEvent.objects.filter(
            target_type="workflows.statement", target_id=str(statement.pk)
        ).values_list("action", flat=True)
    )
    assert {
        "statement.create",
        "statement.draft.save",
        "statement.draft.submit",
        "statement.review.return",
        "statement.review.approve",
        "statement.signoff.return",
        "statement.signoff.sign",
        "statement.release",
    } <= actions


def test_a_draft_without_body_cannot_be_submitted(client, staff, organisation, act):
    _create_initial(client, staff["phatngon"], organisation)
    statement = Statement.objects.get()
    r = act(
        staff["phatngon"],
        statement,
        "draft",
        {"action": "submit", "title": statement.title, "body": "  "},
        expect=200,
    )
    assert "Nội dung không được để trống" in r.content.decode()
    assert statement.status == Statement.Status.DRAFTING


def test_embargo_after_the_24_hour_deadline_is_refused(client, staff, organisation):
    late = timezone.localtime(timezone.now() + timedelta(hours=30)).strftime("%Y-%m-%dT%H:%M")
    r = _create_initial(client, staff["phatngon"], organisation, embargo_at=late)
    assert r.status_code == 400
    assert "phải trước hạn phát ngôn" in r.content.decode()
    assert not Statement.objects.exists()


def test_correction_needs_the_article(client, staff, organisation):
    client.force_login(staff["phatngon"])
    r = client.post(
        CREATE_URL,
        {
            "organisation": organisation.pk,
            "kind": "correction_response",
            "title": "Đề nghị cải chính",
        },
    )
    assert r.status_code == 400
    assert "cơ quan báo chí đã đăng thông tin sai sự thật" in r.content.decode()
    r = client.post(
        CREATE_URL,
        {
            "organisation": organisation.pk,
            "kind": "correction_response",
            "title": "Đề nghị cải chính bài “Thu tiền trái phép”",
            "article_outlet": "Báo Tin Nhanh",
            "article_title": "Thu tiền trái phép",
            "article_url": "https://tinnhanh.example.vn/bai-1",
            "article_published_on": timezone.localdate().isoformat(),
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    statement = Statement.objects.get()
    assert statement.doc_type == "cong_van" and statement.due_at is not None
    assert "Báo Tin Nhanh" in statement.body


def test_wrong_roles_cannot_open_a_statement(client, request, organisation, staff):
    for persona in ("registry_officer", "inspector", "journalist", "outsider"):
        user = request.getfixturevalue(persona)
        client.force_login(user)
        assert client.get(CREATE_URL).status_code == 403, persona
        r = client.post(CREATE_URL, {"organisation": organisation.pk, "kind": "periodic"})
        assert r.status_code == 403, persona
    assert not Statement.objects.exists()


@pytest.mark.django_db(transaction=False)
def test_release_signs_and_publishes_then_the_statement_is_released(
    client, staff, organisation, act, signing_credentials, django_capture_on_commit_callbacks
):
    _create_initial(client, staff["phatngon"], organisation)
    statement = Statement.objects.get()
    act(
        staff["phatngon"],
        statement,
        "draft",
        {"action": "submit", "title": statement.title, "body": "Nội dung thông tin ban đầu."},
    )
    act(staff["phatngon"], statement, "review", {"action": "approve"})
    with django_capture_on_commit_callbacks(execute=True):
        act(staff["lanhdao"], statement, "signoff", {"action": "sign", "confirm": "on"})
    statement.refresh_from_db()
    assert statement.status == Statement.Status.RELEASED, statement.document.last_error
    assert statement.on_time is True
    assert statement.document.status == "issued"
    assert statement.document.publication.publish_at is not None
    # Published at once and sent to the (empty) press list: the register's dispatch date.
    assert statement.document.dispatched_at == statement.document.publication.distributed_at
    assert statement.get_absolute_url().endswith(f"/{statement.pk}/")
