"""Statement pages: the list, a new statement, one statement, the periodic schedule and the
spokesperson decisions. The flow's task pages are in `task_views.py`."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.filters import filter_page_state
from release.rendering import body_blocks
from roles.models import Membership, Organisation, Role
from workflows.engine.drafts import draft_response
from workflows.engine.selectors import is_staff_member, may_review, may_sign
from workflows.engine.task_views import apply_error
from workflows.statements.filters import StatementFilter

from . import decisions, drafting, issue, selectors
from .forms import RecordForm, ScheduleForm, StatementCreateForm, WithdrawForm
from .models import Statement
from .schedules import selectors as schedule_selectors
from .schedules import services as schedule_services
from .task_views import statement_context


def _staff_or_403(user):
    if not (user.is_superuser or is_staff_member(user)):
        raise PermissionDenied(_("Trang này dành cho cán bộ của cơ quan."))


def statement_list(request):
    """Statements of the user's organisations, open ones first; constant queries per page."""
    _staff_or_403(request.user)
    statements = selectors.statements_visible_to_staff(request.user).select_related(
        "organisation", "author", "document"
    )
    filters = StatementFilter(request.GET, queryset=statements)
    statements, values, errors = filter_page_state(filters)
    page = Paginator(statements.order_by("-created_at"), 50).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [(s, selectors.statement_time_left(s, now)) for s in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    can_create = request.user.is_superuser or any(
        selectors.may_create_statement(request.user, org) for org in _creatable_orgs(request.user)
    )
    return render(
        request,
        "workflows/statement/list.html",
        {
            "page": page,
            "rows": rows,
            "filter_errors": errors,
            "query": query.urlencode(),
            "q": values["q"],
            "kind": values["kind"],
            "status": values["status"],
            "kinds": Statement.Kind.choices,
            "statuses": Statement.Status.choices,
            "can_create": can_create,
        },
        status=400 if errors else 200,
    )


def _creatable_orgs(user):
    from roles.models import SpokespersonAssignment

    ids = set(
        Membership.objects.current()
        .filter(user=user, role__in=selectors.STATEMENT_DRAFTING_ROLES)
        .values_list("organisation_id", flat=True)
    ) | set(
        SpokespersonAssignment.objects.current()
        .filter(user=user)
        .values_list("organisation_id", flat=True)
    )
    return Organisation.objects.filter(pk__in=ids, is_active=True).order_by("name")


def statement_create(request):
    """A specialist or spokesperson opens a statement; the 24-hour clock starts from the
    moment given."""
    organisations = _creatable_orgs(request.user)
    if not organisations.exists():
        raise PermissionDenied(
            _("Chỉ chuyên viên hoặc người phát ngôn của cơ quan được soạn thông tin phát ngôn.")
        )
    form = StatementCreateForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            statement = drafting.statement_create(
                organisation=data["organisation"],
                by=request.user,
                kind=data["kind"],
                title=data["title"],
                body=data["body"],
                doc_type=data["doc_type"],
                clock_start_at=data["clock_start_at"],
                event_summary=data["event_summary"],
                embargo_at=data["embargo_at"],
                article_outlet=data["article_outlet"],
                article_title=data["article_title"],
                article_url=data["article_url"],
                article_published_on=data["article_published_on"],
                conference_at=data["conference_at"],
                conference_place=data["conference_place"],
                conference_content=data.get("conference_content", ""),
                conference_chair=data.get("conference_chair", ""),
                invited_agencies=data["invited_agencies"],
                topics=data.get("topics", ()),
            )
        except DomainError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Đã mở thông tin %(r)s.") % {"r": statement.reference})
            return redirect(statement.get_absolute_url())
    return render(
        request,
        "workflows/statement/create.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


def statement_detail(request, pk):
    """Everything about one statement: the clock, its steps, its document and publication."""
    statement = get_object_or_404(
        Statement.objects.select_related("organisation", "author", "document", "signer"), pk=pk
    )
    if not selectors.statement_visible_to_staff(request.user, statement):
        raise PermissionDenied(_("Bạn không xem được thông tin của cơ quan khác."))
    process = statement.processes.first()
    tasks = process.task_set.select_related("owner").order_by("pk") if process else []
    open_task = next((t for t in tasks if t.status in ("NEW", "ASSIGNED", "STARTED")), None)
    publication = getattr(statement.document, "publication", None) if statement.document else None
    withdraw_form = None
    if statement.status in (
        Statement.Status.DRAFTING,
        Statement.Status.REVIEW,
        Statement.Status.SIGNOFF,
    ) and (may_review(request.user, statement) or may_sign(request.user, statement)):
        posted = request.method == "POST" and request.POST.get("form") == "withdraw"
        withdraw_form = WithdrawForm(request.POST if posted else None, prefix="withdraw")
        if posted and withdraw_form.is_valid():
            try:
                drafting.statement_withdraw(
                    statement=statement,
                    by=request.user,
                    reason=withdraw_form.cleaned_data["reason"],
                )
            except DomainError as exc:
                apply_error(withdraw_form, exc)
            else:
                messages.success(request, _("Đã hủy thông tin %(r)s.") % {"r": statement.reference})
                return redirect(request.path)
    elif request.method == "POST" and request.POST.get("form") == "withdraw":
        if may_review(request.user, statement) or may_sign(request.user, statement):
            messages.error(request, _("Chỉ hủy được thông tin chưa ký ban hành."))
            return redirect(request.path)
        raise PermissionDenied(_("Chỉ người phát ngôn hoặc lãnh đạo được hủy thông tin."))
    record_form = None
    if (
        statement.kind == Statement.Kind.CONFERENCE
        and statement.status == Statement.Status.RELEASED
        and (may_review(request.user, statement) or may_sign(request.user, statement))
    ):
        record_form = RecordForm(
            request.POST or None, initial={"text": statement.record}, prefix="record"
        )
        if request.method == "POST" and record_form.is_valid():
            try:
                issue.statement_record_attach(
                    statement=statement,
                    by=request.user,
                    text=record_form.cleaned_data["text"],
                )
            except DomainError as exc:
                apply_error(record_form, exc)
            else:
                messages.success(request, _("Đã công bố biên bản họp báo."))
                return redirect(request.path)
    return render(
        request,
        "workflows/statement/detail.html",
        {
            **statement_context(statement),
            "process": process,
            "tasks": tasks,
            "open_task": open_task,
            "publication": publication,
            "record_form": record_form,
            "withdraw_form": withdraw_form,
            "now": timezone.now(),
            # An annual report's figures table (generated; it goes in at "[BẢNG SỐ LIỆU]").
            "annex_blocks": body_blocks(statement.annex) if statement.annex else [],
        },
    )


def schedules(request):
    """The periodic schedule of each organisation: periods met, due and missed."""
    _staff_or_403(request.user)
    managed = Organisation.objects.filter(
        pk__in=Membership.objects.current()
        .filter(user=request.user, role__in=schedule_services.SCHEDULE_ROLES)
        .values("organisation_id")
    )
    form = ScheduleForm(request.POST or None)
    if request.method == "POST":
        raw = request.POST.get("organisation", "")
        org = Organisation.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
        if org is None:
            raise PermissionDenied(
                _("Chỉ người phát ngôn hoặc người đứng đầu được đặt lịch cung cấp thông tin.")
            )
        if form.is_valid():
            schedule_services.schedule_save(organisation=org, by=request.user, **form.cleaned_data)
            messages.success(request, _("Đã lưu lịch cung cấp thông tin."))
            return redirect(reverse("statements:pages:schedules"))
    return render(
        request,
        "workflows/statement/schedules.html",
        {
            "rows": schedule_selectors.schedules_for(request.user),
            "form": form,
            "managed": managed,
            "today": timezone.localdate(),
        },
        status=400 if request.method == "POST" else 200,
    )


def spokesperson_decisions(request):
    """The head signs the decision naming each spokesperson; its release publishes the entry."""
    from roles.models import SpokespersonAssignment

    headed = Organisation.objects.filter(
        pk__in=Membership.objects.current()
        .filter(user=request.user, role=Role.HEAD)
        .values("organisation_id")
    )
    if not (headed.exists() or request.user.is_superuser):
        raise PermissionDenied(
            _("Chỉ người đứng đầu cơ quan mới ký quyết định giao nhiệm vụ phát ngôn.")
        )
    # Current (not revoked, not expired) assignments only: a decision for a lapsed one would
    # be a meaningless signed document.
    assignments = (
        SpokespersonAssignment.objects.current()
        .filter(organisation__in=headed)
        .select_related("organisation", "user")
        .order_by("organisation__name", "-valid_from")
    )
    if request.method == "POST":
        raw = request.POST.get("assignment", "")
        if not raw.isdigit():
            raise Http404(_("Không tìm thấy phân công."))
        assignment = get_object_or_404(assignments, pk=int(raw))
        try:
            document = decisions.decision_issue(assignment=assignment, by=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Đã cấp số %(n)s; văn bản đang được ký số và sẽ công bố ngay khi phát hành.")
                % {"n": document.number_display},
            )
        return redirect(reverse("statements:pages:decisions"))
    assignments = list(assignments)
    documents = decisions.decision_documents(assignments)
    rows = [(a, documents.get(a.pk)) for a in assignments]
    return render(request, "workflows/statement/decisions.html", {"rows": rows})


def statement_draft_pdf(request, pk: int, *, as_image: bool = False):
    """The document the sign-off would issue, marked "DỰ THẢO" (PDF, or its pages as one PNG
    for the task page): for who may review or sign."""
    statement = get_object_or_404(Statement.objects.select_related("organisation"), pk=pk)
    if not (may_review(request.user, statement) or may_sign(request.user, statement)):
        raise PermissionDenied(_("Chỉ người phát ngôn và người ký xem được dự thảo văn bản."))
    if statement.status not in (Statement.Status.REVIEW, Statement.Status.SIGNOFF):
        raise Http404(_("Thông tin không có dự thảo văn bản chờ ký."))
    pdf = issue.statement_draft_pdf(statement=statement, viewer=request.user)
    return draft_response(pdf, f"du-thao-{statement.pk}", as_image=as_image)
