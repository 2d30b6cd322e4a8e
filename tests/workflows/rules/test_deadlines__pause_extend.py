"""Pauses (clarification) and extensions move due_at with a reason, only where the rule allows."""

from datetime import date, datetime, timedelta

import pytest

from core.errors import DomainError
from workflows.rules import calendar, deadlines
from workflows.rules.models import DeadlineRule, LegalRegime

pytestmark = pytest.mark.django_db

VN = calendar.VN_TZ


def rule_2026(kind):
    return DeadlineRule.objects.get(regime__code="2026", kind=kind, step="final")


def at(y, m, d, hour=9, minute=0):
    return datetime(y, m, d, hour, minute, tzinfo=VN)


def test_extension_of_an_information_request():
    rule = rule_2026("information_request")
    due = calendar.end_of_day(date(2026, 12, 7))
    shift = deadlines.deadline_extend(
        rule=rule, due_at=due, amount=10, reason="Thông tin phức tạp, cần tập hợp từ 3 trường"
    )
    # 10 calendar days from 7/12 is Thursday 17/12.
    assert shift.due_at == calendar.end_of_day(date(2026, 12, 17))
    assert shift.previous_due_at == due
    assert (shift.amount, shift.unit) == (10, "calendar_days")
    assert shift.explanation == (
        "Gia hạn thêm 10 ngày kể từ 07/12/2026 — Luật Tiếp cận thông tin 2016, Điều 28–31 "
        "→ hết 17/12/2026. Lý do: Thông tin phức tạp, cần tập hợp từ 3 trường"
    )
    new_due, note = shift  # the case flow unpacks (due_at, explanation)
    assert (new_due, note) == (shift.due_at, shift.explanation)


def test_extension_beyond_the_maximum_is_refused():
    rule = rule_2026("information_request")
    due = calendar.end_of_day(date(2026, 12, 7))
    with pytest.raises(DomainError) as exc:
        deadlines.deadline_extend(rule=rule, due_at=due, amount=16, reason="Cần thêm thời gian")
    assert exc.value.code == "extension_too_long"
    assert "tối đa 15 ngày" in exc.value.message
    with pytest.raises(DomainError) as exc:
        deadlines.deadline_extend(
            rule=rule, due_at=due, amount=6, reason="Lần hai", already_extended=10
        )
    assert exc.value.code == "extension_too_long"
    shift = deadlines.deadline_extend(
        rule=rule, due_at=due, amount=5, reason="Lần hai", already_extended=10
    )
    assert shift.due_at == calendar.end_of_day(date(2026, 12, 14))  # 12/12 is a Saturday


@pytest.mark.parametrize(
    "kind", ["press_report", "answer_request", "complaint", "initial_statement"]
)
def test_extension_refused_when_the_rule_does_not_allow_it(kind):
    with pytest.raises(DomainError) as exc:
        deadlines.deadline_extend(
            rule=rule_2026(kind),
            due_at=calendar.end_of_day(date(2026, 12, 23)),
            amount=1,
            reason="Cần thêm thời gian",
        )
    assert exc.value.code == "not_extendable"
    assert "không được gia hạn" in exc.value.message


def test_extension_needs_a_reason_and_a_positive_amount():
    rule = rule_2026("question")
    due = calendar.end_of_day(date(2026, 12, 9))
    with pytest.raises(DomainError) as exc:
        deadlines.deadline_extend(rule=rule, due_at=due, amount=2, reason="   ")
    assert exc.value.code == "reason_required"
    with pytest.raises(DomainError) as exc:
        deadlines.deadline_extend(rule=rule, due_at=due, amount=0, reason="x")
    assert exc.value.code == "invalid_amount"
    shift = deadlines.deadline_extend(rule=rule, due_at=due, amount=2, reason="Chờ số liệu")
    assert shift.due_at == calendar.end_of_day(date(2026, 12, 11))
    assert shift.unit == "working_days"


def test_pause_only_where_the_rule_allows_it():
    due = calendar.end_of_day(date(2026, 12, 23))
    with pytest.raises(DomainError) as exc:
        deadlines.deadline_pause(
            rule=rule_2026("press_report"), due_at=due, paused_at=at(2026, 12, 4), reason="x"
        )
    assert exc.value.code == "not_pausable"
    pause = deadlines.deadline_pause(
        rule=rule_2026("question"),
        due_at=due,
        paused_at=at(2026, 12, 4, 10),
        reason="Đề nghị nhà báo làm rõ câu hỏi 2",
    )
    assert pause.explanation == (
        "Tạm dừng tính thời hạn từ 04/12/2026. Lý do: Đề nghị nhà báo làm rõ câu hỏi 2"
    )
    with pytest.raises(DomainError) as exc:
        deadlines.deadline_pause(
            rule=rule_2026("question"), due_at=due, paused_at=at(2026, 12, 24), reason="x"
        )
    assert exc.value.code == "already_overdue"


