"""The newsroom listens to the issuing core; the core does not know it is there."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from release.models import IssuedDocument
from release.signals import document_issued

from .caching import generation_bump
from .models import Publication
from .publication import publication_document_issued


@receiver(document_issued, dispatch_uid="release.newsroom.publication_document_issued")
def document_issued_publish(sender, document, **kwargs):
    """A press statement's publication goes public at max(embargo, now) and is then mailed.

    Runs inside the issuing transaction (the signal is sent there, synchronously), before the
    receivers of the apps above: release is installed before them, so it connects first.
    """
    publication_document_issued(document)


@receiver(post_save, sender=Publication, dispatch_uid="release.newsroom.cache_publication")
@receiver(post_save, sender=IssuedDocument, dispatch_uid="release.newsroom.cache_document")
def newsroom_cache_forget(sender, **kwargs):
    """A statement or its document changed: cached newsroom pages are stale once it commits."""
    transaction.on_commit(generation_bump)
