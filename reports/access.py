"""Who may read an organisation's reports (issue 14).

- Staff of the organisation (any current role, inspectors included): its own figures.
- Heads, deputy heads and inspectors of the organisation or of any organisation above it:
  its figures and those of every organisation below it (aggregated and side by side).
- Superusers: everything. Anyone else, journalists included: nothing.
"""

from django.db.models import QuerySet

from roles.models import Membership, Organisation, Role

# Roles that oversee the organisations below their own.
OVERSEER_ROLES = (Role.HEAD, Role.DEPUTY_HEAD, Role.INSPECTOR)

OWN = "own"
SUBTREE = "subtree"


def report_scope(user, organisation: Organisation) -> str | None:
    """Return SUBTREE, OWN or None (refused) for `user` reading `organisation`'s reports."""
    if not getattr(user, "is_authenticated", False):
        return None
    if user.is_superuser:
        return SUBTREE
    chain = [organisation, *organisation.ancestors()]
    held = set(
        Membership.objects.current()
        .filter(user=user, organisation__in=chain)
        .values_list("organisation_id", "role")
    )
    if any(role in OVERSEER_ROLES for _org, role in held):
        return SUBTREE
    if any(org_id == organisation.pk for org_id, _role in held):
        return OWN
    return None


def report_organisations(user) -> QuerySet[Organisation]:
    """Organisations whose reports `user` may read (for the dashboard's picker)."""
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.all()
    memberships = list(
        Membership.objects.current().filter(user=user).select_related("organisation")
    )
    ids = {m.organisation_id for m in memberships}
    for m in memberships:
        if m.role in OVERSEER_ROLES:
            ids.update(o.pk for o in m.organisation.descendants())
    return Organisation.objects.filter(pk__in=ids)


def may_use_reports(user) -> bool:
    """True when `user` may read the reports of at least one organisation."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or Membership.objects.current().filter(user=user).exists()
