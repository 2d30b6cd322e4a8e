"""Keep an organisation's periodic schedule (NĐ 244 Art. 6)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

import audit
from roles.models import Membership, Role
from roles.selectors import actor_role

from ..models import PeriodicSchedule

# Who keeps an organisation's schedule (NĐ 244 Art. 6: the spokesperson's office, the head).
SCHEDULE_ROLES = (Role.SPOKESPERSON, Role.HEAD)


def schedule_save(*, organisation, by, kind: str, **fields) -> PeriodicSchedule:
    """Create or change an organisation's schedule of one kind; on the ledger."""
    if not (
        Membership.objects.current()
        .filter(user=by, organisation=organisation, role__in=SCHEDULE_ROLES)
        .exists()
    ):
        raise PermissionDenied(
            _("Chỉ người phát ngôn hoặc người đứng đầu được đặt lịch cung cấp thông tin.")
        )
    with transaction.atomic():
        before = PeriodicSchedule.objects.filter(organisation=organisation, kind=kind).first()
        schedule, _created = PeriodicSchedule.objects.update_or_create(
            organisation=organisation, kind=kind, defaults=fields
        )

        def facts(s):
            return {
                "kind": s.kind,
                "every_months": s.every_months,
                "starts_on": s.starts_on.isoformat(),
                "remind_days_before": s.remind_days_before,
                "active": s.is_active,
            }

        audit.record(
            action="schedule.save",
            actor=by,
            actor_role=actor_role(by, organisation),
            organisation=organisation,
            target=schedule,
            before=facts(before) if before else None,
            after=facts(schedule),
        )
    return schedule
