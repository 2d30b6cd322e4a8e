"""The inspector finds a case by its reference or a document by its number, and reads the
ledger in words: actions, roles, organisations and targets; the sidebar has no developer
message."""

import pytest

import audit
from audit.labels import action_label
from tests.release.helpers import issue
from tests.workflows.conftest import staff  # noqa: F401 — shared fixture
from tests.workflows.helpers import submit

BASE = "/workspace/inspection/"


@pytest.fixture
def case(journalist, organisation, staff, django_capture_on_commit_callbacks):  # noqa: F811
    with django_capture_on_commit_callbacks(execute=True):
        return submit(journalist, organisation)


@pytest.fixture
def document(case, head):
    """A document issued for the case (numbered; the worker's signing is not run)."""
    return issue(case.organisation, head, subject=case)


def _seqs(response):
    return {e.seq for e in response.context["page"]}


def test_searching_a_case_reference_finds_its_events_and_its_documents(
    login, inspector, journalist, case, document, organisation
):
    other = submit(journalist, organisation, subject="Một hồ sơ khác")
    client = login(inspector)
    response = client.get(BASE, {"reference": case.reference})
    assert response.status_code == 200
    events = list(response.context["page"])
    targets = {(e.target_type, e.target_id) for e in events}
    assert ("workflows.case", str(case.pk)) in targets
    assert ("release.issueddocument", str(document.pk)) in targets
    assert ("workflows.case", str(other.pk)) not in targets
    assert {t for t, _ in targets} <= {"workflows.case", "release.issueddocument"}


def test_searching_a_document_number_finds_only_that_document(login, inspector, case, document):
    response = login(inspector).get(BASE, {"reference": document.number_display})
    targets = {(e.target_type, e.target_id) for e in response.context["page"]}
    assert targets == {("release.issueddocument", str(document.pk))}


def test_an_unknown_reference_finds_nothing(login, inspector, case):
    response = login(inspector).get(BASE, {"reference": "HS-1999-000001"})
    assert response.status_code == 200 and list(response.context["page"]) == []


def test_the_export_keeps_the_reference_filter(
    login, inspector, case, document, django_capture_on_commit_callbacks
):
    from audit.exports import export_queryset
    from audit.models import AuditExport

    client = login(inspector)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(f"{BASE}xuat/tao/", {"format": "csv", "reference": case.reference})
    export = AuditExport.objects.latest("pk")
    assert export.filters["reference"] == case.reference
    types = set(export_queryset(export).values_list("target_type", flat=True))
    assert types == {"workflows.case", "release.issueddocument"}


def test_rows_speak_words_not_codes(login, inspector, case, document, organisation, head):
    audit.record(
        action="case.triage.accept",
        actor=head,
        actor_role="registry_officer",
        organisation=organisation,
        target=case,
    )
    html = login(inspector).get(BASE).content.decode()
    assert "Phân loại: tiếp nhận, giao chuyên viên" in html
    assert "Văn thư / cán bộ truyền thông" in html
    assert f"Hồ sơ {case.reference}" in html
    assert f"Văn bản {document.number_display}" in html
    assert organisation.name in html
    assert "No viewsets found" not in html
    # The sidebar leads to the three inspection pages.
    for url in (BASE, f"{BASE}chuoi/", f"{BASE}xuat/"):
        assert f'href="{url}"' in html


def test_the_timeline_is_titled_by_the_case_reference(login, inspector, case):
    html = login(inspector).get(f"{BASE}doi-tuong/workflows.case/{case.pk}/").content.decode()
    assert f"Mọi sự kiện về Hồ sơ {case.reference}" in html


def test_every_page_of_the_inspection_has_a_clean_sidebar(login, inspector, db):
    client = login(inspector)
    for url in (BASE, f"{BASE}chuoi/", f"{BASE}xuat/"):
        html = client.get(url).content.decode()
        assert "No viewsets found" not in html, url
        assert "<h1" in html, url


def test_an_unknown_action_code_is_shown_as_it_is():
    assert action_label("case.triage.accept") == "Phân loại: tiếp nhận, giao chuyên viên"
    assert action_label("khong.biet") == "khong.biet"
