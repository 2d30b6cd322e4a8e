"""The reports dashboard on the staff site, and its XLSX export."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

import audit
from core import spreadsheets
from core.errors import DomainError
from roles.models import Organisation
from roles.selectors import actor_role
from workflows.cases.models import Case
from workflows.statements.models import Statement

from . import access, charts, selectors
from . import annual as annual_module
from .forms import ReportFilterForm
from .models import AnnualReport


class Report:
    """Everything the dashboard shows for one organisation (or its subtree) and period."""

    def __init__(self, *, organisation, subordinates, include_subordinates, period, now):
        self.organisation = organisation
        self.subordinates = subordinates  # the organisations below, when the reader may see them
        self.include_subordinates = include_subordinates and bool(subordinates)
        self.period = period
        self.now = now
        self.organisation_ids = [organisation.pk] + (
            [o.pk for o in subordinates] if self.include_subordinates else []
        )
        ids = self.organisation_ids
        cases = selectors.case_report([organisation, *subordinates], ids, period, now)
        self.summary = cases["summary"]
        self.months = cases["months"]
        self.side_by_side = cases["side_by_side"]
        self.overdue = selectors.overdue_now(ids, now)
        self.workload = selectors.workload(ids, now)
        self.statements = selectors.statements_on_time(ids, period, now)
        self.delivery = selectors.press_list_delivery(ids, period)
        self.topic_columns, self.topics = self._topic_table([organisation, *subordinates])

    def _topic_table(self, organisations) -> tuple[list, list[dict]]:
        """Coverage per plan topic: the figures of the organisations added up (`cases`,
        `statements`; `planned` when one of them has the topic) and, when there are several
        organisations, one cell per organisation that has topics (None: not in its plan).
        Topics are matched across organisations by year, number and title."""
        included = set(self.organisation_ids)
        rows = selectors.topic_coverage([o.pk for o in organisations], self.period)
        with_topics = {r["organisation_id"] for r in rows}
        columns = (
            [o for o in organisations if o.pk in with_topics] if len(organisations) > 1 else []
        )
        table: dict[tuple, dict] = {}
        for r in rows:
            key = (r["year"], r["number"], r["title"])
            row = table.setdefault(
                key,
                {
                    "year": r["year"],
                    "number": r["number"],
                    "title": r["title"],
                    "planned": False,
                    "cases": 0,
                    "statements": 0,
                    "cells": {},
                },
            )
            row["cells"][r["organisation_id"]] = r
            if r["organisation_id"] in included:
                row["planned"] = True
                row["cases"] += r["cases"]
                row["statements"] += r["statements"]
        out = []
        for key in sorted(table):
            row = table[key]
            cells = [row["cells"].get(o.pk) for o in columns]
            if row["planned"] or columns:
                out.append({**row, "cells": cells})
        return columns, out

    def topic_label(self, row) -> str:
        years = {r["year"] for r in self.topics}
        prefix = f"{row['year']} — " if len(years) > 1 else ""
        return f"{prefix}{row['number']}. {row['title']}"

    @property
    def kinds(self) -> list[tuple[str, str]]:
        return list(Case.Kind.choices)

    def unit_label(self, row) -> str:
        unit = row["unit"] or _("Chưa giao đơn vị")
        return f"{unit} — {row['organisation']}" if self.include_subordinates else unit

    def month_label(self, month) -> str:
        return month.strftime("%m/%Y")

    def charts(self) -> dict:
        kinds = self.kinds
        month_labels = [self.month_label(m["month"]) for m in self.months]
        period_text = _("từ %(start)s đến %(end)s") % {
            "start": date_format(self.period.start, "d/m/Y"),
            "end": date_format(self.period.end, "d/m/Y"),
        }
        out = {
            "months": charts.column_chart(
                title=_("Số hồ sơ tiếp nhận theo tháng và loại"),
                description=_("Biểu đồ cột chồng, %(period)s; số liệu chi tiết ở bảng ngay dưới.")
                % {"period": period_text},
                categories=month_labels,
                series=[
                    (str(label), [m["by_kind"][value] for m in self.months])
                    for value, label in kinds
                ],
            ),
            "on_time": charts.bar_chart(
                title=_("Tỷ lệ trả lời đúng hạn theo tháng"),
                description=_("Phần trăm hồ sơ đã trả lời đúng hạn, theo tháng tiếp nhận."),
                items=[
                    (label, round(100 * m["on_time_rate"], 1))
                    for label, m in zip(month_labels, self.months, strict=True)
                    if m["on_time_rate"] is not None
                ],
                unit=" %",
            ),
        }
        if self.overdue["by_unit"]:
            out["overdue_unit"] = charts.bar_chart(
                title=_("Hồ sơ quá hạn hiện nay theo đơn vị"),
                description=_("Số hồ sơ đang mở đã quá hạn, theo đơn vị chủ trì (tối đa 15 mục)."),
                items=[(self.unit_label(r), r["n"]) for r in self.overdue["by_unit"]],
            )
        if self.overdue["by_step"]:
            out["overdue_step"] = charts.bar_chart(
                title=_("Hồ sơ quá hạn hiện nay theo bước xử lý"),
                description=_("Số hồ sơ đang mở đã quá hạn, theo bước đang xử lý."),
                items=[(str(r["label"]), r["n"]) for r in self.overdue["by_step"]],
            )
        planned = [r for r in self.topics if r["planned"]]
        if planned:
            out["topics"] = charts.bar_chart(
                title=_("Hồ sơ và thông tin phát ngôn theo nội dung kế hoạch truyền thông"),
                description=_(
                    "Tổng số hồ sơ tiếp nhận và thông tin phát ngôn trong kỳ gắn với từng nội "
                    "dung của kế hoạch, %(period)s; nội dung bằng 0 là chưa được đề cập."
                )
                % {"period": period_text},
                items=[(self.topic_label(r), r["cases"] + r["statements"]) for r in planned],
            )
        if self.workload:
            out["workload"] = charts.bar_chart(
                title=_("Khối lượng việc đang xử lý theo người"),
                description=_(
                    "Số việc (hồ sơ và thông tin phát ngôn) đang chờ mỗi người (tối đa 15 người)."
                ),
                items=[(r["name"] or _("Chưa có người nhận"), r["n"]) for r in self.workload],
            )
        return out

    def spreadsheet_rows(self) -> list[list]:
        """The dashboard's tables, one after another, for a one-sheet workbook."""
        kinds = self.kinds
        rows: list[list] = []

        def section(title, header, body):
            rows.append([title])
            rows.append(header)
            rows.extend(body)
            rows.append([])

        s = self.summary
        section(
            _("Tổng hợp"),
            [_("Chỉ tiêu"), _("Giá trị")],
            [
                [_("Tiếp nhận"), s["received"]],
                [_("Đã trả lời"), s["answered"]],
                [_("Từ chối"), s["refused"]],
                [_("Chuyển cơ quan khác"), s["forwarded"]],
                [_("Đang xử lý"), s["open"]],
                [_("Quá hạn"), s["overdue"]],
                [_("Tỷ lệ trả lời đúng hạn"), s["on_time_rate"]],
                [_("Trung vị ngày làm việc để trả lời"), s["median_working_days_to_answer"]],
            ],
        )
        section(
            _("Hồ sơ theo tháng"),
            [
                _("Tháng"),
                *[str(label) for _v, label in kinds],
                _("Tổng"),
                _("Đã trả lời"),
                _("Tỷ lệ đúng hạn"),
            ],
            [
                [
                    self.month_label(m["month"]),
                    *[m["by_kind"][v] for v, _l in kinds],
                    m["received"],
                    m["answered"],
                    m["on_time_rate"],
                ]
                for m in self.months
            ],
        )
        if self.side_by_side:
            section(
                _("So sánh các cơ quan"),
                [
                    _("Cơ quan"),
                    _("Tiếp nhận"),
                    _("Đã trả lời"),
                    _("Từ chối"),
                    _("Chuyển cơ quan khác"),
                    _("Đang xử lý"),
                    _("Quá hạn"),
                    _("Tỷ lệ đúng hạn"),
                    _("Trung vị ngày làm việc"),
                ],
                [
                    [
                        r["organisation"].name,
                        r["received"],
                        r["answered"],
                        r["refused"],
                        r["forwarded"],
                        r["open"],
                        r["overdue"],
                        r["on_time_rate"],
                        r["median_working_days_to_answer"],
                    ]
                    for r in self.side_by_side
                ],
            )
        if self.topics:
            section(
                _("Theo nội dung kế hoạch truyền thông"),
                [
                    _("Năm"),
                    _("STT"),
                    _("Nội dung"),
                    _("Hồ sơ"),
                    _("Thông tin phát ngôn"),
                    *[
                        f"{o.name} — {label}"
                        for o in self.topic_columns
                        for label in (_("Hồ sơ"), _("Thông tin phát ngôn"))
                    ],
                ],
                [
                    [
                        r["year"],
                        r["number"],
                        r["title"],
                        r["cases"] if r["planned"] else None,
                        r["statements"] if r["planned"] else None,
                        *[
                            (c[name] if c else None)
                            for c in r["cells"]
                            for name in ("cases", "statements")
                        ],
                    ]
                    for r in self.topics
                ],
            )
        section(
            _("Quá hạn hiện nay theo đơn vị"),
            [_("Đơn vị"), _("Cơ quan"), _("Số hồ sơ")],
            [
                [r["unit"] or _("Chưa giao đơn vị"), r["organisation"], r["n"]]
                for r in self.overdue["by_unit"]
            ],
        )
        section(
            _("Quá hạn hiện nay theo bước"),
            [_("Bước xử lý"), _("Số hồ sơ")],
            [[str(r["label"]), r["n"]] for r in self.overdue["by_step"]],
        )
        section(
            _("Khối lượng việc theo người"),
            [_("Người xử lý"), _("Việc đang chờ"), _("Trong đó quá hạn")],
            [[r["name"] or _("Chưa có người nhận"), r["n"], r["late"]] for r in self.workload],
        )
        section(
            _("Thông tin phát ngôn có thời hạn"),
            [
                _("Loại"),
                _("Tổng số"),
                _("Đã phát hành"),
                _("Đúng hạn"),
                _("Trễ hạn"),
                _("Đang quá hạn"),
            ],
            [
                [str(r["label"]), r["total"], r["released"], r["on_time"], r["late"], r["overdue"]]
                for r in self.statements
            ],
        )
        d = self.delivery
        section(
            _("Gửi danh sách báo chí"),
            [_("Thông cáo"), _("Thư"), _("Đã gửi"), _("Gửi lỗi"), _("Chờ gửi")],
            [[d["publications"], d["total"], d["sent"], d["failed"], d["pending"]]],
        )
        return rows


