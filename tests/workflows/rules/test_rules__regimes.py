"""The rulebook as data: the seeded regimes, the regime switch on 1/7/2026, admin-added regimes."""

from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.errors import DomainError
from workflows.rules import calendar, deadlines
from workflows.rules.models import (
    CalendarSwap,
    DeadlineRule,
    InternalStepLimit,
    LegalRegime,
    RefusalGround,
)

pytestmark = pytest.mark.django_db

VN = calendar.VN_TZ


@pytest.fixture
def rulebook(db):
    """The regimes of the data migration (tests/conftest.py keeps them loaded)."""
    return {r.code: r for r in LegalRegime.objects.all()}


def rule(regime, kind):
    return regime.rules.get(kind=kind, step="final")


def test_seeded_2017_regime(rulebook):
    old = rulebook["2017"]
    assert (old.effective_from, old.effective_to) == (date(2017, 3, 30), date(2026, 6, 30))
    answer = rule(old, "answer_request")
    assert (answer.limit, answer.unit) == (30, "calendar_days")
    assert answer.citation == "Luật Báo chí 2016, Điều 39 khoản 1"
    report = rule(old, "press_report")
    assert (report.limit, report.unit, report.citation) == (
        30,
        "calendar_days",
        "Luật Báo chí 2016, Điều 39 khoản 2",
    )
    question = rule(old, "question")
    assert (question.limit, question.unit, question.agency_practice) == (5, "working_days", True)
    statement = rule(old, "initial_statement")
    assert (statement.limit, statement.unit, statement.clock_start) == (24, "hours", "event")
    assert "Điều 6 khoản 3" in statement.citation


def test_seeded_2026_regime(rulebook):
    new = rulebook["2026"]
    assert (new.effective_from, new.effective_to) == (date(2026, 7, 1), None)
    expected = {
        "answer_request": (30, "calendar_days", "received", "NĐ 237/2026/NĐ-CP, Điều 18 khoản 1"),
        "press_report": (15, "working_days", "received", "NĐ 237/2026/NĐ-CP, Điều 18 khoản 3"),
        "complaint": (5, "working_days", "conclusion", "NĐ 237/2026/NĐ-CP, Điều 18 khoản 2"),
        "initial_statement": (24, "hours", "received", "NĐ 244/2026/NĐ-CP, Điều 7 khoản 3"),
        "divergent_opinion": (24, "hours", "determination", "NĐ 244/2026/NĐ-CP, Điều 7 khoản 4"),
        "correction_response": (1, "working_days", "received", "NĐ 244/2026/NĐ-CP, Điều 7 khoản 6"),
    }
    for kind, (limit, unit, clock_start, citation) in expected.items():
        r = rule(new, kind)
        assert (r.limit, r.unit, r.clock_start, r.citation) == (limit, unit, clock_start, citation)
    assert rule(new, "correction_response").agency_practice
    info = rule(new, "information_request")
    assert (info.limit, info.unit, info.extendable, info.max_extension) == (
        3,
        "working_days",
        True,
        15,
    )
    assert not rule(new, "press_report").extendable


def test_seeded_refusal_grounds(rulebook):
    old = rulebook["2017"].refusal_grounds.filter(kind="")
    assert [g.code for g in old] == ["a", "b", "c", "d"]
    assert old[0].citation == "Luật Báo chí 2016, Điều 38 khoản 2 điểm a"
    assert "bí mật nhà nước" in old[0].label
    assert not any(g.unconfirmed for g in old)
    new = rulebook["2026"].refusal_grounds.filter(kind="")
    assert [g.code for g in new] == ["a", "b", "c"]
    assert all(g.unconfirmed and "Điều 31 khoản 2" in g.citation for g in new)


def test_seeded_swaps(rulebook):
    assert CalendarSwap.objects.get(date=date(2026, 8, 22)).kind == "working_day"
    assert CalendarSwap.objects.get(date=date(2026, 8, 31)).kind == "day_off"


@pytest.mark.parametrize(
    ("received_at", "code"),
    [
        (datetime(2026, 6, 30, 23, 59, tzinfo=VN), "2017"),
        (datetime(2026, 6, 30, 23, 59, 59, 999999, tzinfo=VN), "2017"),
        (datetime(2026, 7, 1, 0, 0, tzinfo=VN), "2026"),
        # 17:30 UTC on 30/6 is 00:30 on 1/7 in Vietnam: the local date decides.
        (datetime(2026, 6, 30, 17, 30, tzinfo=UTC), "2026"),
        (datetime(2026, 6, 30, 16, 59, tzinfo=UTC), "2017"),
        (datetime(2017, 3, 30, 8, 0, tzinfo=VN), "2017"),
        (datetime(2030, 1, 1, 8, 0, tzinfo=VN), "2026"),
    ],
)
def test_regime_switch(rulebook, received_at, code):
    assert deadlines.regime_for(received_at).code == code


