"""The annual report's figures against hand-counted data; the period's edges are
14/12 23:59:59 (out of next year, in this one) and 15/12 00:00 Vietnam time."""

import itertools
from datetime import date

import pytest
import time_machine

from reports import annual
from roles.models import SpokespersonAssignment
from tests.workflows.helpers import spokesperson_assign
from workflows.rules.models import RefusalGround
from workflows.statements.models import PeriodicSchedule, Statement

from .conftest import make_case, make_statement, make_topics, vn

pytestmark = pytest.mark.django_db
NOW = vn(2026, 12, 16, 9)
_refs = itertools.count(1)
K, S = Statement.Kind, Statement.Status


@pytest.fixture(autouse=True)
def _travel():
    with time_machine.travel(NOW, tick=False):
        yield


def _statement(organisation, author, kind, *, released_at, due_at=None, **kw):
    data = {
        "reference": f"TT-T-{next(_refs):04d}",
        "organisation": organisation,
        "kind": kind,
        "doc_type": "thong_cao",
        "title": "Thông tin",
        "author": author,
        "status": S.RELEASED,
        "released_at": released_at,
        "due_at": due_at,
    }
    return Statement.objects.create(**{**data, **kw})


@pytest.fixture
def data(organisation, other_organisation, journalist, spokesperson, head):
    ground = RefusalGround.objects.order_by("pk").first()
    c = {"organisation": organisation, "journalist": journalist}
    # Questions: out before the period, the first instant in, the last instant in, out after.
    make_case(**c, received_at=vn(2025, 12, 14, 23, 59, 59), status="answered")
    make_case(
        **c,
        received_at=vn(2025, 12, 15, 0, 0),
        status="answered",
        closed_at=vn(2025, 12, 18, 9),
        due_at=vn(2025, 12, 22, 17),
    )
    make_case(**c, received_at=vn(2026, 12, 14, 23, 59, 59), status="drafting")
    make_case(**c, received_at=vn(2026, 12, 15, 0, 0), status="answered")
    # Answered late, open past its due time, refused (with and without a ground), forwarded.
    make_case(
        **c,
        received_at=vn(2026, 5, 1, 9),
        status="answered",
        closed_at=vn(2026, 5, 20, 9),
        due_at=vn(2026, 5, 10, 17),
        kind="answer_request",
    )
    make_case(**c, received_at=vn(2026, 6, 1, 9), status="review", due_at=vn(2026, 6, 10, 17))
    make_case(**c, received_at=vn(2026, 7, 1, 9), status="refused", refusal_ground=ground)
    make_case(**c, received_at=vn(2026, 7, 2, 9), status="refused")
    make_case(**c, received_at=vn(2026, 8, 1, 9), status="forwarded")
    # Press reports and complaints.
    make_case(**c, received_at=vn(2026, 2, 1, 9), kind="press_report", status="answered")
    make_case(**c, received_at=vn(2026, 2, 2, 9), kind="press_report", status="drafting")
    make_case(**c, received_at=vn(2026, 2, 3, 9), kind="complaint", status="triage")
    # Another organisation's case never counts.
    make_case(organisation=other_organisation, journalist=journalist, received_at=vn(2026, 3, 1))

    # Statements: periodic, 24-hour on time and late, a conference held, one outside.
    _statement(organisation, spokesperson, K.PERIODIC, released_at=vn(2026, 2, 1, 9))
    _statement(
        organisation,
        spokesperson,
        K.INITIAL,
        released_at=vn(2026, 4, 1, 9),
        due_at=vn(2026, 4, 1, 20),
    )
    _statement(
        organisation,
        spokesperson,
        K.INITIAL,
        released_at=vn(2026, 4, 3, 9),
        due_at=vn(2026, 4, 2, 20),
    )
    _statement(
        organisation,
        spokesperson,
        K.CONFERENCE,
        released_at=vn(2026, 9, 1, 9),
        conference_at=vn(2026, 9, 5, 9),
        doc_type="giay_moi",
    )
    _statement(organisation, spokesperson, K.PERIODIC, released_at=vn(2026, 12, 15, 0, 0))
    PeriodicSchedule.objects.create(
        organisation=organisation, kind="information", every_months=3, starts_on=date(2025, 12, 15)
    )
    spokesperson_assign(
        organisation,
        head,
        SpokespersonAssignment.Kind.REGULAR,
        "phatngonmoi",
        contact_name="Lê Văn Cường",
        valid_from=date(2026, 3, 1),
    )
    return ground


