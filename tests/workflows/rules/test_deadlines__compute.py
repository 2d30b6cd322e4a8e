"""deadline_compute and step_due: due dates, rules and Vietnamese explanations."""

from datetime import date, datetime, timedelta

import pytest

from core.errors import DomainError
from workflows.rules import calendar, deadlines
from workflows.rules.models import InternalStepLimit, LegalRegime

pytestmark = pytest.mark.django_db

VN = calendar.VN_TZ


def test_press_report_2026_matches_the_worked_example():
    deadline = deadlines.deadline_compute(
        kind="press_report", received_at=datetime(2026, 12, 2, 10, 15, tzinfo=VN)
    )
    assert deadline.due_at == datetime(2026, 12, 23, 23, 59, 59, 999999, tzinfo=VN)
    assert deadline.regime.code == "2026"
    assert deadline.rule_id == deadline.rule.pk
    assert (deadline.limit, deadline.unit) == (15, "working_days")
    assert deadline.explanation == (
        "15 ngày làm việc kể từ 02/12/2026 — NĐ 237/2026/NĐ-CP, Điều 18 khoản 3 → hết 23/12/2026"
    )
    assert not deadline.unconfirmed


def test_answer_request_rolls_past_the_weekend_and_says_so():
    # Day 30 from Friday 2/10/2026 is Sunday 1/11: the limit ends at the end of Monday 2/11.
    deadline = deadlines.deadline_compute(
        kind="answer_request", received_at=datetime(2026, 10, 2, 16, 0, tzinfo=VN)
    )
    assert deadline.due_at == calendar.end_of_day(date(2026, 11, 2))
    assert deadline.explanation.startswith(
        "30 ngày kể từ 02/10/2026 — NĐ 237/2026/NĐ-CP, Điều 18 khoản 1 → hết 02/11/2026"
    )
    assert "01/11/2026 là ngày nghỉ" in deadline.explanation


def test_press_report_2017_is_30_calendar_days():
    deadline = deadlines.deadline_compute(
        kind="press_report", received_at=datetime(2026, 6, 10, 9, 0, tzinfo=VN)
    )
    assert deadline.regime.code == "2017"
    assert deadline.due_at == calendar.end_of_day(date(2026, 7, 10))
    assert "Luật Báo chí 2016, Điều 39 khoản 2" in deadline.explanation


def test_initial_statement_is_24_clock_hours_over_a_weekend():
    received = datetime(2026, 12, 5, 14, 30, tzinfo=VN)  # Saturday
    deadline = deadlines.deadline_compute(kind="initial_statement", received_at=received)
    assert deadline.due_at == received + timedelta(hours=24)
    assert deadline.explanation == (
        "24 giờ kể từ 14:30 05/12/2026 — NĐ 244/2026/NĐ-CP, Điều 7 khoản 3 → hết 14:30 06/12/2026"
    )


def test_old_initial_statement_counts_from_the_event():
    event = datetime(2026, 3, 1, 6, 0, tzinfo=VN)
    deadline = deadlines.deadline_compute(
        kind="initial_statement",
        received_at=datetime(2026, 3, 1, 9, 0, tzinfo=VN),
        start_at=event,
    )
    assert deadline.regime.code == "2017"
    assert deadline.due_at == event + timedelta(hours=24)
    assert "khi sự việc xảy ra lúc 06:00 01/03/2026" in deadline.explanation


def test_complaint_clock_waits_for_the_conclusion():
    received = datetime(2026, 9, 10, 9, 0, tzinfo=VN)
    waiting = deadlines.deadline_compute(kind="complaint", received_at=received)
    assert waiting.due_at is None and waiting.rule.clock_start == "conclusion"
    assert "chưa bắt đầu tính" in waiting.explanation
    concluded = deadlines.deadline_compute(
        kind="complaint",
        received_at=received,
        start_at=datetime(2026, 8, 27, 15, 0, tzinfo=VN),  # Thursday before Quốc khánh
    )
    # 28/8, then 31/8–2/9 off, 3/9, 4/9, 7/9, 8/9.
    assert concluded.due_at == calendar.end_of_day(date(2026, 9, 8))
    assert "ngày có kết luận 27/08/2026" in concluded.explanation


