"""The head signs the decision naming a spokesperson (QĐ) or an authorisation (GUQ); once the
signed document is issued, the directory entry is published with the decision's number."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages

from audit.models import LedgerEvent
from core.errors import DomainError
from core.labels import datetime_display
from release.models import IssuedDocument
from roles import services as role_services
from roles.models import SpokespersonAssignment
from tests.workflows.helpers import DECISIONS, spokesperson_assign
from workflows.statements import decisions

DIRECTORY = "/nguoi-phat-ngon/"


@pytest.fixture
def regular(organisation, head):
    return spokesperson_assign(
        organisation, head, SpokespersonAssignment.Kind.REGULAR, "phatngon-moi"
    )


@pytest.fixture
def authorised(organisation, head):
    return spokesperson_assign(
        organisation,
        head,
        SpokespersonAssignment.Kind.AUTHORISED,
        "uyquyen",
        contact_name="Phạm Thị Dung",
    )


def _directory_row(client, assignment) -> str:
    html = client.get(DIRECTORY).content.decode()
    if assignment.contact_email not in html:
        return ""
    i = html.index(assignment.contact_email)
    return html[html.rindex("<tr", 0, i) : html.index("</tr>", i)]


@pytest.mark.django_db(transaction=False)
@pytest.mark.parametrize(
    ("which", "doc_type", "marker"),
    [("regular", "quyet_dinh", "QĐ"), ("authorised", "giay_uy_quyen", "GUQ")],
)
def test_the_head_issues_the_decision_and_the_entry_is_published(
    request,
    client,
    staff,
    signing_credentials,
    django_capture_on_commit_callbacks,
    which,
    doc_type,
    marker,
):
    assignment = request.getfixturevalue(which)
    assert assignment.published_at is None
    client.logout()
    assert _directory_row(client, assignment) == ""  # not public before the decision

    client.force_login(staff["lanhdao"])
    page = client.get(DECISIONS).content.decode()
    assert assignment.contact_name in page
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(DECISIONS, {"assignment": assignment.pk})
    assert r.status_code == 302 and r["Location"] == DECISIONS

    document = decisions.decision_document(assignment)
    assert document is not None, [str(m) for m in get_messages(r.wsgi_request)]
    assert document.doc_type == doc_type
    assert document.status == IssuedDocument.Status.ISSUED, document.last_error
    assert marker in document.number_display
    assert document.signer == staff["lanhdao"]
    assignment.refresh_from_db()
    assert assignment.published_at is not None
    assert assignment.decision_reference == document.number_display
    assert document.issued_at - timedelta(seconds=5) <= assignment.published_at
    assert assignment.published_at - document.issued_at <= timedelta(hours=24)
    assert LedgerEvent.objects.filter(
        action="spokesperson.decision.issue", target_id=str(assignment.pk)
    ).exists()
    assert LedgerEvent.objects.filter(
        action="spokesperson.publish", target_id=str(assignment.pk)
    ).exists()

    client.logout()
    row = _directory_row(client, assignment)
    assert assignment.contact_name in row
    published = datetime_display(assignment.published_at)
    assert published in row
    # The public directory names the decision (legal review row 27).
    assert document.number_display in row
    assert assignment.decision_issued_at == document.issued_at

    client.force_login(staff["lanhdao"])
    page = client.get(DECISIONS).content.decode()
    assert document.number_display in page


@pytest.mark.django_db(transaction=False)
def test_a_second_issue_is_refused(
    client, staff, regular, signing_credentials, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = decisions.decision_issue(assignment=regular, by=staff["lanhdao"])
    with pytest.raises(DomainError) as exc:
        decisions.decision_issue(assignment=regular, by=staff["lanhdao"])
    assert exc.value.code == "already_issued"
    # Through the page: refused with a message, still one document.
    client.force_login(staff["lanhdao"])
    r = client.post(DECISIONS, {"assignment": regular.pk})
    assert r.status_code == 302
    assert any("đã được phát hành" in str(m) for m in get_messages(r.wsgi_request))
    ct_docs = IssuedDocument.objects.filter(subject_object_id=regular.pk, doc_type="quyet_dinh")
    assert list(ct_docs) == [first]


def test_a_second_issue_is_refused_while_the_first_is_still_being_signed(staff, regular):
    """Without signing credentials the first document waits; a second is still refused."""
    decisions.decision_issue(assignment=regular, by=staff["lanhdao"])
    with pytest.raises(DomainError) as exc:
        decisions.decision_issue(assignment=regular, by=staff["lanhdao"])
    assert exc.value.code == "already_issued"
    regular.refresh_from_db()
    assert regular.published_at is None  # published only once the document is issued


@pytest.mark.parametrize("user_key", ["pholanhdao", "phatngon", "chuyenvien", "vanthu", "thanhtra"])
def test_only_the_head_may_issue(client, staff, regular, user_key):
    user = staff[user_key]
    with pytest.raises(DomainError) as exc:
        decisions.decision_issue(assignment=regular, by=user)
    assert exc.value.code == "not_head"
    client.force_login(user)
    assert client.post(DECISIONS, {"assignment": regular.pk}).status_code == 403
    assert decisions.decision_document(regular) is None
    regular.refresh_from_db()
    assert regular.published_at is None and regular.decision_reference == ""


def test_the_head_of_another_organisation_may_not_issue(outsider, regular):
    with pytest.raises(DomainError) as exc:
        decisions.decision_issue(assignment=regular, by=outsider)
    assert exc.value.code == "not_head"
    assert decisions.decision_document(regular) is None


def test_a_revoked_assignment_gets_no_decision(client, staff, regular):
    role_services.spokesperson_revoke(
        assignment=regular, reason="Chuyển công tác", by=staff["lanhdao"]
    )
    with pytest.raises(DomainError) as exc:
        decisions.decision_issue(assignment=regular, by=staff["lanhdao"])
    assert exc.value.code == "invalid_state"
    client.force_login(staff["lanhdao"])
    page = client.get(DECISIONS).content.decode()
    assert "Trần Thị Bình" in page  # the page lists assignments…
    assert regular.contact_name not in page  # …but not a revoked one
    assert client.post(DECISIONS, {"assignment": regular.pk}).status_code == 404
    assert decisions.decision_document(regular) is None
