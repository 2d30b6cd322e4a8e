"""The annual report on spokesperson work (NĐ 244/2026 Art. 10): one per organisation and year."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AnnualReport(models.Model):
    """An organisation's report for year Y: its statement (drafted, reviewed, signed and issued
    as a Báo cáo) and the figures frozen when generated, so that the signed document and the
    XLSX show the same numbers whatever changes later."""

    organisation = models.ForeignKey(
        "roles.Organisation",
        verbose_name=_("cơ quan"),
        on_delete=models.PROTECT,
        related_name="annual_reports",
    )
    year = models.PositiveSmallIntegerField(_("năm báo cáo"))
    statement = models.OneToOneField(
        "workflows.Statement",
        verbose_name=_("văn bản báo cáo"),
        on_delete=models.PROTECT,
        related_name="annual_report",
    )
    figures = models.JSONField(_("số liệu"), default=dict)
    generated_at = models.DateTimeField(_("tổng hợp số liệu lúc"))
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tổng hợp số liệu"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("báo cáo công tác phát ngôn năm")
        verbose_name_plural = _("báo cáo công tác phát ngôn năm")
        ordering = ["-year", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"], name="one_annual_report_per_year"
            )
        ]

    def __str__(self):
        return f"{self.organisation} — {self.year}"
