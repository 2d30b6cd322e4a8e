"""Audit: ledger events and the result of verifying the hash chain."""

from rest_framework import serializers


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
