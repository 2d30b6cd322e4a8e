from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import LedgerEvent
from core.errors import DomainError
from roles import selectors, services
from roles.models import Membership, Role
from tests.factories import UserFactory


def test_grant_records_the_change_and_joins_the_role_group(organisation, head):
    user = UserFactory(username="moi")
    m = services.membership_grant(
        user=user, organisation=organisation, role=Role.REGISTRY_OFFICER, title="Văn thư", by=head
    )
    assert selectors.user_roles(user, organisation) == {Role.REGISTRY_OFFICER}
    assert user.groups.filter(name="pgddt-thuan-an:registry_officer").exists()
    event = LedgerEvent.objects.get(action="membership.grant", target_id=str(m.pk))
    assert event.actor == head
    assert event.organisation_code == "pgddt-thuan-an"
    assert event.after_data["role"] == "registry_officer"


def test_validity_period_decides_whether_a_role_is_held(organisation):
    user = UserFactory()
    today = timezone.localdate()
    services.membership_grant(
        user=user,
        organisation=organisation,
        role=Role.HEAD,
        title="Trưởng phòng",
        valid_from=today + timedelta(days=3),
    )
    assert selectors.user_roles(user, organisation) == set()
    assert selectors.user_roles(user, organisation, on=today + timedelta(days=3)) == {Role.HEAD}


def test_ending_a_membership_removes_the_role_from_that_day_on(organisation, head):
    user = UserFactory()
    m = services.membership_grant(
        user=user,
        organisation=organisation,
        role=Role.INSPECTOR,
        title="Thanh tra",
        valid_from=date(2025, 1, 1),
    )
    yesterday = timezone.localdate() - timedelta(days=1)
    services.membership_end(membership=m, on=yesterday, by=head)
    assert selectors.user_roles(user, organisation) == set()
    assert not user.groups.filter(name="pgddt-thuan-an:inspector").exists()
    assert LedgerEvent.objects.filter(action="membership.end", target_id=str(m.pk)).count() == 1
    with pytest.raises(DomainError):
        services.membership_end(membership=m, on=date(2024, 1, 1), by=head)


def test_a_user_can_hold_several_roles(organisation, unit):
    user = UserFactory()
    services.membership_grant(
        user=user, organisation=organisation, role=Role.SPOKESPERSON, title="Phó TP"
    )
    services.membership_grant(
        user=user, organisation=organisation, role=Role.SPECIALIST, title="CV", unit=unit
    )
    assert selectors.user_roles(user, organisation) == {Role.SPOKESPERSON, Role.SPECIALIST}


def test_a_specialist_needs_a_unit_of_the_same_organisation(organisation, other_organisation):
    from tests.factories import UnitFactory

    with pytest.raises(ValidationError):
        services.membership_grant(
            user=UserFactory(), organisation=organisation, role=Role.SPECIALIST, title="CV"
        )
    foreign_unit = UnitFactory(organisation=other_organisation)
    with pytest.raises(ValidationError):
        services.membership_grant(
            user=UserFactory(),
            organisation=organisation,
            role=Role.SPECIALIST,
            title="CV",
            unit=foreign_unit,
        )
    assert not Membership.objects.filter(role=Role.SPECIALIST).exists()


def test_period_must_be_ordered(organisation):
    with pytest.raises(ValidationError):
        services.membership_grant(
            user=UserFactory(),
            organisation=organisation,
            role=Role.HEAD,
            title="TP",
            valid_from=date(2026, 5, 1),
            valid_to=date(2026, 4, 1),
        )


def test_role_groups_get_object_level_grants_only(organisation, head):
    group = services.role_group(organisation, Role.HEAD)
    assert group.permissions.count() == 0  # no model-wide grant
    assert head.has_perm("roles.view_organisation_cases", organisation)
    assert not head.has_perm("roles.view_organisation_cases")


def test_permission_grant_refuses_model_wide_grants(head):
    with pytest.raises(ValueError):
        services.permission_grant(perm="roles.view_organisation", to=head, obj=None)


def test_permission_grant_and_revoke_on_one_object(organisation, other_organisation, head):
    user = UserFactory()
    services.permission_grant(
        perm="roles.view_organisation_cases", to=user, obj=organisation, by=head
    )
    assert user.has_perm("roles.view_organisation_cases", organisation)
    assert not user.has_perm("roles.view_organisation_cases", other_organisation)
    services.permission_revoke(
        perm="roles.view_organisation_cases", to=user, obj=organisation, by=head
    )
    user = type(user).objects.get(pk=user.pk)  # fresh permission cache
    assert not user.has_perm("roles.view_organisation_cases", organisation)
    assert list(
        LedgerEvent.objects.filter(action__startswith="permission.").values_list(
            "action", flat=True
        )
    ) == ["permission.grant", "permission.revoke"]


def test_sync_groups_follows_validity(organisation):
    user = UserFactory()
    today = timezone.localdate()
    services.membership_grant(
        user=user,
        organisation=organisation,
        role=Role.INSPECTOR,
        title="TT",
        valid_from=today + timedelta(days=1),
    )
    assert not user.groups.exists()
    assert services.memberships_sync_groups() == 0
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        assert services.memberships_sync_groups() == 1
    assert user.groups.filter(name="pgddt-thuan-an:inspector").exists()
