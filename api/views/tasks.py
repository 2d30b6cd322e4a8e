"""Tasks: the human steps of press cases and statements; claim and complete them."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from workflows.cases import selectors as case_selectors
from workflows.cases.models import Case
from workflows.engine import steps
from workflows.flows import CaseFlow, StatementFlow
from workflows.middleware import viewflow_permission_cache_fill
from workflows.notifications.work import task_assigned_notify
from workflows.statements.models import Statement

from ..permissions import IsStaff
from ..serializers.cases import CaseSerializer
from ..serializers.statements import StatementSerializer, statement_related
from ..serializers.tasks import (
    ColleagueSerializer,
    TaskCompleteSerializer,
    TaskReassignSerializer,
    TaskSerializer,
)
from .base import ERROR_409, ApiMixin


def _human_tasks():
    """The human steps of press cases and of outbound statements."""
    return Task.objects.filter(
        process__flow_class__in=[CaseFlow, StatementFlow], flow_task_type="HUMAN"
    )


OPEN = [STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED]


def tasks_for(user) -> list[Task]:
    """Open tasks `user` may act on now: the queue they may claim and their own.

    The candidates' ids come first, from one UNION of two indexed reads of the task table
    alone (the queue their object permissions route to them, the tasks they hold), not an OR
    that PostgreSQL answers by scanning every task; only those few rows are then joined to
    their processes (a join inside the UNION made PostgreSQL scan every process and every
    task: 284 ms at 200,000 cases, docs/operations.md). The rule (`steps.tasks_can_act`) then
    costs a few queries whatever the number of tasks, so the list, its order and its count
    stay exact.
    """
    viewflow_permission_cache_fill(user)  # else user_queue reads each grant one by one
    human = Task.objects.filter(flow_task_type="HUMAN")
    queue = human.filter(status=STATUS.NEW).user_queue(user).order_by().values_list("pk")
    mine = (
        human.filter(owner=user, status__in=[STATUS.ASSIGNED, STATUS.STARTED])
        .order_by()
        .values_list("pk")
    )
    ids = [pk for (pk,) in queue.union(mine)]
    tasks = (
        _human_tasks()
        .filter(pk__in=ids)
        .select_related("process", "owner")
        .order_by("created", "pk")
    )
    return steps.tasks_can_act(user, tasks)


class TaskViewSet(ApiMixin, GenericViewSet):
    """Staff: the human steps of press cases and statements they may act on; claim and
    complete them."""

    lookup_value_regex = "[0-9]+"

    serializer_class = TaskSerializer
    permission_classes = [IsStaff]

    def get_queryset(self):  # for the schema generator; lists use tasks_for()
        return _human_tasks()

    def _task(self, pk) -> Task:
        if not str(pk).isdigit():
            raise NotFound()
        return get_object_or_404(_human_tasks().select_related("process", "owner"), pk=int(pk))

    @extend_schema(tags=["tasks"])
    def list(self, request):
        page = self.paginate_queryset(tasks_for(request.user))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(tags=["tasks"])
    def retrieve(self, request, pk=None):
        task = self._task(pk)
        may_see = task.status in OPEN and steps.task_can_act(request.user, task)
        if not may_see or (task.owner_id and task.owner_id != request.user.pk):
            raise NotFound()
        return Response(self.get_serializer(task).data)

    @extend_schema(
        request=None,
        responses={200: TaskSerializer, 409: ERROR_409},
        tags=["tasks"],
        summary="Nhận công việc",
    )
    @action(detail=True, methods=["post"])
    def claim(self, request, pk=None):
        task = steps.task_claim(task=self._task(pk), by=request.user)
        return Response(self.get_serializer(self._task(task.pk)).data)

    @extend_schema(
        request=TaskCompleteSerializer,
        responses={
            200: PolymorphicProxySerializer(
                component_name="TaskArtifact",
                serializers=[CaseSerializer, StatementSerializer],
                resource_type_field_name=None,
            ),
            409: ERROR_409,
        },
        tags=["tasks"],
        summary="Hoàn thành công việc với một thao tác",
        description="Trả về hồ sơ (công việc của hồ sơ) hoặc thông tin phát ngôn.",
    )
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        task = self._task(pk)
        form = TaskCompleteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        artifact = steps.task_complete(
            task=task,
            by=request.user,
            action=form.validated_data["action"],
            data=form.service_data(),
        )
        render = _ARTIFACT_RESPONSES[steps.task_spec(task).kind]
        return Response(render(artifact, request.user, self.get_serializer_context()))

    def _holder_or_403(self, task: Task) -> None:
        # The same rule as the web's "Chuyển cho đồng nghiệp" page (the service checks again).
        may = task.owner_id == self.request.user.pk or (
            task.flow_task.flow_class.instance.has_manage_permission(self.request.user)
        )
        if not may:
            raise PermissionDenied(_("Chỉ người đang giữ công việc được chuyển cho đồng nghiệp."))

    @extend_schema(
        request=None,
        responses={200: ColleagueSerializer(many=True)},
        tags=["tasks"],
        summary="Đồng nghiệp có thể nhận công việc",
        description="Những người cùng cơ quan được làm bước này (người giữ việc hiện tại trừ ra).",
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def colleagues(self, request, pk=None):
        task = self._task(pk)
        self._holder_or_403(task)
        return Response(ColleagueSerializer(steps.task_colleagues(task), many=True).data)

    @extend_schema(
        request=TaskReassignSerializer,
        responses={200: TaskSerializer, 409: ERROR_409},
        tags=["tasks"],
        summary="Chuyển công việc cho đồng nghiệp",
        description=(
            "Người đang giữ công việc (hoặc người quản lý quy trình) chuyển cho một đồng nghiệp "
            "có thể làm bước này, kèm lý do; ghi vào nhật ký (task.reassign) và báo cho người "
            "nhận, như trang “Chuyển cho đồng nghiệp”. 400 validation_error khi lý do trống "
            "(fields.reason) hoặc người nhận không phải đồng nghiệp được làm bước này "
            "(fields.to); 403 permission_denied khi không giữ công việc; 409 invalid_state "
            "khi công việc không còn được giao (chờ nhận hoặc đã xong)."
        ),
    )
    @action(detail=True, methods=["post"])
    def reassign(self, request, pk=None):
        task = self._task(pk)
        self._holder_or_403(task)  # before the body: a stranger learns nothing from a 400
        form = TaskReassignSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        task = steps.task_reassign(
            task=task,
            by=request.user,
            to=form.recipient(),
            reason=form.validated_data["reason"],
        )
        # The colleague hears of it in the app and, unless they turned it off, by e-mail.
        task_assigned_notify(task_id=task.pk, by_id=request.user.pk)
        return Response(self.get_serializer(self._task(task.pk)).data)


def _case_response(case, user, context) -> dict:
    case = Case.objects.select_related("organisation", "document").get(pk=case.pk)
    staff_ids = {case.pk} if case_selectors.case_visible_to_staff(user, case) else set()
    return CaseSerializer(case, context={**context, "staff_case_ids": staff_ids}).data


def _statement_response(statement, user, context) -> dict:
    statement = Statement.objects.select_related(*statement_related()).get(pk=statement.pk)
    return StatementSerializer(statement, context=context).data


# What `complete` answers with, per artifact kind (FlowSpec.kind).
_ARTIFACT_RESPONSES = {"case": _case_response, "statement": _statement_response}
