"""The newsroom hears the issuing core through `document_issued`, inside its transaction."""

import pytest
from django.db import transaction

from release.models import IssuedDocument, Publication
from release.signals import document_issued
from tests.release.newsroom.publication_helpers import statement

pytestmark = pytest.mark.django_db


def test_publish_at_is_set_in_the_issuing_transaction_before_later_listeners_run(
    organisation, head, signing_credentials, django_capture_on_commit_callbacks
):
    seen = []

    def listener(sender, document, **kwargs):
        publication = Publication.objects.get(document=document)
        seen.append((publication.publish_at, transaction.get_connection().in_atomic_block))

    document_issued.connect(listener, sender=IssuedDocument, weak=False)
    try:
        pub = statement(organisation, head, django_capture_on_commit_callbacks)
    finally:
        document_issued.disconnect(listener, sender=IssuedDocument)
    assert seen == [(pub.publish_at, True)]
    assert pub.publish_at == pub.document.issued_at


def test_the_issuing_core_leaves_publication_to_the_newsroom_listener(
    organisation, head, signing_credentials, django_capture_on_commit_callbacks, monkeypatch
):
    """With the newsroom's listener silenced the document is issued and nothing is published."""
    from release.newsroom import signals

    monkeypatch.setattr(signals, "publication_document_issued", lambda document: None)
    pub = statement(organisation, head, django_capture_on_commit_callbacks)
    assert pub.document.status == IssuedDocument.Status.ISSUED
    assert pub.publish_at is None
