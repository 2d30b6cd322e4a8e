"""Case pages: the journalist portal, and the staff register, case page and list.

They call the case services (`intake`, `steps`); the flow's task pages are in `task_views.py`.
"""

from csp.constants import SELF
from csp.decorators import csp_replace
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from core.errors import DomainError
from core.filters import filter_page_state
from release import incoming
from release.incoming_views import IncomingForm
from roles.models import JournalistProfile, Role
from roles.selectors import user_organisations
from workflows import timeline
from workflows.cases.filters import CaseFilter
from workflows.engine.drafts import draft_response
from workflows.engine.selectors import is_staff_member
from workflows.engine.task_views import apply_error

from . import complaints, intake, issue, selectors, steps, uploads
from .forms import (
    CaseRegisterForm,
    CaseSubmitForm,
    ClarificationReplyForm,
    ComplaintAcceptanceForm,
    ComplaintConclusionForm,
    ExtendForm,
)
from .models import Case


def _uploads(files) -> list[uploads.Upload]:
    # Read later in chunks (uploads.check_upload / attachment_store), never whole here.
    return [uploads.Upload.from_file(f) for f in files or []]


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
                case = intake.case_submit(
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
                )
            except DomainError as exc:
                apply_error(form, exc)
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
            intake.case_clarification_reply(
                case=case,
                by=request.user,
                message=reply_form.cleaned_data["message"],
                attachments=_uploads(reply_form.cleaned_data["attachments"]),
            )
        except DomainError as exc:
            apply_error(reply_form, exc)
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
            case = intake.case_submit(
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
            )
        except DomainError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Đã nhập hồ sơ %(r)s.") % {"r": case.reference})
            return redirect(reverse("cases:pages:detail", args=[case.pk]))
    return render(
        request,
        "workflows/case/register.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


def _case_incoming(request, case: Case, posted: bool):
    """The case's entry in the incoming register; the văn thư registers or completes it here.

    Return (entry, form or None, done).
    """
    entry = incoming.incoming_for(case)
    if not incoming.can_register(request.user, case.organisation):
        if posted:
            raise PermissionDenied(_("Chỉ văn thư của cơ quan được vào sổ văn bản đến."))
        return entry, None, False
    if entry is not None:
        initial = {
            name: getattr(entry, name)
            for name in ("sender", "letter_number", "letter_date", "summary", "handler", "note")
        }
    else:
        initial = {
            "sender": case.press_agency.name,
            "summary": f"{case.get_kind_display()}: {case.subject}"[:500],
        }
    form = IncomingForm(request.POST if posted else None, initial=initial, prefix="incoming")
    if not posted or not form.is_valid():
        return entry, form, False
    try:
        if entry is None:
            entry = incoming.incoming_register(
                organisation=case.organisation,
                by=request.user,
                subject=case,
                subject_label=case.reference,
                **form.cleaned_data,
            )
        else:
            entry = incoming.incoming_update(entry=entry, by=request.user, **form.cleaned_data)
    except DomainError as exc:
        apply_error(form, exc)
        return entry, form, False
    messages.success(
        request, _("Đã vào sổ văn bản đến, số đến %(n)s.") % {"n": entry.number_display}
    )
    return entry, form, True


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
    which = request.POST.get("which") if request.method == "POST" else None
    incoming_post = request.method == "POST" and "incoming-sender" in request.POST
    entry, incoming_form, done = _case_incoming(request, case, incoming_post)
    if done:
        return redirect(request.path)
    posted_extend = request.method == "POST" and not which and not incoming_post
    extend_form = ExtendForm(request.POST if posted_extend else None)
    acceptance_form = ComplaintAcceptanceForm(
        request.POST if which == "complaint_acceptance" else None
    )
    conclusion_form = ComplaintConclusionForm(
        request.POST if which == "complaint_conclusion" else None
    )
    if which == "complaint_acceptance" and acceptance_form.is_valid():
        data = acceptance_form.cleaned_data
        try:
            complaints.case_complaint_accept(
                case=case,
                by=request.user,
                accepted=data["accepted"],
                decided_on=data["decided_on"],
                note=data["note"],
            )
        except DomainError as exc:
            apply_error(acceptance_form, exc)
        else:
            messages.success(request, _("Đã ghi việc thụ lý và phát hành thông báo."))
            return redirect(request.path)
    if which == "complaint_conclusion" and conclusion_form.is_valid():
        data = conclusion_form.cleaned_data
        try:
            complaints.case_complaint_conclude(
                case=case,
                by=request.user,
                concluded_on=data["concluded_on"],
                number=data["number"],
                issuer=data["issuer"],
            )
        except DomainError as exc:
            apply_error(conclusion_form, exc)
        else:
            messages.success(request, _("Đã ghi kết luận giải quyết."))
            return redirect(request.path)
    if posted_extend and extend_form.is_valid():
        try:
            steps.case_extend(
                case=case,
                by=request.user,
                days=extend_form.cleaned_data["days"],
                reason=extend_form.cleaned_data["reason"],
            )
        except DomainError as exc:
            apply_error(extend_form, exc)
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
            "timeline": timeline.case_timeline(case, public=False, names=True),
            "tasks": tasks,
            "process": process,
            "extend_form": extend_form,
            "acceptance_form": acceptance_form,
            "conclusion_form": conclusion_form,
            "can_accept_complaint": case.kind == Case.Kind.COMPLAINT
            and not case.complaint_acceptance
            and case.status in complaints.RECORDABLE
            and selectors.may_sign(request.user, case),
            "can_conclude_complaint": case.complaint_acceptance == Case.ComplaintAcceptance.ACCEPTED
            and case.status in complaints.RECORDABLE
            and complaints.may_record(request.user, case),
            "incoming_entry": entry,
            "incoming_form": incoming_form,
            "can_extend": case.is_open
            and (
                selectors.may_review(request.user, case) or selectors.may_sign(request.user, case)
            ),
        },
    )


