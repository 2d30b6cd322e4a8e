"""Thin views: the journalist portal and the staff task pages call workflows.services."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from viewflow.workflow.flow.views import AssignTaskView, UnassignTaskView
from viewflow.workflow.flow.views.mixins import TaskSuccessUrlMixin, TaskViewTemplateNames

from core.errors import DomainError
from core.filters import filter_page_state
from roles.models import JournalistProfile, Role
from roles.selectors import user_organisations
from workflows.cases.filters import CaseFilter

from . import selectors, services, timeline, uploads
from .case_models import Case
from .forms import (
    CaseRegisterForm,
    CaseSubmitForm,
    ClarificationReplyForm,
    DraftForm,
    ExtendForm,
    ReviewForm,
    SignoffForm,
    TriageForm,
)
from .rules import deadlines


def _uploads(files) -> list[services.Upload]:
    # Read later in chunks (uploads.check_upload / attachment_store), never whole here.
    return [services.Upload.from_file(f) for f in files or []]


def _apply_error(form, exc: DomainError):
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


# ---------------------------------------------------------------- staff task pages


class _ServiceAssignMixin:
    """Run viewflow's assign/unassign page through a service (ledgered like the API)."""

    service = None  # services.task_claim or services.task_unclaim
    viewflow_view = None  # the viewflow class whose own form_valid the service replaces

    def form_valid(self, form):
        activation = self.request.activation
        try:
            type(self).service(task=activation.task, by=self.request.user)
        except DomainError as exc:
            messages.error(self.request, exc.message)
            return redirect(
                activation.flow_task.reverse(
                    "index", args=[activation.process.pk, activation.task.pk]
                )
            )
        activation.task.refresh_from_db()
        # Skip the viewflow view's own form_valid: the service has (un)assigned the task.
        return super(self.viewflow_view, self).form_valid(form)


class TaskAssignView(_ServiceAssignMixin, AssignTaskView):
    """viewflow's "assign to me" page, through the claim service."""

    service = services.task_claim
    viewflow_view = AssignTaskView


class TaskUnassignView(_ServiceAssignMixin, UnassignTaskView):
    """viewflow's "unassign" page, through the unclaim service."""

    service = services.task_unclaim
    viewflow_view = UnassignTaskView


class FlowTaskView(TaskSuccessUrlMixin, TaskViewTemplateNames, generic.FormView):
    """Base of every human step (cases and statements): show the artifact, take a decision,
    hand it to the flow's service; a domain error goes back onto the form."""

    template_filename = "task.html"
    done_message = ""  # "… %(r)s" with the artifact's reference

    @property
    def artifact(self):
        return self.request.activation.process.artifact

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(self.extra_form_kwargs())
        return kwargs

    def extra_form_kwargs(self):
        return {}

    def artifact_context(self) -> dict:
        return {}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(self.artifact_context())
        ctx["step"] = services.task_step(self.request.activation.task)
        return ctx

    def perform_action(self, action: str, data: dict):
        raise NotImplementedError

    def perform(self, form):
        data = dict(form.cleaned_data)
        action = data.pop("action")
        return self.perform_action(action, data)

    def form_valid(self, form):
        try:
            self.perform(form)
        except DomainError as exc:
            _apply_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, self.done_message % {"r": self.artifact.reference})
        return redirect(self.get_success_url())


class CaseTaskView(FlowTaskView):
    """The four human steps of a case: they call services.task_perform."""

    template_name = "workflows/case/task.html"
    done_message = gettext_lazy("Đã xử lý hồ sơ %(r)s.")

    @property
    def case(self) -> Case:
        return self.artifact

    def artifact_context(self) -> dict:
        case = self.case
        return {
            "case": case,
            "attachments": case.attachments.all(),
            "timeline": timeline.case_timeline(case, public=False),
        }

    def perform_action(self, action: str, data: dict):
        return services.task_perform(
            activation=self.request.activation,
            by=self.request.user,
            action=action,
            data=data,
            request=self.request,
        )


class TriageView(CaseTaskView):
    form_class = TriageForm

    def extra_form_kwargs(self):
        return {"case": self.case}


