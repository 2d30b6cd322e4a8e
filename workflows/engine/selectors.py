"""Who is staff, and the step rules every flow shares (review by a spokesperson, sign-off)."""

from django.utils import timezone

from roles.models import Membership, Role, SpokespersonAssignment
from roles.selectors import spokesperson_is_valid, user_has_role

# Roles that see every case and statement of their organisation (the head sees all, NĐ 244;
# the spokesperson's office routes them; inspectors read the whole trail).
ORGANISATION_WIDE_ROLES = {
    Role.HEAD,
    Role.DEPUTY_HEAD,
    Role.SPOKESPERSON,
    Role.REGISTRY_OFFICER,
    Role.INSPECTOR,
}


def is_staff_member(user) -> bool:
    """Holds a current role in some organisation, or a current spokesperson authorisation."""
    return (
        Membership.objects.current().filter(user=user).exists()
        or SpokespersonAssignment.objects.current().filter(user=user).exists()
    )


def may_review(user, artifact) -> bool:
    """A spokesperson valid today for the artifact's organisation (the head speaks by law too)."""
    return spokesperson_is_valid(user, artifact.organisation, on=timezone.localdate())


def may_sign(user, artifact) -> bool:
    """The head, or a deputy head granted the right to sign on the head's behalf (KT.)."""
    if user_has_role(user, artifact.organisation, Role.HEAD):
        return True
    if (
        Membership.objects.current()
        .filter(user=user, organisation=artifact.organisation)
        .exclude(signing_mark="")
        .exists()
    ):
        return True  # given a signing mark (TM., Q., TL., TUQ., KT.) for this organisation
    return user_has_role(user, artifact.organisation, Role.DEPUTY_HEAD) and user.has_perm(
        "roles.sign_on_behalf", artifact.organisation
    )
