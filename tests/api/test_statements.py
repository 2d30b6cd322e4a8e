"""Outbound statements in REST API v1: contract, error codes, permissions, the whole path."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from roles.models import PressAgency
from tests.api.conftest import assert_error
from tests.workflows.helpers import open_task, submit
from workflows.statements import drafting
from workflows.statements.models import Statement

URL = "/api/v1/statements/"
STATEMENT_FIELDS = {
    "id",
    "reference",
    "kind",
    "doc_type",
    "organisation",
    "organisation_name",
    "title",
    "body",
    "event_summary",
    "status",
    "author",
    "created_at",
    "clock_start_at",
    "due_at",
    "due_explanation",
    "clock",
    "embargo_at",
    "article_outlet",
    "article_title",
    "article_url",
    "article_published_on",
    "conference_at",
    "conference_place",
    "conference_content",
    "conference_chair",
    "invited_agencies",
    "topics",
    "record",
    "record_at",
    "last_comment",
    "signer",
    "signing_authority",
    "released_at",
    "on_time",
    "document",
    "publish_at",
}
TASK_FIELDS = {
    "id",
    "artifact_type",
    "case",
    "case_reference",
    "statement",
    "statement_reference",
    "step",
    "status",
    "assignee",
    "created_at",
    "due_at",
    "actions",
    "refusal_grounds",
}


def _moment(**delta) -> str:
    return timezone.localtime(timezone.now() + timedelta(**delta)).isoformat()


def _initial(organisation, **kw) -> dict:
    data = {
        "organisation": organisation.code,
        "kind": "initial_statement",
        "title": "Thông tin ban đầu về vụ ngộ độc thực phẩm tại Trường Tiểu học An Phú",
        "clock_start_at": _moment(hours=-1),
        "event_summary": "12 học sinh nhập viện sau bữa trưa bán trú.",
    }
    data.update(kw)
    return data


def _correction(organisation, **kw) -> dict:
    data = {
        "organisation": organisation.code,
        "kind": "correction_response",
        "title": "Đề nghị cải chính bài “Thu tiền trái phép”",
        "article_outlet": "Báo Tin Nhanh",
        "article_title": "Thu tiền trái phép",
        "article_url": "https://tinnhanh.example.vn/bai-1",
        "article_published_on": timezone.localdate().isoformat(),
    }
    data.update(kw)
    return data


def _create(user, organisation, kind="periodic", **kw) -> Statement:
    return drafting.statement_create(
        organisation=organisation,
        by=user,
        kind=kind,
        title=kw.pop("title", "Thông tin tháng 11"),
        **kw,
    )


# ---------------------------------------------------------------- create and read


def test_spokesperson_opens_an_initial_statement_with_its_24_hour_clock(api, staff, organisation):
    r = api(staff["phatngon"]).post(URL, _initial(organisation), format="json")
    assert r.status_code == 201, r.content
    body = r.json()
    assert set(body) == STATEMENT_FIELDS
    statement = Statement.objects.get()
    assert r["Location"].endswith(f"{URL}{statement.pk}/")
    assert body["id"] == statement.pk and body["reference"] == statement.reference
    assert body["reference"].startswith("PN-")
    assert body["kind"] == "initial_statement" and body["doc_type"] == "thong_cao"
    assert body["status"] == "drafting" and body["author"] == "phatngon"
    assert body["organisation"] == "pgddt-thuan-an"
    assert "Ngay sau khi nắm được thông tin" in body["body"]  # the kind's template
    assert statement.due_at - statement.clock_start_at == timedelta(hours=24)
    assert body["due_at"] and "24 giờ" in body["due_explanation"]
    clock = body["clock"]
    assert set(clock) == {"seconds", "fraction", "hours", "minutes", "level"}
    assert clock["level"] == "ok" and 22 * 3600 < clock["seconds"] <= 23 * 3600
    assert clock["hours"] in (22, 23)
    assert body["document"] is None and body["publish_at"] is None and body["signer"] is None
    assert body["on_time"] is None and body["invited_agencies"] == []
    assert open_task(statement, "draft")
    detail = api(staff["phatngon"]).get(f"{URL}{statement.pk}/")
    assert detail.status_code == 200 and detail.json()["reference"] == body["reference"]


def test_specialist_opens_a_correction_and_a_conference(api, staff, organisation):
    r = api(staff["chuyenvien"]).post(URL, _correction(organisation), format="json")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["doc_type"] == "cong_van" and body["due_at"] is not None
    assert body["article_outlet"] == "Báo Tin Nhanh" and "Báo Tin Nhanh" in body["body"]
    assert body["article_published_on"] == timezone.localdate().isoformat()
    agency = PressAgency.objects.create(name="Báo Bình Dương")
    r = api(staff["chuyenvien"]).post(
        URL,
        {
            "organisation": organisation.code,
            "kind": "conference",
            "doc_type": "giay_moi",
            "title": "Họp báo về kết quả tuyển sinh",
            "conference_at": _moment(days=3),
            "conference_place": "Hội trường Phòng GDĐT",
            "invited_agencies": [agency.pk],
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["invited_agencies"] == [{"id": agency.pk, "name": "Báo Bình Dương"}]
    assert body["clock"] is None and body["due_at"] is None  # no legal clock
    assert body["conference_place"] == "Hội trường Phòng GDĐT"


@pytest.mark.parametrize(
    "data, field, reason",
    [
        ({"kind": "gossip"}, "kind", None),
        ({"kind": ""}, "kind", None),
        ({"title": None}, "title", None),
        ({"title": ""}, "title", None),
        ({"title": "   "}, "title", None),
        ({"organisation": "khong-co"}, "organisation", None),
        ({"clock_start_at": None}, "clock_start_at", "clock_start_at"),
        ({"clock_start_at": "hôm qua"}, "clock_start_at", None),
        ({"clock_start_at": "25/11/2026 10:00"}, "clock_start_at", None),
        ({"clock_start_at": "0001-01-01T00:00:00"}, "clock_start_at", None),
        ({"clock_start_at": "2026-02-30T10:00"}, "clock_start_at", None),
        ({"clock_start_at": _moment(days=2)}, "clock_start_at", "clock_start_at"),
        ({"embargo_at": "9999-12-31T23:59:59+07:00"}, "embargo_at", None),
        ({"embargo_at": 12}, "embargo_at", None),
        ({"embargo_at": _moment(hours=30)}, "embargo_at", "embargo_after_due"),
        ({"embargo_at": _moment(days=400)}, "embargo_at", "embargo_at"),
        ({"doc_type": "giay_moi"}, "doc_type", "doc_type"),
        # A công văn is a correction's form only (the service refuses it for other kinds).
        ({"doc_type": "cong_van"}, "doc_type", "doc_type"),
        ({"doc_type": "bao_cao"}, "doc_type", None),
        ({"invited_agencies": [999999]}, "invited_agencies", None),
        ({"invited_agencies": "Báo"}, "invited_agencies", None),
    ],
)
def test_create_validation(api, staff, organisation, data, field, reason):
    payload = {k: v for k, v in {**_initial(organisation), **data}.items() if v is not None}
    body = assert_error(
        api(staff["phatngon"]).post(URL, payload, format="json"), 400, "validation_error"
    )
    assert field in body["fields"], body
    assert body.get("reason") == reason, body
    assert not Statement.objects.exists()


@pytest.mark.parametrize(
    "data, field, reason",
    [
        ({"article_outlet": ""}, "article_outlet", "article_outlet"),
        ({"article_outlet": "   "}, "article_outlet", "article_outlet"),
        ({"article_url": ""}, "article_url", "article_url"),
        ({"article_url": "khong-phai-url"}, "article_url", None),
        (
            {"article_published_on": _moment(days=2)[:10]},
            "article_published_on",
            "article_published_on",
        ),
        ({"article_published_on": "2026-13-45"}, "article_published_on", None),
        ({"article_published_on": "0001-01-01"}, "article_published_on", None),
    ],
)
def test_correction_needs_the_article(api, staff, organisation, data, field, reason):
    payload = _correction(organisation, **data)
    body = assert_error(
        api(staff["phatngon"]).post(URL, payload, format="json"), 400, "validation_error"
    )
    assert field in body["fields"], body
    assert body.get("reason") == reason, body
    assert not Statement.objects.exists()


def test_conference_needs_its_time_and_place(api, staff, organisation):
    data = {"organisation": organisation.code, "kind": "conference", "title": "Họp báo"}
    body = assert_error(
        api(staff["phatngon"]).post(URL, data, format="json"), 400, "validation_error"
    )
    assert body["reason"] == "conference_at" and "conference_at" in body["fields"]


def test_malformed_and_wrong_media_type(api, staff, organisation):
    client = api(staff["phatngon"])
    assert_error(
        client.post(URL, data=b'{"title": ', content_type="application/json"),
        400,
        "validation_error",
    )
    assert_error(
        client.post(URL, data=b"<x/>", content_type="application/xml"),
        415,
        "unsupported_media_type",
    )
    assert_error(client.put(f"{URL}1/", {}, format="json"), 405, "method_not_allowed")
    assert_error(client.delete(f"{URL}1/"), 405, "method_not_allowed")
    assert_error(client.get(f"{URL}abc/"), 404, "not_found")


def test_messages_in_english_when_asked(api, staff, organisation):
    r = api(staff["phatngon"]).post(
        URL, _initial(organisation, clock_start_at="0001-01-01T00:00"), format="json"
    )
    vi = assert_error(r, 400, "validation_error")["fields"]["clock_start_at"]
    assert vi == ["Thời điểm nằm ngoài khoảng cho phép."]
    r = api(staff["phatngon"]).post(
        URL,
        _initial(organisation, clock_start_at="0001-01-01T00:00"),
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    en = assert_error(r, 400, "validation_error")["fields"]["clock_start_at"]
    assert en == ["The date and time is out of range."]


# ---------------------------------------------------------------- permissions

PERSONAS = [
    "anonymous",
    "journalist",
    "vanthu",
    "chuyenvien",
    "phatngon",
    "lanhdao",
    "pholanhdao",
    "thanhtra",
    "outsider",
]


def _expect(default, **overrides):
    table = dict.fromkeys(PERSONAS, default)
    table.update(overrides)
    return table


@pytest.fixture
def client_for(api, anon, journalist, staff, outsider):
    people = {"journalist": journalist, "outsider": outsider, **staff}
    return lambda persona: anon if persona == "anonymous" else api(people[persona])


@pytest.fixture
def periodic(staff, organisation):
    """A drafting statement of the spokesperson."""
    return _create(staff["phatngon"], organisation)


def _check(client_for, table, call):
    got = {persona: call(client_for(persona)).status_code for persona in PERSONAS}
    assert got == table


def test_permissions_list(client_for, periodic):
    # Anonymous callers and journalists get the published statements (none here): a 200.
    _check(client_for, _expect(200), lambda c: c.get(URL))


def test_permissions_detail(client_for, periodic):
    # Organisation-wide roles (inspector included) read it; the specialist only their own.
    # Anyone else reads published statements only: this draft is not found for them.
    table = _expect(200, anonymous=404, journalist=404, chuyenvien=404, outsider=404)
    _check(client_for, table, lambda c: c.get(f"{URL}{periodic.pk}/"))


def test_permissions_create(client_for, organisation, staff):
    # The specialists and the spokesperson draft; the head speaks by law (NĐ 244) too.
    table = _expect(
        403, anonymous=401, chuyenvien=201, phatngon=201, lanhdao=201,
    )  # fmt: skip
    data = {"organisation": organisation.code, "kind": "periodic", "title": "Thông tin tháng 11"}
    _check(client_for, table, lambda c: c.post(URL, data, format="json"))


def test_permissions_patch(client_for, periodic):
    table = _expect(
        403, anonymous=401, chuyenvien=404, phatngon=200, lanhdao=200, outsider=404,
    )  # fmt: skip
    _check(
        client_for, table, lambda c: c.patch(f"{URL}{periodic.pk}/", {"body": "x"}, format="json")
    )


def test_permissions_record(client_for, periodic):
    # The service checks the role first (spokesperson or head/deputy with KT.), then the kind:
    # a periodic statement has no record.
    table = _expect(
        403,
        anonymous=401,
        chuyenvien=404,
        outsider=404,
        phatngon=400,
        lanhdao=400,
        pholanhdao=400,
    )
    _check(
        client_for,
        table,
        lambda c: c.post(f"{URL}{periodic.pk}/record/", {"text": "x"}, format="json"),
    )


# ---------------------------------------------------------------- list


def test_list_filters_and_pages(api, staff, organisation, other_organisation, outsider):
    other = _create(outsider, other_organisation, title="Của cơ quan khác")  # its head
    periodic = _create(staff["phatngon"], organisation, title="Thông tin định kỳ tháng 11")
    initial = _create(
        staff["chuyenvien"],
        organisation,
        kind="initial_statement",
        title="Sự cố sập mái che",
        clock_start_at=timezone.now() - timedelta(hours=2),
    )
    client = api(staff["phatngon"])
    body = client.get(URL).json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert [s["id"] for s in body["results"]] == [initial.pk, periodic.pk]  # newest first
    assert set(body["results"][0]) == STATEMENT_FIELDS

    def ids(query):
        r = client.get(f"{URL}?{query}")
        assert r.status_code == 200, r.content
        return [s["id"] for s in r.json()["results"]]

    assert ids("kind=initial_statement") == [initial.pk]
    assert ids("kind=") == [initial.pk, periodic.pk]
    assert ids("status=drafting") == [initial.pk, periodic.pk]
    assert ids("status=open") == [initial.pk, periodic.pk]
    assert ids("status=released") == []
    assert ids("organisation=pgddt-thuan-an") == [initial.pk, periodic.pk]
    assert ids("organisation=pgddt-di-an") == []
    assert ids("q=mái che") == [initial.pk]
    assert ids(f"q={periodic.reference}") == [periodic.pk]
    assert ids("page_size=1") == [initial.pk]
    assert (
        "status"
        in assert_error(client.get(f"{URL}?status=bogus"), 400, "validation_error")["fields"]
    )
    assert (
        "kind" in assert_error(client.get(f"{URL}?kind=bogus"), 400, "validation_error")["fields"]
    )
    assert_error(client.get(f"{URL}?page=9"), 404, "not_found")
    # A specialist sees their own drafts; the outsider nothing of this organisation.
    assert [s["id"] for s in api(staff["chuyenvien"]).get(URL).json()["results"]] == [initial.pk]
    assert [s["id"] for s in api(outsider).get(URL).json()["results"]] == [other.pk]
    assert_error(client.get(f"{URL}{other.pk}/"), 404, "not_found")
    assert_error(api(outsider).get(f"{URL}{periodic.pk}/"), 404, "not_found")
    assert_error(api(staff["chuyenvien"]).get(f"{URL}{periodic.pk}/"), 404, "not_found")


def test_list_runs_a_constant_number_of_queries(
    api, staff, organisation, django_assert_max_num_queries
):
    client = api(staff["phatngon"])
    _create(staff["phatngon"], organisation)
    with django_assert_max_num_queries(50) as one:
        assert client.get(URL).json()["count"] == 1
    baseline = len(one.captured_queries)
    assert baseline <= 6  # token, role check, count, page, invited agencies
    agencies = [PressAgency.objects.create(name=f"Báo {i}") for i in range(3)]
    for i in range(4):
        _create(staff["chuyenvien"], organisation, title=f"Thông tin {i}")
    _create(
        staff["phatngon"],
        organisation,
        kind="conference",
        title="Họp báo",
        conference_at=timezone.now() + timedelta(days=2),
        conference_place="Hội trường",
        invited_agencies=agencies,
    )
    _create(
        staff["phatngon"],
        organisation,
        kind="initial_statement",
        title="Sự cố",
        clock_start_at=timezone.now() - timedelta(hours=1),
    )
    with django_assert_max_num_queries(baseline):
        assert client.get(URL).json()["count"] == 7


# ---------------------------------------------------------------- draft save (PATCH)


def test_patch_saves_the_draft_only_while_drafting(api, staff, organisation):
    statement = _create(
        staff["chuyenvien"],
        organisation,
        kind="initial_statement",
        clock_start_at=timezone.now() - timedelta(hours=1),
    )
    url = f"{URL}{statement.pk}/"
    author = api(staff["chuyenvien"])
    r = author.patch(url, {"body": "Nháp lần 1", "embargo_at": _moment(hours=5)}, format="json")
    assert r.status_code == 200, r.content
    assert r.json()["body"] == "Nháp lần 1" and r.json()["embargo_at"]
    r = author.patch(url, {"embargo_at": None}, format="json")
    assert r.status_code == 200 and r.json()["embargo_at"] is None, r.content
    assert r.json()["body"] == "Nháp lần 1"  # absent fields are left alone
    body = assert_error(
        author.patch(url, {"embargo_at": _moment(hours=30)}, format="json"),
        400,
        "validation_error",
    )
    assert body["reason"] == "embargo_after_due" and "embargo_at" in body["fields"]
    for bad in ({"embargo_at": "ngày mai"}, {"title": ""}, {"conference_at": "x"}):
        assert_error(author.patch(url, bad, format="json"), 400, "validation_error")
    assert_error(
        api(staff["vanthu"]).patch(url, {"body": "x"}, format="json"), 403, "permission_denied"
    )
    assert_error(
        api(staff["thanhtra"]).patch(url, {"body": "x"}, format="json"), 403, "permission_denied"
    )
    statement.refresh_from_db()
    assert statement.body == "Nháp lần 1"
    # Submitted: the draft is closed.
    task = open_task(statement, "draft")
    r = author.post(f"/api/v1/tasks/{task.pk}/complete/", {"action": "submit"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "review", r.content
    body = assert_error(author.patch(url, {"body": "Muộn"}, format="json"), 409, "invalid_state")
    assert body["reason"] == "invalid_state"


# ---------------------------------------------------------------- tasks


def test_tasks_say_which_artifact_they_belong_to(api, journalist, staff, organisation):
    case = submit(journalist, organisation)
    statement = _create(
        staff["phatngon"],
        organisation,
        kind="initial_statement",
        clock_start_at=timezone.now() - timedelta(hours=1),
    )
    rows = api(staff["phatngon"]).get("/api/v1/tasks/").json()["results"]
    by_type = {row["artifact_type"]: row for row in rows}
    assert set(by_type) == {"case", "statement"}
    mine = by_type["statement"]
    assert set(mine) == TASK_FIELDS
    assert mine["statement"] == statement.pk and mine["statement_reference"] == statement.reference
    assert mine["case"] is None and mine["case_reference"] is None
    assert mine["step"] == "draft" and mine["actions"] == ["submit"]
    assert mine["refusal_grounds"] == []
    assert mine["due_at"] == timezone.localtime(statement.due_at).isoformat()
    theirs = by_type["case"]
    assert theirs["case"] == case.pk and theirs["case_reference"] == case.reference
    assert theirs["statement"] is None and theirs["statement_reference"] is None
    # Only who may draft it sees the statement's task; the others get 404 on it.
    assert [
        t["artifact_type"] for t in api(staff["vanthu"]).get("/api/v1/tasks/").json()["results"]
    ] == ["case"]
    assert_error(api(staff["vanthu"]).get(f"/api/v1/tasks/{mine['id']}/"), 404, "not_found")
    assert api(staff["phatngon"]).get(f"/api/v1/tasks/{mine['id']}/").status_code == 200
    assert_error(
        api(staff["vanthu"]).post(f"/api/v1/tasks/{mine['id']}/claim/"), 403, "permission_denied"
    )
    r = api(staff["phatngon"]).post(f"/api/v1/tasks/{mine['id']}/claim/")
    assert r.status_code == 200 and r.json()["assignee"] == "phatngon", r.content
    assert r.json()["artifact_type"] == "statement"


@pytest.mark.parametrize(
    "data, field, reason",
    [
        ({"action": "approve"}, "action", "invalid_action"),
        ({"action": "accept", "assignee": "chuyenvien"}, "action", "invalid_action"),
        ({"action": "submit", "body": "  "}, "body", "body"),
        ({"action": "submit", "embargo_at": "mai"}, "embargo_at", None),
        ({"action": "submit", "embargo_at": _moment(hours=30)}, "embargo_at", "embargo_after_due"),
    ],
)
def test_complete_statement_draft_validation(api, staff, organisation, data, field, reason):
    statement = _create(
        staff["phatngon"],
        organisation,
        kind="initial_statement",
        clock_start_at=timezone.now() - timedelta(hours=1),
    )
    task = open_task(statement, "draft")
    r = api(staff["phatngon"]).post(f"/api/v1/tasks/{task.pk}/complete/", data, format="json")
    body = assert_error(r, 400, "validation_error")
    assert field in body["fields"] and body.get("reason") == reason, body
    statement.refresh_from_db()
    assert statement.status == Statement.Status.DRAFTING


# ---------------------------------------------------------------- the whole path


def _complete(client, statement, step, data, expect=200):
    task = open_task(statement, step)
    r = client.post(f"/api/v1/tasks/{task.pk}/complete/", data, format="json")
    assert r.status_code == expect, r.content
    return r.json()


def test_statement_from_draft_to_released_document(
    api, staff, organisation, signing_credentials, django_capture_on_commit_callbacks
):
    drafter = api(staff["chuyenvien"])
    r = drafter.post(URL, _initial(organisation), format="json")
    assert r.status_code == 201, r.content
    statement = Statement.objects.get(pk=r.json()["id"])
    [task] = [
        t for t in drafter.get("/api/v1/tasks/").json()["results"] if t["statement"] == statement.pk
    ]
    assert task["step"] == "draft" and task["artifact_type"] == "statement"
    body = _complete(
        drafter,
        statement,
        "draft",
        {
            "action": "submit",
            "title": "Thông tin ban đầu về vụ ngộ độc tại Trường Tiểu học An Phú",
            "body": "Ngày 25/11, 12 học sinh có biểu hiện ngộ độc; các em đã ổn định.",
            "embargo_at": None,
        },
    )
    assert set(body) == STATEMENT_FIELDS  # complete answers with the statement
    assert body["status"] == "review" and body["title"].endswith("An Phú")

    spokesperson = api(staff["phatngon"])
    body = _complete(spokesperson, statement, "review", {"action": "return"}, expect=400)
    assert body["reason"] == "comment" and "comment" in body["fields"]
    body = _complete(
        spokesperson, statement, "review", {"action": "return", "comment": "Thêm số liệu"}
    )
    assert body["status"] == "drafting" and body["last_comment"] == "Thêm số liệu"
    _complete(
        drafter, statement, "draft", {"action": "submit", "body": "12 học sinh đã xuất viện."}
    )
    body = _complete(spokesperson, statement, "review", {"action": "approve"})
    assert body["status"] == "signoff"

    assert_error(
        spokesperson.post(
            f"/api/v1/tasks/{open_task(statement, 'signoff').pk}/complete/",
            {"action": "sign", "confirm": True},
            format="json",
        ),
        403,
        "permission_denied",
    )
    head = api(staff["lanhdao"])
    body = _complete(head, statement, "signoff", {"action": "sign"}, expect=400)
    assert body["code"] == "validation_error" and "confirm" in body["fields"]
    with django_capture_on_commit_callbacks(execute=True):
        body = _complete(head, statement, "signoff", {"action": "sign", "confirm": True})
    assert body["signer"] == "lanhdao" and body["signing_authority"] == ""

    detail = head.get(f"{URL}{statement.pk}/").json()
    statement.refresh_from_db()
    assert detail["status"] == "released", statement.document and statement.document.last_error
    assert detail["on_time"] is True and detail["released_at"] and detail["clock"] is None
    document = detail["document"]
    assert document["id"] == statement.document.pk
    assert document["number"] == statement.document.number_display
    assert f"/xac-thuc/{statement.document.verify_token}/" in document["verify_url"]
    assert document["pdf_url"].endswith(f"/api/v1/documents/{statement.document.pk}/pdf/")
    assert detail["publish_at"] is not None  # no embargo: published when issued
    assert api(staff["thanhtra"]).get(f"{URL}?status=released").json()["count"] == 1
    body = assert_error(
        spokesperson.post(f"{URL}{statement.pk}/record/", {"text": "Biên bản"}, format="json"),
        400,
        "validation_error",
    )
    assert body["reason"] == "invalid_kind"  # only press conferences have a record


def test_press_conference_record(
    api, staff, organisation, signing_credentials, django_capture_on_commit_callbacks
):
    statement = _create(
        staff["phatngon"],
        organisation,
        kind="conference",
        doc_type="giay_moi",
        title="Họp báo về tuyển sinh",
        body="Kính mời các cơ quan báo chí dự họp báo.",
        conference_at=timezone.now() + timedelta(hours=1),
        conference_place="Hội trường",
        conference_content="họp báo về kết quả tuyển sinh",
        conference_chair="Ông Nguyễn Văn Lãnh, Trưởng phòng",
    )
    url = f"{URL}{statement.pk}/record/"
    spokesperson = api(staff["phatngon"])
    assert_error(spokesperson.post(url, {"text": "x"}, format="json"), 409, "invalid_state")
    _complete(spokesperson, statement, "draft", {"action": "submit"})
    _complete(spokesperson, statement, "review", {"action": "approve"})
    with django_capture_on_commit_callbacks(execute=True):
        _complete(api(staff["lanhdao"]), statement, "signoff", {"action": "sign", "confirm": True})
    with time_machine.travel(timezone.now() + timedelta(hours=2)):  # after the conference
        assert_error(spokesperson.post(url, {}, format="json"), 400, "validation_error")
        body = assert_error(
            spokesperson.post(url, {"text": "   "}, format="json"), 400, "validation_error"
        )
        assert "text" in body["fields"]
        assert_error(
            api(staff["vanthu"]).post(url, {"text": "Biên bản"}, format="json"),
            403,
            "permission_denied",
        )
        r = spokesperson.post(url, {"text": "Biên bản buổi họp báo: …"}, format="json")
        assert r.status_code == 200, r.content
        assert r.json()["record"] == "Biên bản buổi họp báo: …" and r.json()["record_at"]


def test_withdraw_through_the_api(api, staff, organisation):
    statement = _create(staff["phatngon"], organisation, title="Thông tin sẽ hủy")
    url = f"{URL}{statement.pk}/withdraw/"
    assert_error(api(staff["phatngon"]).post(url, {}, format="json"), 400, "validation_error")
    assert_error(
        api(staff["chuyenvien"]).post(url, {"reason": "x"}, format="json"), 404, "not_found"
    )
    assert_error(
        api(staff["vanthu"]).post(url, {"reason": "x"}, format="json"), 403, "permission_denied"
    )
    r = api(staff["phatngon"]).post(url, {"reason": "Cấp trên đã thông tin"}, format="json")
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "withdrawn"
    assert_error(
        api(staff["phatngon"]).post(url, {"reason": "lần nữa"}, format="json"),
        409,
        "invalid_state",
    )
