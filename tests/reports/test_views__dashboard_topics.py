"""The dashboard's coverage per plan topic: table, chart, side by side, XLSX, query count."""

import io
from datetime import timedelta

import pytest
import time_machine
from openpyxl import load_workbook
from viewflow.workflow.models import Process, Task

from workflows.cases.models import Case
from workflows.flows import CaseFlow

from .conftest import make_case, make_statement, make_topics, vn

URL = "/workspace/reports/"
EXPORT = URL + "xuat.xlsx"
NOW = vn(2026, 11, 16, 9)
QUERY = {"from": "2026-10-01", "to": "2026-10-31"}


@pytest.fixture
def plans(organisation, school):
    """Thuận An and its school share the first two topics' titles; the school has a third."""
    return {
        "phong": make_topics(organisation, 2026, ["Tuyển sinh đầu cấp", "Chuyển đổi số"]),
        "truong": make_topics(school, 2026, ["Tuyển sinh đầu cấp", "Chuyển đổi số", "Học phí"]),
    }


@pytest.fixture
def tagged(organisation, school, journalist, specialist, plans):
    phong, truong = plans["phong"], plans["truong"]
    make_case(organisation, journalist, received_at=vn(2026, 10, 5, 9)).topics.set([phong[0]])
    make_case(organisation, journalist, received_at=vn(2026, 10, 6, 9)).topics.set([phong[0]])
    make_statement(organisation, specialist, created_at=vn(2026, 10, 7, 9), topics=[phong[0]])
    make_case(school, journalist, received_at=vn(2026, 10, 8, 9)).topics.set([truong[1]])


@time_machine.travel(NOW, tick=False)
def test_the_organisation_sees_each_topic_and_which_were_not_covered(
    login, organisation, specialist, tagged
):
    r = login(specialist).get(URL, {"organisation": organisation.code, **QUERY})

    assert r.status_code == 200
    report = r.context["report"]
    assert [(t["number"], t["cases"], t["statements"]) for t in report.topics] == [
        (1, 2, 1),
        (2, 0, 0),
    ]
    assert report.topic_columns == []  # no subordinates for a specialist
    html = r.content.decode()
    assert "Theo nội dung kế hoạch truyền thông" in html
    assert "Hồ sơ và thông tin phát ngôn theo nội dung kế hoạch truyền thông" in html  # chart
    assert "2. Chuyển đổi số" in html
    assert html.count("Chưa đề cập") == 2  # the explanation and topic 2
    assert 'class="topic-uncovered"' in html


@time_machine.travel(NOW, tick=False)
def test_a_parent_sees_its_subordinates_topics_side_by_side(
    client, province, province_head, organisation, school, tagged
):
    client.force_login(province_head)

    alone = client.get(URL, {"organisation": organisation.code, **QUERY}).context["report"]
    together = client.get(
        URL, {"organisation": province.code, "subordinates": "1", **QUERY}
    ).context["report"]

    assert [o.code for o in alone.topic_columns] == [organisation.code, school.code]
    assert [(t["title"], t["planned"], t["cases"]) for t in alone.topics] == [
        ("Tuyển sinh đầu cấp", True, 2),
        ("Chuyển đổi số", True, 0),
        ("Học phí", False, 0),  # only in the school's plan: a dash in the Phòng's column
    ]
    cells = [[c and (c["cases"], c["statements"]) for c in t["cells"]] for t in alone.topics]
    assert cells == [[(2, 1), (0, 0)], [(0, 0), (1, 0)], [None, (0, 0)]]
    # The Sở has no plan: the subtree's figures add the Phòng's and the school's up.
    assert [(t["title"], t["cases"], t["statements"]) for t in together.topics] == [
        ("Tuyển sinh đầu cấp", 2, 1),
        ("Chuyển đổi số", 1, 0),
        ("Học phí", 0, 0),
    ]


@time_machine.travel(NOW, tick=False)
def test_without_a_plan_the_page_says_so(login, organisation, specialist):
    r = login(specialist).get(URL, {"organisation": organisation.code, **QUERY})

    assert r.context["report"].topics == []
    assert "Cơ quan chưa có kế hoạch truyền thông" in r.content.decode()


@time_machine.travel(NOW, tick=False)
def test_the_export_has_the_topics(login, organisation, inspector, tagged):
    r = login(inspector).get(EXPORT, {"organisation": organisation.code, **QUERY})

    assert r.status_code == 200
    sheet = load_workbook(io.BytesIO(r.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    start = next(i for i, row in enumerate(rows) if row[0] == "Theo nội dung kế hoạch truyền thông")
    assert rows[start + 2][:5] == [2026, 1, "Tuyển sinh đầu cấp", 2, 1]
    assert rows[start + 3][:5] == [2026, 2, "Chuyển đổi số", 0, 0]


@time_machine.travel(NOW, tick=False)
def test_the_widest_dashboard_has_a_bounded_number_of_queries(
    client,
    province,
    province_head,
    organisation,
    school,
    journalist,
    specialist,
    unit,
    plans,
    django_assert_max_num_queries,
):
    """Sở over everything below, with cases, tasks, statements and topics: the same bound
    at 4 and at 40 cases of each kind."""
    S = Case.Status

    def add(n):
        for i in range(n):
            for org, topics in ((organisation, plans["phong"]), (school, plans["truong"])):
                case = make_case(
                    org,
                    journalist,
                    received_at=vn(2026, 10, 1 + i % 28, 9),
                    status=[S.ANSWERED, S.DRAFTING, S.REVIEW, S.TRIAGE][i % 4],
                    kind=Case.Kind.values[i % 4],
                    assigned_unit=unit if org == organisation and i % 2 else None,
                    closed_at=vn(2026, 10, 1 + i % 28, 9) + timedelta(days=1 + i % 5),
                    due_at=vn(2026, 10, 2 + i % 28, 23),
                )
                case.topics.set(topics[: 1 + i % 2])
                process = Process.objects.create(flow_class=CaseFlow, artifact=case)
                Task.objects.create(
                    process=process,
                    flow_task=CaseFlow.draft,
                    flow_task_type="HUMAN",
                    status="ASSIGNED" if i % 2 else "NEW",
                    owner=specialist if i % 2 else None,
                )
                make_statement(
                    org, specialist, created_at=vn(2026, 10, 1 + i % 28, 10), topics=topics[-1:]
                )

    client.force_login(province_head)
    query = {"organisation": province.code, "subordinates": "1", **QUERY}
    add(4)
    client.get(URL, query)  # warm the per-process caches (session, calendar swaps)
    for more in (0, 36):
        add(more)
        with django_assert_max_num_queries(40):
            r = client.get(URL, query)
        assert r.status_code == 200
    assert r.context["report"].summary["received"] == 80
