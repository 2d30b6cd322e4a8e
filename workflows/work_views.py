"""The staff's daily work surface: "Việc hôm nay" (the start page), "Việc của tôi", "Việc chờ
nhận", taking a task in one click, and handing one to a colleague.

The rows come from `engine.worklist` over both flows; every row is one click from its task
page (a task in the queue: "Nhận và xử lý" takes it and opens its form).
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from viewflow.workflow.models import Task

from core.errors import DomainError
from roles.fields import PersonChoiceField, person_label

from .engine import landing, steps, worklist
from .engine.selectors import is_staff_member
from .flows import CaseFlow, StatementFlow
from .notifications.work import task_assigned_notify
from .rules import calendar_years

FLOWS = (CaseFlow, StatementFlow)
# The menu of every staff page; the start page of staff (config.views.START_PAGES).
TODAY_URL = "work:index"


def _flow_steps():
    seen = {}
    for flow_class in FLOWS:
        for step in flow_class.spec.actions:
            node = getattr(flow_class, step)
            seen.setdefault(step, str(node.task_title))
    return seen


class WorkFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Loại việc"),
        required=False,
        choices=[
            ("", gettext_lazy("Tất cả")),
            ("case", gettext_lazy("Hồ sơ báo chí")),
            ("statement", gettext_lazy("Thông tin phát ngôn")),
        ],
    )
    step = forms.ChoiceField(label=gettext_lazy("Bước"), required=False)
    due = forms.ChoiceField(
        label=gettext_lazy("Hạn"),
        required=False,
        choices=[
            ("", gettext_lazy("Mọi hạn")),
            ("overdue", gettext_lazy("Quá hạn")),
            ("today", gettext_lazy("Đến hạn hôm nay")),
            ("week", gettext_lazy("Đến hạn trong tuần")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {
            "triage": _("Phân loại"),
            "draft": _("Soạn thảo"),
            "review": _("Người phát ngôn xem xét"),
            "signoff": _("Lãnh đạo ký duyệt"),
        }
        self.fields["step"].choices = [("", _("Mọi bước"))] + [
            (step, labels.get(step, title)) for step, title in _flow_steps().items()
        ]


def _staff_only(request):
    user = request.user
    if not (user.is_superuser or is_staff_member(user)):
        raise PermissionDenied(_("Trang này dành cho cán bộ của cơ quan."))


def _list(request, which: str):
    _staff_only(request)
    user = request.user
    now = timezone.now()
    tasks = (
        worklist.tasks_mine(user, FLOWS) if which == "mine" else worklist.tasks_queue(user, FLOWS)
    )
    form = WorkFilterForm(request.GET or None)
    rows = worklist.rows_mark_passable(worklist.work_rows(tasks, now=now), user)
    total = len(rows)
    if form.is_valid():
        rows = worklist.rows_filter(rows, now=now, **form.cleaned_data)
    titles = {"mine": _("Việc của tôi"), "queue": _("Việc chờ nhận")}
    return render(
        request,
        "workflows/work/list.html",
        {
            "title": titles[which],
            "which": which,
            "rows": rows,
            "total": total,
            "form": form,
            "filtered": form.is_bound,
        },
    )


def work_mine(request):
    """Tasks I hold, by due date, with filters."""
    return _list(request, "mine")


def work_queue(request):
    """Tasks nobody holds that I may take, by due date, with filters."""
    return _list(request, "queue")


def work_today(request):
    """What needs me today: my tasks by due date (overdue, today, this week, later), and the
    queue's tasks I may take; every row one click from its task page."""
    _staff_only(request)
    user = request.user
    now = timezone.now()
    mine = worklist.rows_mark_passable(
        worklist.work_rows(worklist.tasks_mine(user, FLOWS), now=now), user
    )
    queue = worklist.work_rows(worklist.tasks_queue(user, FLOWS), now=now)
    sections = worklist.rows_by_due(mine, now=now)
    return render(
        request,
        "workflows/work/today.html",
        {
            "title": _("Việc hôm nay"),
            # A provisional or missing holiday calendar: the due dates below may move.
            "calendar_notice": calendar_years.staff_calendar_notice(),
            "mine": mine,
            "queue": queue,
            "sections": [
                ("overdue", _("Quá hạn"), sections["overdue"]),
                ("today", _("Đến hạn hôm nay"), sections["today"]),
                ("week", _("Đến hạn trong tuần này"), sections["week"]),
                ("later", _("Sau tuần này hoặc chưa có hạn"), sections["later"]),
            ],
        },
    )


