"""The daily work surface: "Việc hôm nay", "Việc của tôi", "Việc chờ nhận", the menu's
counters, assignment that assigns, and "Chuyển cho đồng nghiệp" (issue 13)."""

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from viewflow.workflow.status import STATUS

from audit.labels import ACTION_LABELS
from audit.models import LedgerEvent
from outbox.models import OutgoingMail
from roles import services as role_services
from roles.models import Role
from tests.factories import UserFactory
from tests.workflows.helpers import new_statement, open_task, submit, task_url
from workflows.engine import worklist
from workflows.notifications.models import Notification
from workflows.work_views import FLOWS

TODAY = "/workspace/work/"
MINE = "/workspace/work/cua-toi/"
QUEUE = "/workspace/work/cho-nhan/"
# A Monday morning in Vietnam: "today" and "this week" are fixed.
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def other_specialist(organisation, unit):
    user = UserFactory(username="chuyenvien2", first_name="Hà", last_name="Trần Thu")
    role_services.membership_grant(
        user=user, organisation=organisation, role=Role.SPECIALIST, title="CV", unit=unit
    )
    return user


def _accept(act, staff, case, *assignees):
    act(
        staff["vanthu"],
        case,
        "triage",
        {"action": "accept", "assignees": [u.pk for u in assignees or [staff["chuyenvien"]]]},
    )


# ---------------------------------------------------------------- assignment means assignment


def test_a_case_given_to_a_specialist_is_already_theirs(case, staff, act, login):
    _accept(act, staff, case)
    task = open_task(case, "draft")
    assert task.status == STATUS.ASSIGNED and task.owner == staff["chuyenvien"]
    html = login(staff["chuyenvien"]).get(MINE).content.decode()
    assert case.reference in html and case.subject in html
    # No second claim: the row opens the form itself.
    assert task_url(task, "execute") in html
    assert case.reference not in login(staff["chuyenvien"]).get(QUEUE).content.decode()


def test_two_specialists_share_the_draft_in_their_own_queue(
    case, staff, act, login, other_specialist
):
    _accept(act, staff, case, staff["chuyenvien"], other_specialist)
    task = open_task(case, "draft")
    assert task.status == STATUS.NEW
    for user in (staff["chuyenvien"], other_specialist):
        assert case.reference in login(user).get(QUEUE).content.decode()
    assert case.reference not in login(staff["lanhdao"]).get(QUEUE).content.decode()


def test_a_returned_draft_goes_back_to_its_author_marked_returned(
    case, staff, act, login, other_specialist
):
    _accept(act, staff, case, staff["chuyenvien"], other_specialist)
    act(other_specialist, case, "draft", {"action": "submit", "answer": "Dự thảo trả lời."})
    act(
        staff["phatngon"],
        case,
        "review",
        {"action": "return", "comment": "Bổ sung số liệu kiểm tra của Phòng năm học 2026."},
    )
    task = open_task(case, "draft")
    assert task.status == STATUS.ASSIGNED and task.owner == other_specialist
    rows = worklist.work_rows(worklist.tasks_mine(other_specialist, FLOWS))
    assert [r.returned for r in rows] == [True]
    assert rows[0].comment.startswith("Bổ sung số liệu")
    html = login(other_specialist).get(MINE).content.decode()
    assert "bị trả lại" in html and "Bổ sung số liệu kiểm tra" in html
    # A first draft is not marked.
    assert "bị trả lại" not in login(staff["chuyenvien"]).get(QUEUE).content.decode()


def test_a_statement_draft_is_held_by_its_author(staff, organisation, login):
    statement = new_statement(staff["chuyenvien"], organisation)
    task = open_task(statement, "draft")
    assert task.status == STATUS.ASSIGNED and task.owner == staff["chuyenvien"]
    html = login(staff["chuyenvien"]).get(TODAY).content.decode()
    assert statement.reference in html and task_url(task, "execute") in html


# ---------------------------------------------------------------- the rows


def test_rows_say_what_the_work_is(case, staff, login, journalist):
    html = login(staff["vanthu"]).get(QUEUE).content.decode()
    assert case.reference in html and case.subject in html
    assert journalist.get_full_name() in html and case.press_agency.name in html
    assert "Hồ sơ báo chí" in html and "Phân loại" in html and "chưa ai nhận" in html
    assert "ngày" in html  # due date "23:59 ngày 07/12/2026" and time left "còn … ngày"
    from core.labels import datetime_display

    assert datetime_display(case.due_at) in html


