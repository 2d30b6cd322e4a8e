"""Who keeps the press list and who completes a publication, and how the ledger names them."""

from __future__ import annotations

from roles.models import Role
from roles.selectors import user_roles

# Who keeps the distribution list and resends failed e-mails.
DISTRIBUTION_ROLES = (Role.SPOKESPERSON, Role.REGISTRY_OFFICER, Role.HEAD)
# Who may attach the record of a press conference to a publication.
ADDENDUM_ROLES = (Role.SPOKESPERSON, Role.REGISTRY_OFFICER, Role.HEAD, Role.DEPUTY_HEAD)


def can_manage_distribution(user, organisation) -> bool:
    """The organisation's spokesperson, registry officer or head keep its press list."""
    return bool(user_roles(user, organisation) & set(DISTRIBUTION_ROLES))


def is_organisation_staff(user, organisation) -> bool:
    return bool(user_roles(user, organisation))
