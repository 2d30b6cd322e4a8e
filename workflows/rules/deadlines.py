"""Deadlines from the rulebook: which regime governs, when a limit ends, pauses and extensions.

Every function is pure apart from reading the rulebook; the case flow stores the results
(`due_at`, the rule id, the explanation) and records pauses and extensions as events.
"""

import logging
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils.translation import gettext as _

from core.errors import DomainError

from . import calendar
from .models import (
    ClockStart,
    DeadlineRule,
    InternalStepLimit,
    LegalRegime,
    RefusalGround,
    Step,
    TimeUnit,
)

logger = logging.getLogger(__name__)

# Used when an organisation has set no internal limit for a step (not law: a sensible default).
DEFAULT_STEP_LIMITS: dict[str, tuple[int, str]] = {
    Step.TRIAGE: (1, TimeUnit.WORKING_DAYS),
    Step.DRAFT: (3, TimeUnit.WORKING_DAYS),
    Step.REVIEW: (1, TimeUnit.WORKING_DAYS),
    Step.SIGNOFF: (1, TimeUnit.WORKING_DAYS),
}


@dataclass(frozen=True)
class Deadline:
    """A computed deadline and how it was reached."""

    due_at: datetime | None  # aware, +07:00; day limits end at 23:59:59.999999 of the last day;
    # None while a clock that starts on a later event (e.g. a conclusion) has not started
    start_at: datetime | None
    limit: int
    unit: str
    citation: str
    explanation: str  # Vietnamese, e.g. "15 ngày làm việc kể từ 02/12/2026 — … → hết 23/12/2026"
    regime: LegalRegime | None = None
    rule: DeadlineRule | None = None
    internal_limit: InternalStepLimit | None = None
    unconfirmed: bool = False
    # The year whose calendar has no data, when that left the deadline undetermined.
    calendar_missing_year: int | None = None

    @property
    def rule_id(self) -> int | None:
        return self.rule.pk if self.rule else None

    @property
    def provisional(self) -> bool:
        """The due date counts days of a year whose official holiday decision is not entered."""
        return deadline_is_provisional(self.due_at, self.start_at, unit=self.unit)


def deadline_is_provisional(
    due_at: datetime | None, start_at: datetime | None = None, *, unit: str = ""
) -> bool:
    """Tell whether a due date rests on an unconfirmed ("dự kiến") holiday calendar.

    The year of the due date decides; with `start_at`, every year the count runs through.
    Hour limits run on clock time and never depend on the calendar; without a `unit`, a due
    time other than the end of a day (23:59:59.999999) tells an hour limit.
    """
    if due_at is None or unit == TimeUnit.HOURS:
        return False
    due = calendar.local(due_at)
    if not unit and due.time() != calendar.END_OF_DAY:
        return False
    last = due.date()
    first = calendar.local(start_at).date() if start_at is not None else last
    return bool(calendar.years_provisional(min(first, last), last))


def _undetermined(
    *, exc: calendar.CalendarYearMissing, amount: int, unit: str, start_at: datetime, **fields
) -> Deadline:
    """The deadline of a count that reached a year without calendar data: no date, and why."""
    logger.error(
        "Working calendar: no holiday data for %s; deadline from %s left undetermined",
        exc.year,
        start_at.isoformat(),
    )
    explanation = _("%(amount)s kể từ %(start)s — %(citation)s → hạn %(end)s") % {
        "amount": _amount_text(amount, unit),
        "start": _fmt_moment(start_at, unit),
        "citation": fields["citation"],
        "end": calendar.undetermined_text(exc.year),
    }
    return Deadline(
        due_at=None,
        start_at=start_at,
        limit=amount,
        unit=unit,
        explanation=explanation,
        calendar_missing_year=exc.year,
        **fields,
    )


@dataclass(frozen=True)
class DeadlinePause:
    """The clock stopped at `paused_at` (the due date is moved on resumption)."""

    paused_at: datetime
    due_at: datetime
    reason: str
    explanation: str


@dataclass(frozen=True)
class DeadlineShift:
    """A move of `due_at` (a resumption after a pause, or an extension) with its reason."""

    previous_due_at: datetime
    due_at: datetime
    amount: int
    unit: str
    reason: str
    explanation: str

    def __iter__(self):
        # Lets callers write `due_at, note = deadline_extend(...)`.
        return iter((self.due_at, self.explanation))


def _fmt_date(moment: datetime) -> str:
    return f"{calendar.local(moment):%d/%m/%Y}"