def test_time_left_is_coloured_below_a_fifth_and_red_when_overdue(case, staff):
    rows = worklist.work_rows(worklist.tasks_queue(staff["vanthu"], FLOWS))
    assert rows[0].level == "ok"
    total = case.due_at - case.received_at
    with time_machine.travel(case.due_at - total * 0.1, tick=False):
        assert worklist.work_rows(worklist.tasks_queue(staff["vanthu"], FLOWS))[0].level == "low"
    with time_machine.travel(case.due_at + timedelta(hours=1), tick=False):
        assert (
            worklist.work_rows(worklist.tasks_queue(staff["vanthu"], FLOWS))[0].level == "overdue"
        )


def test_rows_are_sorted_by_due_date(staff, journalist, organisation):
    later = submit(journalist, organisation, subject="Hỏi sau")
    sooner = submit(journalist, organisation, subject="Hỏi trước")
    sooner.due_at = later.due_at - timedelta(days=2)
    sooner.save(update_fields=["due_at"])
    rows = worklist.work_rows(worklist.tasks_queue(staff["vanthu"], FLOWS))
    assert [r.reference for r in rows] == [sooner.reference, later.reference]


def test_filters_by_kind_step_and_due(case, staff, organisation, login, act):
    statement = new_statement(staff["phatngon"], organisation)
    client = login(staff["phatngon"])
    html = client.get(QUEUE, {"kind": "statement"}).content.decode()
    assert case.reference not in html
    html = client.get(MINE, {"kind": "statement"}).content.decode()
    assert statement.reference in html
    assert case.reference in client.get(QUEUE, {"step": "triage"}).content.decode()
    assert case.reference not in client.get(QUEUE, {"step": "review"}).content.decode()
    # Five working days from Monday: next Monday, not this week.
    assert case.reference not in client.get(QUEUE, {"due": "week"}).content.decode()
    assert case.reference not in client.get(QUEUE, {"due": "overdue"}).content.decode()
    assert case.reference not in client.get(QUEUE, {"due": "today"}).content.decode()
    case.due_at = NOW + timedelta(hours=5)
    case.save(update_fields=["due_at"])
    assert case.reference in client.get(QUEUE, {"due": "today"}).content.decode()
    assert case.reference in client.get(QUEUE, {"due": "week"}).content.decode()
    # The statement's 24-hour clock ends tomorrow: this week, not today, not overdue.
    assert statement.reference in client.get(MINE, {"due": "week"}).content.decode()
    with time_machine.travel(statement.due_at + timedelta(minutes=1), tick=False):
        assert statement.reference in client.get(MINE, {"due": "overdue"}).content.decode()


def test_the_start_page_groups_my_tasks_by_due(case, staff, organisation, login):
    statement = new_statement(staff["phatngon"], organisation)
    with time_machine.travel(statement.due_at + timedelta(hours=1), tick=False):
        html = login(staff["phatngon"]).get(TODAY).content.decode()
    overdue = html.index("Quá hạn")
    assert overdue < html.index(statement.reference) < html.index('id="work-queue"')
    # The queue's case: one click ("Nhận và xử lý") from its form.
    assert f"/workspace/work/{open_task(case).pk}/nhan/" in html


def test_lists_do_not_cost_a_query_per_row(
    staff, journalist, organisation, act, django_assert_max_num_queries, login
):
    client = login(staff["phatngon"])
    client.get(TODAY)  # warm up the caches (sessions, content types)
    for n in range(6):
        case = submit(journalist, organisation, subject=f"Hỏi {n}")
        new_statement(staff["phatngon"], organisation, title=f"Thông tin {n}")
        if n % 2:
            _accept(act, staff, case)
    client = login(staff["phatngon"])
    client.get(TODAY)
    with django_assert_max_num_queries(40) as few:
        client.get(TODAY)
    baseline = len(few.captured_queries)
    for n in range(6, 12):
        submit(journalist, organisation, subject=f"Hỏi {n}")
        new_statement(staff["phatngon"], organisation, title=f"Thông tin {n}")
    for url in (TODAY, MINE, QUEUE):
        with django_assert_max_num_queries(baseline):
            r = client.get(url)
        assert r.status_code == 200


# ---------------------------------------------------------------- the menu's counters


