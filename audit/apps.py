from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Nhật ký kiểm toán")

    def ready(self):
        from .db import register_sqlite_functions

        connection_created.connect(register_sqlite_functions, dispatch_uid="audit-sqlite-fns")

        from celery.signals import task_prerun

        from .context import clear_for_task

        task_prerun.connect(clear_for_task, dispatch_uid="audit-context-clear", weak=False)
