"""The newsroom listens to the issuing core; the core does not know it is there."""

from django.dispatch import receiver

from release.signals import document_issued

from .publication import publication_document_issued


@receiver(document_issued, dispatch_uid="release.newsroom.publication_document_issued")
def document_issued_publish(sender, document, **kwargs):
    """A press statement's publication goes public at max(embargo, now) and is then mailed.

    Runs inside the issuing transaction (the signal is sent there, synchronously), before the
    receivers of the apps above: release is installed before them, so it connects first.
    """
    publication_document_issued(document)