def _report(request):
    """Validate the filters and the reader's scope; return (form, report or None, choices)."""
    choices = list(access.report_organisations(request.user).order_by("name"))
    if not choices:
        raise PermissionDenied(
            _("Chỉ cán bộ, thanh tra của cơ quan và lãnh đạo cấp trên xem báo cáo.")
        )
    form = ReportFilterForm(request.GET)
    if not form.is_valid():
        return form, None, choices
    code = form.cleaned_data["organisation"]
    if code:
        organisation = Organisation.objects.filter(code=code).first()
        if organisation is None:
            raise Http404(_("Không có cơ quan này."))
    else:
        organisation = choices[0]
    scope = access.report_scope(request.user, organisation)
    if scope is None:
        raise PermissionDenied(_("Bạn không có quyền xem báo cáo của cơ quan này."))
    subordinates = organisation.descendants() if scope == access.SUBTREE else []
    report = Report(
        organisation=organisation,
        subordinates=sorted(subordinates, key=lambda o: o.name),
        include_subordinates=form.cleaned_data["subordinates"],
        period=form.period,
        now=timezone.now(),
    )
    return form, report, choices


@require_GET
def dashboard(request):
    """Cases, deadlines, workload, statements and press-list delivery, with charts and tables."""
    form, report, choices = _report(request)
    year = annual_module.report_year()
    annual_report = None
    if report is not None:
        annual_report = (
            AnnualReport.objects.filter(organisation=report.organisation, year=year)
            .select_related("statement")
            .first()
        )
    return render(
        request,
        "reports/dashboard.html",
        {
            "annual_year": year,
            "annual_report": annual_report,
            "annual_due_at": annual_module.annual_due_at(year),
            "form": form,
            "report": report,
            "charts": report.charts() if report else {},
            "organisations": choices,
            "kinds": Case.Kind.choices,
        },
        status=200 if report else 400,
    )


