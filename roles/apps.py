from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RolesConfig(AppConfig):
    name = "roles"
    verbose_name = _("Cơ quan và vai trò")

    def ready(self):
        from core.labels import role_labels_register

        from . import signals  # noqa: F401
        from .models import Role

        # Besides the roles, the names actor_role() gives to whoever holds none.
        role_labels_register(
            {
                **dict(Role.choices),
                "journalist": _("Nhà báo"),
                "system": _("Hệ thống"),
                "superuser": _("Quản trị hệ thống"),
            }
        )
