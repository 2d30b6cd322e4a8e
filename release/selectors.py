"""Read the outgoing register."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from .models import IssuedDocument

TARGET_TYPE = "release.issueddocument"


def register_documents(*, organisation, year: int | None = None) -> QuerySet[IssuedDocument]:
    """Return the organisation's outgoing register, newest number first, with what it shows."""
    qs = (
        IssuedDocument.objects.filter(organisation=organisation)
        .select_related("organisation", "signer", "unit", "corrects", "cancelled_by")
        .annotate(
            superseded=Exists(
                IssuedDocument.objects.filter(corrects=OuterRef("pk"), status="issued")
            )
        )
        .order_by("-year", "series", "-number")
    )
    if year is not None:
        qs = qs.filter(year=year)
    return qs


def register_years(*, organisation) -> list[int]:
    return list(
        IssuedDocument.objects.filter(organisation=organisation)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def document_by_token(token: str) -> IssuedDocument | None:
    """Return the document a verification token names (None for an unknown token)."""
    if not token or len(token) > 64:
        return None
    return (
        IssuedDocument.objects.select_related("organisation", "corrects")
        .filter(verify_token=token)
        .first()
    )


def audit_bundle_files(events) -> list[tuple[str, bytes]]:
    """Return (name, bytes) of the signed PDFs that the given ledger events refer to."""
    ids = set()
    for event in events:
        if getattr(event, "target_type", "") == TARGET_TYPE and str(event.target_id).isdigit():
            ids.add(int(event.target_id))
    files = []
    documents = IssuedDocument.objects.filter(pk__in=ids).exclude(pdf="").order_by("pk")
    for document in documents:
        with document.pdf.open("rb") as handle:
            data = handle.read()
        name = f"documents/{document.pk:06d}-{document.sha256[:16]}.pdf"
        files.append((name, data))
    return files


def document_downloadable_by(user, document) -> bool:
    """Who may download a signed PDF: the organisation's register readers, plus whoever the
    apps above allow through RELEASE_DOWNLOAD_ACCESS (e.g. the journalist of the case)."""
    from django.conf import settings
    from django.utils.module_loading import import_string

    from .access import can_read_register

    if can_read_register(user, document.organisation):
        return True
    return any(
        import_string(path)(user, document)
        for path in getattr(settings, "RELEASE_DOWNLOAD_ACCESS", [])
    )


def document_embargoed_for(user, document) -> bool:
    """True when an app above holds `document` back from `user` (RELEASE_EMBARGO_POLICY, e.g.
    the newsroom's embargo): verification and download then treat it as unknown."""
    from django.conf import settings
    from django.utils.module_loading import import_string

    return any(
        import_string(path)(user, document)
        for path in getattr(settings, "RELEASE_EMBARGO_POLICY", [])
    )