class DraftView(CaseTaskView):
    form_class = DraftForm

    def get_initial(self):
        return {
            "answer": self.case.answer or services.answer_template(self.case),
            "action": "submit",
        }

    def form_valid(self, form):
        if form.cleaned_data["action"] == "save":
            try:
                services.case_draft_save(
                    case=self.case,
                    by=self.request.user,
                    answer=form.cleaned_data["answer"],
                    request=self.request,
                )
            except DomainError as exc:
                _apply_error(form, exc)
                return self.form_invalid(form)
            messages.success(self.request, _("Đã lưu bản nháp."))
            return redirect(self.request.get_full_path())
        return super().form_valid(form)


class ReviewView(CaseTaskView):
    form_class = ReviewForm

    def extra_form_kwargs(self):
        return {"grounds": deadlines.refusal_grounds_for(self.case.received_at)}


class SignoffView(CaseTaskView):
    form_class = SignoffForm


# ---------------------------------------------------------------- journalist portal


def _journalist_or_403(request) -> JournalistProfile:
    profile = getattr(request.user, "journalist_profile", None)
    if profile is None:
        raise PermissionDenied(_("Trang này dành cho tài khoản nhà báo."))
    return profile


def journalist_cases(request):
    """A journalist's cases, newest first."""
    _journalist_or_403(request)
    cases = (
        selectors.cases_visible_to_journalist(request.user)
        .select_related("organisation", "journalist")
        .order_by("-received_at")
    )
    return render(request, "workflows/portal/case_list.html", {"cases": cases[:200]})


@csrf_exempt  # the handler must be installed before CSRF reads the body; checked below
def journalist_submit(request):
    """Submit a question or request to an organisation."""
    handler = uploads.SubmissionSizeHandler(request)
    request.upload_handlers.insert(0, handler)
    return _journalist_submit(request, handler)


