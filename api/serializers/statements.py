"""Outbound statements: the drafter's fields, the staff view and the published view."""

from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from release.models import IssuedDocument
from roles.models import PressAgency
from workflows.statements import fields, selectors
from workflows.statements.models import Statement

from .base import DayField, MomentField, absolute_url
from .documents import DocumentSerializer
from .organisations import PlanTopicSerializer

# What the API opens: an annual report is opened from the reports pages (with its figures).
STATEMENT_KINDS = [c for c in Statement.Kind.choices if c[0] not in Statement.UNPUBLISHED_KINDS]
STATEMENT_DOC_TYPES = sorted(
    {
        t
        for kind, types in fields.KIND_DOC_TYPES.items()
        if kind not in Statement.UNPUBLISHED_KINDS
        for t in types
    }
)


class StatementFieldsSerializer(serializers.Serializer):
    """What a drafter fills (statements.fields.EDITABLE_FIELDS, plus the invited agencies).

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
    conference_content = serializers.CharField(
        required=False, allow_blank=True, help_text="Họp báo: nội dung (dòng “Tới dự”)."
    )
    conference_chair = serializers.CharField(
        required=False, allow_blank=True, max_length=255, help_text="Họp báo: người chủ trì."
    )
    invited_agencies = serializers.PrimaryKeyRelatedField(
        many=True,
        required=False,
        queryset=PressAgency.objects.all(),
        help_text="Họp báo: id các cơ quan báo chí được mời.",
    )


class StatementCreateSerializer(StatementFieldsSerializer):
    organisation = serializers.CharField(max_length=64, help_text="Mã cơ quan (code).")
    kind = serializers.ChoiceField(choices=STATEMENT_KINDS)
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
    topics = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        max_length=50,
        help_text="Id các nội dung kế hoạch truyền thông năm nay của cơ quan (đang dùng); "
        "sai cơ quan, năm hoặc đã ngừng dùng → 400 validation_error, reason “topics”.",
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
    conference_content = serializers.CharField()
    conference_chair = serializers.CharField()
    invited_agencies = PressAgencySerializer(many=True, source="invited_agencies.all")
    topics = PlanTopicSerializer(many=True, source="topics.all")
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

        return absolute_url(
            self.context.get("request"), publication_url(statement.document.publication)
        )

    def get_pdf_url(self, statement) -> str:
        from release.newsroom.publication import publication_pdf_url

        return absolute_url(
            self.context.get("request"), publication_pdf_url(statement.document.publication)
        )

    def get_verify_url(self, statement) -> str:
        return absolute_url(
            self.context.get("request"),
            reverse("release:verify", args=[statement.document.verify_token]),
        )
