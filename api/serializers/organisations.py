"""Organisations."""

from rest_framework import serializers


class OrganisationSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    parent = serializers.CharField(source="parent.code", allow_null=True, default=None)


class PlanTopicSerializer(serializers.Serializer):
    """A content area of the organisation's communication plan for a year."""

    id = serializers.IntegerField()
    year = serializers.IntegerField()
    number = serializers.IntegerField()
    title = serializers.CharField()
