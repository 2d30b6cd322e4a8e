"""Read statements: who may see, start and act on them."""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone

from roles.models import Membership, Role, SpokespersonAssignment
from roles.selectors import spokesperson_is_valid, user_roles
from workflows.engine.selectors import ORGANISATION_WIDE_ROLES, may_review, may_sign

from .models import Statement

# Who may start and draft a statement (NĐ 244: the spokesperson's office; specialists draft).
STATEMENT_DRAFTING_ROLES = {Role.SPECIALIST, Role.SPOKESPERSON}


def may_create_statement(user, organisation) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user_roles(user, organisation) & STATEMENT_DRAFTING_ROLES) or spokesperson_is_valid(
        user, organisation, on=timezone.localdate()
    )


def statements_visible_to_staff(user) -> QuerySet:
    """Statements a staff member may open: their organisations' (by role) and their own drafts."""
    if user.is_superuser:
        return Statement.objects.all()
    orgs = Membership.objects.current().filter(user=user, role__in=ORGANISATION_WIDE_ROLES)
    # An authorised spokesperson (by assignment, without an organisation-wide role) reviews
    # the organisation's statements, so sees them.
    assigned = SpokespersonAssignment.objects.current().filter(user=user)
    return Statement.objects.filter(
        Q(organisation_id__in=orgs.values("organisation_id"))
        | Q(organisation_id__in=assigned.values("organisation_id"))
        | Q(author=user)
    )


def statement_visible_to_staff(user, statement) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or statement.author_id == user.pk:
        return True
    if user_roles(user, statement.organisation) & ORGANISATION_WIDE_ROLES:
        return True
    return spokesperson_is_valid(user, statement.organisation, on=timezone.localdate())


def may_draft_statement(user, statement) -> bool:
    """Its author while still on the drafting staff, or a spokesperson valid today."""
    if statement.author_id == user.pk and may_create_statement(user, statement.organisation):
        return True
    return may_review(user, statement)


STATEMENT_STEP_PREDICATES = {
    "draft": may_draft_statement,
    "review": may_review,
    "signoff": may_sign,
}


def statement_step_eligible_users(step: str, statement):
    """Users who may act on `step` of `statement` today (they get the object permission)."""
    User = get_user_model()
    roles = {
        "draft": [Role.SPOKESPERSON, Role.HEAD],
        "review": [Role.SPOKESPERSON, Role.HEAD],
        "signoff": [Role.HEAD, Role.DEPUTY_HEAD],
    }[step]
    candidates = User.objects.filter(
        pk__in=Membership.objects.current()
        .filter(organisation=statement.organisation, role__in=roles)
        .values("user_id")
    )
    if step in ("draft", "review"):
        candidates = candidates | User.objects.filter(
            pk__in=SpokespersonAssignment.objects.current()
            .filter(organisation=statement.organisation)
            .values("user_id")
        )
    if step == "draft":
        candidates = candidates | User.objects.filter(pk=statement.author_id)
    if step == "signoff":  # members given a signing mark (TM., Q., TL., TUQ., KT.)
        candidates = candidates | User.objects.filter(
            pk__in=Membership.objects.current()
            .filter(organisation=statement.organisation)
            .exclude(signing_mark="")
            .values("user_id")
        )
    predicate = STATEMENT_STEP_PREDICATES[step]
    return [u for u in candidates.distinct() if predicate(u, statement)]


def statement_time_left(statement, now=None) -> dict | None:
    """The 24-hour clock of an open statement: seconds left, fraction and a CSS level."""
    if not statement.due_at or not statement.clock_start_at or not statement.is_open:
        return None
    now = now or timezone.now()
    total = (statement.due_at - statement.clock_start_at).total_seconds()
    left = (statement.due_at - now).total_seconds()
    fraction = max(0.0, left / total) if total > 0 else 0.0
    level = "overdue" if left < 0 else ("low" if fraction < 0.2 else "ok")
    return {
        "fraction": fraction,
        "seconds": left,
        "hours": int(abs(left) // 3600),
        "minutes": int(abs(left) % 3600 // 60),
        "level": level,
    }
