from datetime import date, timedelta

import pytest
from django.utils import timezone

from audit.models import LedgerEvent
from core.errors import DomainError
from roles import selectors, services
from roles.models import SpokespersonAssignment

CONTACT = {
    "contact_name": "Phạm Thu Hà",
    "contact_title": "Chánh Văn phòng",
    "contact_phone": "0274 3755 125",
    "contact_email": "ha@example.gov.vn",
}


def _authorise(organisation, user, issued_by, **kw):
    data = {
        "organisation": organisation,
        "user": user,
        "kind": SpokespersonAssignment.Kind.AUTHORISED,
        "issued_by": issued_by,
        "scope": "Sự cố ngộ độc thực phẩm tại Trường Tiểu học Lái Thiêu",
        "valid_from": timezone.localdate(),
        "valid_to": timezone.localdate() + timedelta(days=10),
        **CONTACT,
    }
    data.update(kw)
    return services.spokesperson_assign(**data)


def test_the_head_authorises_for_a_matter_and_a_period(organisation, head, specialist):
    a = _authorise(organisation, specialist, head)
    assert a.is_current()
    assert selectors.spokesperson_is_valid(specialist, organisation)
    assert LedgerEvent.objects.filter(action="spokesperson.assign", target_id=str(a.pk)).exists()


@pytest.mark.parametrize("issuer", ["deputy_head", "spokesperson", "registry_officer", "outsider"])
def test_only_the_head_may_authorise_no_sub_delegation(request, organisation, specialist, issuer):
    issued_by = request.getfixturevalue(issuer)
    with pytest.raises(DomainError) as exc:
        _authorise(organisation, specialist, issued_by)
    assert exc.value.code == "not_head"
    assert "không được ủy quyền lại" in exc.value.message
    assert not SpokespersonAssignment.objects.filter(user=specialist).exists()


def test_an_authorisation_needs_a_scope_and_an_end_date(organisation, head, specialist):
    with pytest.raises(DomainError) as exc:
        _authorise(organisation, specialist, head, scope="  ")
    assert exc.value.code == "scope_required"
    with pytest.raises(DomainError) as exc:
        _authorise(organisation, specialist, head, valid_to=None)
    assert exc.value.code == "period_required"


def test_an_expired_authorisation_no_longer_speaks(organisation, head, specialist):
    _authorise(
        organisation, specialist, head, valid_from=date(2025, 1, 1), valid_to=date(2025, 2, 1)
    )
    assert not selectors.spokesperson_is_valid(specialist, organisation)
    assert selectors.spokesperson_is_valid(specialist, organisation, on=date(2025, 1, 15))


def test_the_head_is_the_spokesperson_by_law(organisation, head, other_organisation):
    assert selectors.spokesperson_is_valid(head, organisation)
    assert not selectors.spokesperson_is_valid(head, other_organisation)


def test_revocation_needs_the_head_and_a_reason(organisation, head, deputy_head, specialist):
    a = _authorise(organisation, specialist, head)
    with pytest.raises(DomainError):
        services.spokesperson_revoke(assignment=a, reason="Hết vụ việc", by=deputy_head)
    with pytest.raises(DomainError):
        services.spokesperson_revoke(assignment=a, reason=" ", by=head)
    services.spokesperson_revoke(assignment=a, reason="Vụ việc đã kết thúc", by=head)
    assert not selectors.spokesperson_is_valid(specialist, organisation)


def test_publish_is_idempotent_and_recorded(organisation, head, specialist):
    a = _authorise(organisation, specialist, head)
    decided = timezone.now()
    kw = {"by": head, "decision_reference": "03/GUQ-PGDĐT", "decision_issued_at": decided}
    first = services.spokesperson_publish(assignment=a, **kw).published_at
    again = services.spokesperson_publish(assignment=a, **kw).published_at
    assert first == again and first >= decided
    assert LedgerEvent.objects.filter(action="spokesperson.publish").count() == 1


@pytest.mark.parametrize(
    "kw",
    [{}, {"decision_reference": "03/GUQ-PGDĐT"}, {"decision_issued_at": "now"}],
    ids=["nothing", "number-only", "time-only"],
)
def test_nothing_is_published_without_a_signed_decision(organisation, head, specialist, kw):
    a = _authorise(organisation, specialist, head)
    kw = {k: (timezone.now() if v == "now" else v) for k, v in kw.items()}
    with pytest.raises(DomainError) as exc:
        services.spokesperson_publish(assignment=a, by=head, **kw)
    assert exc.value.code == "decision_required"
    a.refresh_from_db()
    assert a.published_at is None and a.decision_issued_at is None


def test_a_decision_issued_after_a_publication_moves_the_publication_date(
    organisation, head, specialist
):
    a = _authorise(organisation, specialist, head)
    SpokespersonAssignment.objects.filter(pk=a.pk).update(
        published_at=timezone.now() - timedelta(hours=1)
    )
    decided = timezone.now()
    a = services.spokesperson_publish(
        assignment=a, by=head, decision_reference="04/GUQ-PGDĐT", decision_issued_at=decided
    )
    assert a.published_at >= decided and a.decision_reference == "04/GUQ-PGDĐT"