def case_list(request):
    """Staff register of cases with filters; a constant number of queries per page."""
    from django.core.paginator import Paginator
    from django.utils import timezone

    if not (request.user.is_superuser or is_staff_member(request.user)):
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


# ---------------------------------------------------------------- files of a case

# Opened in the page (an <iframe> or <img>); any other kind is downloaded.
INLINE_TYPES = {"application/pdf", "image/jpeg", "image/png"}


def may_open_attachments(user, case: Case) -> bool:
    """Staff who may see the case, and the journalists who may see it."""
    if not getattr(user, "is_authenticated", False):
        return False
    if selectors.case_visible_to_staff(user, case):
        return True
    return selectors.cases_visible_to_journalist(user).filter(pk=case.pk).exists()


@xframe_options_sameorigin
@csp_replace({"frame-ancestors": [SELF]})
def case_attachment(request, pk: int, attachment_pk: int):
    """One attachment of a case, opened inline (PDF, image) or downloaded; each opening is
    ledgered like the download of an issued document."""
    case = get_object_or_404(Case.objects.select_related("organisation"), pk=pk)
    if not may_open_attachments(request.user, case):
        raise PermissionDenied(_("Bạn không có quyền mở tệp của hồ sơ này."))
    attachment = get_object_or_404(case.attachments, pk=attachment_pk)
    steps.case_attachment_open_record(case=case, attachment=attachment, by=request.user)
    inline = attachment.content_type in INLINE_TYPES and "download" not in request.GET
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=not inline,
        filename=attachment.original_name,
        content_type=attachment.content_type if inline else "application/octet-stream",
    )


def case_draft_pdf(request, pk: int, *, as_image: bool = False):
    """The document the sign-off would issue, marked "DỰ THẢO" (PDF, or its pages as one PNG
    for the task page): for who may review or sign."""
    case = get_object_or_404(
        Case.objects.select_related("organisation", "journalist", "press_agency"), pk=pk
    )
    if not (selectors.may_review(request.user, case) or selectors.may_sign(request.user, case)):
        raise PermissionDenied(_("Chỉ người phát ngôn và người ký xem được dự thảo văn bản."))
    if case.status not in (Case.Status.REVIEW, Case.Status.SIGNOFF):
        raise Http404(_("Hồ sơ không có dự thảo văn bản chờ ký."))
    pdf = issue.case_draft_pdf(case=case, viewer=request.user)
    return draft_response(pdf, f"du-thao-{case.reference}", as_image=as_image)
