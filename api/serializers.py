"""Shapes of the API's requests and answers. Rules stay in the services they call."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from release.models import IssuedDocument
from roles.errors import DomainError
from roles.models import PressAgency
from workflows import deadlines, selectors, services, statement_services, uploads
from workflows.case_models import Case
from workflows.statement_models import Statement
from workflows.timeline import case_timeline

ALL_ACTIONS = sorted(
    {a for actions in services.STEP_ACTIONS.values() for a in actions}
    | {a for actions in statement_services.STATEMENT_STEP_ACTIONS.values() for a in actions}
)
STATEMENT_DOC_TYPES = sorted(
    {t for types in statement_services.KIND_DOC_TYPES.values() for t in types}
)


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


# ---------------------------------------------------------------- auth


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Shown once: only a digest of it is stored.")
    expires_at = serializers.DateTimeField()


class ApiTokenSerializer(serializers.Serializer):
    """One of the caller's tokens: never the key, only its first characters."""

    id = serializers.IntegerField()
    prefix = serializers.CharField(help_text="The key's first 8 characters.")
    created = serializers.DateTimeField()
    expires_at = serializers.DateTimeField(source="expiry")
    current = serializers.SerializerMethodField(help_text="The token of this request.")

    def get_current(self, token) -> bool:
        request = self.context.get("request")
        return getattr(getattr(request, "auth", None), "pk", None) == token.pk


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
    requester_card_status = serializers.SerializerMethodField(
        help_text=(
            "Staff only (null otherwise): the journalist's press card — verified, pending, "
            "rejected, expired, or none (no journalist profile)."
        )
    )
    journalist_verified = serializers.SerializerMethodField(
        help_text="Staff only (null otherwise): the press card is verified and unexpired."
    )

    def _staff_view(self, case) -> bool:
        return case.pk in self.context.get("staff_case_ids", set())

    def _profile(self, case):
        return getattr(case.journalist, "journalist_profile", None) if case.journalist else None

    @extend_schema_field(
        serializers.ChoiceField(
            choices=["verified", "pending", "rejected", "expired", "none"], allow_null=True
        )
    )
    def get_requester_card_status(self, case):
        if not self._staff_view(case):
            return None
        profile = self._profile(case)
        return str(profile.effective_status) if profile else "none"

    @extend_schema_field(serializers.BooleanField(allow_null=True))
    def get_journalist_verified(self, case):
        if not self._staff_view(case):
            return None
        profile = self._profile(case)
        return bool(profile and profile.is_accredited)

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

    def validate(self, attrs):
        # The portal's form applies the same limits (workflows.uploads); an oversize file
        # stays a DomainError (413 too_large), too many files a field error (400).
        try:
            uploads.submission_files_check(
                attachments=attrs.get("attachments") or [],
                request_letter=attrs.get("request_letter"),
            )
        except DomainError as exc:
            if exc.code == "too_large":
                raise
            raise serializers.ValidationError({exc.field or "attachments": [exc.message]}) from exc
        return attrs


class ClarificationReplySerializer(serializers.Serializer):
    message = serializers.CharField(max_length=10000)


# ---------------------------------------------------------------- statements

YEAR_MIN, YEAR_MAX = 1900, 9000


class MomentField(serializers.DateTimeField):
    """ISO 8601 date and time (without an offset: +07:00), within years 1900–9000."""

    default_error_messages = {"out_of_range": gettext_lazy("Thời điểm nằm ngoài khoảng cho phép.")}

    def to_internal_value(self, value):
        try:
            moment = super().to_internal_value(value)
        except OverflowError:  # e.g. year 1 moved to UTC
            self.fail("out_of_range")
        if not (YEAR_MIN <= timezone.localtime(moment).year <= YEAR_MAX):
            self.fail("out_of_range")
        return moment


class DayField(serializers.DateField):
    """YYYY-MM-DD within years 1900–9000."""

    default_error_messages = {"out_of_range": gettext_lazy("Ngày nằm ngoài khoảng cho phép.")}

    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        if not (YEAR_MIN <= day.year <= YEAR_MAX):
            self.fail("out_of_range")
        return day


class StatementFieldsSerializer(serializers.Serializer):
    """What a drafter fills (statement_services.EDITABLE_FIELDS, plus the invited agencies).

    Absent fields are left as they are; which apply (and are required) depends on the kind,
    and the service decides (e.g. a correction needs the article, a press conference its time).
    """

    title = serializers.CharField(required=False, max_length=300)
    body = serializers.CharField(required=False, allow_blank=True, max_length=100_000)
    event_summary = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    embargo_at = MomentField(
        required=False,
        allow_null=True,
        help_text="Công bố lúc (null: công bố ngay khi văn bản được ký và phát hành).",
    )
    article_outlet = serializers.CharField(
        required=False, allow_blank=True, max_length=255, help_text="Cải chính: cơ quan báo chí."
    )
    article_title = serializers.CharField(required=False, allow_blank=True, max_length=500)
    article_url = serializers.URLField(required=False, allow_blank=True, max_length=1000)
    article_published_on = DayField(required=False)
    conference_at = MomentField(required=False, help_text="Họp báo: thời gian.")
    conference_place = serializers.CharField(required=False, allow_blank=True, max_length=300)
    invited_agencies = serializers.PrimaryKeyRelatedField(
        many=True,
        required=False,
        queryset=PressAgency.objects.all(),
        help_text="Họp báo: id các cơ quan báo chí được mời.",
    )


