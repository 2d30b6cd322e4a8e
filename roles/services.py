"""Change who is who. Every change goes through `role_change_record`, which writes the ledger."""

from datetime import date

from django.contrib.auth.models import Group
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

import audit
from core.errors import DomainError

from .models import (
    JournalistProfile,
    Membership,
    Organisation,
    PressAgency,
    Role,
    SpokespersonAssignment,
    Unit,
    UserPreference,
)
from .selectors import actor_role, user_has_role

# Object-level grants every role group gets on its own organisation.
ROLE_ORGANISATION_PERMS: dict[str, list[str]] = {
    Role.HEAD: ["roles.view_organisation", "roles.view_organisation_cases"],
    Role.DEPUTY_HEAD: ["roles.view_organisation", "roles.view_organisation_cases"],
    Role.INSPECTOR: ["roles.view_organisation", "roles.view_organisation_cases"],
    Role.SPOKESPERSON: ["roles.view_organisation"],
    Role.REGISTRY_OFFICER: ["roles.view_organisation"],
    Role.SPECIALIST: ["roles.view_organisation"],
    Role.ADMINISTRATOR: ["roles.view_organisation", "roles.change_organisation"],
}


def _snapshot(obj) -> dict:
    data = model_to_dict(obj)
    data["id"] = obj.pk
    return data


def role_change_record(*, action: str, target, by, before=None, after=None):
    """Write one role/membership/assignment/accreditation change into the audit ledger.

    The single call site for such changes: every service in this module ends here.
    """
    organisation = getattr(target, "organisation", None)
    return audit.record(
        action=action,
        actor=by,
        actor_role=actor_role(by, organisation),
        organisation=organisation,
        target=target,
        before=before,
        after=after,
    )


# ---------------------------------------------------------------- object permissions


def role_group(organisation: Organisation, role: str) -> Group:
    """Return the group of everyone holding `role` in `organisation` (created on demand)."""
    group, created = Group.objects.get_or_create(name=f"{organisation.code}:{role}")
    if created:
        for perm in ROLE_ORGANISATION_PERMS.get(role, []):
            assign_perm(perm, group, organisation)
    return group


def permission_grant(*, perm: str, to, obj, by=None) -> None:
    """Grant `perm` on one object to a user or group. Model-wide grants are refused."""
    if obj is None:
        raise ValueError("Model-wide grants are not used for scoping; pass an object.")
    with transaction.atomic():
        assign_perm(perm, to, obj)
        audit.record(
            action="permission.grant",
            actor=by,
            organisation=getattr(
                obj, "organisation", obj if isinstance(obj, Organisation) else None
            ),
            target=obj,
            after={"perm": perm, "to": _principal(to)},
        )


def permission_revoke(*, perm: str, to, obj, by=None) -> None:
    """Revoke an object-level grant made by `permission_grant`."""
    if obj is None:
        raise ValueError("Model-wide grants are not used for scoping; pass an object.")
    with transaction.atomic():
        remove_perm(perm, to, obj)
        audit.record(
            action="permission.revoke",
            actor=by,
            organisation=getattr(
                obj, "organisation", obj if isinstance(obj, Organisation) else None
            ),
            target=obj,
            before={"perm": perm, "to": _principal(to)},
        )


def _principal(to) -> str:
    if isinstance(to, Group):
        return f"group:{to.name}"
    return f"user:{to.username}"


# ---------------------------------------------------------------- memberships


def _sync_group(user, organisation: Organisation, role: str, on: date | None = None) -> None:
    group = role_group(organisation, role)
    holds = (
        Membership.objects.current(on)
        .filter(user=user, organisation=organisation, role=role)
        .exists()
    )
    if holds:
        user.groups.add(group)
    else:
        user.groups.remove(group)


