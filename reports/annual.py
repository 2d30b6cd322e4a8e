"""The annual report on spokesperson work (NĐ 244/2026 Art. 10, issue 14).

Year Y covers 15/12/(Y-1) 00:00 to 14/12/Y 23:59:59 Vietnam time and is sent before 20/12/Y.
Its figures come from a few SQL aggregates; `annual_report_create` freezes them on an
`AnnualReport` and opens a statement of kind "annual_report" that goes the statement's road
(drafting → review → sign-off → a signed Báo cáo), its figures table as the statement's annex.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

import audit
from core.errors import DomainError
from roles.models import Membership, Organisation, Role, SpokespersonAssignment
from roles.selectors import actor_role, spokesperson_is_valid, user_has_role
from workflows.cases.models import Case
from workflows.statements import drafting
from workflows.statements.models import PeriodicSchedule, Statement
from workflows.statements.schedules import selectors as schedule_selectors

from .models import AnnualReport
from .selectors import VN_TZ, Period, topic_coverage

# Cases the report counts as "questions and requests" and as "press reports and complaints".
QUESTION_KINDS = (Case.Kind.QUESTION, Case.Kind.ANSWER_REQUEST)
PRESS_KINDS = (Case.Kind.PRESS_REPORT, Case.Kind.COMPLAINT)
# The statement kinds counted as released statements (the report itself is not one).
STATEMENT_KINDS = [k for k in Statement.Kind if k not in Statement.UNPUBLISHED_KINDS]
CITATION = "NĐ 244/2026/NĐ-CP, Điều 10"


def annual_period(year: int) -> Period:
    """15/12 of the year before to 14/12 of `year`, both included (Vietnam time)."""
    return Period(date(year - 1, 12, 15), date(year, 12, 14))


def annual_due_at(year: int) -> datetime:
    """The report is sent before 20/12: the last working hour of 19/12."""
    return datetime(year, 12, 19, 17, 0, tzinfo=VN_TZ)


def report_year(today: date | None = None) -> int:
    """The year whose report is being prepared: from 15/12 on, the next year's period runs,
    but this year's report is still due until 19/12, so the year of `today`."""
    return (today or timezone.localdate()).year


# ---------------------------------------------------------------------------- figures


def _case_figures(organisation: Organisation, period: Period, now: datetime) -> dict:
    cases = Case.objects.filter(
        organisation=organisation,
        received_at__gte=period.start_at,
        received_at__lt=period.end_before,
    ).order_by()
    answered = Q(status=Case.Status.ANSWERED)
    late = answered & Q(due_at__isnull=False, closed_at__gt=F("due_at"))
    open_late = Q(status__in=Case.OPEN_STATUSES, due_at__lt=now, paused_at__isnull=True)
    rows = {
        r["kind"]: r
        for r in cases.values("kind").annotate(
            received=Count("pk"),
            answered=Count("pk", filter=answered),
            refused=Count("pk", filter=Q(status=Case.Status.REFUSED)),
            forwarded=Count("pk", filter=Q(status=Case.Status.FORWARDED)),
            open=Count("pk", filter=Q(status__in=Case.OPEN_STATUSES)),
            answered_late=Count("pk", filter=late),
            open_overdue=Count("pk", filter=open_late),
        )
    }
    names = ("received", "answered", "refused", "forwarded", "open", "answered_late")
    names += ("open_overdue",)

    def add(kinds) -> dict:
        total = {name: sum(rows.get(k.value, {}).get(name, 0) for k in kinds) for name in names}
        total["on_time"] = total["answered"] - total["answered_late"]
        total["overdue"] = total["answered_late"] + total["open_overdue"]
        return total

    grounds = [
        {
            "ground": (
                f"{r['refusal_ground__code']}) {r['refusal_ground__label']} "
                f"({r['refusal_ground__citation']})"
                if r["refusal_ground__code"]
                else _("Không ghi căn cứ")
            ),
            "n": r["n"],
        }
        for r in cases.filter(status=Case.Status.REFUSED, kind__in=QUESTION_KINDS)
        .values("refusal_ground__code", "refusal_ground__label", "refusal_ground__citation")
        .annotate(n=Count("pk"))
        .order_by("-n", "refusal_ground__code")
    ]
    return {
        "questions": {**add(QUESTION_KINDS), "refused_by_ground": grounds},
        "press_reports": add([Case.Kind.PRESS_REPORT]),
        "complaints": add([Case.Kind.COMPLAINT]),
    }


