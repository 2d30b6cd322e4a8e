"""Read the ledger: who may read what, filtered event lists, timelines, chain status."""

import re

from django.apps import apps
from django.conf import settings
from django.db.models import Q
from django.utils.module_loading import import_string

from .models import AuditAnchor, LedgerEvent, VerificationRun


def _fallback_policy(user):
    # Until the injected policy exists, only superusers may inspect.
    return "all" if user.is_superuser else None


def access_scope(user) -> None | str | list[str]:
    """Return "all", the organisation codes `user` may inspect, or None (no access)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    try:
        policy = import_string(settings.AUDIT_ACCESS_POLICY)
    except ImportError:
        policy = _fallback_policy
    scope = policy(user)
    if scope is None or scope == "all":
        return scope
    return list(scope)


def events_in_scope(scope):
    """Events whose organisation lies in `scope` (nothing for None)."""
    qs = LedgerEvent.objects.all()
    if scope == "all":
        return qs
    if not scope:
        return qs.none()
    return qs.filter(organisation_code__in=scope)


_DOCUMENT_NUMBER = re.compile(r"^\s*(\d{1,6})\s*/\s*(\S.*?)\s*$")


def events_about(qs, reference: str):
    """Keep the events about what `reference` names, as an inspector would type it.

    A case's or statement's reference ("HS-2026-000003"; older cases keep "PA-…") gives its own events and those of
    the documents issued for it; a document's number ("06/TB-PGDĐT") gives that document's.
    The models are looked up by name: the ledger imports no app above it.
    """
    reference = reference.strip()
    match = Q(pk__in=[])
    documents = apps.get_model("release", "IssuedDocument")._default_manager
    subjects = Q(pk__in=[])
    for label in ("workflows.case", "workflows.statement"):
        model = apps.get_model(label)
        pks = list(
            model._default_manager.filter(reference__iexact=reference).values_list("pk", flat=True)
        )
        if pks:
            ids = [str(pk) for pk in pks]
            match |= Q(target_type=label, target_id__in=ids)
            subjects |= Q(
                subject_content_type__app_label=model._meta.app_label,
                subject_content_type__model=model._meta.model_name,
                subject_object_id__in=pks,
            )
    doc_ids = set(documents.filter(subjects).values_list("pk", flat=True))
    number = _DOCUMENT_NUMBER.match(reference)
    if number:
        doc_ids |= set(
            documents.filter(
                number=int(number.group(1)), symbol__iexact=number.group(2)
            ).values_list("pk", flat=True)
        )
    if doc_ids:
        match |= Q(target_type="release.issueddocument", target_id__in=[str(i) for i in doc_ids])
    return qs.filter(match)


def chain_status() -> dict:
    """Head of the ledger, last anchor and last verification result."""
    head = LedgerEvent.objects.order_by("-seq").values("seq", "hash", "at").first()
    return {
        "head": head,
        "last_anchor": AuditAnchor.objects.order_by("-seq", "-pk").first(),
        "last_run": VerificationRun.objects.order_by("-finished_at").first(),
        "anchor_count": AuditAnchor.objects.count(),
    }