def test_figures_count_the_period_from_15_12_to_14_12_in_vietnam_time(organisation, data):
    f = annual.annual_figures(organisation, 2026)
    assert (f["from"], f["to"]) == ("2025-12-15", "2026-12-14")
    q = f["questions"]
    assert q["received"] == 7
    assert q["answered"] == 2
    assert q["on_time"] == 1
    assert q["refused"] == 2
    assert q["forwarded"] == 1
    assert q["open"] == 2
    assert q["overdue"] == 2  # one answered late, one open past its due time
    grounds = {g["ground"]: g["n"] for g in q["refused_by_ground"]}
    assert grounds["Không ghi căn cứ"] == 1
    assert any(data.label[:20] in ground and n == 1 for ground, n in grounds.items())
    assert (f["press_reports"]["received"], f["press_reports"]["answered"]) == (2, 1)
    assert (f["complaints"]["received"], f["complaints"]["answered"]) == (1, 0)
    st = f["statements"]
    assert st["released"] == 4
    initial = next(r for r in st["by_kind"] if r["kind"] == "initial_statement")
    assert (initial["released"], initial["on_time"], initial["late"]) == (2, 1, 1)
    assert st["conferences_held"] == 1
    assert all(r["kind"] != "annual_report" for r in st["by_kind"])
    (schedule,) = f["schedules"]
    assert (schedule["kept"], schedule["missed"]) == (1, 3)  # four quarters, one met
    (change,) = f["spokesperson_changes"]
    assert change["name"] == "Lê Văn Cường" and change["appointed_on"] == "2026-03-01"
    assert f["topics"] == []  # no communication plan entered for 2026
    assert ["VII", "Nội dung kế hoạch truyền thông đã được đề cập", ""] in annual.annual_rows(f)


def test_the_report_shows_each_plan_topic_covered_or_not(organisation, journalist, head):
    first, second, third = make_topics(
        organisation, 2026, ["Chủ trương, chính sách", "Đội ngũ giáo viên", "Tuyển dụng"]
    )
    c = {"organisation": organisation, "journalist": journalist}
    make_case(**c, received_at=vn(2026, 3, 2, 9)).topics.set([first, second])
    make_case(**c, received_at=vn(2026, 4, 2, 9)).topics.set([first])
    make_case(**c, received_at=vn(2025, 12, 14, 9)).topics.set([third])  # before the period
    make_statement(organisation, head, created_at=vn(2026, 5, 1, 9), topics=[second])

    f = annual.annual_figures(organisation, 2026)
    counts = {t["number"]: (t["cases"], t["statements"]) for t in f["topics"]}
    assert counts == {1: (2, 0), 2: (1, 1), 3: (0, 0)}
    rows = annual.annual_rows(f)
    assert ["1", "Chủ trương, chính sách", "2 hồ sơ, 0 thông tin"] in rows
    assert ["3", "Tuyển dụng", "Chưa đề cập"] in rows


def test_the_previous_years_report_takes_the_edge_case_on_14_12(organisation, data):
    q = annual.annual_figures(organisation, 2025)["questions"]
    assert q["received"] == 1  # 14/12/2025 23:59:59 only


def test_rows_and_table_text_escape_the_bar_and_show_every_figure(organisation, data):
    f = annual.annual_figures(organisation, 2026)
    rows = annual.annual_rows(f)
    assert ["1", "Tiếp nhận", "7"] in rows
    assert ["IV", "Họp báo đã tổ chức", "1"] in rows
    f["questions"]["refused_by_ground"] = [{"ground": "a | b <script>", "n": 1}]
    text = annual.annex_text(f)
    assert all(line.startswith("| ") and line.endswith(" |") for line in text.splitlines())
    assert "a / b <script>" in text