def _statement_figures(organisation: Organisation, period: Period, now: datetime) -> dict:
    released = Statement.objects.filter(
        organisation=organisation,
        kind__in=STATEMENT_KINDS,
        status=Statement.Status.RELEASED,
        released_at__gte=period.start_at,
        released_at__lt=period.end_before,
    ).order_by()
    rows = {
        r["kind"]: r
        for r in released.values("kind").annotate(
            n=Count("pk"),
            on_time=Count("pk", filter=Q(due_at__isnull=False, released_at__lte=F("due_at"))),
            late=Count("pk", filter=Q(due_at__isnull=False, released_at__gt=F("due_at"))),
        )
    }
    by_kind = [
        {
            "kind": kind.value,
            "label": str(kind.label),
            "released": rows.get(kind.value, {}).get("n", 0),
            "on_time": rows.get(kind.value, {}).get("on_time", 0),
            "late": rows.get(kind.value, {}).get("late", 0),
            "clocked": kind in Statement.CLOCKED_KINDS,
        }
        for kind in STATEMENT_KINDS
    ]
    conferences = (
        Statement.objects.filter(
            organisation=organisation,
            kind=Statement.Kind.CONFERENCE,
            status=Statement.Status.RELEASED,
            conference_at__gte=period.start_at,
            conference_at__lt=min(period.end_before, now),
        )
        .order_by()
        .count()
    )
    return {
        "released": sum(r["released"] for r in by_kind),
        "by_kind": by_kind,
        "conferences_held": conferences,
    }


def _schedule_figures(organisation: Organisation, period: Period, now: datetime) -> list[dict]:
    """Per active schedule, its periods that ended in the report period: kept or missed."""
    today = min(timezone.localdate(now), period.end)
    out = []
    for schedule in PeriodicSchedule.objects.filter(organisation=organisation, is_active=True):
        # At most twelve monthly periods end in a year (a few per schedule: not per case).
        periods = [
            p
            for p in schedule_selectors.periods(schedule, today=today, last=13)
            if period.start <= p.ends_on < today or (p.ends_on == period.end == today)
        ]
        out.append(
            {
                "kind": schedule.kind,
                "label": str(schedule.get_kind_display()),
                "every_months": schedule.every_months,
                "kept": sum(1 for p in periods if p.met),
                "missed": sum(1 for p in periods if not p.met),
            }
        )
    return out


def _spokesperson_changes(organisation: Organisation, period: Period) -> list[dict]:
    """Assignments that began, ended or were revoked in the period."""
    start, end = period.start, period.end
    changes = (
        SpokespersonAssignment.objects.filter(organisation=organisation)
        .filter(
            Q(valid_from__gte=start, valid_from__lte=end)
            | Q(valid_to__gte=start, valid_to__lte=end)
            | Q(revoked_at__gte=period.start_at, revoked_at__lt=period.end_before)
        )
        .order_by("valid_from", "pk")
    )
    out = []
    for a in changes:
        ended = a.valid_to if a.valid_to and start <= a.valid_to <= end else None
        if a.revoked_at and period.start_at <= a.revoked_at < period.end_before:
            ended = timezone.localdate(a.revoked_at)
        out.append(
            {
                "name": a.contact_name,
                "title": a.contact_title,
                "kind": str(a.get_kind_display()),
                "decision": a.decision_reference,
                "appointed_on": a.valid_from.isoformat() if start <= a.valid_from <= end else None,
                "ended_on": ended.isoformat() if ended else None,
            }
        )
    return out


def annual_figures(organisation: Organisation, year: int, now: datetime | None = None) -> dict:
    """Every figure of the annual report, as JSON-ready data (a handful of queries)."""
    now = now or timezone.now()
    period = annual_period(year)
    return {
        "year": year,
        "organisation": {"code": organisation.code, "name": organisation.name},
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
        "as_of": now.isoformat(),
        **_case_figures(organisation, period, now),
        "statements": _statement_figures(organisation, period, now),
        "schedules": _schedule_figures(organisation, period, now),
        "spokesperson_changes": _spokesperson_changes(organisation, period),
        "topics": _topic_figures(organisation, period),
    }


def _topic_figures(organisation: Organisation, period: Period) -> list[dict]:
    """Coverage per plan topic (the year's communication-plan content areas): cases and
    statements carrying each, zero rows kept so the areas not covered show."""
    return [
        {
            "number": r["number"],
            "year": r["year"],
            "title": r["title"],
            "cases": r["cases"],
            "statements": r["statements"],
        }
        for r in topic_coverage([organisation.pk], period)
    ]


