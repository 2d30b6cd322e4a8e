"""The issue's contract, endpoint by endpoint, and every error code of the envelope."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from rest_framework.test import APIClient

from audit.models import LedgerEvent
from tests.api.conftest import assert_error
from tests.workflows.helpers import open_task
from workflows.cases.models import Case
from workflows.rules import deadlines
from workflows.rules.models import RefusalGround

CASE_FIELDS = {
    "id",
    "reference",
    "kind",
    "organisation",
    "subject",
    "questions",
    "status",
    "received_at",
    "due_at",
    "due_explanation",
    "timeline",
    "documents",
}
TASK_FIELDS = {"id", "case", "statement", "step", "status", "assignee", "due_at", "actions"}


def _new_case(organisation, **kw):
    data = {
        "organisation": organisation.code,
        "kind": "question",
        "subject": "Học phí năm học 2027–2028",
        "questions": ["Mức học phí có tăng không?"],
    }
    data.update(kw)
    return data


# ---------------------------------------------------------------- auth


def test_token_login_and_use(anon, journalist, password):
    r = anon.post(
        "/api/v1/auth/token/", {"username": "journalist1", "password": password}, format="json"
    )
    assert r.status_code == 200, r.content
    token = r.json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = client.get("/api/v1/me/").json()
    assert me["username"] == "journalist1" and me["is_journalist"] is True
    assert LedgerEvent.objects.filter(action="auth.login", actor_username="journalist1").exists()
    # Each login issues a new token; revoking one leaves the other working.
    again = anon.post(
        "/api/v1/auth/token/", {"username": "journalist1", "password": password}, format="json"
    )
    assert again.status_code == 200 and again.json()["token"] != token
    assert client.delete("/api/v1/auth/token/").status_code == 204
    assert_error(client.get("/api/v1/me/"), 401, "not_authenticated")
    other = APIClient()
    other.credentials(HTTP_AUTHORIZATION=f"Token {again.json()['token']}")
    assert other.get("/api/v1/me/").status_code == 200


def test_token_wrong_password_is_a_validation_error_and_logged(anon, journalist):
    body = assert_error(
        anon.post(
            "/api/v1/auth/token/", {"username": "journalist1", "password": "sai"}, format="json"
        ),
        400,
        "validation_error",
    )
    assert "mật khẩu" in body["message"]
    assert LedgerEvent.objects.filter(action="auth.login_failed").exists()


def test_token_missing_fields(anon, db):
    body = assert_error(
        anon.post("/api/v1/auth/token/", {}, format="json"), 400, "validation_error"
    )
    assert set(body["fields"]) == {"username", "password"}


@override_settings(API_LOGIN_RATE="3/minute")
def test_login_is_throttled(anon, journalist):
    for _ in range(3):
        anon.post(
            "/api/v1/auth/token/", {"username": "journalist1", "password": "x"}, format="json"
        )
    r = anon.post(
        "/api/v1/auth/token/", {"username": "journalist1", "password": "x"}, format="json"
    )
    assert_error(r, 429, "throttled")
    assert int(r["Retry-After"]) >= 1


def test_unauthenticated_is_401_with_the_token_scheme(anon, db):
    r = anon.get("/api/v1/cases/")
    assert_error(r, 401, "not_authenticated")
    assert r["WWW-Authenticate"] == "Token"


def test_bad_token_is_401(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token nope")
    assert_error(client.get("/api/v1/cases/"), 401, "not_authenticated")


def test_session_auth_works_and_needs_csrf(journalist, organisation, staff):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(journalist)
    assert client.get("/api/v1/cases/").status_code == 200
    r = client.post("/api/v1/cases/", _new_case(organisation), format="json")
    assert_error(r, 403, "permission_denied")


# ---------------------------------------------------------------- schema and docs


def test_schema_and_docs_are_public(anon, db):
    r = anon.get("/api/schema/?format=json")
    assert r.status_code == 200
    schema = r.json()
    assert schema["openapi"].startswith("3.")
    for path in (
        "/api/v1/auth/token/",
        "/api/v1/organisations/",
        "/api/v1/cases/",
        "/api/v1/cases/{id}/",
        "/api/v1/tasks/",
        "/api/v1/tasks/{id}/claim/",
        "/api/v1/tasks/{id}/complete/",
        "/api/v1/documents/{id}/pdf/",
        "/api/v1/verify/",
        "/api/v1/audit/events/",
        "/api/v1/audit/verify/",
    ):
        assert path in schema["paths"], path
    assert "409" in schema["paths"]["/api/v1/tasks/{id}/complete/"]["post"]["responses"]
    assert schema["components"]["schemas"]["Error"]["required"] == ["code", "message", "fields"]
    assert anon.get("/api/schema/").status_code == 200  # YAML by default
    docs = anon.get("/api/docs/")
    assert docs.status_code == 200 and b"swagger-ui" in docs.content
    assert b"/static/drf_spectacular_sidecar/" in docs.content  # no CDN needed


# ---------------------------------------------------------------- organisations


def test_organisations_are_public_and_paginated(anon, organisation):
    body = anon.get("/api/v1/organisations/").json()
    assert set(body) == {"count", "next", "previous", "results"}
    rows = {o["code"]: o for o in body["results"]}
    assert rows["pgddt-thuan-an"] == {
        "code": "pgddt-thuan-an",
        "name": organisation.name,
        "parent": "sgddt-binh-duong",
    }
    assert rows["sgddt-binh-duong"]["parent"] is None


def test_pagination_links(anon, organisation, other_organisation):
    body = anon.get("/api/v1/organisations/?page_size=1").json()
    assert body["count"] == 3 and len(body["results"]) == 1 and body["next"]
    body = assert_error(anon.get("/api/v1/organisations/?page=99"), 404, "not_found")
    assert body["message"] == "Trang không tồn tại."


# ---------------------------------------------------------------- cases


def test_journalist_submits_a_case(api, journalist, organisation, staff):
    r = api(journalist).post(
        "/api/v1/cases/",
        _new_case(organisation, kind="answer_request", purpose="Bài phản ánh"),
        format="json",
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert set(body) >= CASE_FIELDS
    assert body["kind"] == "answer_request" and body["status"] == "triage"
    assert body["organisation"] == "pgddt-thuan-an"
    assert body["timeline"][0]["action"] == "case.submit"
    assert {"action", "at", "actor_role"} <= set(body["timeline"][0])
    case = Case.objects.get(pk=body["id"])
    assert case.channel == Case.Channel.API and case.journalist == journalist


def test_submit_with_attachments_multipart(api, journalist, organisation, staff):
    pdf = SimpleUploadedFile("tai-lieu.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    data = {**_new_case(organisation), "attachments": [pdf]}
    r = api(journalist).post("/api/v1/cases/", data, format="multipart")
    assert r.status_code == 201, r.content
    assert Case.objects.get(pk=r.json()["id"]).attachments.count() == 1


def test_submit_attachment_of_wrong_type_is_a_field_error(api, journalist, organisation, staff):
    exe = SimpleUploadedFile("x.pdf", b"MZ\x90\x00" * 10, content_type="application/pdf")
    r = api(journalist).post(
        "/api/v1/cases/", {**_new_case(organisation), "attachments": [exe]}, format="multipart"
    )
    body = assert_error(r, 400, "validation_error")
    assert "attachments" in body["fields"]


@override_settings(CASE_MAX_UPLOAD_BYTES=100)
def test_submit_attachment_too_large_is_413(api, journalist, organisation, staff):
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * 200, content_type="application/pdf")
    r = api(journalist).post(
        "/api/v1/cases/", {**_new_case(organisation), "attachments": [big]}, format="multipart"
    )
    assert_error(r, 413, "too_large")


@pytest.mark.parametrize(
    "change, field",
    [
        ({"organisation": "khong-co"}, "organisation"),
        ({"kind": "gossip"}, "kind"),
        ({"subject": ""}, "subject"),
        ({"questions": []}, "questions"),
        ({"questions": ["   "]}, "questions"),
        ({"questions": "không phải danh sách"}, "questions"),
    ],
)
def test_submit_validation(api, journalist, organisation, staff, change, field):
    r = api(journalist).post("/api/v1/cases/", {**_new_case(organisation), **change}, format="json")
    body = assert_error(r, 400, "validation_error")
    # List items are named "questions.0", "questions.1", …
    assert any(name.split(".")[0] == field for name in body["fields"]), body
    assert not Case.objects.exists()


def test_submit_malformed_json_is_400(api, journalist, db):
    r = api(journalist).post(
        "/api/v1/cases/", data=b'{"subject": ', content_type="application/json"
    )
    assert_error(r, 400, "validation_error")


def test_submit_unsupported_media_type_is_415(api, journalist, db):
    r = api(journalist).post("/api/v1/cases/", data=b"<x/>", content_type="application/xml")
    assert_error(r, 415, "unsupported_media_type")


@override_settings(API_MAX_BODY_BYTES=1000)
def test_request_body_limit_is_413(api, journalist, organisation):
    r = api(journalist).post(
        "/api/v1/cases/", _new_case(organisation, purpose="x" * 2000), format="json"
    )
    assert_error(r, 413, "too_large")
    assert not Case.objects.exists()


@override_settings(API_CASE_SUBMIT_RATE="2/hour")
def test_submission_throttle_per_journalist(api, journalist, other_journalist, organisation, staff):
    client = api(journalist)
    for _ in range(2):
        assert (
            client.post("/api/v1/cases/", _new_case(organisation), format="json").status_code == 201
        )
    assert_error(
        client.post("/api/v1/cases/", _new_case(organisation), format="json"), 429, "throttled"
    )
    # Reading is not throttled, and another journalist has their own allowance.
    assert client.get("/api/v1/cases/").status_code == 200
    other = api(other_journalist).post("/api/v1/cases/", _new_case(organisation), format="json")
    assert other.status_code == 201


def test_staff_cannot_submit(api, organisation, staff):
    r = api(staff["vanthu"]).post("/api/v1/cases/", _new_case(organisation), format="json")
    assert_error(r, 403, "permission_denied")


def test_journalist_sees_only_own_cases(api, case, other_journalist, organisation):
    other_case = api(other_journalist).post(
        "/api/v1/cases/", _new_case(organisation), format="json"
    )
    mine = api(case.journalist).get("/api/v1/cases/").json()
    assert [c["id"] for c in mine["results"]] == [case.pk]
    detail = api(case.journalist).get(f"/api/v1/cases/{case.pk}/").json()
    assert set(detail) >= CASE_FIELDS and detail["questions"] == case.questions
    assert_error(
        api(case.journalist).get(f"/api/v1/cases/{other_case.json()['id']}/"), 404, "not_found"
    )
    assert_error(api(other_journalist).get(f"/api/v1/cases/{case.pk}/"), 404, "not_found")


def test_staff_see_their_organisations_cases_with_the_internal_timeline(api, case, staff, outsider):
    body = api(staff["vanthu"]).get("/api/v1/cases/").json()
    assert [c["id"] for c in body["results"]] == [case.pk]
    assert body["results"][0]["timeline"][0]["actor"] == "journalist1"
    assert api(outsider).get("/api/v1/cases/").json()["count"] == 0
    assert_error(api(outsider).get(f"/api/v1/cases/{case.pk}/"), 404, "not_found")


def test_case_list_filters(api, case, staff):
    client = api(staff["vanthu"])
    assert client.get("/api/v1/cases/?status=triage").json()["count"] == 1
    assert client.get("/api/v1/cases/?status=answered").json()["count"] == 0
    assert client.get("/api/v1/cases/?organisation=pgddt-thuan-an").json()["count"] == 1
    body = assert_error(client.get("/api/v1/cases/?status=bogus"), 400, "validation_error")
    assert "status" in body["fields"]


def test_clarification_round_trip(api, case, staff):
    registry = api(staff["vanthu"])
    task = open_task(case, "triage")
    r = registry.post(
        f"/api/v1/tasks/{task.pk}/complete/",
        {"action": "clarify", "message": "Xin cho biết trường cụ thể."},
        format="json",
    )
    assert r.status_code == 200 and r.json()["status"] == "awaiting_clarification", r.content
    reporter = api(case.journalist)
    detail = reporter.get(f"/api/v1/cases/{case.pk}/").json()
    assert detail["clarification_request"] == "Xin cho biết trường cụ thể."
    r = reporter.post(
        f"/api/v1/cases/{case.pk}/clarify/", {"message": "Trường THCS Nguyễn Trãi."}, format="json"
    )
    assert r.status_code == 200 and r.json()["status"] == "triage", r.content
    assert_error(
        reporter.post(f"/api/v1/cases/{case.pk}/clarify/", {"message": "Lần nữa"}, format="json"),
        409,
        "invalid_state",
    )
    assert open_task(case, "triage")


# ---------------------------------------------------------------- tasks


def test_tasks_list_only_what_the_caller_may_act_on(api, case, staff):
    body = api(staff["vanthu"]).get("/api/v1/tasks/").json()
    assert set(body) == {"count", "next", "previous", "results"}
    [task] = body["results"]
    assert set(task) >= TASK_FIELDS
    assert task["case"] == case.pk and task["step"] == "triage" and task["statement"] is None
    assert task["refusal_grounds"] == []
    for name in ("chuyenvien", "lanhdao", "thanhtra"):
        assert api(staff[name]).get("/api/v1/tasks/").json()["count"] == 0, name
    assert api(staff["phatngon"]).get("/api/v1/tasks/").json()["count"] == 1  # may triage too
    detail = api(staff["vanthu"]).get(f"/api/v1/tasks/{task['id']}/")
    assert detail.status_code == 200 and detail.json()["id"] == task["id"]
    assert_error(api(staff["chuyenvien"]).get(f"/api/v1/tasks/{task['id']}/"), 404, "not_found")


def test_claimed_task_leaves_the_others_lists(api, case, staff):
    task = open_task(case, "triage")
    assert api(staff["vanthu"]).post(f"/api/v1/tasks/{task.pk}/claim/").status_code == 200
    assert api(staff["phatngon"]).get("/api/v1/tasks/").json()["count"] == 0
    mine = api(staff["vanthu"]).get("/api/v1/tasks/").json()["results"]
    assert mine[0]["status"] == "assigned" and mine[0]["assignee"] == "vanthu"
    assert_error(
        api(staff["phatngon"]).post(f"/api/v1/tasks/{task.pk}/claim/"), 409, "invalid_state"
    )
    r = api(staff["phatngon"]).post(
        f"/api/v1/tasks/{task.pk}/complete/",
        {"action": "forward", "to": "UBND", "reason": "Thẩm quyền"},
        format="json",
    )
    assert_error(r, 409, "invalid_state")


def test_wrong_role_is_403(api, case, staff):
    task = open_task(case, "triage")
    assert_error(
        api(staff["chuyenvien"]).post(f"/api/v1/tasks/{task.pk}/claim/"), 403, "permission_denied"
    )
    r = api(staff["lanhdao"]).post(
        f"/api/v1/tasks/{task.pk}/complete/",
        {"action": "accept", "assignee": "chuyenvien"},
        format="json",
    )
    assert_error(r, 403, "permission_denied")
    assert_error(api(case.journalist).get("/api/v1/tasks/"), 403, "permission_denied")


def test_unknown_task_is_404(api, staff, db):
    assert_error(api(staff["vanthu"]).post("/api/v1/tasks/999999/claim/"), 404, "not_found")


@pytest.mark.parametrize(
    "data, field",
    [
        ({"action": "accept"}, "assignee"),
        ({"action": "accept", "assignee": "khong-ai"}, "assignee"),
        ({"action": "accept", "assignee": "lanhdao"}, "assignee"),  # not a specialist
        ({"action": "forward", "to": "UBND"}, "reason"),
        ({"action": "duplicate", "of": 999999}, "of"),
        ({"action": "duplicate", "of": "abc"}, "of"),
        ({"action": "clarify"}, "message"),
        ({"action": "approve"}, "action"),  # not an action of the triage step
        ({"action": "dance"}, "action"),
    ],
)
def test_complete_validation(api, case, staff, data, field):
    task = open_task(case, "triage")
    r = api(staff["vanthu"]).post(f"/api/v1/tasks/{task.pk}/complete/", data, format="json")
    body = assert_error(r, 400, "validation_error")
    assert field in body["fields"], body
    case.refresh_from_db()
    assert case.status == Case.Status.TRIAGE


def test_triage_accepts_a_list_of_assignees_and_duplicate_forward(
    api, case, staff, journalist, organisation
):
    task = open_task(case, "triage")
    r = api(staff["vanthu"]).post(
        f"/api/v1/tasks/{task.pk}/complete/",
        {"action": "accept", "assignee": ["chuyenvien"]},
        format="json",
    )
    assert r.status_code == 200 and r.json()["status"] == "drafting"
    second = api(journalist).post("/api/v1/cases/", _new_case(organisation), format="json").json()
    task2 = open_task(Case.objects.get(pk=second["id"]), "triage")
    r = api(staff["vanthu"]).post(
        f"/api/v1/tasks/{task2.pk}/complete/", {"action": "duplicate", "of": case.pk}, format="json"
    )
    assert r.status_code == 200 and r.json()["status"] == "duplicate", r.content


def test_review_refuse_and_signoff_return(api, case, staff):
    api(staff["vanthu"]).post(
        f"/api/v1/tasks/{open_task(case, 'triage').pk}/complete/",
        {"action": "accept", "assignee": "chuyenvien"},
        format="json",
    )
    api(staff["chuyenvien"]).post(
        f"/api/v1/tasks/{open_task(case, 'draft').pk}/complete/",
        {"action": "submit", "answer": "Dự thảo"},
        format="json",
    )
    review = open_task(case, "review")
    listed = api(staff["phatngon"]).get("/api/v1/tasks/").json()["results"]
    grounds = [g["code"] for g in listed[0]["refusal_grounds"]]
    assert grounds == [g.code for g in deadlines.refusal_grounds_for(case.received_at)]
    r = api(staff["phatngon"]).post(
        f"/api/v1/tasks/{review.pk}/complete/",
        {"action": "refuse", "ground": "zz", "reason": "x"},
        format="json",
    )
    assert "ground" in assert_error(r, 400, "validation_error")["fields"]
    # The 2026 grounds are a paraphrase until an administrator confirms their wording.
    assert listed[0]["refusal_grounds"][0]["wording_confirmed"] is False
    r = api(staff["phatngon"]).post(
        f"/api/v1/tasks/{review.pk}/complete/",
        {"action": "refuse", "ground": grounds[0], "reason": "Đang thanh tra"},
        format="json",
    )
    assert assert_error(r, 400, "validation_error")["reason"] == "ground_unconfirmed"
    RefusalGround.objects.filter(pk=deadlines.refusal_grounds_for(case.received_at)[0].pk).update(
        unconfirmed=False
    )
    r = api(staff["phatngon"]).post(
        f"/api/v1/tasks/{review.pk}/complete/",
        {"action": "refuse", "ground": grounds[0], "reason": "Đang thanh tra"},
        format="json",
    )
    assert r.status_code == 200 and r.json()["status"] == "signoff", r.content
    r = api(staff["lanhdao"]).post(
        f"/api/v1/tasks/{open_task(case, 'signoff').pk}/complete/",
        {"action": "return", "comment": "Xem lại căn cứ", "to": "review"},
        format="json",
    )
    assert r.status_code == 200 and r.json()["status"] == "review", r.content
    r = api(staff["phatngon"]).post(
        f"/api/v1/tasks/{open_task(case, 'review').pk}/complete/",
        {"action": "return"},
        format="json",
    )
    assert "comment" in assert_error(r, 400, "validation_error")["fields"]


# ---------------------------------------------------------------- documents


@pytest.fixture
def issued(api, case, staff, signing_credentials, django_capture_on_commit_callbacks):
    """Take `case` to a signed answer through the API; return (case, document id)."""
    steps = [
        ("vanthu", "triage", {"action": "accept", "assignee": "chuyenvien"}),
        ("chuyenvien", "draft", {"action": "submit", "answer": "Trả lời."}),
        ("phatngon", "review", {"action": "approve"}),
        ("lanhdao", "signoff", {"action": "sign", "confirm": True}),
    ]
    for name, step, data in steps:
        with django_capture_on_commit_callbacks(execute=True):
            r = api(staff[name]).post(
                f"/api/v1/tasks/{open_task(case, step).pk}/complete/", data, format="json"
            )
        assert r.status_code == 200, r.content
    case.refresh_from_db()
    assert case.document and case.document.pdf
    return case, case.document.pk


def test_document_download_permissions(api, anon, issued, staff, other_journalist, outsider):
    case, pk = issued
    url = f"/api/v1/documents/{pk}/pdf/"
    for user in (
        case.journalist,
        staff["vanthu"],
        staff["phatngon"],
        staff["thanhtra"],
        staff["lanhdao"],
    ):
        r = api(user).get(url)
        assert r.status_code == 200, (user.username, r.status_code)
        assert r["Content-Type"] == "application/pdf"
        assert b"".join(r.streaming_content).startswith(b"%PDF")
    assert_error(api(other_journalist).get(url), 403, "permission_denied")
    assert_error(api(outsider).get(url), 403, "permission_denied")
    assert_error(anon.get(url), 401, "not_authenticated")
    assert_error(api(case.journalist).get("/api/v1/documents/999999/pdf/"), 404, "not_found")
    assert LedgerEvent.objects.filter(action="access.denied", actor_username="journalist2").exists()
    downloads = LedgerEvent.objects.filter(action="document.download", target_id=str(pk))
    assert downloads.count() == 5
    meta = api(case.journalist).get(f"/api/v1/documents/{pk}/").json()
    assert meta["number"] == case.document.number_display and meta["sha256"] == case.document.sha256
    # An error is JSON even when the client asked for a PDF.
    r = api(other_journalist).get(url, HTTP_ACCEPT="application/pdf")
    assert r.status_code == 403 and r.json()["code"] == "permission_denied"


# ---------------------------------------------------------------- verification


def test_verify_rejects_a_non_pdf_as_invalid(anon, db):
    r = anon.post(
        "/api/v1/verify/",
        {"file": SimpleUploadedFile("a.pdf", b"hello", content_type="application/pdf")},
        format="multipart",
    )
    body = r.json()
    assert r.status_code == 200 and body["status"] == "invalid" and body["registered"] is False
    assert body["document"] is None and body["signatures"] == []
    assert len(body["sha256"]) == 64


def test_verify_needs_a_file(anon, db):
    body = assert_error(
        anon.post("/api/v1/verify/", {}, format="multipart"), 400, "validation_error"
    )
    assert "file" in body["fields"]


@override_settings(RELEASE_MAX_UPLOAD_BYTES=10)
def test_verify_too_large_is_413(anon, db):
    r = anon.post(
        "/api/v1/verify/",
        {"file": SimpleUploadedFile("a.pdf", b"%PDF-" + b"0" * 50)},
        format="multipart",
    )
    assert_error(r, 413, "too_large")


def test_verify_json_body_is_415(anon, db):
    assert_error(
        anon.post("/api/v1/verify/", {"file": "x"}, format="json"), 415, "unsupported_media_type"
    )


# ---------------------------------------------------------------- audit


def test_audit_events_for_inspectors(api, case, staff):
    client = api(staff["thanhtra"])
    body = client.get("/api/v1/audit/events/?action=case.submit").json()
    assert body["count"] == 1
    event = body["results"][0]
    assert event["action"] == "case.submit" and event["organisation"] == "pgddt-thuan-an"
    assert event["target_id"] == str(case.pk) and len(event["hash"]) == 64
    assert LedgerEvent.objects.filter(
        action="audit.view_events", actor_username="thanhtra"
    ).exists()
    bad = client.get("/api/v1/audit/events/?date_from=hom-qua")
    assert "date_from" in assert_error(bad, 400, "validation_error")["fields"]
    outside = client.get("/api/v1/audit/events/?organisation=pgddt-di-an")
    assert "organisation" in assert_error(outside, 400, "validation_error")["fields"]


@pytest.mark.parametrize("query", ["date_to=9999-12-31", "date_from=0001-01-01"])
def test_audit_events_extreme_dates_are_400_not_500(api, case, staff, query):
    r = api(staff["thanhtra"]).get(f"/api/v1/audit/events/?{query}")
    assert query.split("=")[0] in assert_error(r, 400, "validation_error")["fields"]


def test_audit_verify(api, case, staff):
    r = api(staff["thanhtra"]).get("/api/v1/audit/verify/")
    body = r.json()
    assert r.status_code == 200 and body["ok"] is True and body["first_bad_seq"] is None
    assert body["events"] >= 1 and body["head"]["seq"] >= body["events"]


@pytest.mark.parametrize("path", ["/api/v1/audit/events/", "/api/v1/audit/verify/"])
def test_audit_refuses_non_inspectors(api, anon, case, staff, path):
    for name in ("vanthu", "lanhdao", "phatngon"):
        assert_error(api(staff[name]).get(path), 403, "permission_denied")
    assert_error(api(case.journalist).get(path), 403, "permission_denied")
    assert_error(anon.get(path), 401, "not_authenticated")


# ---------------------------------------------------------------- generic errors


def test_unknown_api_path_is_json_404(anon, db):
    assert_error(anon.get("/api/v1/khong-co/"), 404, "not_found")
    assert_error(anon.get("/api/v1/cases/abc/"), 404, "not_found")
    assert_error(anon.get("/api/v1/cases/a%0Ab/"), 404, "not_found")


def test_wrong_method_is_405(api, journalist):
    assert_error(api(journalist).delete("/api/v1/organisations/"), 405, "method_not_allowed")


def test_messages_follow_the_request_language(anon, db):
    vi = anon.get("/api/v1/cases/").json()["message"]
    en = anon.get("/api/v1/cases/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert vi.startswith("Bạn cần đăng nhập")
    # api/locale/en (compiled by `make messages`, part of `make test`).
    assert en["code"] == "not_authenticated" and en["message"].startswith("Authentication required")
    body = anon.post("/api/v1/auth/token/", {}, format="json", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["fields"]["username"] == ["This field is required."]
    body = anon.post("/api/v1/auth/token/", {}, format="json", HTTP_ACCEPT_LANGUAGE="vi").json()
    assert body["fields"]["username"] != ["This field is required."]
