"""Auth: token requests and answers, the caller's tokens, who am I."""

from rest_framework import serializers


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
