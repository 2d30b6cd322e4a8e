from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("Quy trình")

    def ready(self):
        from . import signals  # noqa: F401
        from .rules import signals as rules_signals  # noqa: F401
