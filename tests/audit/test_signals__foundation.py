"""Role, membership, assignment and accreditation changes, logins and refusals reach the ledger."""

from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import get_perms

from audit.models import LedgerEvent
from audit.services import verify_chain
from roles import services
from roles.models import JournalistProfile, Role, SpokespersonAssignment
from tests.factories import PressAgencyFactory, UserFactory


def last(action):
    return LedgerEvent.objects.filter(action=action).order_by("-seq").first()


def test_membership_grant_and_end_are_recorded(db, head, organisation):
    user = UserFactory(username="moi")
    m = services.membership_grant(
        user=user, organisation=organisation, role=Role.INSPECTOR, title="Thanh tra viên", by=head
    )
    event = last("membership.grant")
    assert event.actor_id == head.pk and event.actor_role == Role.HEAD
    assert event.organisation_code == organisation.code
    assert (event.target_type, event.target_id) == ("roles.membership", str(m.pk))
    assert event.after_data["role"] == Role.INSPECTOR
    services.membership_end(membership=m, by=head)
    ended = last("membership.end")
    assert ended.before_data["valid_to"] is None and ended.after_data["valid_to"] is not None
    assert verify_chain().ok


def test_spokesperson_assignment_publish_and_revoke_are_recorded(db, head, organisation):
    user = UserFactory(username="pn2")
    a = services.spokesperson_assign(
        organisation=organisation,
        user=user,
        kind=SpokespersonAssignment.Kind.REGULAR,
        issued_by=head,
        contact_name="Lê Văn Cường",
        contact_title="Phó Trưởng phòng",
        contact_phone="0274 3755 125",
        contact_email="pn2@example.gov.vn",
    )
    services.spokesperson_publish(
        assignment=a, by=head, decision_reference="16/QĐ-PGDĐT", decision_issued_at=timezone.now()
    )
    services.spokesperson_revoke(assignment=a, reason="Chuyển công tác", by=head)
    actions = list(
        LedgerEvent.objects.filter(target_type="roles.spokespersonassignment", target_id=str(a.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["spokesperson.assign", "spokesperson.publish", "spokesperson.revoke"]


def test_accreditation_register_and_review_are_recorded(db, registry_officer):
    user = UserFactory(username="nhabao-moi")
    from datetime import timedelta

    from django.utils import timezone

    profile = services.journalist_register(
        user=user,
        press_agency=PressAgencyFactory(),
        press_card_number="hn12345",
        card_expiry=timezone.localdate() + timedelta(days=100),
    )
    services.journalist_review(profile=profile, approve=True, by=registry_officer)
    event = last("journalist.verify")
    assert event.actor_id == registry_officer.pk
    assert event.before_data["status"] == JournalistProfile.Status.PENDING
    assert event.after_data["status"] == JournalistProfile.Status.VERIFIED
    assert last("journalist.register").actor_id == user.pk


def test_permission_grants_are_recorded(db, head, organisation):
    user = UserFactory(username="quyen")
    services.permission_grant(perm="roles.view_organisation", to=user, obj=organisation, by=head)
    assert "view_organisation" in get_perms(user, organisation)
    event = last("permission.grant")
    assert event.after_data == {"perm": "roles.view_organisation", "to": "user:quyen"}


def test_login_and_failed_login_are_recorded(client, head, password):
    response = client.post(
        reverse("login"),
        {"username": head.username, "password": password},
        REMOTE_ADDR="203.0.113.9",
        HTTP_USER_AGENT="Firefox/140",
    )
    assert response.status_code == 302
    event = last("auth.login")
    assert (event.actor_id, event.ip, event.user_agent) == (head.pk, "203.0.113.9", "Firefox/140")
    client.logout()
    client.post(reverse("login"), {"username": head.username, "password": "sai-mat-khau"})
    failed = last("auth.login_failed")
    assert failed.after_data == {"username": head.username}
    assert "sai-mat-khau" not in (failed.after or "")
    assert verify_chain().ok


def test_refusal_on_a_sensitive_page_is_recorded(login, specialist):
    response = login(specialist).get("/workspace/organisation/accreditation/")
    assert response.status_code == 403
    event = last("access.denied")
    assert event is not None and event.actor_id == specialist.pk
    assert event.target_id == "/workspace/organisation/accreditation/"
