"""The staff dashboard: who sees it, what it shows (charts with tables), XLSX export."""

import io

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from audit.models import LedgerEvent
from workflows.cases.models import Case

from .conftest import make_case, vn

URL = "/workspace/reports/"
EXPORT = URL + "xuat.xlsx"
NOW = vn(2026, 11, 16, 9)
S = Case.Status


def _query(organisation, **extra):
    return {"organisation": organisation.code, "from": "2026-10-01", "to": "2026-10-31", **extra}


@pytest.fixture
def cases(organisation, journalist, unit):
    make_case(
        organisation,
        journalist,
        received_at=vn(2026, 10, 5, 9),
        status=S.ANSWERED,
        closed_at=vn(2026, 10, 9, 9),
        due_at=vn(2026, 10, 12, 23, 59),
    )
    make_case(
        organisation,
        journalist,
        received_at=vn(2026, 10, 6, 9),
        status=S.DRAFTING,
        due_at=vn(2026, 10, 13, 23, 59),
        assigned_unit=unit,
        kind=Case.Kind.COMPLAINT,
    )


@time_machine.travel(NOW, tick=False)
def test_staff_see_charts_and_tables(login, organisation, specialist, cases, unit):
    r = login(specialist).get(URL, _query(organisation))

    assert r.status_code == 200
    html = r.content.decode()
    assert "Báo cáo, thống kê" in html
    assert (
        html.count('<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" role="img"') >= 3
    )
    assert "<title id=" in html and "<desc id=" in html
    assert "Số hồ sơ tiếp nhận theo tháng và loại" in html
    assert "10/2026" in html
    assert unit.name in html  # the overdue-by-unit table
    assert "So sánh các cơ quan" not in html  # no subordinates


@time_machine.travel(NOW, tick=False)
def test_head_above_sees_subordinates_side_by_side(
    client, province, province_head, organisation, other_organisation, school, cases, journalist
):
    make_case(school, journalist, received_at=vn(2026, 10, 7, 9))
    client.force_login(province_head)

    alone = client.get(URL, _query(province))
    together = client.get(URL, _query(province, subordinates="1"))

    assert alone.status_code == together.status_code == 200
    rows = {r["organisation"].code: r["received"] for r in together.context["report"].side_by_side}
    assert rows == {
        province.code: 0,
        organisation.code: 2,
        other_organisation.code: 0,
        school.code: 1,
    }
    assert alone.context["report"].summary["received"] == 0
    assert together.context["report"].summary["received"] == 3
    assert "So sánh các cơ quan" in together.content.decode()


@time_machine.travel(NOW, tick=False)
def test_staff_of_the_level_above_see_only_its_own_figures(
    login, province, province_specialist, organisation
):
    client = login(province_specialist)

    assert client.get(URL, _query(province)).status_code == 200
    assert client.get(URL, _query(province)).context["report"].side_by_side == []
    assert client.get(URL, _query(organisation)).status_code == 403


@pytest.mark.parametrize("who", ["journalist", "outsider"])
def test_others_are_refused(request, login, organisation, who):
    user = request.getfixturevalue(who)
    client = login(user)

    assert client.get(URL, _query(organisation)).status_code == 403
    assert client.get(EXPORT, _query(organisation)).status_code == 403
    assert LedgerEvent.objects.filter(action="access.denied", actor_username=user.username).exists()


def test_anonymous_is_sent_to_the_login_page(client, organisation):
    r = client.get(URL, _query(organisation))

    assert r.status_code == 302
    assert "/dang-nhap/" in r["Location"]


def test_bad_dates_are_shown_not_a_crash(login, organisation, head):
    r = login(head).get(URL, _query(organisation, **{"from": "2026-12-01"}))

    assert r.status_code == 400
    assert "Ngày kết thúc phải sau hoặc trùng ngày bắt đầu." in r.content.decode()
    assert login(head).get(EXPORT, _query(organisation, to="2040-01-01")).status_code == 400


@time_machine.travel(NOW, tick=False)
def test_export_is_a_safe_workbook_and_logged(login, organisation, inspector, cases):
    r = login(inspector).get(EXPORT, _query(organisation))

    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(r.content)).active
    values = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    assert ["Tiếp nhận", 2] in values
    assert any(row and row[0] == "Hồ sơ theo tháng" for row in values)
    event = LedgerEvent.objects.get(action="report.export")
    assert event.actor_username == inspector.username
    assert event.organisation_code == organisation.code


def _queries(client, query) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL, query).status_code == 200
    return len(ctx.captured_queries)


@time_machine.travel(NOW, tick=False)
def test_query_count_does_not_grow_with_the_cases(
    client, province, province_head, organisation, journalist, unit
):
    from datetime import timedelta

    def add(n):
        for i in range(n):
            make_case(
                organisation,
                journalist,
                received_at=vn(2026, 10, 1 + i % 28, 9),
                status=[S.ANSWERED, S.DRAFTING, S.REVIEW][i % 3],
                kind=Case.Kind.values[i % 4],
                assigned_unit=unit if i % 2 else None,
                closed_at=vn(2026, 10, 1 + i % 28, 9) + timedelta(days=1 + i % 5),
                due_at=vn(2026, 10, 2 + i % 28, 23),
            )

    client.force_login(province_head)
    query = _query(province, subordinates="1")
    add(3)
    client.get(URL, query)  # warm the per-process caches (session, calendar swaps)
    with_3 = _queries(client, query)
    add(27)
    with_30 = _queries(client, query)

    assert with_3 == with_30, (with_3, with_30)