@pytest.mark.parametrize("persona", ["vanthu", "chuyenvien", "phatngon", "lanhdao", "pholanhdao"])
def test_every_staff_role_sees_its_counters_in_the_menu(case, staff, login, persona):
    html = login(staff[persona]).get("/workspace/cases/pages/").content.decode()
    counts = worklist.work_counts(staff[persona], FLOWS)
    assert "Việc của tôi" in html and "Việc chờ nhận" in html
    assert f'data-counter="mine">{counts["mine"]}<' in html
    assert f'data-counter="queue">{counts["queue"]}<' in html


def test_the_menu_names_the_work_once(case, staff, login):
    html = login(staff["vanthu"]).get(TODAY).content.decode()
    assert html.count('href="/workspace/work/"') == 1
    assert "Hồ sơ báo chí" in html  # the other applications stay


def test_a_done_task_leads_back_to_the_start_page(case, staff, act):
    r = act(
        staff["vanthu"], case, "triage", {"action": "accept", "assignees": [staff["chuyenvien"].pk]}
    )
    assert r["Location"] == TODAY


def test_the_counters_count(case, staff):
    assert worklist.work_counts(staff["vanthu"], FLOWS) == {"mine": 0, "queue": 1}
    assert worklist.work_counts(staff["chuyenvien"], FLOWS) == {"mine": 0, "queue": 0}


# ---------------------------------------------------------------- who may open the pages


@pytest.mark.parametrize("url", [TODAY, MINE, QUEUE])
@pytest.mark.parametrize("persona", ["journalist", "outsider"])
def test_the_work_pages_refuse_or_hide_from_wrong_people(request, case, client, url, persona):
    client.force_login(request.getfixturevalue(persona))
    r = client.get(url)
    if persona == "journalist":
        assert r.status_code == 403
    else:  # another organisation's head: the page, without this organisation's case
        assert r.status_code == 200 and case.reference not in r.content.decode()


def test_the_staff_start_page_is_today(client, registry_officer, password):
    from tests.factories import password_login

    assert password_login(client, registry_officer.username, password)
    assert client.get("/bat-dau/")["Location"] == TODAY


# ---------------------------------------------------------------- take in one click


def test_one_click_takes_a_queue_task_and_opens_its_form(case, staff, login):
    task = open_task(case, "triage")
    r = login(staff["vanthu"]).post(f"/workspace/work/{task.pk}/nhan/")
    assert r.status_code == 302 and r["Location"] == task_url(task, "execute")
    task.refresh_from_db()
    assert task.owner == staff["vanthu"]
    assert LedgerEvent.objects.filter(action="task.claim").count() == 1


@pytest.mark.parametrize("persona", ["chuyenvien", "lanhdao", "outsider"])
def test_who_may_not_triage_cannot_take_it(request, case, staff, client, persona):
    user = staff.get(persona) or request.getfixturevalue(persona)
    client.force_login(user)
    task = open_task(case, "triage")
    assert client.post(f"/workspace/work/{task.pk}/nhan/").status_code == 403
    task.refresh_from_db()
    assert task.status == STATUS.NEW


def test_the_holder_gives_a_task_back_to_the_queue_from_the_list(case, staff, login):
    task = open_task(case, "triage")
    client = login(staff["vanthu"])
    client.post(f"/workspace/work/{task.pk}/nhan/")
    html = client.get(MINE).content.decode()
    assert task_url(task, "unassign") in html and "Trả về hàng chờ" in html
    r = client.post(task_url(task, "unassign"), {})
    assert r.status_code == 302 and r["Location"] == TODAY
    task.refresh_from_db()
    assert task.status == STATUS.NEW and task.owner is None
    assert LedgerEvent.objects.filter(action="task.unclaim").count() == 1


def test_claim_is_post_only(case, staff, login):
    task = open_task(case, "triage")
    assert login(staff["vanthu"]).get(f"/workspace/work/{task.pk}/nhan/").status_code == 405


def test_a_taken_task_cannot_be_taken_again(case, staff, login, spokesperson):
    task = open_task(case, "triage")
    login(staff["vanthu"]).post(f"/workspace/work/{task.pk}/nhan/")
    r = login(staff["phatngon"]).post(f"/workspace/work/{task.pk}/nhan/", follow=True)
    assert "Công việc này đã có người nhận." in r.content.decode()
    task.refresh_from_db()
    assert task.owner == staff["vanthu"]


# ---------------------------------------------------------------- reassign


def _reassign_url(task):
    return f"/workspace/work/{task.pk}/chuyen/"


