"""The embargo as the issuing core sees it (RELEASE_EMBARGO_POLICY): a statement not yet
public must look unknown to anyone but its organisation's staff."""

from __future__ import annotations

from datetime import datetime

from release.models import IssuedDocument

from .access import is_organisation_staff
from .models import Publication
from .publication import publication_was_published


def embargo_hides(user, document: IssuedDocument, now: datetime | None = None) -> bool:
    """True when `document` belongs to a publication not yet public and `user` is not staff
    of its organisation: such a document must look unknown (verification, download)."""
    publication = (
        Publication.objects.filter(document_id=document.pk).select_related("document").first()
    )
    if publication is None or publication_was_published(publication, now):
        return False
    return not is_organisation_staff(user, document.organisation)
