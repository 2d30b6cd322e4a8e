from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from audit.models import LedgerEvent
from core.errors import DomainError
from roles import services
from roles.models import JournalistProfile
from tests.factories import JournalistProfileFactory, PressAgencyFactory, UserFactory


def _pending():
    return services.journalist_register(
        user=UserFactory(),
        press_agency=PressAgencyFactory(),
        press_card_number="hn-12345",
        card_expiry=timezone.localdate() + timedelta(days=100),
    )


def test_registration_starts_pending_and_normalises_the_card(db):
    p = _pending()
    assert p.status == JournalistProfile.Status.PENDING
    assert p.press_card_number == "HN-12345"
    assert not p.is_accredited


@pytest.mark.parametrize("reviewer", ["registry_officer", "spokesperson"])
def test_registry_officer_or_spokesperson_verifies(request, reviewer):
    by = request.getfixturevalue(reviewer)
    p = services.journalist_review(profile=_pending(), approve=True, by=by)
    assert p.status == JournalistProfile.Status.VERIFIED and p.reviewed_by == by
    assert LedgerEvent.objects.filter(action="journalist.verify", actor=by).exists()


@pytest.mark.parametrize("reviewer", ["specialist", "head", "inspector", "journalist"])
def test_other_roles_cannot_verify(request, reviewer):
    by = request.getfixturevalue(reviewer)
    p = _pending()
    with pytest.raises(DomainError):
        services.journalist_review(profile=p, approve=True, by=by)
    p.refresh_from_db()
    assert p.status == JournalistProfile.Status.PENDING


def test_rejection_needs_a_reason(registry_officer):
    p = _pending()
    with pytest.raises(DomainError) as exc:
        services.journalist_review(profile=p, approve=False, by=registry_officer)
    assert exc.value.field == "reason"
    p = services.journalist_review(
        profile=p,
        approve=False,
        reason="Số thẻ không khớp với danh sách của Bộ",
        by=registry_officer,
    )
    assert p.status == JournalistProfile.Status.REJECTED
    assert p.rejection_reason.startswith("Số thẻ")


def test_an_expired_card_shows_as_expired_and_is_swept(db):
    p = JournalistProfileFactory(card_expiry=timezone.localdate() + timedelta(days=1))
    assert p.effective_status == "verified"
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        assert p.effective_status == "expired"
        assert p.get_effective_status_display() == "Thẻ hết hạn"
        assert services.press_cards_expire() == 1
        assert services.press_cards_expire() == 0
    p.refresh_from_db()
    assert p.status == JournalistProfile.Status.EXPIRED
    assert LedgerEvent.objects.filter(action="journalist.expire", target_id=str(p.pk)).exists()


def test_an_expired_card_cannot_be_verified(registry_officer):
    p = _pending()
    JournalistProfile.objects.filter(pk=p.pk).update(
        card_expiry=timezone.localdate() - timedelta(days=1)
    )
    with pytest.raises(DomainError) as exc:
        services.journalist_review(profile=p, approve=True, by=registry_officer)
    assert exc.value.code == "card_expired"