class StatementCreateSerializer(StatementFieldsSerializer):
    organisation = serializers.CharField(max_length=64, help_text="Mã cơ quan (code).")
    kind = serializers.ChoiceField(choices=Statement.Kind.choices)
    doc_type = serializers.ChoiceField(
        choices=STATEMENT_DOC_TYPES,
        required=False,
        allow_blank=True,
        help_text="Để trống: loại văn bản mặc định của loại thông tin.",
    )
    title = serializers.CharField(max_length=300)
    clock_start_at = MomentField(
        required=False,
        allow_null=True,
        help_text="Thời điểm tiếp nhận, xử lý hoặc xác định vụ việc (bắt đầu tính hạn 24 giờ).",
    )


class StatementRecordSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=100_000, help_text="Biên bản hoặc tóm tắt họp báo.")


class StatementWithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=4000, help_text="Lý do hủy.")


class StatementClockSerializer(serializers.Serializer):
    seconds = serializers.FloatField(help_text="Số giây còn lại (âm: đã quá hạn).")
    fraction = serializers.FloatField()
    hours = serializers.IntegerField()
    minutes = serializers.IntegerField()
    level = serializers.ChoiceField(choices=["ok", "low", "overdue"])


class PressAgencySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


def publication_of(document):
    """The document's publication, or None (also while release.newsroom's Publication does not exist)."""
    if document is None:
        return None
    try:
        return getattr(document, "publication", None)
    except ObjectDoesNotExist:
        return None


def statement_related() -> list[str]:
    """select_related paths for StatementSerializer (the publication only when it exists)."""
    paths = ["organisation", "author", "signer", "document", "document__organisation"]
    if hasattr(IssuedDocument, "publication"):
        paths.append("document__publication")
    return paths


class StatementSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    kind = serializers.ChoiceField(choices=Statement.Kind.choices)
    doc_type = serializers.CharField()
    organisation = serializers.CharField(source="organisation.code")
    organisation_name = serializers.CharField(source="organisation.name")
    title = serializers.CharField()
    body = serializers.CharField()
    event_summary = serializers.CharField()
    status = serializers.ChoiceField(choices=Statement.Status.choices)
    author = serializers.CharField(source="author.username")
    created_at = serializers.DateTimeField()
    clock_start_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)
    due_explanation = serializers.CharField()
    clock = serializers.SerializerMethodField()
    embargo_at = serializers.DateTimeField(allow_null=True)
    article_outlet = serializers.CharField()
    article_title = serializers.CharField()
    article_url = serializers.CharField()
    article_published_on = serializers.DateField(allow_null=True)
    conference_at = serializers.DateTimeField(allow_null=True)
    conference_place = serializers.CharField()
    invited_agencies = PressAgencySerializer(many=True, source="invited_agencies.all")
    record = serializers.CharField(help_text="Biên bản họp báo (sau buổi họp).")
    record_at = serializers.DateTimeField(allow_null=True)
    last_comment = serializers.CharField(help_text="Ý kiến trả lại gần nhất.")
    signer = serializers.SerializerMethodField()
    signing_authority = serializers.CharField(help_text="“KT.” khi cấp phó ký thay.")
    released_at = serializers.DateTimeField(allow_null=True)
    on_time = serializers.BooleanField(allow_null=True)
    document = serializers.SerializerMethodField()
    publish_at = serializers.SerializerMethodField()

    @extend_schema_field(StatementClockSerializer(allow_null=True))
    def get_clock(self, statement):
        clock = selectors.statement_time_left(statement, self.context.get("now"))
        return StatementClockSerializer(clock).data if clock else None

    def get_signer(self, statement) -> str | None:
        return statement.signer.get_username() if statement.signer_id else None

    @extend_schema_field(DocumentSerializer(allow_null=True))
    def get_document(self, statement):
        document = statement.document
        if document is None or not document.pdf:
            return None
        return DocumentSerializer(document, context=self.context).data

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_publish_at(self, statement) -> str | None:
        publication = publication_of(statement.document)
        publish_at = getattr(publication, "publish_at", None)
        return serializers.DateTimeField().to_representation(publish_at) if publish_at else None


class PublicStatementSerializer(serializers.Serializer):
    """A published statement as anyone may read it: what the public newsroom shows."""

    id = serializers.IntegerField()
    reference = serializers.CharField()
    kind = serializers.ChoiceField(choices=Statement.Kind.choices)
    doc_type = serializers.CharField()
    organisation = serializers.CharField(source="organisation.code")
    organisation_name = serializers.CharField(source="organisation.name")
    title = serializers.CharField(source="document.publication.title")
    body = serializers.CharField(source="document.publication.body")
    number = serializers.CharField(source="document.number_display")
    publish_at = serializers.DateTimeField(source="document.publication.publish_at")
    url = serializers.SerializerMethodField(help_text="The newsroom page.")
    pdf_url = serializers.SerializerMethodField(help_text="The signed PDF, public.")
    verify_url = serializers.SerializerMethodField()

    def get_url(self, statement) -> str:
        from release.newsroom.publication import publication_url

        return _absolute(
            self.context.get("request"), publication_url(statement.document.publication)
        )

    def get_pdf_url(self, statement) -> str:
        from release.newsroom.publication import publication_pdf_url

        return _absolute(
            self.context.get("request"), publication_pdf_url(statement.document.publication)
        )

    def get_verify_url(self, statement) -> str:
        return _absolute(
            self.context.get("request"),
            reverse("release:verify", args=[statement.document.verify_token]),
        )


# ---------------------------------------------------------------- tasks


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
