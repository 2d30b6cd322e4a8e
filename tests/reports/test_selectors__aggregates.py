"""The report figures: counted by received date in Vietnam time, from SQL aggregates."""

from datetime import date

import pytest
import time_machine

from reports import selectors
from reports.selectors import Period
from workflows.cases.models import Case

from .conftest import make_case, vn

NOW = vn(2026, 11, 16, 9, 0)
OCTOBER = Period(date(2026, 10, 1), date(2026, 10, 31))
S = Case.Status


@pytest.fixture
def october(organisation, journalist):
    """Thuận An's cases around October 2026 (no public holiday that month)."""
    c = lambda **kw: make_case(organisation, journalist, **kw)  # noqa: E731
    # Answered: 0, 3, 4 and 10 working days after receipt; the last one after its due time.
    c(
        received_at=vn(2026, 10, 1, 8),
        status=S.ANSWERED,
        closed_at=vn(2026, 10, 1, 16),
        due_at=vn(2026, 10, 8, 23, 59),
    )
    c(
        received_at=vn(2026, 10, 8, 10),
        status=S.ANSWERED,
        closed_at=vn(2026, 10, 13, 9),
        due_at=vn(2026, 10, 15, 23, 59),
        kind=Case.Kind.PRESS_REPORT,
    )
    c(received_at=vn(2026, 10, 5, 9), status=S.ANSWERED, closed_at=vn(2026, 10, 9, 17))
    c(
        received_at=vn(2026, 10, 5, 9),
        status=S.ANSWERED,
        closed_at=vn(2026, 10, 19, 10),
        due_at=vn(2026, 10, 12, 23, 59),
        kind=Case.Kind.ANSWER_REQUEST,
    )
    c(received_at=vn(2026, 10, 20, 9), status=S.REFUSED, closed_at=vn(2026, 10, 21, 9))
    c(received_at=vn(2026, 10, 21, 9), status=S.FORWARDED, closed_at=vn(2026, 10, 21, 10))
    c(received_at=vn(2026, 10, 22, 9), status=S.DUPLICATE, closed_at=vn(2026, 10, 22, 10))
    # Open: one overdue, one paused (waiting for the journalist) past its due time, one in time.
    c(
        received_at=vn(2026, 10, 26, 9),
        status=S.REVIEW,
        due_at=vn(2026, 11, 2, 23, 59),
        kind=Case.Kind.COMPLAINT,
    )
    c(
        received_at=vn(2026, 10, 27, 9),
        status=S.AWAITING_CLARIFICATION,
        due_at=vn(2026, 11, 3, 23, 59),
        paused_at=vn(2026, 10, 28, 9),
    )
    c(received_at=vn(2026, 10, 31, 23, 50), status=S.DRAFTING, due_at=vn(2026, 12, 31, 23, 59))
    # Outside October in Vietnam time, inside it in UTC (and the other way round).
    c(received_at=vn(2026, 9, 30, 23, 30), status=S.ANSWERED, closed_at=vn(2026, 10, 30, 9))
    c(received_at=vn(2026, 11, 1, 0, 5), status=S.DRAFTING, due_at=vn(2026, 11, 5, 23, 59))


@time_machine.travel(NOW, tick=False)
def test_summary_counts_october_in_vietnam_time(organisation, october):
    figures = selectors.case_summary([organisation.pk], OCTOBER, NOW)

    assert figures["received"] == 10
    assert (figures["answered"], figures["refused"], figures["forwarded"]) == (4, 1, 1)
    assert (figures["open"], figures["overdue"]) == (3, 1)
    assert figures["by_kind"] == {
        "question": 7,
        "answer_request": 1,
        "press_report": 1,
        "complaint": 1,
    }
    assert sum(figures["by_kind"].values()) == figures["received"]


@time_machine.travel(NOW, tick=False)
def test_on_time_rate_and_median_working_days(organisation, october):
    figures = selectors.case_summary([organisation.pk], OCTOBER, NOW)

    # 3 of 4 answers in time (a case without a clock missed nothing); 0, 3, 4, 10 days.
    assert figures["on_time_rate"] == 0.75
    assert figures["median_working_days_to_answer"] == 3.5