def test_agency_practice_is_flagged_in_the_explanation():
    deadline = deadlines.deadline_compute(
        kind="correction_response", received_at=datetime(2026, 12, 4, 9, 0, tzinfo=VN)
    )
    assert deadline.due_at == calendar.end_of_day(date(2026, 12, 7))
    assert "mức mặc định của cơ quan" in deadline.explanation


def test_unconfirmed_rule_says_so():
    rule = LegalRegime.objects.get(code="2026").rules.get(kind="press_report")
    rule.unconfirmed = True
    rule.save()
    deadline = deadlines.deadline_compute(
        kind="press_report", received_at=datetime(2026, 12, 2, 9, 0, tzinfo=VN)
    )
    assert deadline.unconfirmed
    assert "chưa được xác thực" in deadline.explanation


def test_kind_without_a_rule_is_refused():
    with pytest.raises(DomainError) as exc:
        deadlines.deadline_compute(
            kind="divergent_opinion", received_at=datetime(2026, 3, 1, 9, 0, tzinfo=VN)
        )
    assert exc.value.code == "no_rule"


def test_tet_delays_a_question_received_before_it():
    deadline = deadlines.deadline_compute(
        kind="question", received_at=datetime(2026, 2, 12, 9, 0, tzinfo=VN)
    )
    # 13/2, then Tết 14–22/2, then 23, 24, 25, 26/2.
    assert deadline.due_at == calendar.end_of_day(date(2026, 2, 26))


def test_default_internal_step_limits(organisation):
    start = datetime(2026, 12, 4, 16, 0, tzinfo=VN)  # Friday
    for step, expected in [
        ("triage", date(2026, 12, 7)),
        ("draft", date(2026, 12, 9)),
        ("review", date(2026, 12, 7)),
        ("signoff", date(2026, 12, 7)),
    ]:
        due = deadlines.step_due(organisation=organisation, step=step, kind="question", start=start)
        assert due.due_at == calendar.end_of_day(expected), step
        assert due.internal_limit is None
        assert "mặc định của hệ thống" in due.explanation


def test_organisation_step_limits_kind_specific_first(organisation, other_organisation):
    InternalStepLimit.objects.create(organisation=organisation, step="draft", limit=4)
    specific = InternalStepLimit.objects.create(
        organisation=organisation,
        step="draft",
        kind="question",
        limit=2,
        citation="Quy chế phát ngôn số 12/QC-PGDĐT",
    )
    InternalStepLimit.objects.create(
        organisation=organisation, step="review", limit=4, unit="hours"
    )
    start = datetime(2026, 12, 2, 9, 0, tzinfo=VN)
    question = deadlines.step_due(
        organisation=organisation, step="draft", kind="question", start=start
    )
    assert question.internal_limit == specific
    assert question.due_at == calendar.end_of_day(date(2026, 12, 4))
    assert "Quy chế phát ngôn số 12/QC-PGDĐT" in question.explanation
    report = deadlines.step_due(
        organisation=organisation, step="draft", kind="press_report", start=start
    )
    assert report.due_at == calendar.end_of_day(date(2026, 12, 8))
    assert "Quy chế nội bộ của PGDĐT" in report.explanation
    review = deadlines.step_due(
        organisation=organisation, step="review", kind="question", start=start
    )
    assert review.due_at == start + timedelta(hours=4)
    # Another organisation's rules do not leak.
    other = deadlines.step_due(
        organisation=other_organisation, step="draft", kind="question", start=start
    )
    assert other.due_at == calendar.end_of_day(date(2026, 12, 7))


def test_deadline_compute_for_an_internal_step(organisation):
    InternalStepLimit.objects.create(organisation=organisation, step="triage", limit=2)
    deadline = deadlines.deadline_compute(
        kind="press_report",
        received_at=datetime(2026, 12, 2, 9, 0, tzinfo=VN),
        organisation=organisation,
        step="triage",
    )
    assert deadline.regime.code == "2026"
    assert deadline.due_at == calendar.end_of_day(date(2026, 12, 4))


def test_unknown_step_is_refused(organisation):
    with pytest.raises(DomainError) as exc:
        deadlines.step_due(
            organisation=organisation,
            step="publish",
            kind="question",
            start=datetime(2026, 12, 2, 9, 0, tzinfo=VN),
        )
    assert exc.value.code == "invalid_step"
