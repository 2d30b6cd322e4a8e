"""Read who is who."""

from datetime import date

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError

from .models import (
    Membership,
    Organisation,
    PlanTopic,
    Role,
    SpokespersonAssignment,
    UserPreference,
)


def user_roles(user, organisation: Organisation | None = None, on: date | None = None) -> set[str]:
    """Return the roles `user` holds today (in one organisation, or anywhere)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    qs = Membership.objects.current(on).filter(user=user)
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    return set(qs.values_list("role", flat=True))


def actor_role(user, organisation: Organisation | None = None) -> str:
    """The role(s) an actor acts in, as the ledger records them: the one way to say it.

    "system" for the worker (no user), the sorted roles held today in `organisation` (in any
    organisation when it is None), else "superuser" or "journalist", else "".
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return "system"
    roles = sorted(user_roles(user, organisation))
    if roles:
        return ",".join(roles)
    if user.is_superuser:
        return "superuser"
    if hasattr(user, "journalist_profile"):
        return "journalist"
    return ""


def user_has_role(user, organisation: Organisation, role: str, on: date | None = None) -> bool:
    return role in user_roles(user, organisation, on)


def user_organisations(user, roles=None, on: date | None = None):
    """Organisations where `user` currently holds one of `roles` (any role by default)."""
    qs = Membership.objects.current(on).filter(user=user)
    if roles:
        qs = qs.filter(role__in=roles)
    return Organisation.objects.filter(pk__in=qs.values("organisation_id"))


def spokesperson_is_valid(
    user, organisation: Organisation, on: date | None = None, matter: str | None = None
) -> bool:
    """True when `user` may speak for `organisation` today.

    The head is the spokesperson by law; otherwise a current regular assignment, or a
    current authorisation (whose scope the reviewing step shows beside the matter).
    """
    on = on or timezone.localdate()
    if user_has_role(user, organisation, Role.HEAD, on):
        return True
    return (
        SpokespersonAssignment.objects.current(on)
        .filter(user=user, organisation=organisation)
        .exists()
    )


def directory_organisations(on: date | None = None):
    """Organisations with their current head and published, current spokespersons.

    Two queries whatever the number of organisations (prefetches).
    """
    on = on or timezone.localdate()
    heads = (
        Membership.objects.current(on)
        .filter(role=Role.HEAD)
        .select_related("user")
        .order_by("valid_from")
    )
    spokespersons = (
        SpokespersonAssignment.objects.current(on)
        # Never without the signed decision that names them (NĐ 244 Art. 3.3).
        .filter(published_at__isnull=False, decision_issued_at__isnull=False)
        .order_by("kind", "contact_name")
    )
    return (
        Organisation.objects.filter(is_active=True)
        .filter(Q(memberships__role=Role.HEAD) | Q(spokesperson_assignments__isnull=False))
        .distinct()
        .select_related("parent")
        .prefetch_related(
            Prefetch("memberships", queryset=heads, to_attr="current_heads"),
            Prefetch(
                "spokesperson_assignments", queryset=spokespersons, to_attr="current_spokespersons"
            ),
        )
        .order_by("kind", "name")
    )


def audit_scope(user) -> None | str | list[str]:
    """Organisation codes whose ledger events `user` may read (AUDIT_ACCESS_POLICY).

    Superusers read everything; an inspector reads their organisations and every
    organisation below them; anyone else gets None (refused).
    """
    if not getattr(user, "is_authenticated", False):
        return None
    if user.is_superuser:
        return "all"
    orgs = list(user_organisations(user, roles=[Role.INSPECTOR]).order_by("name"))
    if not orgs:
        return None
    # The inspector's own organisations first (the ledger files their own views there).
    codes = [org.code for org in orgs]
    for org in orgs:
        codes.extend(o.code for o in org.descendants() if o.code not in codes)
    return codes


def user_persona(user) -> str:
    """Who `user` is at work, for their start page and menu.

    "staff" for a member in any role but inspector (and superusers), "inspector" for one who
    only inspects, "journalist" for a journalist without staff roles, else "" (the public).
    """
    if not getattr(user, "is_authenticated", False):
        return ""
    if user.is_superuser:
        return "staff"
    roles = user_roles(user)
    if roles - {Role.INSPECTOR}:
        return "staff"
    if roles:
        return "inspector"
    if hasattr(user, "journalist_profile"):
        return "journalist"
    return ""


def user_wants_email(user) -> bool:
    """Does `user` want notifications by e-mail? Yes unless they turned it off (one query)."""
    if user is None or not user.pk:
        return False
    enabled = (
        UserPreference.objects.filter(user=user)
        .values_list("email_notifications", flat=True)
        .first()
    )
    return enabled is not False


def plan_topics_choosable(organisations, year: int):
    """The active plan topics of `organisations` (ids or a queryset) for `year`."""
    return PlanTopic.objects.filter(
        organisation__in=organisations, year=year, is_active=True
    ).select_related("organisation")


def plan_topics_resolve(*, organisation: Organisation, year: int, topics) -> list[PlanTopic]:
    """Return the plan topics given (instances or ids) after checking that each is an active
    topic of `organisation` for `year`; a DomainError (code "topics") names the first that is not."""
    ids = []
    for topic in topics or ():
        pk = getattr(topic, "pk", topic)
        if not isinstance(pk, int) or isinstance(pk, bool):
            raise DomainError(_("Nội dung kế hoạch không hợp lệ."), code="topics", field="topics")
        if pk not in ids:
            ids.append(pk)
    found = {t.pk: t for t in plan_topics_choosable([organisation.pk], year).filter(pk__in=ids)}
    for pk in ids:
        if pk not in found:
            raise DomainError(
                _(
                    "Nội dung kế hoạch (mã %(id)s) không thuộc các nội dung đang dùng của kế "
                    "hoạch truyền thông năm %(year)s của %(org)s."
                )
                % {"id": pk, "year": year, "org": organisation.name},
                code="topics",
                field="topics",
            )
    return [found[pk] for pk in ids]
