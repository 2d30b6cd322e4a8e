"""Signing credentials from the development PKI: one seal per organisation, one personal
certificate per current head and deputy head, kept in SigningCredential rows."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from release.models import SigningCredential
from roles.models import Membership, Organisation, Role

from .certificates import IssuedCredential, ensure_authorities, issue_credential


def _credential_for(*, organisation, user, issued: IssuedCredential, directory: Path):
    """Create or update the active PKCS#12 credential of (organisation, user) to the issued files."""
    credential = SigningCredential.objects.filter(
        organisation=organisation, user=user, is_active=True
    ).first()
    if credential is not None and (
        credential.backend != SigningCredential.Backend.PKCS12
        or (
            credential.pkcs12_path
            and not Path(credential.pkcs12_path).resolve().is_relative_to(directory.resolve())
        )
    ):
        return credential, False  # a real credential configured by an administrator: keep it
    values = {
        "backend": SigningCredential.Backend.PKCS12,
        "pkcs12_path": str(issued.pkcs12_path),
        "secret_file": str(issued.secret_path),
        "secret_env": "",
        "image_path": str(issued.image_path),
        "certificate_subject": issued.subject,
        "certificate_not_after": issued.not_after,
    }
    if credential is None:
        credential = SigningCredential.objects.create(
            organisation=organisation, user=user, is_active=True, **values
        )
        return credential, True
    changed = [name for name, value in values.items() if getattr(credential, name) != value]
    for name in changed:
        setattr(credential, name, values[name])
    if changed:
        credential.save(update_fields=changed)
    return credential, bool(changed)


def sync_dev_credentials(
    *, directory: Path, force: bool = False, organisations=None, users=None
) -> list:
    """Issue dev certificates for every organisation and current head/deputy; update credentials.

    Returns the SigningCredential rows touched or confirmed. Idempotent: files and rows are
    reused unless missing, expiring, renamed, or force is given.
    """
    directory = Path(directory)
    pki = ensure_authorities(directory, force=force)
    organisations = (
        Organisation.objects.all().order_by("pk") if organisations is None else organisations
    )
    memberships = (
        Membership.objects.current()
        .filter(role__in=[Role.HEAD, Role.DEPUTY_HEAD], organisation__in=organisations)
        .select_related("user", "organisation")
        .order_by("user_id", "pk")
    )
    if users is not None:
        memberships = memberships.filter(user__in=users)
    result = []
    with transaction.atomic():
        for organisation in organisations:
            issued = issue_credential(
                pki,
                stem=directory / "agency" / organisation.code,
                common_name=organisation.name,
                organisation=organisation.name,
                kind="seal",
                image_text=organisation.abbreviation or "",
                force=force,
            )
            result.append(
                _credential_for(
                    organisation=organisation, user=None, issued=issued, directory=directory
                )[0]
            )
        issued_for: dict[int, IssuedCredential] = {}
        for membership in memberships:
            user = membership.user
            if user.pk not in issued_for:
                issued_for[user.pk] = issue_credential(
                    pki,
                    stem=directory / "people" / f"user-{user.pk}",
                    common_name=user.get_full_name() or user.get_username(),
                    organisation=membership.organisation.name,
                    title=membership.title or "",
                    kind="person",
                    force=force,
                )
            result.append(
                _credential_for(
                    organisation=membership.organisation,
                    user=user,
                    issued=issued_for[user.pk],
                    directory=directory,
                )[0]
            )
    return result
