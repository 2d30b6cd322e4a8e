"""Test copies of the functions the ledger gets injected through settings."""

from roles.models import Membership, Organisation, Role


def audit_scope(user):
    """Inspectors: their organisations and all descendants; superusers: all; others: None."""
    if user.is_superuser:
        return "all"
    orgs = list(
        Organisation.objects.filter(
            pk__in=Membership.objects.current()
            .filter(user=user, role=Role.INSPECTOR)
            .values("organisation_id")
        )
    )
    if not orgs:
        return None
    codes = []
    for org in orgs:
        codes.append(org.code)
    for org in orgs:
        codes.extend(o.code for o in org.descendants())
    return list(dict.fromkeys(codes))


BUNDLE_PDF = b"%PDF-1.7\n% test document\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def bundle_files(events):
    """One fake issued PDF per event about a roles.membership."""
    return [
        (f"membership-{e.target_id}.pdf", BUNDLE_PDF + e.target_id.encode())
        for e in events
        if e.target_type == "roles.membership"
    ]


def actor_context(user):
    membership = (
        Membership.objects.current().filter(user=user).select_related("organisation").first()
    )
    if membership is None:
        return "", ""
    return membership.role, membership.organisation.code
