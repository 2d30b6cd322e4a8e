"""What core keeps: the heartbeats of the background processes (for /healthz)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """The last time a background process (the scheduler, a worker) showed it is alive."""

    name = models.CharField(_("tiến trình"), max_length=20, primary_key=True)
    at = models.DateTimeField(_("lúc"))

    class Meta:
        verbose_name = _("nhịp tiến trình nền")
        verbose_name_plural = _("nhịp tiến trình nền")

    def __str__(self):
        return f"{self.name} @ {self.at.isoformat()}"