@csrf_protect
def _journalist_submit(request, handler):
    profile = _journalist_or_403(request)
    form = CaseSubmitForm(request.POST or None, request.FILES or None, truncated=handler.exceeded)
    status = 200
    if request.method == "POST":
        status = 400
        # One allowance with the API (API_CASE_SUBMIT_RATE), counted from submitted cases.
        wait = selectors.case_submit_retry_after(request.user)
        if wait is not None:
            status = 429
            form.is_valid()  # show the journalist's text back, with the reason on top
            form.add_error(
                None,
                _("Bạn đã gửi quá nhiều hồ sơ trong thời gian ngắn; hãy thử lại sau %(m)d phút.")
                % {"m": max(1, (wait + 59) // 60)},
            )
        elif form.is_valid():
            data = form.cleaned_data
            try:
                case = services.case_submit(
                    journalist=request.user,
                    organisation=data["organisation"],
                    kind=data["kind"],
                    subject=data["subject"],
                    questions=data["questions"],
                    purpose=data["purpose"],
                    desired_form=data["desired_form"],
                    attachments=_uploads(data["attachments"]),
                    request_letter=_uploads([data["request_letter"]])[0]
                    if data["request_letter"]
                    else None,
                    request=request,
                )
            except DomainError as exc:
                _apply_error(form, exc)
            else:
                messages.success(
                    request,
                    _("Đã gửi hồ sơ %(r)s. Hạn trả lời: %(why)s")
                    % {"r": case.reference, "why": case.due_explanation},
                )
                return redirect("workflows:journalist-case", reference=case.reference)
    return render(
        request, "workflows/portal/submit.html", {"form": form, "profile": profile}, status=status
    )


def journalist_case(request, reference):
    """One case as its journalist sees it: questions, due date explained, timeline, answer."""
    _journalist_or_403(request)
    case = get_object_or_404(
        selectors.cases_visible_to_journalist(request.user).select_related(
            "organisation", "document", "refusal_ground", "duplicate_of"
        ),
        reference=reference,
    )
    reply_form = ClarificationReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and reply_form.is_valid():
        try:
            services.case_clarification_reply(
                case=case,
                by=request.user,
                message=reply_form.cleaned_data["message"],
                attachments=_uploads(reply_form.cleaned_data["attachments"]),
                request=request,
            )
        except DomainError as exc:
            _apply_error(reply_form, exc)
        else:
            messages.success(request, _("Đã gửi nội dung làm rõ."))
            return redirect("workflows:journalist-case", reference=case.reference)
    return render(
        request,
        "workflows/portal/case_detail.html",
        {
            "case": case,
            "timeline": timeline.case_timeline(case, public=True),
            "reply_form": reply_form,
        },
    )


# ---------------------------------------------------------------- staff: intake and extension


def case_register(request):
    """The registry officer registers a case received by phone, e-mail or paper."""
    organisations = user_organisations(
        request.user, roles=[Role.REGISTRY_OFFICER, Role.SPOKESPERSON]
    )
    if not organisations.exists():
        raise PermissionDenied(_("Chỉ văn thư hoặc người phát ngôn được nhập hồ sơ."))
    form = CaseRegisterForm(
        request.POST or None, request.FILES or None, organisations=organisations
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_submit(
                journalist=data["journalist"],
                organisation=data["organisation"],
                kind=data["kind"],
                subject=data["subject"],
                questions=data["questions"],
                purpose=data["purpose"],
                desired_form=data["desired_form"],
                attachments=_uploads(data["attachments"]),
                request_letter=_uploads([data["request_letter"]])[0]
                if data["request_letter"]
                else None,
                channel=data["channel"],
                registered_by=request.user,
                received_at=data["received_at"],
                request=request,
            )
        except DomainError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, _("Đã nhập hồ sơ %(r)s.") % {"r": case.reference})
            return redirect(reverse("cases:pages:detail", args=[case.pk]))
    return render(
        request,
        "workflows/case/register.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


def case_detail(request, pk):
    """Staff view of a case: everything, with the internal timeline and task history."""
    case = get_object_or_404(
        Case.objects.select_related(
            "organisation", "journalist", "journalist__journalist_profile", "document"
        ),
        pk=pk,
    )
    if not selectors.case_visible_to_staff(request.user, case):
        raise PermissionDenied(_("Bạn không xem được hồ sơ của cơ quan khác."))
    extend_form = ExtendForm(request.POST or None)
    if request.method == "POST" and extend_form.is_valid():
        try:
            services.case_extend(
                case=case,
                by=request.user,
                days=extend_form.cleaned_data["days"],
                reason=extend_form.cleaned_data["reason"],
                request=request,
            )
        except DomainError as exc:
            _apply_error(extend_form, exc)
        else:
            messages.success(request, _("Đã gia hạn."))
            return redirect(request.path)
    process = case.processes.first()
    tasks = process.task_set.select_related("owner").order_by("pk") if process else []
    return render(
        request,
        "workflows/case/detail.html",
        {
            "case": case,
            "timeline": timeline.case_timeline(case, public=False),
            "tasks": tasks,
            "process": process,
            "extend_form": extend_form,
            "can_extend": case.is_open
            and (
                selectors.may_review(request.user, case) or selectors.may_sign(request.user, case)
            ),
        },
    )


def notifications_list(request):
    """The current user's notifications, newest first; opening the page marks them read."""
    from django.utils import timezone

    notes = list(request.user.notifications.select_related("case")[:100])
    request.user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
    return render(request, "workflows/notifications.html", {"notes": notes})


def case_list(request):
    """Staff register of cases with filters; a constant number of queries per page."""
    from django.core.paginator import Paginator
    from django.utils import timezone

    if not (request.user.is_superuser or selectors.is_staff_member(request.user)):
        raise PermissionDenied(_("Trang này dành cho cán bộ của cơ quan."))
    cases = selectors.cases_visible_to_staff(request.user).select_related(
        "organisation", "journalist", "journalist__journalist_profile", "press_agency"
    )
    filters = CaseFilter(request.GET, queryset=cases)
    cases, values, errors = filter_page_state(filters)
    now = timezone.now()
    page = Paginator(cases.order_by("due_at", "-received_at"), 50).get_page(request.GET.get("page"))
    rows = [(case, selectors.time_left(case, now)) for case in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "workflows/case/list.html",
        {
            "page": page,
            "rows": rows,
            "filter_errors": errors,
            "query": query.urlencode(),
            "q": values["q"],
            "status": values["status"],
            "kind": values["kind"],
            "overdue": not errors and filters.form.cleaned_data.get("overdue") is True,
            "statuses": Case.Status.choices,
            "kinds": Case.Kind.choices,
        },
        status=400 if errors else 200,
    )
