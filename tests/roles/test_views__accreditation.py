import pytest

from audit.models import LedgerEvent
from roles.models import JournalistProfile
from tests.factories import JournalistProfileFactory

LIST = "/workspace/organisation/accreditation/"


@pytest.fixture
def pending(db):
    return JournalistProfileFactory(
        status=JournalistProfile.Status.PENDING, press_card_number="CHO-01"
    )


@pytest.mark.parametrize("persona", ["registry_officer", "spokesperson"])
def test_reviewers_see_and_decide(request, login, pending, persona):
    client = login(request.getfixturevalue(persona))
    r = client.get(LIST)
    assert r.status_code == 200 and "CHO-01" in r.content.decode()
    r = client.post(f"{LIST}{pending.pk}/", {"decision": "verify"})
    assert r.status_code == 302
    pending.refresh_from_db()
    assert pending.status == "verified"


@pytest.mark.parametrize(
    "persona", ["journalist", "specialist", "head", "deputy_head", "inspector", "outsider"]
)
def test_every_other_role_is_refused(request, login, pending, persona):
    user = request.getfixturevalue(persona)
    client = login(user)
    assert client.get(LIST).status_code == 403
    assert client.post(f"{LIST}{pending.pk}/", {"decision": "verify"}).status_code == 403
    pending.refresh_from_db()
    assert pending.status == "pending"
    assert LedgerEvent.objects.filter(action="access.denied", actor=user).exists()


def test_anonymous_is_sent_to_login(client, pending):
    r = client.get(LIST)
    assert r.status_code == 302 and "/dang-nhap/" in r["Location"]


def test_rejecting_without_a_reason_shows_the_error(login, registry_officer, pending):
    r = login(registry_officer).post(f"{LIST}{pending.pk}/", {"decision": "reject", "reason": ""})
    assert r.status_code == 200
    assert "Hãy ghi lý do từ chối" in r.content.decode()
    pending.refresh_from_db()
    assert pending.status == "pending"


def test_unknown_profile_is_404(login, registry_officer):
    assert login(registry_officer).get(f"{LIST}999999/").status_code == 404
