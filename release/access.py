"""Who does what with an organisation's outgoing register, and the record of a download."""

from __future__ import annotations

import audit
from roles.models import Membership, Role
from roles.selectors import actor_role

from .models import IssuedDocument

# Who does what with the outgoing register of an organisation.
REGISTER_READERS = (Role.REGISTRY_OFFICER, Role.HEAD, Role.DEPUTY_HEAD, Role.INSPECTOR)
RETRY_ROLES = (Role.REGISTRY_OFFICER,)
CANCEL_ROLES = (Role.REGISTRY_OFFICER, Role.HEAD, Role.DEPUTY_HEAD)


def roles_in(user, organisation) -> set[str]:
    """The user's current roles in the organisation (none for an anonymous user)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        Membership.objects.current()
        .filter(user=user, organisation=organisation)
        .values_list("role", flat=True)
    )


def can_read_register(user, organisation) -> bool:
    """Registry officer, head, deputy head and inspector of the organisation read its register."""
    return bool(roles_in(user, organisation) & set(REGISTER_READERS))


def can_retry(user, organisation) -> bool:
    return bool(roles_in(user, organisation) & set(RETRY_ROLES))


def can_cancel(user, organisation) -> bool:
    return bool(roles_in(user, organisation) & set(CANCEL_ROLES))


def document_download_record(*, document: IssuedDocument, by) -> None:
    """Write the ledger event for one download of a signed PDF."""
    audit.record(
        action="document.download",
        actor=by,
        actor_role=actor_role(by, document.organisation),
        organisation=document.organisation,
        target=document,
        after={"sha256": document.sha256},
    )