def _task(task_pk: int) -> Task:
    return get_object_or_404(
        Task.objects.select_related("process", "owner"),
        pk=task_pk,
        flow_task_type="HUMAN",
        process__flow_class__in=FLOWS,
    )


def _task_page(task: Task, view: str = "execute") -> str:
    return task.flow_task.reverse(view, args=[task.process_id, task.pk])


def work_open(request, task_pk: int):
    """Where a link to a task lands (notifications, the case's and statement's pages): its
    form for its holder, the queue for who may take it, else the case's or statement's page."""
    _staff_only(request)
    task = _task(task_pk)
    if not task.flow_task.flow_class.instance.has_view_permission(request.user, task.process):
        raise PermissionDenied
    return redirect(landing.task_landing_url(task, request.user, queue_url=reverse("work:queue")))


@require_POST
def work_claim(request, task_pk: int):
    """Take a task from the queue and open its form (one click from the list)."""
    _staff_only(request)
    task = _task(task_pk)
    try:
        steps.task_claim(task=task, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(reverse("work:queue"))
    return redirect(_task_page(task))


class ReassignForm(forms.Form):
    to = PersonChoiceField(
        label=gettext_lazy("Chuyển cho"),
        queryset=get_user_model().objects.none(),
        empty_label=gettext_lazy("— Chọn đồng nghiệp —"),
    )
    reason = forms.CharField(
        label=gettext_lazy("Lý do chuyển"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
    )

    def __init__(self, *args, colleagues=(), organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = get_user_model().objects.filter(
            pk__in=[u.pk for u in colleagues]
        )
        self.fields["to"].organisation = organisation  # "Tên — Vai trò"


def work_reassign(request, task_pk: int):
    """ "Chuyển cho đồng nghiệp": the holder hands a task to a colleague, with a reason."""
    _staff_only(request)
    task = _task(task_pk)
    if (
        task.owner_id != request.user.pk
        and not task.flow_task.flow_class.instance.has_manage_permission(request.user)
    ):
        raise PermissionDenied(_("Chỉ người đang giữ công việc được chuyển cho đồng nghiệp."))
    colleagues = steps.task_colleagues(task)
    form = ReassignForm(
        request.POST or None,
        colleagues=colleagues,
        organisation=getattr(task.process.artifact, "organisation", None),
    )
    if request.method == "POST" and form.is_valid():
        try:
            steps.task_reassign(
                task=task,
                by=request.user,
                to=form.cleaned_data["to"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            field = exc.field if exc.field in form.fields else None
            form.add_error(field, exc.message)
        else:
            to = form.cleaned_data["to"]
            # The colleague hears of it in the app and, unless they turned it off, by e-mail.
            task_assigned_notify(task_id=task.pk, by_id=request.user.pk)
            messages.success(
                request,
                _("Đã chuyển công việc cho %(u)s.") % {"u": person_label(to)},
            )
            return redirect(reverse(TODAY_URL))
    row = worklist.work_rows(Task.objects.filter(pk=task.pk))
    return render(
        request,
        "workflows/work/reassign.html",
        {
            "title": _("Chuyển cho đồng nghiệp"),
            "form": form,
            "row": row[0] if row else None,
            "has_colleagues": bool(colleagues),
        },
    )