def annual_rows(figures: dict) -> list[list[str]]:
    """The figures table: [number, item, value] rows (page, PDF and XLSX all use these)."""
    q = figures["questions"]
    rows = [
        ["I", _("Câu hỏi, đề nghị cung cấp thông tin của báo chí"), ""],
        ["1", _("Tiếp nhận"), q["received"]],
        ["2", _("Đã trả lời"), q["answered"]],
        ["3", _("Trong đó trả lời đúng hạn"), q["on_time"]],
        ["4", _("Từ chối cung cấp thông tin"), q["refused"]],
    ]
    for g in q["refused_by_ground"]:
        rows.append(["", "– " + _("Căn cứ: %(g)s") % {"g": g["ground"]}, g["n"]])
    rows += [
        ["5", _("Chuyển cơ quan có thẩm quyền"), q["forwarded"]],
        ["6", _("Quá hạn (trả lời trễ hạn và đang quá hạn)"), q["overdue"]],
        ["7", _("Đang xử lý"), q["open"]],
        [
            "II",
            _("Ý kiến, kiến nghị, phản ánh, phê bình và khiếu nại, tố cáo do báo chí chuyển"),
            "",
        ],
        [
            "1",
            _("Ý kiến, phản ánh do báo chí chuyển: tiếp nhận"),
            figures["press_reports"]["received"],
        ],
        [
            "2",
            _("Ý kiến, phản ánh do báo chí chuyển: đã trả lời"),
            figures["press_reports"]["answered"],
        ],
        [
            "3",
            _("Khiếu nại, tố cáo do báo chí chuyển: tiếp nhận"),
            figures["complaints"]["received"],
        ],
        [
            "4",
            _("Khiếu nại, tố cáo do báo chí chuyển: đã trả lời"),
            figures["complaints"]["answered"],
        ],
        ["III", _("Thông tin phát ngôn đã phát hành"), figures["statements"]["released"]],
    ]
    for i, r in enumerate(figures["statements"]["by_kind"], start=1):
        value = r["released"]
        if r["clocked"]:
            value = _("%(n)d (đúng hạn %(ok)d, trễ hạn %(late)d)") % {
                "n": r["released"],
                "ok": r["on_time"],
                "late": r["late"],
            }
        rows.append([str(i), r["label"], value])
    rows.append(["IV", _("Họp báo đã tổ chức"), figures["statements"]["conferences_held"]])
    rows.append(["V", _("Lịch cung cấp thông tin định kỳ"), ""])
    if not figures["schedules"]:
        rows.append(["", _("Chưa thiết lập lịch định kỳ"), ""])
    for i, s in enumerate(figures["schedules"], start=1):
        rows.append(
            [
                str(i),
                _("%(kind)s (%(n)d tháng/lần)") % {"kind": s["label"], "n": s["every_months"]},
                _("đúng lịch %(kept)d kỳ, bỏ lỡ %(missed)d kỳ")
                % {"kept": s["kept"], "missed": s["missed"]},
            ]
        )
    changes = figures["spokesperson_changes"]
    rows.append(["VI", _("Thay đổi người phát ngôn trong kỳ"), len(changes)])
    for c in changes:
        parts = []
        if c["appointed_on"]:
            parts.append(_("giao từ %(d)s") % {"d": _vn_date(c["appointed_on"])})
        if c["ended_on"]:
            parts.append(_("thôi từ %(d)s") % {"d": _vn_date(c["ended_on"])})
        rows.append(["", f"– {c['name']}, {c['title']} ({c['kind']})", ", ".join(parts)])
    topics = figures.get("topics")
    if topics is not None:  # reports frozen before plan topics existed carry no such key
        rows.append(["VII", _("Nội dung kế hoạch truyền thông đã được đề cập"), ""])
        if not topics:
            rows.append(["", _("Cơ quan chưa nhập kế hoạch truyền thông của năm"), ""])
        for t in topics:
            covered = t["cases"] + t["statements"]
            value = (
                _("%(c)d hồ sơ, %(s)d thông tin") % {"c": t["cases"], "s": t["statements"]}
                if covered
                else _("Chưa đề cập")
            )
            rows.append([str(t["number"]), t["title"], value])
    return [[str(n), str(label), str(value)] for n, label, value in rows]


