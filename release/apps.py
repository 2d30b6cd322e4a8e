from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReleaseConfig(AppConfig):
    name = "release"
    verbose_name = _("Phát hành văn bản")

    def ready(self):
        # The newsroom subscribes to the issuing core's signals, and its Celery tasks (not in
        # release/tasks.py, which autodiscovery reads) are registered with the worker.
        from .newsroom import signals, tasks  # noqa: F401
