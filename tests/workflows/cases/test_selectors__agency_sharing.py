"""H1: only an accredited colleague (card verified, not expired) sees an agency's shared cases.

Charlie is journalist1's colleague at the same press agency, which shares cases. Whatever
his press card's state, he must not read journalist1's case or its signed answer unless the
card is verified and unexpired — on the portal, the download link and the API alike.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from audit.models import LedgerEvent
from core.errors import DomainError
from roles import services as role_services
from roles.models import JournalistProfile, PressAgency
from tests.factories import JournalistProfileFactory, UserFactory, api_token_key
from tests.workflows.helpers import open_task

REFUSED = ["pending", "rejected", "expired", "expired_marked"]


def _card(profile: JournalistProfile, state: str) -> None:
    today = timezone.localdate()
    profile.card_expiry = today + timedelta(days=365)
    profile.rejection_reason = ""
    if state == "verified":
        profile.status = JournalistProfile.Status.VERIFIED
    elif state == "pending":
        profile.status = JournalistProfile.Status.PENDING
    elif state == "rejected":
        profile.status = JournalistProfile.Status.REJECTED
        profile.rejection_reason = "Số thẻ không khớp"
    elif state == "expired":  # verified once, the card has run out since (sweeper not run yet)
        profile.status = JournalistProfile.Status.VERIFIED
        profile.card_expiry = today - timedelta(days=1)
    elif state == "expired_marked":
        profile.status = JournalistProfile.Status.EXPIRED
        profile.card_expiry = today - timedelta(days=1)
    profile.save()


@pytest.fixture
def sharing_agency(journalist):
    agency = journalist.journalist_profile.press_agency
    PressAgency.objects.filter(pk=agency.pk).update(shares_cases=True)
    return agency


@pytest.fixture
def charlie(sharing_agency):
    return JournalistProfileFactory(
        user=UserFactory(username="charlie"), press_agency=sharing_agency
    ).user


def _api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_key(user)}")
    return client


@pytest.fixture
def signed_case(case, staff, signing_credentials, django_capture_on_commit_callbacks):
    steps = [
        ("vanthu", "triage", {"action": "accept", "assignee": "chuyenvien"}),
        ("chuyenvien", "draft", {"action": "submit", "answer": "Trả lời."}),
        ("phatngon", "review", {"action": "approve"}),
        ("pholanhdao", "signoff", {"action": "sign", "confirm": "on"}),
    ]
    for name, step, data in steps:
        with django_capture_on_commit_callbacks(execute=True):
            r = _api(staff[name]).post(
                f"/api/v1/tasks/{open_task(case, step).pk}/complete/", data, format="json"
            )
            assert r.status_code == 200, r.content[:300]
    case.refresh_from_db()
    assert case.document and case.document.pdf
    return case


@pytest.mark.parametrize("state", REFUSED)
def test_unaccredited_colleague_sees_own_cases_only_on_the_portal(case, charlie, login, state):
    _card(charlie.journalist_profile, state)
    client = login(charlie)
    assert case.reference not in client.get("/nha-bao/ho-so/").content.decode()
    assert client.get(f"/nha-bao/ho-so/{case.reference}/").status_code == 404


@pytest.mark.parametrize("state", REFUSED)
def test_unaccredited_colleague_sees_own_cases_only_in_the_api(case, charlie, state):
    _card(charlie.journalist_profile, state)
    client = _api(charlie)
    r = client.get("/api/v1/cases/")
    assert r.status_code == 200
    assert case.reference not in r.content.decode()
    assert client.get(f"/api/v1/cases/{case.pk}/").status_code == 404


def test_accredited_colleague_sees_shared_cases(case, charlie, login):
    _card(charlie.journalist_profile, "verified")
    client = login(charlie)
    assert case.reference in client.get("/nha-bao/ho-so/").content.decode()
    assert client.get(f"/nha-bao/ho-so/{case.reference}/").status_code == 200
    assert case.reference in _api(charlie).get("/api/v1/cases/").content.decode()


def test_accredited_colleague_sees_nothing_when_agency_does_not_share(
    case, charlie, login, sharing_agency
):
    PressAgency.objects.filter(pk=sharing_agency.pk).update(shares_cases=False)
    client = login(charlie)
    assert client.get(f"/nha-bao/ho-so/{case.reference}/").status_code == 404


def test_signed_answer_reaches_only_accredited_colleagues(signed_case, charlie, client):
    """The download page and the API's PDF, for every card state (one signing for all)."""
    document = signed_case.document
    got = {}
    for state in [*REFUSED, "verified"]:
        _card(charlie.journalist_profile, state)
        client.force_login(charlie)
        web = client.get(f"/van-ban/{document.pk}/tai-ve/")
        api = _api(charlie).get(f"/api/v1/documents/{document.pk}/pdf/")
        got[state] = (web.status_code, api.status_code)
    assert got == {
        "pending": (403, 403),
        "rejected": (403, 403),
        "expired": (403, 403),
        "expired_marked": (403, 403),
        "verified": (200, 200),
    }
    # The journalist of the case still downloads her answer.
    client.force_login(signed_case.journalist)
    assert client.get(f"/van-ban/{document.pk}/tai-ve/").status_code == 200


