"""Shapes of the API's requests and answers. Rules stay in the services they call."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from workflows import deadlines, services
from workflows.case_models import Case
from workflows.timeline import case_timeline

ALL_ACTIONS = sorted({a for actions in services.STEP_ACTIONS.values() for a in actions})


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


# ---------------------------------------------------------------- auth


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    full_name = serializers.CharField()
    is_journalist = serializers.BooleanField()
    memberships = serializers.ListField(child=serializers.DictField(child=serializers.CharField()))


# ---------------------------------------------------------------- organisations


class OrganisationSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    parent = serializers.CharField(source="parent.code", allow_null=True, default=None)


# ---------------------------------------------------------------- documents


class DocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(source="number_display")
    organisation = serializers.CharField(source="organisation.code")
    status = serializers.CharField()
    issued_at = serializers.DateTimeField(allow_null=True)
    sha256 = serializers.CharField()
    pdf_url = serializers.SerializerMethodField()
    verify_url = serializers.SerializerMethodField()

    def get_pdf_url(self, document) -> str:
        return _absolute(
            self.context.get("request"), reverse("api:document-pdf", args=[document.pk])
        )

    def get_verify_url(self, document) -> str:
        return _absolute(
            self.context.get("request"), reverse("release:verify", args=[document.verify_token])
        )


# ---------------------------------------------------------------- cases


class TimelineEntrySerializer(serializers.Serializer):
    action = serializers.CharField()
    label = serializers.CharField()
    at = serializers.DateTimeField()
    actor = serializers.CharField(help_text="Tên đăng nhập (rỗng với nhà báo).")
    actor_role = serializers.CharField()


class CaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    kind = serializers.ChoiceField(choices=Case.Kind.choices)
    channel = serializers.ChoiceField(choices=Case.Channel.choices)
    organisation = serializers.CharField(source="organisation.code")
    organisation_name = serializers.CharField(source="organisation.name")
    subject = serializers.CharField()
    questions = serializers.ListField(child=serializers.CharField())
    purpose = serializers.CharField()
    desired_form = serializers.ChoiceField(choices=Case.DesiredForm.choices)
    status = serializers.ChoiceField(choices=Case.Status.choices)
    received_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField(allow_null=True)
    due_explanation = serializers.CharField()
    closed_at = serializers.DateTimeField(allow_null=True)
    clarification_request = serializers.CharField(
        help_text="Nội dung cơ quan đề nghị làm rõ (khi status = awaiting_clarification)."
    )
    timeline = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField()

    def _staff_view(self, case) -> bool:
        return case.pk in self.context.get("staff_case_ids", set())

    @extend_schema_field(TimelineEntrySerializer(many=True))
    def get_timeline(self, case):
        entries = case_timeline(case, public=not self._staff_view(case))
        return TimelineEntrySerializer(entries, many=True).data

    @extend_schema_field(DocumentSerializer(many=True))
    def get_documents(self, case):
        document = case.document
        if document is None or not document.pdf:
            return []
        return DocumentSerializer([document], many=True, context=self.context).data


class CaseCreateSerializer(serializers.Serializer):
    organisation = serializers.CharField(max_length=64, help_text="Mã cơ quan (code).")
    kind = serializers.ChoiceField(choices=Case.Kind.choices)
    subject = serializers.CharField(max_length=300)
    questions = serializers.ListField(
        child=serializers.CharField(max_length=4000),
        min_length=1,
        max_length=services.MAX_QUESTIONS,
    )
    purpose = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")
    desired_form = serializers.ChoiceField(
        choices=Case.DesiredForm.choices, required=False, default=Case.DesiredForm.WRITTEN
    )
    attachments = serializers.ListField(
        child=serializers.FileField(), required=False, default=list, help_text="multipart only"
    )
    request_letter = serializers.FileField(required=False, allow_null=True, default=None)

    def validate_attachments(self, files):
        limit = settings.CASE_MAX_ATTACHMENTS
        if len(files) > limit:
            raise serializers.ValidationError(_("Tối đa %(n)d tệp đính kèm.") % {"n": limit})
        return files


class ClarificationReplySerializer(serializers.Serializer):
    message = serializers.CharField(max_length=10000)


# ---------------------------------------------------------------- tasks


class RefusalGroundSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    citation = serializers.CharField()


class TaskSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    case = serializers.IntegerField(source="process.artifact_object_id")
    case_reference = serializers.CharField(source="process.artifact.reference")
    statement = serializers.SerializerMethodField()
    step = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    assignee = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(source="created")
    due_at = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()
    refusal_grounds = serializers.SerializerMethodField()

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_statement(self, task) -> int | None:
        return None  # statements are not built yet

    @extend_schema_field(serializers.ChoiceField(choices=list(services.STEP_ACTIONS)))
    def get_step(self, task) -> str:
        return services.task_step(task)

    @extend_schema_field(serializers.ChoiceField(choices=["new", "assigned", "started"]))
    def get_status(self, task) -> str:
        return str(task.status).lower()

    def get_assignee(self, task) -> str | None:
        return task.owner.get_username() if task.owner_id else None

    def get_due_at(self, task) -> str | None:
        case = task.process.artifact
        due = deadlines.step_due(
            organisation=case.organisation,
            step=services.task_step(task),
            kind=case.kind,
            start=task.created,
        ).due_at
        return serializers.DateTimeField().to_representation(due) if due else None

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=ALL_ACTIONS)))
    def get_actions(self, task) -> list[str]:
        return list(services.STEP_ACTIONS.get(services.task_step(task), ()))

    @extend_schema_field(RefusalGroundSerializer(many=True))
    def get_refusal_grounds(self, task):
        if services.task_step(task) != "review":
            return []
        case = task.process.artifact
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


class TaskCompleteSerializer(serializers.Serializer):
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


# ---------------------------------------------------------------- verification


class VerifyUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="Tệp PDF cần kiểm tra.")


class VerifiedDocumentSerializer(serializers.Serializer):
    number = serializers.CharField()
    organisation = serializers.CharField(help_text="Mã cơ quan ban hành.")
    organisation_name = serializers.CharField()
    issued_at = serializers.DateTimeField(allow_null=True)
    status = serializers.CharField()
    verify_url = serializers.CharField()


class SignatureSerializer(serializers.Serializer):
    signer = serializers.CharField()
    signed_at = serializers.DateTimeField(allow_null=True)
    intact = serializers.BooleanField()
    trusted = serializers.BooleanField()
    valid = serializers.BooleanField()


class CheckErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class VerifyResultSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["valid", "cancelled", "unknown", "invalid"])
    registered = serializers.BooleanField()
    document = VerifiedDocumentSerializer(allow_null=True)
    signatures = SignatureSerializer(many=True)
    sha256 = serializers.CharField()
    error = CheckErrorSerializer(allow_null=True)


# ---------------------------------------------------------------- audit


class LedgerEventSerializer(serializers.Serializer):
    seq = serializers.IntegerField()
    at = serializers.DateTimeField()
    actor = serializers.CharField(source="actor_username")
    actor_role = serializers.CharField()
    organisation = serializers.CharField(source="organisation_code")
    action = serializers.CharField()
    target_type = serializers.CharField()
    target_id = serializers.CharField()
    before = serializers.JSONField(source="before_data", allow_null=True)
    after = serializers.JSONField(source="after_data", allow_null=True)
    ip = serializers.CharField()
    prev_hash = serializers.CharField()
    hash = serializers.CharField()


class LedgerHeadSerializer(serializers.Serializer):
    seq = serializers.IntegerField()
    hash = serializers.CharField()
    at = serializers.DateTimeField()


class ChainVerifySerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    events = serializers.IntegerField(help_text="Số sự kiện đã kiểm tra.")
    anchors = serializers.IntegerField(help_text="Số mốc neo đã kiểm tra.")
    head = LedgerHeadSerializer(allow_null=True)
    first_bad_seq = serializers.IntegerField(allow_null=True)
    reason = serializers.CharField()
    message = serializers.CharField()
