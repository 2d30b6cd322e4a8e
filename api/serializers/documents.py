"""Issued documents and the result of verifying an uploaded PDF."""

from django.urls import reverse
from rest_framework import serializers

from .base import absolute_url


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
        return absolute_url(
            self.context.get("request"), reverse("api:document-pdf", args=[document.pk])
        )

    def get_verify_url(self, document) -> str:
        return absolute_url(
            self.context.get("request"), reverse("release:verify", args=[document.verify_token])
        )


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
