"""Press cases: what a journalist sends and what the case looks like."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.errors import DomainError
from workflows.cases import intake, uploads
from workflows.cases.models import Case
from workflows.timeline import case_timeline

from .base import DayField
from .documents import DocumentSerializer
from .organisations import PlanTopicSerializer


class TimelineEntrySerializer(serializers.Serializer):
    action = serializers.CharField()
    label = serializers.CharField()
    at = serializers.DateTimeField()
    actor = serializers.CharField(help_text="Tên đăng nhập (rỗng với nhà báo).")
    actor_role = serializers.CharField()


class ComplaintSerializer(serializers.Serializer):
    acceptance = serializers.ChoiceField(
        source="complaint_acceptance",
        choices=[("", "not recorded"), *Case.ComplaintAcceptance.choices],
    )
    decided_on = serializers.DateField(source="complaint_decided_on", allow_null=True)
    note = serializers.CharField(source="complaint_decision_note")
    notice_number = serializers.SerializerMethodField()
    conclusion_on = serializers.DateField(allow_null=True)
    conclusion_number = serializers.CharField()
    conclusion_issuer = serializers.CharField()

    def get_notice_number(self, case) -> str | None:
        notice = case.complaint_notice
        return notice.number_display if notice is not None and notice.number else None


class ComplaintAcceptanceSerializer(serializers.Serializer):
    accepted = serializers.BooleanField(help_text="true: thụ lý; false: không thụ lý")
    decided_on = DayField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class ComplaintConclusionSerializer(serializers.Serializer):
    concluded_on = DayField()
    number = serializers.CharField(max_length=60)
    issuer = serializers.CharField(max_length=255)


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
    topics = serializers.SerializerMethodField(
        help_text="Staff only (null otherwise): the communication-plan topics set at triage."
    )
    complaint = serializers.SerializerMethodField(
        help_text=(
            "Complaints only (null for other kinds): thụ lý and the conclusion the "
            "5-working-day clock runs from (NĐ 237/2026 Art. 18.2)."
        )
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

    @extend_schema_field(PlanTopicSerializer(many=True, allow_null=True))
    def get_topics(self, case):
        if not self._staff_view(case):
            return None
        return PlanTopicSerializer(case.topics.all(), many=True).data

    @extend_schema_field(ComplaintSerializer(allow_null=True))
    def get_complaint(self, case):
        if case.kind != Case.Kind.COMPLAINT:
            return None
        return ComplaintSerializer(case).data

    @extend_schema_field(TimelineEntrySerializer(many=True))
    def get_timeline(self, case):
        # A list reads every case's events at once (context "case_events"); one case, here.
        events = self.context.get("case_events", {}).get(case.pk)
        entries = case_timeline(case, public=not self._staff_view(case), events=events)
        return TimelineEntrySerializer(entries, many=True).data

    @extend_schema_field(DocumentSerializer(many=True))
    def get_documents(self, case):
        # A complaint's thụ lý notice first, then the answer.
        documents = [d for d in (case.complaint_notice, case.document) if d is not None and d.pdf]
        return DocumentSerializer(documents, many=True, context=self.context).data


class CaseCreateSerializer(serializers.Serializer):
    organisation = serializers.CharField(max_length=64, help_text="Mã cơ quan (code).")
    kind = serializers.ChoiceField(choices=Case.Kind.choices)
    subject = serializers.CharField(max_length=300)
    questions = serializers.ListField(
        child=serializers.CharField(max_length=4000),
        min_length=1,
        max_length=intake.MAX_QUESTIONS,
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
        # The portal's form applies the same limits (workflows.cases.uploads); an oversize file
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
