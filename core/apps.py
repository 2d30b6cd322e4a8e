from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "core"

    def ready(self):
        from . import (
            heartbeats,  # noqa: F401 — connects the beat-side signal
            observability,  # noqa: F401 — request id and metrics of Celery tasks
        )
