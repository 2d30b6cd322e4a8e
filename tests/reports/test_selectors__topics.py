"""Coverage per plan topic: cases and statements of the period per topic, zeros included."""

from datetime import date

import pytest

from reports import selectors
from reports.selectors import Period
from roles.models import PlanTopic
from workflows.cases.models import Case
from workflows.statements.models import Statement

from .conftest import make_case, make_statement, make_topics, vn

OCTOBER = Period(date(2026, 10, 1), date(2026, 10, 31))


@pytest.fixture
def plan(organisation):
    """Thuận An's 2026 plan: three topics, and a fourth no longer in use."""
    topics = make_topics(organisation, 2026, ["Tuyển sinh", "Chuyển đổi số", "Học phí"])
    retired = PlanTopic.objects.create(
        organisation=organisation, year=2026, number=4, title="Đã bỏ", is_active=False
    )
    return [*topics, retired]


@pytest.fixture
def tagged(organisation, journalist, specialist, plan):
    """Hand-counted: in October, topic 1 has 2 cases and 1 statement, topic 2 one case,
    topic 3 nothing, the retired topic 4 one case (carried before it was retired)."""
    t1, t2, t3, t4 = plan

    def case(at, *topics):
        make_case(organisation, journalist, received_at=at).topics.set(topics)

    case(vn(2026, 10, 1, 0, 0), t1, t2)  # first minute of October, Vietnam time
    case(vn(2026, 10, 31, 23, 59), t1)  # last minute
    case(vn(2026, 10, 15, 9), t4)
    case(vn(2026, 9, 30, 23, 59), t1, t3)  # September: not counted
    case(vn(2026, 11, 1, 0, 0), t3)  # November: not counted
    make_case(organisation, journalist, received_at=vn(2026, 10, 2, 9))  # no topic
    make_statement(organisation, specialist, created_at=vn(2026, 10, 20, 9), topics=[t1])
    make_statement(
        organisation,
        specialist,
        created_at=vn(2026, 10, 21, 9),
        status=Statement.Status.WITHDRAWN,
        topics=[t3],
    )
    make_statement(organisation, specialist, created_at=vn(2026, 11, 2, 9), topics=[t2])


def _by_number(rows):
    return {r["number"]: (r["cases"], r["statements"]) for r in rows}


def test_coverage_counts_cases_and_statements_per_topic(organisation, tagged):
    rows = selectors.topic_coverage([organisation.pk], OCTOBER)

    assert _by_number(rows) == {1: (2, 1), 2: (1, 0), 3: (0, 0), 4: (1, 0)}
    assert [r["title"] for r in rows] == ["Tuyển sinh", "Chuyển đổi số", "Học phí", "Đã bỏ"]
    assert {r["organisation_id"] for r in rows} == {organisation.pk}
    assert [r["is_active"] for r in rows] == [True, True, True, False]


def test_a_retired_topic_without_coverage_is_left_out(organisation, journalist, plan):
    rows = selectors.topic_coverage([organisation.pk], OCTOBER)

    assert _by_number(rows) == {1: (0, 0), 2: (0, 0), 3: (0, 0)}  # 4: retired and untouched


def test_only_the_years_of_the_period_and_the_organisations_asked(
    organisation, other_organisation, journalist, tagged
):
    make_topics(organisation, 2025, ["Năm trước"])
    make_topics(other_organisation, 2026, ["Của cơ quan khác"])

    mine = selectors.topic_coverage([organisation.pk], OCTOBER)
    both = selectors.topic_coverage([organisation.pk, other_organisation.pk], OCTOBER)
    across = selectors.topic_coverage(
        [organisation.pk], Period(date(2025, 12, 15), date(2026, 10, 31))
    )

    assert "Năm trước" not in {r["title"] for r in mine}
    assert [
        (r["organisation_id"], r["cases"]) for r in both if r["title"] == "Của cơ quan khác"
    ] == [(other_organisation.pk, 0)]
    assert [(r["year"], r["number"]) for r in across][:2] == [(2025, 1), (2026, 1)]
    assert _by_number(r for r in across if r["year"] == 2026)[1] == (3, 1)  # September too


def test_the_coverage_is_three_queries(organisation, tagged, django_assert_num_queries):
    with django_assert_num_queries(3):
        selectors.topic_coverage([organisation.pk], OCTOBER)


def test_a_case_without_topics_counts_nowhere(organisation, journalist, plan):
    make_case(organisation, journalist, received_at=vn(2026, 10, 2, 9))

    assert all(r["cases"] == 0 for r in selectors.topic_coverage([organisation.pk], OCTOBER))
    assert Case.objects.count() == 1
