"""A question from submission to a signed, verified answer through the API alone."""

from audit.models import LedgerEvent
from release.validation import validate_pdf
from tests.api.conftest import assert_error
from workflows.cases.models import Case


def _task(client, case_id, step):
    tasks = client.get("/api/v1/tasks/").json()["results"]
    matches = [t for t in tasks if t["case"] == case_id and t["step"] == step]
    assert len(matches) == 1, tasks
    return matches[0]


def test_question_to_signed_verified_answer(
    api,
    anon,
    journalist,
    organisation,
    staff,
    signing_credentials,
    django_capture_on_commit_callbacks,
):
    reporter = api(journalist)
    with django_capture_on_commit_callbacks(execute=True):
        r = reporter.post(
            "/api/v1/cases/",
            {
                "organisation": organisation.code,
                "kind": "question",
                "subject": "Tuyển sinh lớp 6 năm học 2027–2028",
                "questions": ["Chỉ tiêu tuyển sinh là bao nhiêu?", "Xét tuyển hay thi tuyển?"],
                "purpose": "Bài viết về tuyển sinh",
            },
            format="json",
        )
    assert r.status_code == 201, r.content
    case = r.json()
    assert case["status"] == "triage" and case["channel"] == "api"
    assert case["reference"].startswith("HS-") and case["due_at"]
    assert r["Location"].endswith(f"/api/v1/cases/{case['id']}/")

    registry = api(staff["vanthu"])
    triage = _task(registry, case["id"], "triage")
    assert triage["actions"] == ["accept", "forward", "duplicate", "clarify"]
    assert triage["status"] == "new" and triage["assignee"] is None
    r = registry.post(f"/api/v1/tasks/{triage['id']}/claim/")
    assert r.status_code == 200 and r.json()["assignee"] == "vanthu", r.content
    r = registry.post(
        f"/api/v1/tasks/{triage['id']}/complete/",
        {"action": "accept", "assignee": "chuyenvien"},
        format="json",
    )
    assert r.status_code == 200 and r.json()["status"] == "drafting", r.content

    specialist = api(staff["chuyenvien"])
    draft = _task(specialist, case["id"], "draft")
    r = specialist.post(
        f"/api/v1/tasks/{draft['id']}/complete/",
        {"action": "submit", "answer": "Chỉ tiêu là 4.200 học sinh; các trường xét tuyển."},
        format="json",
    )
    assert r.status_code == 200 and r.json()["status"] == "review", r.content

    spokesperson = api(staff["phatngon"])
    review = _task(spokesperson, case["id"], "review")
    assert review["refusal_grounds"] and {"code", "label", "citation"} <= set(
        review["refusal_grounds"][0]
    )
    r = spokesperson.post(
        f"/api/v1/tasks/{review['id']}/complete/", {"action": "approve"}, format="json"
    )
    assert r.status_code == 200 and r.json()["status"] == "signoff", r.content

    head = api(staff["lanhdao"])
    signoff = _task(head, case["id"], "signoff")
    # Signing needs the same explicit confirmation as the web page.
    r = head.post(f"/api/v1/tasks/{signoff['id']}/complete/", {"action": "sign"}, format="json")
    assert "confirm" in assert_error(r, 400, "validation_error")["fields"]
    r = head.post(
        f"/api/v1/tasks/{signoff['id']}/complete/",
        {"action": "sign", "confirm": False},
        format="json",
    )
    assert "confirm" in assert_error(r, 400, "validation_error")["fields"]
    with django_capture_on_commit_callbacks(execute=True):
        r = head.post(
            f"/api/v1/tasks/{signoff['id']}/complete/",
            {"action": "sign", "confirm": True},
            format="json",
        )
    assert r.status_code == 200, r.content
    # The finished task is not open any more.
    assert_error(
        head.post(
            f"/api/v1/tasks/{signoff['id']}/complete/",
            {"action": "sign", "confirm": True},
            format="json",
        ),
        409,
        "invalid_state",
    )

    r = reporter.get(f"/api/v1/cases/{case['id']}/")
    body = r.json()
    # Release's document_issued signal closed the case in the same transaction.
    assert body["status"] == "answered", body
    [document] = body["documents"]
    assert {"id", "number", "issued_at", "sha256", "pdf_url", "verify_url"} <= set(document)
    actions = [e["action"] for e in body["timeline"]]
    assert actions[0] == "case.submit" and "case.signoff.sign" in actions
    assert all(e["actor"] == "" for e in body["timeline"])  # the public timeline names no one

    pdf = reporter.get(document["pdf_url"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    data = b"".join(pdf.streaming_content)
    report = validate_pdf(data)
    assert report.all_valid and len(report.signatures) == 2
    assert LedgerEvent.objects.filter(
        action="document.download", actor_username="journalist1"
    ).exists()

    r = anon.post("/api/v1/verify/", {"file": _file(data)}, format="multipart")
    result = r.json()
    assert r.status_code == 200 and result["status"] == "valid", result
    assert result["registered"] is True
    assert result["document"]["number"] == document["number"]
    assert result["document"]["organisation"] == organisation.code
    assert result["sha256"] == document["sha256"]
    assert all(s["intact"] and s["trusted"] for s in result["signatures"])
    assert Case.objects.get(pk=case["id"]).document.sha256 == document["sha256"]


def _file(data: bytes, name: str = "tra-loi.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/pdf")