def test_resume_moves_a_working_day_deadline_by_the_working_days_lost():
    rule = rule_2026("question")
    due = calendar.end_of_day(date(2026, 12, 9))
    # Paused Friday 4/12, resumed Wednesday 9/12: Mon 7, Tue 8, Wed 9 are lost.
    shift = deadlines.deadline_resume(
        rule=rule, due_at=due, paused_at=at(2026, 12, 4, 10), resumed_at=at(2026, 12, 9, 15)
    )
    assert shift.amount == 3
    assert shift.due_at == calendar.end_of_day(date(2026, 12, 14))
    assert "3 ngày làm việc không tính" in shift.explanation
    due_at, note = shift
    assert due_at == shift.due_at and note == shift.explanation


def test_resume_on_the_same_day_moves_nothing():
    rule = rule_2026("question")
    due = calendar.end_of_day(date(2026, 12, 9))
    shift = deadlines.deadline_resume(
        rule=rule, due_at=due, paused_at=at(2026, 12, 4, 9), resumed_at=at(2026, 12, 4, 16)
    )
    assert (shift.amount, shift.due_at) == (0, due)


def test_resume_over_quoc_khanh_counts_only_working_days():
    rule = rule_2026("information_request")
    due = calendar.end_of_day(date(2026, 9, 4))
    # Paused Friday 28/8, resumed Thursday 3/9: only 3/9 is a working day in between.
    shift = deadlines.deadline_resume(
        rule=rule, due_at=due, paused_at=at(2026, 8, 28), resumed_at=at(2026, 9, 3)
    )
    assert shift.amount == 1
    assert shift.due_at == calendar.end_of_day(date(2026, 9, 7))


def test_resume_of_calendar_and_hour_limits():
    regime = LegalRegime.objects.get(code="2026")
    days = DeadlineRule(
        regime=regime, kind="answer_request", limit=30, unit="calendar_days", pausable=True
    )
    due = calendar.end_of_day(date(2026, 12, 16))
    shift = deadlines.deadline_resume(
        rule=days, due_at=due, paused_at=at(2026, 12, 1), resumed_at=at(2026, 12, 4)
    )
    # 3 days lost: 19/12 is a Saturday, so it ends on Monday 21/12.
    assert (shift.amount, shift.due_at) == (3, calendar.end_of_day(date(2026, 12, 21)))
    hours = DeadlineRule(
        regime=regime, kind="initial_statement", limit=24, unit="hours", pausable=True
    )
    due = at(2026, 12, 2, 14, 30)
    shift = deadlines.deadline_resume(
        rule=hours, due_at=due, paused_at=at(2026, 12, 2, 9), resumed_at=at(2026, 12, 2, 11, 30)
    )
    assert shift.due_at == due + timedelta(hours=2, minutes=30)
    assert shift.amount == 3  # hours, rounded up


def test_resume_before_pause_is_refused():
    with pytest.raises(DomainError) as exc:
        deadlines.deadline_resume(
            rule=rule_2026("question"),
            due_at=calendar.end_of_day(date(2026, 12, 9)),
            paused_at=at(2026, 12, 4),
            resumed_at=at(2026, 12, 3),
        )
    assert exc.value.code == "resume_before_pause"


def test_refusal_grounds_follow_the_regime_and_kind():
    old = deadlines.refusal_grounds_for(at(2026, 6, 30, 23, 59))
    assert [g.code for g in old] == ["a", "b", "c", "d"]
    assert old[3].citation == "Luật Báo chí 2016, Điều 38 khoản 2 điểm d"
    new = deadlines.refusal_grounds_for(at(2026, 7, 1, 0, 0))
    assert [g.code for g in new] == ["a", "b", "c"]
    assert all(g.unconfirmed for g in new)
    info = deadlines.refusal_grounds_for(at(2026, 7, 1), kind="information_request")
    assert [g.code for g in info] == ["a", "b", "c", "d", "đ", "e"]
    assert info[0].citation == "Luật Tiếp cận thông tin 2016, Điều 28 khoản 1 điểm a"
    assert [g.code for g in deadlines.refusal_grounds_for(at(2026, 7, 1), kind="question")] == [
        "a",
        "b",
        "c",
    ]


def test_resume_never_moves_a_clock_the_rule_does_not_let_pause():
    due = calendar.end_of_day(date(2026, 12, 23))
    shift = deadlines.deadline_resume(
        rule=rule_2026("press_report"),
        due_at=due,
        paused_at=at(2026, 12, 4),
        resumed_at=at(2026, 12, 10),
    )
    assert (shift.amount, shift.due_at) == (0, due)
    assert "không được tạm dừng" in shift.explanation
