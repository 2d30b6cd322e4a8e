"""What every flow's artifact (a case, a statement) has: the fields the engine and the sign-off
step use, and the processes that carry it."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils.translation import gettext_lazy as _


class FlowArtifact(models.Model):
    """Abstract: each artifact keeps its own table; these columns are the same in both."""

    # The statuses in which the flow still runs (each artifact sets its own).
    OPEN_STATUSES: tuple = ()

    regime = models.ForeignKey(
        "workflows.LegalRegime",
        verbose_name=_("chế độ pháp lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rule = models.ForeignKey(
        "workflows.DeadlineRule",
        verbose_name=_("quy định thời hạn"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_explanation = models.TextField(_("cách tính hạn"), blank=True)
    last_comment = models.TextField(_("ý kiến trả lại gần nhất"), blank=True)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ký"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signing_authority = models.CharField(_("thẩm quyền ký"), max_length=5, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    # viewflow's processes of this artifact ("case" / "statement" in queries).
    processes = GenericRelation(
        "viewflow.Process",
        content_type_field="artifact_content_type",
        object_id_field="artifact_object_id",
        related_query_name="%(class)s",
    )

    class Meta:
        abstract = True

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def signed_texts(self) -> list[str]:
        """The office's own text in the document a sign-off issues (checked for placeholders)."""
        return []
