"""PostgreSQL: the working-day calendar carried into the query gives the Python path's figures."""

from datetime import date

import time_machine

from reports import selectors
from reports.selectors import Period
from workflows.cases.models import Case

from .conftest import make_case, vn

NOW = vn(2026, 11, 16, 9)


def _by_day(ids, period):
    answered = selectors.cases_received(ids, period).filter(status=Case.Status.ANSWERED)
    return selectors._answer_histograms_by_day(answered)


def _plain(histograms):
    return {k: dict(v) for k, v in histograms.items()}


@time_machine.travel(NOW, tick=False)
def test_array_path_matches_the_python_path(
    postgres_db, organisation, other_organisation, journalist
):
    # Across Tết 2026 (16–20/2), 30/4–1/5, 2/9, a weekend, the same day, a late-evening answer.
    spans = [
        (vn(2026, 2, 12, 9), vn(2026, 2, 25, 23, 30)),
        (vn(2026, 4, 28, 9), vn(2026, 5, 6, 15)),
        (vn(2026, 8, 31, 23, 59), vn(2026, 9, 3, 0, 1)),
        (vn(2026, 10, 9, 17), vn(2026, 10, 12, 8)),
        (vn(2026, 10, 14, 8), vn(2026, 10, 14, 9)),
    ]
    for i, (received, answered) in enumerate(spans * 2):
        make_case(
            organisation if i % 2 else other_organisation,
            journalist,
            received_at=received,
            closed_at=answered,
            status=Case.Status.ANSWERED,
        )
    ids = [organisation.pk, other_organisation.pk]
    period = Period(date(2026, 1, 1), date(2026, 12, 31))

    histograms = _plain(selectors.answer_histograms(ids, period))

    assert histograms == _plain(_by_day(ids, period))
    # Each organisation has every span once: 30/4–1/5 skipped (4), a weekend (1), same day (0).
    assert sum(histograms[organisation.pk].values()) == 5
    assert {0, 1, 4} <= set(histograms[organisation.pk])


@time_machine.travel(NOW, tick=False)
def test_answers_older_than_the_array_fall_back(postgres_db, organisation, journalist):
    make_case(
        organisation,
        journalist,
        received_at=vn(2012, 3, 1, 9),
        closed_at=vn(2012, 3, 8, 9),
        status=Case.Status.ANSWERED,
    )
    period = Period(date(2012, 1, 1), date(2026, 12, 31))

    histograms = selectors.answer_histograms([organisation.pk], period)

    assert _plain(histograms) == {organisation.pk: {5: 1}}


def test_the_month_statistics_match_the_dashboards_grouping(postgres_db, organisation):
    """Migration workflows 0011: PostgreSQL uses statistics on an expression only when the
    query groups by the very same expression (else it sorts every case on disk)."""
    from django.db import connection
    from django.db.models.functions import TruncMonth

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_statisticsobjdef(oid) FROM pg_statistic_ext "
            "WHERE stxname = 'workflows_case_report_month'"
        )
        (definition,) = cursor.fetchone()
    query = (
        selectors.cases_received([organisation.pk], Period(date(2026, 1, 1), date(2026, 12, 31)))
        .annotate(month=TruncMonth("received_at", tzinfo=selectors.VN_TZ))
        .values("organisation_id", "month", "kind")
        .annotate(n=selectors.Count("pk"))
    )
    expression = "date_trunc('month'::text, (received_at AT TIME ZONE 'Asia/Ho_Chi_Minh'::text))"

    assert definition.endswith(f"ON kind, organisation_id, {expression} FROM workflows_case")
    assert expression in query.explain()


def test_vietnam_time_is_a_fixed_offset_over_a_span():
    """The histogram's arithmetic on epochs holds only while the offset does not change."""
    assert selectors._fixed_offset(date(2016, 12, 1), date(2026, 11, 30)) == 7 * 3600
    assert selectors._fixed_offset(date(1975, 1, 1), date(1976, 1, 1)) is None  # +08:00 → +07:00