def _fmt_moment(moment: datetime, unit: str) -> str:
    # Day limits are shown as dates; hour limits need the clock time.
    if unit == TimeUnit.HOURS:
        return f"{calendar.local(moment):%H:%M %d/%m/%Y}"
    return _fmt_date(moment)


def _amount_text(amount: int, unit: str) -> str:
    return f"{amount} {TimeUnit(unit).label}"


def _start_text(start_at: datetime, unit: str, clock_start: str) -> str:
    prefix = {
        ClockStart.EVENT: _("khi sự việc xảy ra lúc "),
        ClockStart.DETERMINATION: _("khi cơ quan xác định lúc "),
        ClockStart.CONCLUSION: _("ngày có kết luận "),
    }.get(clock_start, "")
    return f"{prefix}{_fmt_moment(start_at, unit)}"


def _explain(
    *, amount: int, unit: str, start_at: datetime, due_at: datetime, citation: str, clock_start: str
) -> str:
    text = _("%(amount)s kể từ %(start)s — %(citation)s → hết %(end)s") % {
        "amount": _amount_text(amount, unit),
        "start": _start_text(start_at, unit, clock_start),
        "citation": citation,
        "end": _fmt_moment(due_at, unit),
    }
    if unit == TimeUnit.CALENDAR_DAYS:
        nominal = calendar.local(start_at).date() + timedelta(days=amount)
        if nominal != calendar.local(due_at).date():
            text += " " + _(
                "(ngày %(nominal)s là ngày nghỉ nên thời hạn kết thúc vào cuối ngày làm việc tiếp theo)"
            ) % {"nominal": f"{nominal:%d/%m/%Y}"}
    return text


def regime_for(received_at: datetime) -> LegalRegime:
    """Return the regime in force on the local (Vietnam) date a case was received."""
    day = calendar.local(received_at).date()
    regime = (
        LegalRegime.objects.filter(effective_from__lte=day)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day))
        .order_by("-effective_from")
        .first()
    )
    if regime is None:
        raise DomainError(
            _("Không có chế độ pháp lý nào có hiệu lực vào ngày %(day)s.")
            % {"day": f"{day:%d/%m/%Y}"},
            code="no_regime",
        )
    return regime


def _internal_limit(*, organisation, step: str, kind: str) -> InternalStepLimit | None:
    if organisation is None:
        return None
    limits = {
        limit.kind: limit
        for limit in InternalStepLimit.objects.filter(
            organisation=organisation, step=step, kind__in=[kind, ""]
        )
    }
    return limits.get(kind) or limits.get("")


def _internal_deadline(
    *, organisation, step: str, kind: str, start_at: datetime, regime: LegalRegime | None
) -> Deadline:
    if step not in DEFAULT_STEP_LIMITS:
        raise DomainError(_("Bước xử lý không hợp lệ."), code="invalid_step", field="step")
    limit_row = _internal_limit(organisation=organisation, step=step, kind=kind)
    rule = None
    if limit_row is not None:
        limit, unit = limit_row.limit, limit_row.unit
        citation = limit_row.citation or _("Quy chế nội bộ của %(org)s") % {
            "org": organisation.abbreviation or organisation.name
        }
    else:
        rule = regime.rules.filter(kind=kind, step=step).first() if regime is not None else None
        if rule is not None:
            limit, unit, citation = rule.limit, rule.unit, rule.citation
        else:
            limit, unit = DEFAULT_STEP_LIMITS[step]
            citation = _("mặc định của hệ thống (cơ quan chưa đặt thời hạn nội bộ)")
    try:
        due_at = calendar.civil_code_end(start_at, limit, unit)
    except calendar.CalendarYearMissing as exc:
        return _undetermined(
            exc=exc,
            amount=limit,
            unit=unit,
            start_at=calendar.local(start_at),
            citation=citation,
            regime=regime,
            rule=rule,
            internal_limit=limit_row,
            unconfirmed=bool(rule and rule.unconfirmed),
        )
    return Deadline(
        due_at=due_at,
        start_at=calendar.local(start_at),
        limit=limit,
        unit=unit,
        citation=citation,
        explanation=_explain(
            amount=limit,
            unit=unit,
            start_at=start_at,
            due_at=due_at,
            citation=citation,
            clock_start=ClockStart.RECEIVED,
        ),
        regime=regime,
        rule=rule,
        internal_limit=limit_row,
        unconfirmed=bool(rule and rule.unconfirmed),
    )


