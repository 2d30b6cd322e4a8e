"""API tokens in the admin: who holds one and until when, never a key; revoking is ledgered."""

from django.contrib import admin

from . import services
from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("id", "user", "prefix", "created", "expiry")
    list_select_related = ("user",)
    search_fields = ("user__username",)
    fields = ("user", "prefix", "created", "expiry")
    readonly_fields = fields
    ordering = ("-created", "-id")

    def has_add_permission(self, request):
        return False  # a token is issued to its holder by logging in, and shown only to them

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        services.token_revoke(token=obj, by=request.user, reason="admin")

    def delete_queryset(self, request, queryset):
        for token in queryset.select_related("user"):
            services.token_revoke(token=token, by=request.user, reason="admin")