def test_median_skips_public_holidays(organisation, journalist):
    # Received Tuesday 28/4/2026, answered Wednesday 6/5: 30/4 and 1/5 are holidays, so
    # 29/4, 4/5, 5/5, 6/5 count.
    make_case(
        organisation,
        journalist,
        received_at=vn(2026, 4, 28, 9),
        status=S.ANSWERED,
        closed_at=vn(2026, 5, 6, 15),
    )
    period = Period(date(2026, 4, 1), date(2026, 4, 30))

    figures = selectors.case_summary([organisation.pk], period, vn(2026, 5, 7))

    assert figures["median_working_days_to_answer"] == 4


def test_nothing_answered_gives_no_rate_and_no_median(organisation, journalist):
    make_case(organisation, journalist, received_at=vn(2026, 10, 1, 9))

    figures = selectors.case_summary([organisation.pk], OCTOBER, NOW)

    assert figures["received"] == 1
    assert figures["on_time_rate"] is None
    assert figures["median_working_days_to_answer"] is None


def test_empty_period_has_every_kind_at_zero(organisation):
    figures = selectors.case_summary([organisation.pk], OCTOBER, NOW)

    assert figures["received"] == 0
    assert figures["by_kind"] == dict.fromkeys(Case.Kind.values, 0)


@time_machine.travel(NOW, tick=False)
def test_months_split_by_kind_in_vietnam_time(organisation, october):
    period = Period(date(2026, 9, 1), date(2026, 11, 30))

    months = selectors.case_report([organisation], [organisation.pk], period, NOW)["months"]

    assert [m["month"] for m in months] == [date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)]
    assert [m["received"] for m in months] == [1, 10, 1]
    assert months[1]["by_kind"]["press_report"] == 1
    assert months[1]["on_time_rate"] == 0.75
    assert months[2]["on_time_rate"] is None


@time_machine.travel(NOW, tick=False)
def test_side_by_side_and_subtree(organisation, other_organisation, journalist, october):
    make_case(
        other_organisation,
        journalist,
        received_at=vn(2026, 10, 2, 9),
        status=S.ANSWERED,
        closed_at=vn(2026, 10, 6, 9),
    )

    both = [organisation, other_organisation]
    report = selectors.case_report(both, [organisation.pk], OCTOBER, NOW)
    rows = report["side_by_side"]
    together = selectors.case_summary([organisation.pk, other_organisation.pk], OCTOBER, NOW)

    assert [(r["organisation"], r["received"]) for r in rows] == [
        (organisation, 10),
        (other_organisation, 1),
    ]
    assert rows[1]["median_working_days_to_answer"] == 2
    assert rows[1]["on_time_rate"] == 1
    assert together["received"] == 11
    # The summary adds up only the organisations asked for; the rows show every one.
    assert report["summary"] == selectors.case_summary([organisation.pk], OCTOBER, NOW)
    assert report["summary"]["median_working_days_to_answer"] == 3.5


@time_machine.travel(NOW, tick=False)
def test_overdue_now_by_unit_and_step(organisation, journalist, unit):
    make_case(
        organisation,
        journalist,
        received_at=vn(2025, 1, 5, 9),
        status=S.DRAFTING,
        due_at=vn(2025, 1, 12, 23, 59),
        assigned_unit=unit,
    )
    make_case(
        organisation,
        journalist,
        received_at=vn(2026, 10, 5, 9),
        status=S.SIGNOFF,
        due_at=vn(2026, 10, 12, 23, 59),
        assigned_unit=unit,
    )
    make_case(
        organisation,
        journalist,
        received_at=vn(2026, 10, 5, 9),
        status=S.TRIAGE,
        due_at=vn(2026, 10, 12, 23, 59),
    )
    make_case(
        organisation,
        journalist,
        received_at=vn(2026, 10, 5, 9),
        status=S.ANSWERED,
        due_at=vn(2026, 10, 12, 23, 59),
        closed_at=vn(2026, 10, 20, 9),
    )

    overdue = selectors.overdue_now([organisation.pk], NOW)

    assert [(r["unit"], r["n"]) for r in overdue["by_unit"]] == [(unit.name, 2), (None, 1)]
    assert sorted((r["step"], r["n"]) for r in overdue["by_step"]) == [
        ("drafting", 1),
        ("signoff", 1),
        ("triage", 1),
    ]
