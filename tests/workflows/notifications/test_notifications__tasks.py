"""Work notifications: a new task is told to its owner or to those who may claim it, in the app
and by e-mail through the outbox (with an absolute link to the task page); each user may turn
the e-mail off; the menu shows the unread count and opening the list marks them read."""

import pytest
from django.urls import reverse

from audit.models import LedgerEvent
from outbox.models import OutgoingMail
from roles import services as role_services
from roles.models import UserPreference
from tests.workflows.helpers import open_task, submit
from workflows.notifications.models import Notification
from workflows.notifications.selectors import notifications_unread_count

SITE = "https://phatngon.example.vn"


def _mails_to(user):
    return [m for m in OutgoingMail.objects.all() if user.email in m.to]


@pytest.fixture
def site_url(settings):
    settings.SITE_URL = SITE
    return SITE


def work_url(task) -> str:
    """Where a task's link lands (work_views.work_open), never viewflow's generic pages."""
    return reverse("work:open", args=[task.pk])


@pytest.fixture
def fresh_case(site_url, journalist, organisation, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return submit(journalist, organisation)


def test_a_new_queue_task_is_mailed_to_those_who_may_claim_it_with_a_link(fresh_case, staff):
    task = open_task(fresh_case, "triage")
    link = f"{SITE}{work_url(task)}"
    for who in ("vanthu", "phatngon"):  # registry officer and spokesperson may triage
        user = staff[who]
        note = Notification.objects.get(user=user, case=fresh_case)
        assert note.url == work_url(task)
        assert "Việc mới chờ nhận" in note.message and "Phân loại" in note.message
        assert fresh_case.reference in note.message
        [mail] = _mails_to(user)
        assert link in mail.body and fresh_case.reference in mail.subject
        # A labelled link, not a bare address.
        assert f"Mở hồ sơ {fresh_case.reference}: {link}" in mail.body
    # Those who may not triage hear nothing.
    for who in ("chuyenvien", "lanhdao", "thanhtra"):
        assert not Notification.objects.filter(user=staff[who], case=fresh_case).exists()
        assert not _mails_to(staff[who])


def test_the_specialist_given_the_case_is_mailed_its_drafting_task(
    fresh_case, staff, act, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        act(
            staff["vanthu"],
            fresh_case,
            "triage",
            {"action": "accept", "assignees": [staff["chuyenvien"].pk]},
        )
    task = open_task(fresh_case, "draft")
    note = Notification.objects.get(user=staff["chuyenvien"], case=fresh_case)
    assert "Soạn trả lời" in note.message and note.url == work_url(task)
    [mail] = _mails_to(staff["chuyenvien"])
    assert f"{SITE}{work_url(task)}" in mail.body


def test_a_returned_draft_tells_the_drafter_with_the_comment(
    fresh_case, staff, act, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        act(
            staff["vanthu"],
            fresh_case,
            "triage",
            {"action": "accept", "assignees": [staff["chuyenvien"].pk]},
        )
        act(staff["chuyenvien"], fresh_case, "draft", {"action": "submit", "answer": "Trả lời"})
        act(
            staff["phatngon"], fresh_case, "review", {"action": "return", "comment": "Thêm số liệu"}
        )
    newest = Notification.objects.filter(user=staff["chuyenvien"], case=fresh_case).first()
    assert "được trả lại" in newest.message and "Thêm số liệu" in newest.message


def test_a_user_who_turned_email_off_gets_the_notification_but_no_mail(
    site_url, journalist, organisation, staff, django_capture_on_commit_callbacks
):
    role_services.preference_email_set(user=staff["vanthu"], enabled=False)
    with django_capture_on_commit_callbacks(execute=True):
        case = submit(journalist, organisation)
    assert Notification.objects.filter(user=staff["vanthu"], case=case).exists()
    assert not _mails_to(staff["vanthu"])
    assert _mails_to(staff["phatngon"])  # the others still get theirs


def test_the_own_account_page_turns_email_off_and_on(login, staff):
    client = login(staff["chuyenvien"])
    page = client.get("/workspace/organisation/me/").content.decode()
    assert "Nhận thông báo qua e-mail" in page and "checked" in page
    r = client.post("/workspace/organisation/me/", {})  # the box unticked
    assert r.status_code == 302
    assert UserPreference.objects.get(user=staff["chuyenvien"]).email_notifications is False
    assert LedgerEvent.objects.filter(action="preference.email_notifications").count() == 1
    page = client.get("/workspace/organisation/me/").content.decode()
    assert "Đã lưu tuỳ chọn thông báo" in page and "checked" not in page
    client.post("/workspace/organisation/me/", {"email_notifications": "on"})
    assert UserPreference.objects.get(user=staff["chuyenvien"]).email_notifications is True


def test_a_journalist_turns_email_off_on_the_account_page(login, journalist):
    client = login(journalist)
    page = client.get("/tai-khoan/").content.decode()
    assert "Nhận thông báo qua e-mail" in page
    assert client.post("/tai-khoan/", {}).status_code == 302
    assert UserPreference.objects.get(user=journalist).email_notifications is False


def test_the_staff_menu_shows_the_unread_count_and_the_list_marks_read(
    fresh_case, staff, login, django_assert_num_queries
):
    user = staff["vanthu"]
    with django_assert_num_queries(1):
        assert notifications_unread_count(user) == 1
    client = login(user)
    page = client.get("/workspace/cases/pages/").content.decode()
    assert 'href="/workspace/cases/pages/thong-bao/"' in page
    assert '<span class="pn-badge">1<' in page  # in the menu
    assert '<span class="pn-bell__count" aria-hidden="true">1<' in page  # on the toolbar
    listing = client.get("/workspace/cases/pages/thong-bao/").content.decode()
    assert fresh_case.reference in listing and "mới" in listing
    assert notifications_unread_count(user) == 0
    page = client.get("/workspace/cases/pages/").content.decode()
    assert '<span class="pn-badge"' not in page and "pn-bell__count" not in page


def test_a_journalist_sees_the_count_in_the_public_menu_and_reads_the_list(
    fresh_case, journalist, login
):
    client = login(journalist)
    page = client.get("/nha-bao/ho-so/").content.decode()
    assert 'href="/thong-bao/"' in page and '<span class="badge">1' in page
    listing = client.get("/thong-bao/").content.decode()
    assert fresh_case.reference in listing
    assert notifications_unread_count(journalist) == 0
    assert '<span class="badge">' not in client.get("/nha-bao/ho-so/").content.decode()


def test_a_task_given_by_someone_else_is_told_to_its_new_owner(fresh_case, staff):
    from workflows.notifications.work import task_assigned_notify

    task = open_task(fresh_case, "triage")
    task.owner = staff["vanthu"]
    task.save()
    # Claiming it oneself is no news.
    assert not task_assigned_notify(task_id=task.pk, by_id=staff["vanthu"].pk)
    assert task_assigned_notify(task_id=task.pk, by_id=staff["phatngon"].pk)
    note = Notification.objects.filter(user=staff["vanthu"]).first()
    assert note.message.startswith("Bạn được giao việc “Phân loại”")
    assert any(f"{SITE}{work_url(task)}" in m.body for m in _mails_to(staff["vanthu"]))