def test_regime_switch_changes_the_deadline(rulebook):
    old = deadlines.deadline_compute(
        kind="press_report", received_at=datetime(2026, 6, 30, 23, 59, tzinfo=VN)
    )
    new = deadlines.deadline_compute(
        kind="press_report", received_at=datetime(2026, 7, 1, 0, 0, tzinfo=VN)
    )
    assert old.regime.code == "2017" and old.rule.unit == "calendar_days"
    assert old.due_at == calendar.end_of_day(date(2026, 7, 30))  # 30 days
    assert new.regime.code == "2026" and new.rule.unit == "working_days"
    assert new.due_at == calendar.end_of_day(date(2026, 7, 22))  # 15 working days


def test_no_regime_before_2017(rulebook):
    with pytest.raises(DomainError) as exc:
        deadlines.regime_for(datetime(2017, 3, 29, 12, 0, tzinfo=VN))
    assert exc.value.code == "no_regime"


def test_an_administrator_added_regime_takes_over_on_its_effective_date(rulebook):
    future = LegalRegime.objects.create(
        code="2028",
        name="Nghị định giả định 2028",
        effective_from=date(2028, 1, 1),
        citation="Nghị định 1/2028/NĐ-CP (ví dụ)",
    )
    DeadlineRule.objects.create(
        regime=future,
        kind="press_report",
        limit=10,
        unit="working_days",
        citation="NĐ 1/2028/NĐ-CP, Điều 5",
    )
    RefusalGround.objects.create(
        regime=future, code="a", label="Bí mật nhà nước.", citation="Luật X, Điều 1"
    )
    before = deadlines.deadline_compute(
        kind="press_report", received_at=datetime(2027, 12, 31, 23, 0, tzinfo=VN)
    )
    after = deadlines.deadline_compute(
        kind="press_report", received_at=datetime(2028, 1, 3, 8, 0, tzinfo=VN)
    )
    assert before.regime.code == "2026" and before.limit == 15
    assert after.regime == future and after.limit == 10
    assert "NĐ 1/2028/NĐ-CP, Điều 5" in after.explanation
    assert [g.code for g in deadlines.refusal_grounds_for(datetime(2028, 2, 1, tzinfo=VN))] == ["a"]
    # The 2026 regime was left open-ended; it still governs what came before.
    assert LegalRegime.objects.get(code="2026").effective_to is None


def test_regime_period_must_be_ordered():
    regime = LegalRegime(
        code="x",
        name="x",
        effective_from=date(2030, 1, 1),
        effective_to=date(2029, 1, 1),
        citation="x",
    )
    with pytest.raises(ValidationError):
        regime.full_clean()


def test_extendable_rule_needs_a_maximum(rulebook):
    r = DeadlineRule(
        regime=rulebook["2026"],
        kind="periodic",
        limit=1,
        unit="working_days",
        extendable=True,
        citation="x",
    )
    with pytest.raises(ValidationError):
        r.full_clean()


def test_admin_lists_and_edits_the_rulebook(rulebook, admin_client, organisation):
    InternalStepLimit.objects.create(organisation=organisation, step="draft", limit=2)
    for model in (
        "legalregime",
        "deadlinerule",
        "refusalground",
        "calendarswap",
        "internalsteplimit",
    ):
        response = admin_client.get(reverse(f"admin:workflows_{model}_changelist"))
        assert response.status_code == 200, model
    response = admin_client.get(
        reverse("admin:workflows_legalregime_change", args=[rulebook["2026"].pk])
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "NĐ 237/2026/NĐ-CP, Điều 18 khoản 3" in content
    assert "Điều 31 khoản 2" in content
    response = admin_client.get(reverse("admin:workflows_calendarswap_changelist"))
    assert "22/08/2026" in response.content.decode() or "22 tháng 8" in response.content.decode()


def test_admin_adds_a_swap(admin_client):
    response = admin_client.post(
        reverse("admin:workflows_calendarswap_add"),
        {"date": "05/12/2026", "kind": "working_day", "note": "Làm bù", "source": "TB 1/2026"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert calendar.is_working_day(date(2026, 12, 5))
    calendar.invalidate()
