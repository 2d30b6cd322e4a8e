"""Permission matrix: each persona × each endpoint gets exactly the expected status."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.workflows.helpers import open_task, submit

PERSONAS = [
    "anonymous",
    "journalist",
    "other_journalist",
    "vanthu",
    "chuyenvien",
    "phatngon",
    "lanhdao",
    "pholanhdao",
    "thanhtra",
    "outsider",
]
STAFF = ["vanthu", "chuyenvien", "phatngon", "lanhdao", "pholanhdao", "thanhtra"]


def _expect(default, **overrides):
    table = dict.fromkeys(PERSONAS, default)
    table.update(overrides)
    return table


@pytest.fixture
def people(journalist, other_journalist, staff, outsider):
    return {
        "journalist": journalist,
        "other_journalist": other_journalist,
        "outsider": outsider,
        **staff,
    }


@pytest.fixture
def client_for(api, anon, people):
    def _client(persona):
        return anon if persona == "anonymous" else api(people[persona])

    return _client


def _check(client_for, table, call):
    got = {persona: call(client_for(persona), persona).status_code for persona in PERSONAS}
    assert got == table


def test_organisations(client_for, db):
    _check(client_for, _expect(200), lambda c, p: c.get("/api/v1/organisations/"))


def test_me(client_for, people):
    _check(client_for, _expect(200, anonymous=401), lambda c, p: c.get("/api/v1/me/"))


def test_case_list(client_for, case):
    _check(client_for, _expect(200, anonymous=401), lambda c, p: c.get("/api/v1/cases/"))


def test_case_detail(client_for, case):
    table = _expect(
        404, anonymous=401, journalist=200, vanthu=200, phatngon=200, lanhdao=200,
        pholanhdao=200, thanhtra=200,
    )  # fmt: skip
    _check(client_for, table, lambda c, p: c.get(f"/api/v1/cases/{case.pk}/"))


def test_case_create(client_for, organisation, people):
    table = _expect(403, anonymous=401, journalist=201, other_journalist=201)
    body = {
        "organisation": organisation.code,
        "kind": "question",
        "subject": "Lịch thi",
        "questions": ["Khi nào thi?"],
    }
    _check(client_for, table, lambda c, p: c.post("/api/v1/cases/", body, format="json"))


def test_case_clarify(client_for, case):
    # Only the journalist of the case reaches the service (409: nothing to clarify now).
    table = _expect(404, anonymous=401, journalist=409, vanthu=403, phatngon=403, lanhdao=403,
                    pholanhdao=403, thanhtra=403)  # fmt: skip
    _check(
        client_for,
        table,
        lambda c, p: c.post(f"/api/v1/cases/{case.pk}/clarify/", {"message": "x"}, format="json"),
    )


def test_task_list(client_for, case):
    table = _expect(200, anonymous=401, journalist=403, other_journalist=403)
    _check(client_for, table, lambda c, p: c.get("/api/v1/tasks/"))


@pytest.mark.parametrize("verb", ["claim", "complete"])
def test_triage_task_actions(client_for, journalist, organisation, staff, verb):
    table = _expect(
        403, anonymous=401, vanthu=200, phatngon=200,
    )  # fmt: skip

    def call(client, persona):
        task = open_task(submit(journalist, organisation), "triage")
        url = f"/api/v1/tasks/{task.pk}/{verb}/"
        if verb == "claim":
            return client.post(url)
        return client.post(
            url, {"action": "forward", "to": "UBND", "reason": "Thẩm quyền"}, format="json"
        )

    _check(client_for, table, call)


def test_signoff_task_is_for_the_head_and_the_authorised_deputy(client_for, case, api, staff):
    api(staff["vanthu"]).post(
        f"/api/v1/tasks/{open_task(case, 'triage').pk}/complete/",
        {"action": "accept", "assignee": "chuyenvien"},
        format="json",
    )
    api(staff["chuyenvien"]).post(
        f"/api/v1/tasks/{open_task(case, 'draft').pk}/complete/",
        {"action": "submit", "answer": "Trả lời"},
        format="json",
    )
    api(staff["phatngon"]).post(
        f"/api/v1/tasks/{open_task(case, 'review').pk}/complete/",
        {"action": "approve"},
        format="json",
    )
    task = open_task(case, "signoff")
    table = _expect(403, anonymous=401, lanhdao=200, pholanhdao=409)

    def call(client, persona):
        # Claiming: the head claims first, so the deputy finds it taken (409).
        return client.post(f"/api/v1/tasks/{task.pk}/claim/")

    order = [p for p in PERSONAS if p != "pholanhdao"] + ["pholanhdao"]
    got = {p: call(client_for(p), p).status_code for p in order}
    assert got == table


def test_document_pdf(
    client_for, api, case, staff, signing_credentials, django_capture_on_commit_callbacks
):
    steps = [
        ("vanthu", "triage", {"action": "accept", "assignee": "chuyenvien"}),
        ("chuyenvien", "draft", {"action": "submit", "answer": "Trả lời."}),
        ("phatngon", "review", {"action": "approve"}),
        ("pholanhdao", "signoff", {"action": "sign", "confirm": True}),
    ]
    for name, step, data in steps:
        with django_capture_on_commit_callbacks(execute=True):
            api(staff[name]).post(
                f"/api/v1/tasks/{open_task(case, step).pk}/complete/", data, format="json"
            )
    case.refresh_from_db()
    table = _expect(200, anonymous=401, other_journalist=403, outsider=403)
    _check(client_for, table, lambda c, p: c.get(f"/api/v1/documents/{case.document.pk}/pdf/"))


def test_verify_is_public(client_for, db):
    def call(client, persona):
        upload = SimpleUploadedFile("x.pdf", b"not a pdf", content_type="application/pdf")
        return client.post("/api/v1/verify/", {"file": upload}, format="multipart")

    _check(client_for, _expect(200), call)


@pytest.mark.parametrize("path", ["/api/v1/audit/events/", "/api/v1/audit/verify/"])
def test_audit(client_for, case, path):
    table = _expect(403, anonymous=401, thanhtra=200)
    _check(client_for, table, lambda c, p: c.get(path))