def _vn_date(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%d/%m/%Y")


def annex_text(figures: dict) -> str:
    """The figures table as the body's table lines ("| a | b | c |"), bars kept out of cells."""
    header = [_("TT"), _("Nội dung"), _("Số liệu")]
    lines = []
    for row in [header, *annual_rows(figures)]:
        cells = [" ".join(cell.replace("|", "/").split()) for cell in row]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


# ---------------------------------------------------------------------------- services


def may_create_annual_report(user, organisation: Organisation) -> bool:
    """The organisation's head or spokesperson (the one who speaks for it)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user_has_role(user, organisation, Role.SPOKESPERSON) or spokesperson_is_valid(
        user, organisation
    )


def _writer(organisation: Organisation, by):
    """Who writes the narrative: the spokesperson (the head opens it, the spokesperson writes)."""
    if not user_has_role(by, organisation, Role.HEAD):
        return by
    assignment = (
        SpokespersonAssignment.objects.current()
        .filter(organisation=organisation, kind=SpokespersonAssignment.Kind.REGULAR)
        .exclude(user=by)
        .select_related("user")
        .order_by("valid_from", "pk")
        .first()
    )
    return assignment.user if assignment else by


def _check_year(year: int) -> None:
    if not 2000 <= year <= timezone.localdate().year:
        raise DomainError(
            _("Chỉ lập được báo cáo của năm nay hoặc các năm trước."), code="year", field="year"
        )


def _summary(figures: dict) -> dict:
    q = figures["questions"]
    return {
        "received": q["received"],
        "answered": q["answered"],
        "refused": q["refused"],
        "statements": figures["statements"]["released"],
        "conferences": figures["statements"]["conferences_held"],
    }


@transaction.atomic
def annual_report_create(*, organisation: Organisation, year: int, by) -> AnnualReport:
    """Freeze the year's figures and open the report's statement at its drafting step."""
    if not may_create_annual_report(by, organisation):
        raise PermissionDenied(
            _("Chỉ người đứng đầu hoặc người phát ngôn của cơ quan được lập báo cáo năm.")
        )
    _check_year(year)
    # The organisation's row lock serialises two clicks; the unique constraint backs it.
    Organisation.objects.select_for_update().get(pk=organisation.pk)
    existing = (
        AnnualReport.objects.filter(organisation=organisation, year=year)
        .select_related("statement")
        .first()
    )
    # Once per year and organisation; a draft withdrawn (hủy) may be made again.
    if existing is not None and existing.statement.status != Statement.Status.WITHDRAWN:
        raise DomainError(
            _("Báo cáo năm %(y)d của cơ quan đã được lập.") % {"y": year}, code="exists"
        )
    withdrawn = {"withdrawn": existing.statement.reference} if existing else None
    now = timezone.now()
    figures = annual_figures(organisation, year, now)
    statement = drafting.statement_create(
        organisation=organisation,
        by=by,
        author=_writer(organisation, by),
        kind=Statement.Kind.ANNUAL_REPORT,
        title=_("Kết quả công tác phát ngôn và cung cấp thông tin cho báo chí năm %(y)d")
        % {"y": year},
        annex=annex_text(figures),
        due_at=annual_due_at(year),
        due_explanation=_(
            "Gửi trước ngày 20/12/%(y)d; số liệu từ ngày 15/12/%(p)d đến ngày 14/12/%(y)d (%(c)s)."
        )
        % {"y": year, "p": year - 1, "c": CITATION},
    )
    report = existing or AnnualReport(organisation=organisation, year=year)
    report.statement, report.figures = statement, figures
    report.generated_at, report.generated_by = now, by
    report.save()
    audit.record(
        action="annual_report.generate",
        actor=by,
        actor_role=actor_role(by, organisation),
        organisation=organisation,
        target=report,
        before=withdrawn,
        after={"year": year, "statement": statement.reference, **_summary(figures)},
    )
    return report


@transaction.atomic
def annual_report_regenerate(*, report: AnnualReport, by) -> AnnualReport:
    """Take the figures again from the data while the report is still being drafted."""
    report = AnnualReport.objects.select_for_update().select_related("statement").get(pk=report.pk)
    statement = Statement.objects.select_for_update().get(pk=report.statement_id)
    if not may_create_annual_report(by, report.organisation):
        raise PermissionDenied(
            _("Chỉ người đứng đầu hoặc người phát ngôn của cơ quan được tổng hợp lại số liệu.")
        )
    if statement.status != Statement.Status.DRAFTING:
        raise DomainError(
            _("Chỉ tổng hợp lại số liệu khi báo cáo còn ở bước soạn thảo."), code="invalid_state"
        )
    before = {"generated_at": report.generated_at.isoformat(), **_summary(report.figures)}
    now = timezone.now()
    report.figures = annual_figures(report.organisation, report.year, now)
    report.generated_at, report.generated_by = now, by
    report.save(update_fields=["figures", "generated_at", "generated_by"])
    statement.annex = annex_text(report.figures)
    statement.save(update_fields=["annex", "updated_at"])
    audit.record(
        action="annual_report.regenerate",
        actor=by,
        actor_role=actor_role(by, report.organisation),
        organisation=report.organisation,
        target=report,
        before=before,
        after={"generated_at": now.isoformat(), **_summary(report.figures)},
    )
    return report


def annual_report_people(organisation: Organisation) -> list:
    """Who answers for the report: the heads and spokespersons of the organisation."""
    members = Membership.objects.current().filter(
        organisation=organisation, role__in=[Role.SPOKESPERSON, Role.HEAD]
    )
    users = {m.user.pk: m.user for m in members.select_related("user")}
    for a in (
        SpokespersonAssignment.objects.current()
        .filter(organisation=organisation, kind=SpokespersonAssignment.Kind.REGULAR)
        .select_related("user")
    ):
        users.setdefault(a.user.pk, a.user)
    return list(users.values())