def deadline_compute(
    *,
    kind: str,
    received_at: datetime,
    organisation=None,
    step: str = Step.FINAL,
    start_at: datetime | None = None,
) -> Deadline:
    """Compute a case's deadline from the regime in force on its received date.

    `start_at` is when the clock starts if it is not receipt (the event, the determination,
    the conclusion, or the start of an internal step); it defaults to `received_at`.
    """
    regime = regime_for(received_at)
    clock_given = start_at is not None
    start_at = calendar.local(start_at or received_at)
    if step != Step.FINAL:
        return _internal_deadline(
            organisation=organisation, step=step, kind=kind, start_at=start_at, regime=regime
        )
    rule = regime.rules.filter(kind=kind, step=Step.FINAL).first()
    if rule is None:
        raise DomainError(
            _("Chế độ pháp lý %(regime)s không quy định thời hạn cho loại việc này.")
            % {"regime": regime.name},
            code="no_rule",
            field="kind",
        )
    if rule.clock_start != ClockStart.RECEIVED and not clock_given:
        # The law counts from a later moment (the conclusion, the event…): no due date yet.
        return Deadline(
            due_at=None,
            start_at=None,
            limit=rule.limit,
            unit=rule.unit,
            citation=rule.citation,
            explanation=_("%(amount)s %(start)s — %(citation)s; chưa bắt đầu tính")
            % {
                "amount": _amount_text(rule.limit, rule.unit),
                "start": ClockStart(rule.clock_start).label.lower(),
                "citation": rule.citation,
            },
            regime=regime,
            rule=rule,
            unconfirmed=rule.unconfirmed,
        )
    try:
        due_at = calendar.civil_code_end(start_at, rule.limit, rule.unit)
    except calendar.CalendarYearMissing as exc:
        return _undetermined(
            exc=exc,
            amount=rule.limit,
            unit=rule.unit,
            start_at=start_at,
            citation=rule.citation,
            regime=regime,
            rule=rule,
            unconfirmed=rule.unconfirmed,
        )
    explanation = _explain(
        amount=rule.limit,
        unit=rule.unit,
        start_at=start_at,
        due_at=due_at,
        citation=rule.citation,
        clock_start=rule.clock_start,
    )
    if rule.agency_practice:
        explanation += " " + _("(mức mặc định của cơ quan; luật không quy định con số)")
    if rule.unconfirmed:
        explanation += " " + _("(con số chưa được xác thực, đề nghị đối chiếu văn bản gốc)")
    return Deadline(
        due_at=due_at,
        start_at=start_at,
        limit=rule.limit,
        unit=rule.unit,
        citation=rule.citation,
        explanation=explanation,
        regime=regime,
        rule=rule,
        unconfirmed=rule.unconfirmed,
    )


def step_due(*, organisation, step: str, kind: str, start: datetime) -> Deadline:
    """Compute an internal step's deadline from the organisation's limit or the default."""
    return _internal_deadline(
        organisation=organisation,
        step=step,
        kind=kind,
        start_at=calendar.local(start),
        regime=None,
    )


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Cần ghi rõ lý do."), code="reason_required", field="reason")
    return reason


def deadline_pause(
    *, rule: DeadlineRule, due_at: datetime, paused_at: datetime, reason: str
) -> DeadlinePause:
    """Check that the clock may stop now (clarification requested) and describe the pause."""
    reason = _require_reason(reason)
    if not rule.pausable:
        raise DomainError(
            _("Thời hạn theo %(citation)s không được tạm dừng.") % {"citation": rule.citation},
            code="not_pausable",
        )
    if paused_at > due_at:
        raise DomainError(
            _("Đã quá hạn, không thể tạm dừng tính thời hạn."), code="already_overdue"
        )
    return DeadlinePause(
        paused_at=calendar.local(paused_at),
        due_at=due_at,
        reason=reason,
        explanation=_("Tạm dừng tính thời hạn từ %(start)s. Lý do: %(reason)s")
        % {"start": _fmt_moment(paused_at, rule.unit), "reason": reason},
    )


