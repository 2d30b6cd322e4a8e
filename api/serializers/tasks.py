"""Tasks: a human step as staff see it, and the action that completes it."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from workflows.cases.steps import SPEC as CASE_SPEC
from workflows.engine.steps import task_spec, task_step
from workflows.statements.steps import SPEC as STATEMENT_SPEC

from .statements import StatementFieldsSerializer

SPECS = (CASE_SPEC, STATEMENT_SPEC)
ALL_ACTIONS = sorted(set().union(*(spec.all_actions for spec in SPECS)))
ALL_STEPS = list(dict.fromkeys(step for spec in SPECS for step in spec.actions))
ARTIFACT_TYPES = [spec.kind for spec in SPECS]


class RefusalGroundSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    citation = serializers.CharField()
    wording_confirmed = serializers.SerializerMethodField(
        help_text=(
            "false: the ground's wording is not yet checked against the official text; a "
            "refusal on it is refused (reason ground_unconfirmed) until an administrator "
            "confirms it."
        )
    )

    def get_wording_confirmed(self, ground) -> bool:
        return not ground.unconfirmed


def _artifact_id(kind: str):
    """`case` / `statement`: the artifact's id when the task is of that kind, else null."""

    def get(self, task) -> int | None:
        return task.process.artifact.pk if task_spec(task).kind == kind else None

    return extend_schema_field(serializers.IntegerField(allow_null=True))(get)


def _artifact_reference(kind: str):
    """`case_reference` / `statement_reference`, the same way."""

    def get(self, task) -> str | None:
        return task.process.artifact.reference if task_spec(task).kind == kind else None

    return extend_schema_field(serializers.CharField(allow_null=True))(get)


class TaskSerializer(serializers.Serializer):
    """A human step of a press case or of an outbound statement (`artifact_type`).

    Everything that differs between the two comes from the flow's spec (`FlowSpec`).
    """

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

    @extend_schema_field(serializers.ChoiceField(choices=ARTIFACT_TYPES))
    def get_artifact_type(self, task) -> str:
        return task_spec(task).kind

    get_case = _artifact_id("case")
    get_case_reference = _artifact_reference("case")
    get_statement = _artifact_id("statement")
    get_statement_reference = _artifact_reference("statement")

    @extend_schema_field(serializers.ChoiceField(choices=ALL_STEPS))
    def get_step(self, task) -> str:
        return task_step(task)

    @extend_schema_field(serializers.ChoiceField(choices=["new", "assigned", "started"]))
    def get_status(self, task) -> str:
        return str(task.status).lower()

    def get_assignee(self, task) -> str | None:
        return task.owner.get_username() if task.owner_id else None

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_due_at(self, task) -> str | None:
        due = task_spec(task).task_due(task, task.process.artifact)
        return serializers.DateTimeField().to_representation(due) if due else None

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=ALL_ACTIONS)))
    def get_actions(self, task) -> list[str]:
        return list(task_spec(task).actions.get(task_step(task), ()))

    @extend_schema_field(RefusalGroundSerializer(many=True))
    def get_refusal_grounds(self, task):
        grounds = task_spec(task).refusal_grounds(task_step(task), task.process.artifact)
        return RefusalGroundSerializer(grounds, many=True).data


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
    confirm = serializers.BooleanField(
        required=False,
        default=False,
        help_text=(
            "signoff sign: bắt buộc true — người ký xác nhận đã đọc văn bản dự thảo "
            "(như ô xác nhận trên trang ký)"
        ),
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        # The signer confirms having read the draft document, as on the web sign-off page.
        if attrs.get("action") == "sign" and not attrs.get("confirm"):
            raise serializers.ValidationError(
                {
                    "confirm": [
                        _(
                            "Hãy đọc văn bản dự thảo và gửi “confirm”: true để xác nhận "
                            "trước khi ký."
                        )
                    ]
                }
            )
        return attrs

    def service_data(self) -> dict:
        """The `data` dict of workflows.engine.steps.task_complete."""
        data = dict(self.validated_data)
        data.pop("action")
        data.pop("confirm", None)  # a confirmation, not data for the step
        users = data.pop("assignee", None) or data.pop("assignees", None)
        data.pop("assignees", None)
        if users:
            data["assignees"] = users
        return data


class TaskReassignSerializer(serializers.Serializer):
    """Hand a task one holds to a colleague (`GET …/colleagues/` lists who may take it)."""

    to = serializers.IntegerField(
        min_value=1, max_value=2**62, help_text="id của đồng nghiệp nhận công việc"
    )
    # Blank is the service's to refuse (the same message as the web page).
    reason = serializers.CharField(
        allow_blank=True, max_length=1000, help_text="Lý do chuyển (ghi vào nhật ký)"
    )

    def recipient(self):
        """The user `to` names, or None (the service then refuses with a field error)."""
        return get_user_model().objects.filter(pk=self.validated_data["to"]).first()


class ColleagueSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    username = serializers.CharField()
    name = serializers.SerializerMethodField()

    def get_name(self, user) -> str:
        return user.get_full_name() or user.get_username()
