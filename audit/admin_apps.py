"""The Django admin app with phatngon's ledgered site (listed in INSTALLED_APPS)."""

from django.contrib.admin.apps import AdminConfig
from django.core import checks


class LedgeredAdminConfig(AdminConfig):
    """django.contrib.admin, whose default site writes every change to the ledger."""

    default_site = "audit.admin_ledger.LedgeredAdminSite"

    def ready(self):
        super().ready()
        from .admin_ledger import check_admins_ledgered

        checks.register(check_admins_ledgered, checks.Tags.admin)
