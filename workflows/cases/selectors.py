"""Read cases: who may see and act on what."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone

from roles.models import Membership, Role, SpokespersonAssignment
from roles.selectors import user_has_role, user_roles
from workflows.engine.selectors import ORGANISATION_WIDE_ROLES, may_review, may_sign

from .models import Case


def cases_visible_to_staff(user) -> QuerySet[Case]:
    """Cases a staff member may open: their organisations' (by role) and those assigned to them."""
    if user.is_superuser:
        return Case.objects.all()
    return Case.objects.filter(pk__in=case_ids_visible_to_staff(user))


def case_ids_visible_to_staff(user):
    """The ids of `cases_visible_to_staff` (not for a superuser, who sees every case), as
    one UNION that other scopes may join without a second lookup of each case."""
    orgs = Membership.objects.current().filter(user=user, role__in=ORGANISATION_WIDE_ROLES)
    # One UNION of two indexed reads, not a join with DISTINCT (nor an OR, which PostgreSQL
    # answers by scanning every case): the menu counters run this on every staff page.
    of_organisations = (
        Case.objects.filter(organisation_id__in=orgs.values("organisation_id"))
        .order_by()
        .values("pk")
    )
    assigned = Case.specialists.through.objects.filter(user=user).order_by().values("case_id")
    return of_organisations.union(assigned)


def journalist_sees_agency_cases(user) -> bool:
    """An accredited journalist (card verified, not expired) of an agency that shares cases.

    A self-registered profile is only a claim: pending, rejected or expired cards see
    their own cases only, never their colleagues' (security review H1).
    """
    profile = getattr(user, "journalist_profile", None)
    return bool(profile and profile.is_accredited and profile.press_agency.shares_cases)


def cases_visible_to_journalist(user) -> QuerySet[Case]:
    """A journalist's own cases, plus their agency's when accredited and the agency opted in."""
    if not getattr(user, "is_authenticated", False):
        return Case.objects.none()
    q = Q(journalist=user)
    if journalist_sees_agency_cases(user):
        q |= Q(press_agency_id=user.journalist_profile.press_agency_id)
    return Case.objects.filter(q)


def case_submit_retry_after(journalist, now=None) -> int | None:
    """Seconds until `journalist` may submit another case, or None if they may now.

    One allowance (API_CASE_SUBMIT_RATE, e.g. 20/hour) for the portal and the API together,
    counted from the cases themselves, so it holds across processes and cache flushes.
    Cases registered by the registry office on a journalist's behalf do not count.
    """
    rate = getattr(settings, "API_CASE_SUBMIT_RATE", "") or ""
    if not rate:
        return None
    count, period = rate.split("/")
    seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400}[period.strip()[0]]
    now = now or timezone.now()
    recent = list(
        Case.objects.filter(
            journalist=journalist,
            registered_by__isnull=True,
            received_at__gt=now - timedelta(seconds=seconds),
        )
        .order_by("-received_at")
        .values_list("received_at", flat=True)[: int(count)]
    )
    if len(recent) < int(count):
        return None
    # The oldest of the last `count` leaves the window first.
    return max(1, int((recent[-1] + timedelta(seconds=seconds) - now).total_seconds()) + 1)


def case_visible_to_staff(user, case: Case) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if user_roles(user, case.organisation) & ORGANISATION_WIDE_ROLES:
        return True
    return case.specialists.filter(pk=user.pk).exists()


# ---------------------------------------------------------------- who may act on a step


def may_triage(user, case: Case) -> bool:
    return bool(user_roles(user, case.organisation) & {Role.REGISTRY_OFFICER, Role.SPOKESPERSON})


def may_draft(user, case: Case) -> bool:
    return (
        user_has_role(user, case.organisation, Role.SPECIALIST)
        and case.specialists.filter(pk=user.pk).exists()
    )


STEP_PREDICATES = {
    "triage": may_triage,
    "draft": may_draft,
    "review": may_review,
    "signoff": may_sign,
}


def case_step_eligible_users(step: str, case: Case):
    """Users who may act on `step` of `case` today (they get the object permission)."""
    User = get_user_model()
    if step == "draft":
        return list(case.specialists.all())
    roles = {
        "triage": [Role.REGISTRY_OFFICER, Role.SPOKESPERSON],
        "review": [Role.SPOKESPERSON, Role.HEAD],
        "signoff": [Role.HEAD, Role.DEPUTY_HEAD],
    }[step]
    candidates = User.objects.filter(
        pk__in=Membership.objects.current()
        .filter(organisation=case.organisation, role__in=roles)
        .values("user_id")
    )
    if step == "review":
        candidates = candidates | User.objects.filter(
            pk__in=SpokespersonAssignment.objects.current()
            .filter(organisation=case.organisation)
            .values("user_id")
        )
    if step == "signoff":  # members given a signing mark (TM., Q., TL., TUQ., KT.)
        candidates = candidates | User.objects.filter(
            pk__in=Membership.objects.current()
            .filter(organisation=case.organisation)
            .exclude(signing_mark="")
            .values("user_id")
        )
    return [u for u in candidates.distinct() if STEP_PREDICATES[step](u, case)]


def time_left(case: Case, now=None) -> dict | None:
    """How much of the legal time is left: fraction, overdue flag and a CSS level."""
    if not case.due_at or not case.is_open:
        return None
    now = now or timezone.now()
    total = (case.due_at - case.received_at).total_seconds()
    left = (case.due_at - now).total_seconds()
    fraction = max(0.0, left / total) if total > 0 else 0.0
    level = "overdue" if left < 0 else ("low" if fraction < 0.2 else "ok")
    return {
        "fraction": fraction,
        "seconds": left,
        "level": level,
        "paused": case.paused_at is not None,
    }


def may_download_document(user, document) -> bool:
    """The journalist of the case (or an accredited colleague if the agency shares) and staff."""
    if not getattr(user, "is_authenticated", False):
        return False
    # The answer, or a notice issued on the way (a complaint's thụ lý notice).
    case = Case.objects.filter(Q(document=document) | Q(complaint_notice=document)).first()
    if case is None:
        return False
    if cases_visible_to_journalist(user).filter(pk=case.pk).exists():
        return True
    return case_visible_to_staff(user, case)