def test_a_holder_hands_a_draft_to_a_colleague_with_a_reason(
    case, staff, act, login, other_specialist
):
    _accept(act, staff, case)
    task = open_task(case, "draft")
    client = login(staff["chuyenvien"])
    page = client.get(_reassign_url(task)).content.decode()
    assert f'value="{other_specialist.pk}"' in page and other_specialist.get_full_name() in page
    assert f'value="{staff["lanhdao"].pk}"' not in page
    r = client.post(_reassign_url(task), {"to": other_specialist.pk, "reason": "Tôi đi công tác."})
    assert r.status_code == 302 and r["Location"] == TODAY
    task.refresh_from_db()
    assert task.owner == other_specialist and task.status == STATUS.ASSIGNED
    case.refresh_from_db()
    assert other_specialist in case.specialists.all()
    event = LedgerEvent.objects.get(action="task.reassign")
    assert event.actor == staff["chuyenvien"]
    before, after = json.loads(event.before), json.loads(event.after)
    assert before == {"owner": "chuyenvien"}
    assert after["owner"] == "chuyenvien2" and after["reason"] == "Tôi đi công tác."
    assert "task.reassign" in ACTION_LABELS
    # The colleague is told, in the app and through the outbox, with a link to the task.
    notes = list(Notification.objects.filter(user=other_specialist))
    assert len(notes) == 1 and case.reference in notes[0].message
    assert any(other_specialist.email in mail.to for mail in OutgoingMail.objects.all())
    # The colleague now acts on it without claiming.
    act(other_specialist, case, "draft", {"action": "submit", "answer": "Trả lời."})
    assert case.status == "review"


def test_a_reason_is_required(case, staff, act, login, other_specialist):
    _accept(act, staff, case)
    task = open_task(case, "draft")
    r = login(staff["chuyenvien"]).post(_reassign_url(task), {"to": other_specialist.pk})
    assert r.status_code == 200 and "Trường này là bắt buộc." in r.content.decode()
    task.refresh_from_db()
    assert task.owner == staff["chuyenvien"]


def test_only_a_colleague_who_may_act_on_the_step_can_receive_it(case, staff, act, login, outsider):
    _accept(act, staff, case)
    task = open_task(case, "draft")
    client = login(staff["chuyenvien"])
    for wrong in (staff["lanhdao"], outsider, staff["chuyenvien"]):
        r = client.post(_reassign_url(task), {"to": wrong.pk, "reason": "Thử"})
        assert r.status_code == 200
    task.refresh_from_db()
    assert task.owner == staff["chuyenvien"]
    assert not LedgerEvent.objects.filter(action="task.reassign").exists()


@pytest.mark.parametrize("persona", ["vanthu", "phatngon", "lanhdao", "other_specialist"])
def test_only_the_holder_may_hand_a_task_on(
    request, case, staff, act, client, persona, other_specialist
):
    _accept(act, staff, case)
    task = open_task(case, "draft")
    user = staff.get(persona) or request.getfixturevalue(persona)
    client.force_login(user)
    assert client.get(_reassign_url(task)).status_code == 403
    r = client.post(_reassign_url(task), {"to": other_specialist.pk, "reason": "Thử"})
    assert r.status_code == 403
    task.refresh_from_db()
    assert task.owner == staff["chuyenvien"]


def test_a_journalist_may_not_reassign(case, staff, act, client, journalist, other_specialist):
    _accept(act, staff, case)
    task = open_task(case, "draft")
    client.force_login(journalist)
    r = client.post(_reassign_url(task), {"to": other_specialist.pk, "reason": "Thử"})
    assert r.status_code == 403


def test_a_review_is_handed_to_another_spokesperson(case, staff, act, login, organisation):
    _accept(act, staff, case)
    act(staff["chuyenvien"], case, "draft", {"action": "submit", "answer": "Trả lời."})
    task = open_task(case, "review")
    client = login(staff["phatngon"])
    client.post(f"/workspace/work/{task.pk}/nhan/")
    # The head reviews by law too (may_review): a colleague for this step.
    r = client.post(_reassign_url(task), {"to": staff["lanhdao"].pk, "reason": "Vắng mặt."})
    assert r.status_code == 302
    task.refresh_from_db()
    assert task.owner == staff["lanhdao"]
    # …and the other way, not to the registry officer, who may not review.
    r = login(staff["lanhdao"]).post(
        _reassign_url(task), {"to": staff["vanthu"].pk, "reason": "Thử"}
    )
    assert r.status_code == 200
