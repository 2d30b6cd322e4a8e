"""Tasks: a human step as staff see it, and the action that completes it."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from workflows import services, statement_services
from workflows.rules import deadlines
from workflows.statement_models import Statement

from .statements import StatementFieldsSerializer

ALL_ACTIONS = sorted(
    {a for actions in services.STEP_ACTIONS.values() for a in actions}
    | {a for actions in statement_services.STATEMENT_STEP_ACTIONS.values() for a in actions}
)


class RefusalGroundSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    citation = serializers.CharField()


def _artifact(task):
    return task.process.artifact


def _is_statement(task) -> bool:
    return isinstance(_artifact(task), Statement)


class TaskSerializer(serializers.Serializer):
    """A human step of a press case or of an outbound statement (`artifact_type`)."""

    id = serializers.IntegerField(source="pk")
    artifact_type = serializers.SerializerMethodField()
    case = serializers.SerializerMethodField()
    case_reference = serializers.SerializerMethodField()
    statement = serializers.SerializerMethodField()
    statement_reference = serializers.SerializerMethodField()
    step = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    assignee = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(source="created")
    due_at = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()
    refusal_grounds = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ChoiceField(choices=["case", "statement"]))
    def get_artifact_type(self, task) -> str:
        return "statement" if _is_statement(task) else "case"

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_case(self, task) -> int | None:
        return None if _is_statement(task) else _artifact(task).pk

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_case_reference(self, task) -> str | None:
        return None if _is_statement(task) else _artifact(task).reference

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_statement(self, task) -> int | None:
        return _artifact(task).pk if _is_statement(task) else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_statement_reference(self, task) -> str | None:
        return _artifact(task).reference if _is_statement(task) else None

    @extend_schema_field(serializers.ChoiceField(choices=list(services.STEP_ACTIONS)))
    def get_step(self, task) -> str:
        return services.task_step(task)

    @extend_schema_field(serializers.ChoiceField(choices=["new", "assigned", "started"]))
    def get_status(self, task) -> str:
        return str(task.status).lower()

    def get_assignee(self, task) -> str | None:
        return task.owner.get_username() if task.owner_id else None

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_due_at(self, task) -> str | None:
        artifact = _artifact(task)
        if isinstance(artifact, Statement):
            due = artifact.due_at  # the statement's legal clock (none for some kinds)
        else:
            due = deadlines.step_due(
                organisation=artifact.organisation,
                step=services.task_step(task),
                kind=artifact.kind,
                start=task.created,
            ).due_at
        return serializers.DateTimeField().to_representation(due) if due else None

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=ALL_ACTIONS)))
    def get_actions(self, task) -> list[str]:
        table = statement_services.STATEMENT_STEP_ACTIONS if _is_statement(task) else None
        table = table or services.STEP_ACTIONS
        return list(table.get(services.task_step(task), ()))

    @extend_schema_field(RefusalGroundSerializer(many=True))
    def get_refusal_grounds(self, task):
        if _is_statement(task) or services.task_step(task) != "review":
            return []
        case = _artifact(task)
        return RefusalGroundSerializer(
            deadlines.refusal_grounds_for(case.received_at), many=True
        ).data


@extend_schema_field(
    {
        "oneOf": [
            {"type": "string"},
            {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 20},
        ],
        "description": "Tên đăng nhập của chuyên viên (một hoặc danh sách).",
    }
)
class UsernamesField(serializers.Field):
    def to_internal_value(self, data):
        names = [data] if isinstance(data, str) else data
        if not isinstance(names, list) or not names or len(names) > 20:
            raise serializers.ValidationError(_("Hãy ghi tên đăng nhập của chuyên viên."))
        if not all(isinstance(n, str) and n.strip() for n in names):
            raise serializers.ValidationError(_("Hãy ghi tên đăng nhập của chuyên viên."))
        names = [n.strip() for n in names]
        users = {u.get_username(): u for u in get_user_model().objects.filter(username__in=names)}
        missing = [n for n in names if n not in users]
        if missing:
            raise serializers.ValidationError(
                _("Không có tài khoản: %(u)s.") % {"u": ", ".join(missing)}
            )
        return [users[n] for n in names]

    def to_representation(self, value):
        return [u.get_username() for u in value]


class TaskCompleteSerializer(StatementFieldsSerializer):
    """`action` and its fields; a statement's draft step also takes the draft's fields."""

    action = serializers.ChoiceField(choices=ALL_ACTIONS)
    assignee = UsernamesField(required=False, help_text="triage accept")
    assignees = UsernamesField(required=False, help_text="triage accept (như assignee)")
    to = serializers.CharField(
        required=False,
        max_length=255,
        help_text="triage forward: cơ quan nhận; signoff return: review | draft",
    )
    reason = serializers.CharField(required=False, max_length=10000, help_text="forward, refuse")
    of = serializers.IntegerField(
        required=False, min_value=1, max_value=2**62, help_text="triage duplicate: id hồ sơ"
    )
    message = serializers.CharField(required=False, max_length=10000, help_text="triage clarify")
    answer = serializers.CharField(required=False, max_length=100000, help_text="draft submit")
    comment = serializers.CharField(required=False, max_length=10000, help_text="return")
    ground = serializers.CharField(required=False, max_length=8, help_text="review refuse")

    def service_data(self) -> dict:
        """The `data` dict of workflows.services.task_complete."""
        data = dict(self.validated_data)
        data.pop("action")
        users = data.pop("assignee", None) or data.pop("assignees", None)
        data.pop("assignees", None)
        if users:
            data["assignees"] = users
        return data
