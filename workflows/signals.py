"""Connect the flows to events of the apps below it."""

from django.db import transaction
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils import timezone
from viewflow.workflow.models import Task

from release.signals import document_cancelled, document_issued

from .cases import issue as case_issue
from .statements import decisions
from .statements import issue as statement_issue


@receiver(document_issued)
def _close_case_on_issue(sender, document, **kwargs):
    with transaction.atomic():
        case_issue.case_document_issued(document=document)
        statement_issue.statement_document_issued(document=document)
        decisions.decision_document_issued(document=document)


@receiver(document_cancelled)
def _recall_statement_on_cancel(sender, document, **kwargs):
    statement_issue.statement_document_cancelled(document=document)


@receiver(pre_save, sender=Task)
def _fill_task_assigned(sender, instance, **kwargs):
    """viewflow 2.4 never fills Task.assigned: stamp it when an owner is first set.

    Keeps created ≤ assigned ≤ started ≤ finished on the process pages (VIEWFLOW-NOTES.md).
    """
    if instance.owner_id and instance.assigned is None:
        instance.assigned = timezone.now()
    elif not instance.owner_id and instance.status == "NEW":
        instance.assigned = None