@require_GET
def dashboard_export(request):
    """The dashboard's tables as one XLSX sheet (through the safe spreadsheet writer)."""
    form, report, _choices = _report(request)
    if report is None:
        return HttpResponse(
            "; ".join(str(e) for errors in form.errors.values() for e in errors),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    rows = report.spreadsheet_rows()
    organisation = report.organisation
    audit.record(
        action="report.export",
        actor=request.user,
        actor_role=actor_role(request.user, organisation),
        organisation=organisation,
        target_type="reports.dashboard",
        target_id=organisation.code,
        after={
            "from": report.period.start.isoformat(),
            "to": report.period.end.isoformat(),
            "subordinates": report.include_subordinates,
            "format": "xlsx",
        },
    )
    header = [
        _("Báo cáo công tác phát ngôn và cung cấp thông tin cho báo chí"),
        organisation.name
        + (" " + _("(gồm cơ quan cấp dưới)") if report.include_subordinates else ""),
        _("từ %(start)s đến %(end)s")
        % {
            "start": report.period.start.strftime("%d/%m/%Y"),
            "end": report.period.end.strftime("%d/%m/%Y"),
        },
    ]
    body = spreadsheets.spreadsheet_bytes("xlsx", header, rows, title=_("Báo cáo"))
    stem = f"bao-cao-{organisation.code}-{report.period.start:%Y%m%d}-{report.period.end:%Y%m%d}"
    response = HttpResponse(body, content_type=spreadsheets.CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="{stem}.xlsx"'
    return response


# ------------------------------------------------------------------ the annual report


def _annual_organisation(request) -> Organisation:
    """The organisation asked for (its code in ?organisation=), or the reader's first one."""
    code = (request.GET.get("organisation") or "").strip()
    if code:
        organisation = Organisation.objects.filter(code=code).first()
        if organisation is None:
            raise Http404(_("Không có cơ quan này."))
    else:
        organisation = access.report_organisations(request.user).order_by("name").first()
        if organisation is None:
            raise PermissionDenied(
                _("Chỉ cán bộ, thanh tra của cơ quan và lãnh đạo cấp trên xem báo cáo.")
            )
    if access.report_scope(request.user, organisation) is None:
        raise PermissionDenied(_("Bạn không có quyền xem báo cáo của cơ quan này."))
    return organisation


def _annual_year(year: int) -> int:
    if not 2000 <= year <= timezone.localdate().year:
        raise Http404(_("Chỉ có báo cáo của năm nay và các năm trước."))
    return year


def annual(request, year: int):
    """The year's report: status, due date, figures table; create it or take the figures again."""
    year = _annual_year(year)
    organisation = _annual_organisation(request)
    report = (
        AnnualReport.objects.filter(organisation=organisation, year=year)
        .select_related("statement__document", "generated_by")
        .first()
    )
    may_create = annual_module.may_create_annual_report(request.user, organisation)
    error = None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "create":
                report = annual_module.annual_report_create(
                    organisation=organisation, year=year, by=request.user
                )
                messages.success(request, _("Đã tạo dự thảo báo cáo năm %(y)d.") % {"y": year})
            elif action == "regenerate" and report is not None:
                annual_module.annual_report_regenerate(report=report, by=request.user)
                messages.success(request, _("Đã tổng hợp lại số liệu."))
            else:
                raise DomainError(_("Thao tác không hợp lệ."), code="action")
            return redirect(f"{request.path}?organisation={organisation.code}")
        except DomainError as exc:
            error = exc.message
    elif request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    figures = report.figures if report else annual_module.annual_figures(organisation, year)
    statement = report.statement if report else None
    document = statement.document if statement and statement.document_id else None
    return render(
        request,
        "reports/annual.html",
        {
            "organisation": organisation,
            "organisations": access.report_organisations(request.user).order_by("name"),
            "year": year,
            "period": annual_module.annual_period(year),
            "due_at": annual_module.annual_due_at(year),
            "report": report,
            "statement": statement,
            "issued": document is not None and document.status == "issued",
            "document": document,
            "rows": annual_module.annual_rows(figures),
            "may_create": may_create
            and (statement is None or statement.status == Statement.Status.WITHDRAWN),
            "may_regenerate": may_create
            and statement is not None
            and statement.status == Statement.Status.DRAFTING,
            "error": error,
        },
        status=400 if error else 200,
    )


@require_GET
def annual_export(request, year: int):
    """The year's figures as XLSX: the frozen ones once generated (as in the signed report)."""
    year = _annual_year(year)
    organisation = _annual_organisation(request)
    report = AnnualReport.objects.filter(organisation=organisation, year=year).first()
    figures = report.figures if report else annual_module.annual_figures(organisation, year)
    period = annual_module.annual_period(year)
    audit.record(
        action="report.export",
        actor=request.user,
        actor_role=actor_role(request.user, organisation),
        organisation=organisation,
        target_type="reports.annualreport",
        target_id=f"{organisation.code}:{year}",
        after={"year": year, "frozen": report is not None, "format": "xlsx"},
    )
    header = [
        _("Báo cáo công tác phát ngôn và cung cấp thông tin cho báo chí năm %(y)d") % {"y": year},
        organisation.name,
        _("Số liệu từ %(start)s đến %(end)s")
        % {"start": period.start.strftime("%d/%m/%Y"), "end": period.end.strftime("%d/%m/%Y")},
    ]
    rows = [[_("TT"), _("Nội dung"), _("Số liệu")], *annual_module.annual_rows(figures)]
    body = spreadsheets.spreadsheet_bytes("xlsx", header, rows, title=_("Báo cáo năm"))
    response = HttpResponse(body, content_type=spreadsheets.CONTENT_TYPES["xlsx"])
    filename = f"bao-cao-nam-{year}-{organisation.code}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