# ---------------------------------------------------------------- switching sharing


@pytest.fixture
def admin_user(db):
    return UserFactory(username="quantri", is_superuser=True, is_staff=True)


def test_switching_sharing_is_ledgered(admin_user, journalist):
    agency = journalist.journalist_profile.press_agency
    role_services.press_agency_sharing_set(press_agency=agency, shares_cases=True, by=admin_user)
    agency.refresh_from_db()
    assert agency.shares_cases
    event = LedgerEvent.objects.filter(action="press_agency.sharing_on").get()
    assert event.actor_username == "quantri"
    assert event.target_id == str(agency.pk)
    assert event.before_data["shares_cases"] is False
    assert event.after_data["shares_cases"] is True
    role_services.press_agency_sharing_set(press_agency=agency, shares_cases=False, by=admin_user)
    assert LedgerEvent.objects.filter(action="press_agency.sharing_off").count() == 1
    # Setting the same value again changes nothing and writes nothing.
    role_services.press_agency_sharing_set(press_agency=agency, shares_cases=False, by=admin_user)
    assert LedgerEvent.objects.filter(action__startswith="press_agency.").count() == 2


@pytest.mark.parametrize("persona", ["journalist", "registry_officer", "head", "outsider"])
def test_switching_sharing_is_refused_to_others(request, persona, journalist):
    user = request.getfixturevalue(persona)
    agency = journalist.journalist_profile.press_agency
    with pytest.raises(DomainError) as exc:
        role_services.press_agency_sharing_set(press_agency=agency, shares_cases=True, by=user)
    assert exc.value.code == "permission_denied"
    agency.refresh_from_db()
    assert not agency.shares_cases
    assert not LedgerEvent.objects.filter(action__startswith="press_agency.").exists()


def test_admin_change_form_goes_through_the_service(admin_user, journalist, client):
    agency = journalist.journalist_profile.press_agency
    client.force_login(admin_user)
    url = f"/quan-tri/roles/pressagency/{agency.pk}/change/"
    data = {
        "name": agency.name,
        "licence_number": agency.licence_number,
        "address": "",
        "phone": "",
        "email": "",
        "website": "",
        "shares_cases": "on",
    }
    r = client.post(url, data)
    assert r.status_code == 302, r.content.decode()[:2000]
    agency.refresh_from_db()
    assert agency.shares_cases
    event = LedgerEvent.objects.get(action="press_agency.sharing_on")
    assert event.actor_username == "quantri"
    # Editing another field leaves sharing (and its ledger) alone.
    data["address"] = "1 Lê Lợi"
    assert client.post(url, data).status_code == 302
    assert LedgerEvent.objects.filter(action__startswith="press_agency.").count() == 1
    del data["shares_cases"]
    assert client.post(url, data).status_code == 302
    agency.refresh_from_db()
    assert not agency.shares_cases
    assert LedgerEvent.objects.filter(action="press_agency.sharing_off").count() == 1