def deadline_resume(
    *,
    rule: DeadlineRule,
    due_at: datetime,
    paused_at: datetime,
    resumed_at: datetime,
    reason: str = "",
) -> DeadlineShift:
    """Move due_at on by the time lost while paused (not at all if the rule is not pausable).

    Lost time: working days in (pause date, resume date] for working-day limits, calendar
    days between the two dates for calendar-day limits, exact clock time for hour limits;
    the due date moves on from the current one by that much (Civil Code counting).
    """
    if resumed_at < paused_at:
        raise DomainError(
            _("Thời điểm tiếp tục phải sau thời điểm tạm dừng."), code="resume_before_pause"
        )
    paused, resumed = calendar.local(paused_at), calendar.local(resumed_at)
    if not rule.pausable:
        # A legal clock the rule does not let stop keeps running: never move it silently.
        return DeadlineShift(
            previous_due_at=due_at,
            due_at=due_at,
            amount=0,
            unit=rule.unit,
            reason=(reason or "").strip(),
            explanation=_("Thời hạn theo %(citation)s không được tạm dừng; hạn giữ nguyên %(end)s")
            % {"citation": rule.citation, "end": _fmt_moment(due_at, rule.unit)},
        )
    if rule.unit == TimeUnit.HOURS:
        lost = resumed - paused
        new_due = calendar.local(due_at + lost)
        amount = math.ceil(lost.total_seconds() / 3600)
    elif rule.unit == TimeUnit.WORKING_DAYS:
        amount = calendar.count_working_days(paused.date(), resumed.date())
        new_due = calendar.civil_code_end(due_at, amount, rule.unit) if amount else due_at
    else:
        amount = (resumed.date() - paused.date()).days
        new_due = calendar.civil_code_end(due_at, amount, rule.unit) if amount else due_at
    explanation = _(
        "Tạm dừng từ %(paused)s đến %(resumed)s (%(amount)s không tính) → hạn mới %(end)s"
    ) % {
        "paused": _fmt_moment(paused, rule.unit),
        "resumed": _fmt_moment(resumed, rule.unit),
        "amount": _amount_text(amount, rule.unit),
        "end": _fmt_moment(new_due, rule.unit),
    }
    reason = (reason or "").strip()
    if reason:
        explanation += ". " + _("Lý do: %(reason)s") % {"reason": reason}
    return DeadlineShift(
        previous_due_at=due_at,
        due_at=new_due,
        amount=amount,
        unit=rule.unit,
        reason=reason,
        explanation=explanation,
    )


def deadline_extend(
    *, rule: DeadlineRule, due_at: datetime, amount: int, reason: str, already_extended: int = 0
) -> DeadlineShift:
    """Extend a deadline where the rule allows it, counting on from the current due date."""
    reason = _require_reason(reason)
    if not rule.extendable or not rule.max_extension:
        raise DomainError(
            _("Thời hạn theo %(citation)s không được gia hạn.") % {"citation": rule.citation},
            code="not_extendable",
        )
    unit = rule.effective_extension_unit
    if amount <= 0:
        raise DomainError(
            _("Số ngày gia hạn phải lớn hơn 0."), code="invalid_amount", field="amount"
        )
    if amount + already_extended > rule.max_extension:
        raise DomainError(
            _("Chỉ được gia hạn tối đa %(max)s theo %(citation)s (đã gia hạn %(done)s).")
            % {
                "max": _amount_text(rule.max_extension, unit),
                "citation": rule.citation,
                "done": _amount_text(already_extended, unit),
            },
            code="extension_too_long",
            field="amount",
        )
    new_due = calendar.civil_code_end(due_at, amount, unit)
    explanation = _(
        "Gia hạn thêm %(amount)s kể từ %(start)s — %(citation)s → hết %(end)s. Lý do: %(reason)s"
    ) % {
        "amount": _amount_text(amount, unit),
        "start": _fmt_moment(due_at, unit),
        "citation": rule.citation,
        "end": _fmt_moment(new_due, unit),
        "reason": reason,
    }
    return DeadlineShift(
        previous_due_at=due_at,
        due_at=new_due,
        amount=amount,
        unit=unit,
        reason=reason,
        explanation=explanation,
    )


def refusal_grounds_for(received_at: datetime, *, kind: str | None = None) -> list[RefusalGround]:
    """Return the refusal grounds of the regime governing a case received at received_at.

    Grounds specific to `kind` (e.g. the access-to-information law's) replace the general ones.
    """
    grounds = RefusalGround.objects.filter(regime=regime_for(received_at))
    if kind:
        specific = list(grounds.filter(kind=kind))
        if specific:
            return specific
    return list(grounds.filter(kind=""))


# Fractions of the legal time at which the holders of a case (or a day-based statement) are
# reminded: half and four fifths of the time gone.
REMINDER_THRESHOLDS = (("50", 0.5), ("80", 0.8))