@transaction.atomic
def membership_grant(
    *,
    user,
    organisation: Organisation,
    role: str,
    title: str,
    valid_from: date | None = None,
    valid_to: date | None = None,
    unit: Unit | None = None,
    signing_mark: str = "",
    by=None,
) -> Membership:
    """Give `user` a role in `organisation` for a period (and how they sign, if not by role)."""
    membership = Membership(
        user=user,
        organisation=organisation,
        role=role,
        title=title,
        unit=unit,
        signing_mark=signing_mark,
        valid_from=valid_from or timezone.localdate(),
        valid_to=valid_to,
    )
    membership.full_clean()
    membership.save()
    _sync_group(user, organisation, role)
    role_change_record(
        action="membership.grant",
        target=membership,
        by=by,
        after=_snapshot(membership),
    )
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, on: date | None = None, by=None):
    """End a membership on a date (today by default); the row stays for history."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    before = _snapshot(membership)
    on = on or timezone.localdate()
    if on < membership.valid_from:
        raise DomainError(_("Ngày kết thúc phải sau ngày bắt đầu hiệu lực."), code="invalid_period")
    membership.valid_to = on
    membership.save(update_fields=["valid_to"])
    _sync_group(membership.user, membership.organisation, membership.role)
    role_change_record(
        action="membership.end",
        target=membership,
        by=by,
        before=before,
        after=_snapshot(membership),
    )
    return membership


def memberships_sync_groups(on: date | None = None) -> int:
    """Bring role groups in line with membership validity (run daily by Celery beat)."""
    changed = 0
    for m in Membership.objects.select_related("user", "organisation"):
        group = role_group(m.organisation, m.role)
        in_group = m.user.groups.filter(pk=group.pk).exists()
        should = (
            Membership.objects.current(on)
            .filter(user=m.user, organisation=m.organisation, role=m.role)
            .exists()
        )
        if in_group != should:
            _sync_group(m.user, m.organisation, m.role, on)
            changed += 1
    return changed


# ---------------------------------------------------------------- spokespersons


@transaction.atomic
def spokesperson_assign(
    *,
    organisation: Organisation,
    user,
    kind: str,
    issued_by,
    contact_name: str,
    contact_title: str,
    contact_phone: str,
    contact_email: str,
    valid_from: date | None = None,
    valid_to: date | None = None,
    scope: str = "",
    decision_reference: str = "",
) -> SpokespersonAssignment:
    """Record the head's decision naming a regular or authorised spokesperson.

    Only the head of the organisation may assign or authorise (NĐ 244/2026 Art. 3.5–3.6:
    no sub-delegation): a deputy or a spokesperson cannot pass the authority on.
    """
    valid_from = valid_from or timezone.localdate()
    if not user_has_role(issued_by, organisation, Role.HEAD, on=valid_from):
        raise DomainError(
            _(
                "Chỉ người đứng đầu cơ quan mới được giao hoặc ủy quyền phát ngôn; "
                "người được ủy quyền không được ủy quyền lại."
            ),
            code="not_head",
            field="issued_by",
        )
    if kind == SpokespersonAssignment.Kind.AUTHORISED:
        if not scope.strip():
            raise DomainError(
                _("Ủy quyền phát ngôn phải ghi rõ vụ việc được ủy quyền."),
                code="scope_required",
                field="scope",
            )
        if valid_to is None:
            raise DomainError(
                _("Ủy quyền phát ngôn phải có thời hạn (ngày hết hiệu lực)."),
                code="period_required",
                field="valid_to",
            )
    assignment = SpokespersonAssignment(
        organisation=organisation,
        user=user,
        kind=kind,
        scope=scope.strip(),
        valid_from=valid_from,
        valid_to=valid_to,
        issued_by=issued_by,
        decision_reference=decision_reference,
        contact_name=contact_name,
        contact_title=contact_title,
        contact_phone=contact_phone,
        contact_email=contact_email,
    )
    assignment.full_clean()
    assignment.save()
    role_change_record(
        action="spokesperson.assign",
        target=assignment,
        by=issued_by,
        after=_snapshot(assignment),
    )
    return assignment


@transaction.atomic
def spokesperson_publish(
    *,
    assignment: SpokespersonAssignment,
    by=None,
    decision_reference: str = "",
    decision_issued_at=None,
):
    """Publish the spokesperson's contact in the public directory (NĐ 244 Art. 3.3: ≤ 24 h).

    Only a signed decision publishes: `decision_reference` is the number of the issued
    decision (QĐ / GUQ) naming the spokesperson and `decision_issued_at` when it was issued
    (the release engine's issue of the decision calls this). Without them nothing is
    published: an entry never appears before its decision.
    """
    decision_reference = (decision_reference or "").strip()
    if not decision_reference or decision_issued_at is None:
        raise DomainError(
            _(
                "Chỉ công bố người phát ngôn khi đã có quyết định (hoặc giấy ủy quyền) được ký "
                "và phát hành."
            ),
            code="decision_required",
        )
    assignment = SpokespersonAssignment.objects.select_for_update().get(pk=assignment.pk)
    if (
        assignment.decision_issued_at == decision_issued_at
        and assignment.decision_reference == decision_reference[:100]
        and assignment.published_at is not None
    ):
        return assignment
    before = _snapshot(assignment)
    assignment.decision_reference = decision_reference[:100]
    assignment.decision_issued_at = decision_issued_at
    # Published from the decision on: an earlier publication date would claim otherwise.
    if assignment.published_at is None or assignment.published_at < decision_issued_at:
        assignment.published_at = max(timezone.now(), decision_issued_at)
    assignment.save(update_fields=["published_at", "decision_reference", "decision_issued_at"])
    role_change_record(
        action="spokesperson.publish",
        target=assignment,
        by=by,
        before=before,
        after=_snapshot(assignment),
    )
    return assignment


@transaction.atomic
def spokesperson_revoke(*, assignment: SpokespersonAssignment, reason: str, by):
    """Revoke an assignment or authorisation; it disappears from the directory at once."""
    assignment = SpokespersonAssignment.objects.select_for_update().get(pk=assignment.pk)
    if not user_has_role(by, assignment.organisation, Role.HEAD):
        raise DomainError(
            _("Chỉ người đứng đầu cơ quan mới được thu hồi phân công phát ngôn."), code="not_head"
        )
    if not reason.strip():
        raise DomainError(_("Hãy ghi lý do thu hồi."), code="reason_required", field="reason")
    if assignment.revoked_at is not None:
        raise DomainError(_("Phân công này đã bị thu hồi."), code="invalid_state")
    before = _snapshot(assignment)
    assignment.revoked_at = timezone.now()
    assignment.revoked_reason = reason.strip()
    assignment.save(update_fields=["revoked_at", "revoked_reason"])
    role_change_record(
        action="spokesperson.revoke",
        target=assignment,
        by=by,
        before=before,
        after=_snapshot(assignment),
    )
    return assignment


# ---------------------------------------------------------------- journalists


def can_change_press_agency(user) -> bool:
    """The system administrator (the Django admin's change right on press agencies)."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and (user.is_superuser or user.has_perm("roles.change_pressagency"))
    )


@transaction.atomic
def press_agency_sharing_set(*, press_agency: PressAgency, shares_cases: bool, by) -> PressAgency:
    """Let (or stop letting) an agency's accredited journalists see each other's cases."""
    if not can_change_press_agency(by):
        raise DomainError(
            _("Chỉ quản trị hệ thống mới được thay đổi việc chia sẻ hồ sơ của cơ quan báo chí."),
            code="permission_denied",
        )
    agency = PressAgency.objects.select_for_update().get(pk=press_agency.pk)
    shares_cases = bool(shares_cases)
    if agency.shares_cases == shares_cases:
        press_agency.shares_cases = shares_cases
        return agency
    before = {"id": agency.pk, "name": agency.name, "shares_cases": agency.shares_cases}
    agency.shares_cases = shares_cases
    agency.save(update_fields=["shares_cases"])
    press_agency.shares_cases = shares_cases
    role_change_record(
        action="press_agency.sharing_on" if shares_cases else "press_agency.sharing_off",
        target=agency,
        by=by,
        before=before,
        after={**before, "shares_cases": shares_cases},
    )
    return agency


def can_review_journalists(user) -> bool:
    """Registry officers and spokespersons (of any organisation) accredit journalists."""
    return user.is_authenticated and (
        Membership.objects.current()
        .filter(user=user, role__in=[Role.REGISTRY_OFFICER, Role.SPOKESPERSON])
        .exists()
    )


@transaction.atomic
def journalist_register(*, user, press_agency, press_card_number, card_expiry, phone=""):
    """Create a pending accreditation for a newly registered journalist."""
    profile = JournalistProfile(
        user=user,
        press_agency=press_agency,
        press_card_number=press_card_number.strip().upper(),
        card_expiry=card_expiry,
        phone=phone,
    )
    profile.full_clean()
    profile.save()
    role_change_record(
        action="journalist.register",
        target=profile,
        by=user,
        after=_snapshot(profile),
    )
    return profile


@transaction.atomic
def journalist_confirm_email(*, profile: JournalistProfile):
    """Activate the account once the journalist followed the e-mail link."""
    profile = (
        JournalistProfile.objects.select_for_update().select_related("user").get(pk=profile.pk)
    )
    if profile.email_confirmed_at is not None:
        return profile
    before = _snapshot(profile)
    profile.email_confirmed_at = timezone.now()
    profile.save(update_fields=["email_confirmed_at"])
    profile.user.is_active = True
    profile.user.save(update_fields=["is_active"])
    role_change_record(
        action="journalist.confirm_email",
        target=profile,
        by=profile.user,
        before=before,
        after=_snapshot(profile),
    )
    return profile


@transaction.atomic
def journalist_review(
    *, profile: JournalistProfile, approve: bool, by, reason: str = ""
) -> JournalistProfile:
    """Verify or reject a journalist's accreditation (registry officer or spokesperson)."""
    if not can_review_journalists(by):
        raise DomainError(
            _("Chỉ văn thư hoặc người phát ngôn mới được xác minh nhà báo."),
            code="permission_denied",
        )
    profile = JournalistProfile.objects.select_for_update().get(pk=profile.pk)
    before = _snapshot(profile)
    if approve:
        if profile.card_expiry < timezone.localdate():
            raise DomainError(
                _("Thẻ nhà báo đã hết hạn ngày %(d)s; không thể xác minh.")
                % {"d": profile.card_expiry.strftime("%d/%m/%Y")},
                code="card_expired",
            )
        profile.status = JournalistProfile.Status.VERIFIED
        profile.rejection_reason = ""
    else:
        if not reason.strip():
            raise DomainError(
                _("Hãy ghi lý do từ chối để nhà báo biết cần bổ sung gì."),
                code="reason_required",
                field="reason",
            )
        profile.status = JournalistProfile.Status.REJECTED
        profile.rejection_reason = reason.strip()
    profile.reviewed_by = by
    profile.reviewed_at = timezone.now()
    profile.save(update_fields=["status", "rejection_reason", "reviewed_by", "reviewed_at"])
    role_change_record(
        action="journalist.verify" if approve else "journalist.reject",
        target=profile,
        by=by,
        before=before,
        after=_snapshot(profile),
    )
    return profile


def press_cards_expire(on: date | None = None) -> int:
    """Mark verified accreditations whose press card has expired (Celery beat, daily)."""
    on = on or timezone.localdate()
    count = 0
    for profile in JournalistProfile.objects.filter(
        status=JournalistProfile.Status.VERIFIED, card_expiry__lt=on
    ):
        with transaction.atomic():
            before = _snapshot(profile)
            profile.status = JournalistProfile.Status.EXPIRED
            profile.save(update_fields=["status"])
            role_change_record(
                action="journalist.expire",
                target=profile,
                by=None,
                before=before,
                after=_snapshot(profile),
            )
        count += 1
    return count


@transaction.atomic
def preference_email_set(*, user, enabled: bool) -> UserPreference:
    """Turn the user's e-mail notifications on or off (in-app notifications stay); ledgered."""
    preference, _created = UserPreference.objects.select_for_update().get_or_create(user=user)
    before = preference.email_notifications
    if before != enabled:
        preference.email_notifications = enabled
        preference.save(update_fields=["email_notifications", "updated_at"])
        audit.record(
            action="preference.email_notifications",
            actor=user,
            target=user,
            before={"email_notifications": before},
            after={"email_notifications": enabled},
        )
    return preference
