"""Distribution of public statements: e-mail the signed PDF to the organisation's press list.

Deliveries are created once per publication and sent in batches by Celery
(release.newsroom.tasks); a minute sweep catches a lost task or batch.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

import audit
from core.errors import DomainError
from core.tasks import task_send_on_commit
from release.models import IssuedDocument
from release.services import document_dispatched
from roles.selectors import actor_role

from .access import can_manage_distribution
from .models import Delivery, Publication, Subscription
from .publication import publication_is_public, publication_url
from .subscriptions import unsubscribe_url

logger = logging.getLogger(__name__)


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def deliveries_failed(organisation) -> QuerySet[Delivery]:
    return (
        Delivery.objects.filter(
            publication__organisation=organisation, status=Delivery.Status.FAILED
        )
        .select_related("publication", "publication__document", "subscription")
        .order_by("-publication__publish_at", "pk")
    )


def batch_size() -> int:
    return max(1, int(getattr(settings, "RELEASE_DISTRIBUTION_BATCH", 50)))


def publication_distribute(
    publication_id: int, now: datetime | None = None
) -> tuple[str, list[list[int]]]:
    """Create the deliveries of a public, undistributed publication (idempotent).

    Returns ("missing" | "not_public" | "later" | "done" | "distributed", batches of
    Delivery ids); the caller sends the batches after the commit.
    """
    now = _now(now)
    with transaction.atomic():
        publication = (
            Publication.objects.select_for_update(of=("self",))
            .select_related("organisation", "document")
            .filter(pk=publication_id)
            .first()
        )
        if publication is None:
            return "missing", []
        if publication.distributed_at is not None:
            return "done", []
        if not publication_is_public(publication, now):
            if (
                publication.document.status == IssuedDocument.Status.ISSUED
                and publication.publish_at is not None
            ):
                return "later", []
            return "not_public", []
        publication.distributed_at = now
        publication.save(update_fields=["distributed_at"])
        document_dispatched(document=publication.document, at=now)
        subscriptions = list(
            Subscription.objects.filter(organisation=publication.organisation, active=True)
            .order_by("pk")
            .values_list("pk", "email")
        )
        Delivery.objects.bulk_create(
            [
                Delivery(publication=publication, subscription_id=pk, email=email)
                for pk, email in subscriptions
            ],
            ignore_conflicts=True,
        )
        ids = list(
            Delivery.objects.filter(
                publication=publication, status=Delivery.Status.PENDING
            ).values_list("pk", flat=True)
        )
        size = batch_size()
        batches = [ids[i : i + size] for i in range(0, len(ids), size)]
        audit.record(
            action="publication.distributed",
            actor_role="system",
            organisation=publication.organisation,
            target=publication,
            after={"deliveries": len(ids), "batches": len(batches)},
        )
    return "distributed", batches


def publications_due(now: datetime | None = None) -> list[int]:
    """Public publications not distributed yet (the beat's backstop for a lost eta task)."""
    return list(
        Publication.objects.filter(
            document__status=IssuedDocument.Status.ISSUED,
            publish_at__lte=_now(now),
            distributed_at__isnull=True,
        ).values_list("pk", flat=True)
    )


# A pending delivery older than this was lost between the commit and its task (worker or
# broker down): the minute sweep queues it again.
STALE_PENDING = timedelta(minutes=10)


def deliveries_stale(now: datetime | None = None) -> list[int]:
    """Pending deliveries whose batch never ran (sent again by the sweep, at most once a
    minute; a delivery already sent is skipped by `deliveries_send`)."""
    return list(
        Delivery.objects.filter(
            status=Delivery.Status.PENDING,
            created_at__lt=_now(now) - STALE_PENDING,
            subscription__active=True,
            publication__document__status=IssuedDocument.Status.ISSUED,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def delivery_message(delivery: Delivery, pdf: bytes | None) -> EmailMessage:
    """The e-mail of one delivery: Vietnamese text, the signed PDF, an unsubscribe link."""
    publication = delivery.publication
    document = publication.document
    organisation = publication.organisation
    link = unsubscribe_url(delivery.subscription)
    with translation.override(settings.LANGUAGE_CODE):
        # The document's own type ("Quyết định", "Giấy mời"…), not always "Thông cáo báo chí".
        subject = _("[%(org)s] %(kind)s: %(title)s") % {
            "org": organisation.name,
            "kind": document.get_doc_type_display(),
            "title": publication.title,
        }
        body = render_to_string(
            "release/email/publication.txt",
            {
                "publication": publication,
                "document": document,
                "organisation": organisation,
                "doc_date": document.doc_date.strftime("%d/%m/%Y"),
                "newsroom_url": settings.SITE_URL + publication_url(publication),
                "verify_url": settings.SITE_URL
                + reverse("release:verify", args=[document.verify_token]),
                "unsubscribe_url": link,
                "email": delivery.email,
                "has_pdf": pdf is not None,
            },
        )
    message = EmailMessage(
        subject=_one_line(subject)[:250],
        body=body,
        to=[delivery.email],
        headers={
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    if pdf is not None:
        filename = document.number_display.replace("/", "-") + ".pdf"
        message.attach(filename, pdf, "application/pdf")
    return message


def _read_pdf(document: IssuedDocument) -> bytes | None:
    if not document.pdf:
        return None
    with document.pdf.open("rb") as handle:
        return handle.read()


def deliveries_send(ids: list[int], *, final: bool = True) -> list[int]:
    """Send the pending/failed deliveries among `ids`; return the ids that failed.

    A delivery already sent is skipped (a retried task never mails twice). With `final`,
    each failure is written to the ledger (the task's last attempt).
    """
    pdfs: dict[int, bytes | None] = {}
    sent, failed, seen = [], [], []
    for delivery_id in sorted(ids):
        # One row locked while its mail goes out: a redelivered task never mails it twice.
        with transaction.atomic():
            delivery = (
                Delivery.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related(
                    "publication",
                    "publication__document",
                    "publication__organisation",
                    "subscription",
                )
                .filter(pk=delivery_id)
                .exclude(status=Delivery.Status.SENT)
                .first()
            )
            if delivery is None:
                continue
            seen.append(delivery)
            document = delivery.publication.document
            if document.status == IssuedDocument.Status.CANCELLED:
                continue  # withdrawn before its mail went out: never send it
            if not delivery.subscription.active:
                continue  # unsubscribed since the list was drawn up: never mail them again
            if document.pk not in pdfs:
                pdfs[document.pk] = _read_pdf(document)
            delivery.attempts += 1
            try:
                delivery_message(delivery, pdfs[document.pk]).send(fail_silently=False)
            except Exception as exc:  # noqa: BLE001 — any mail error is recorded and retried
                logger.warning("Delivery %s to %s failed: %s", delivery.pk, delivery.email, exc)
                delivery.status = Delivery.Status.FAILED
                delivery.last_error = f"{type(exc).__name__}: {exc}"[:2000]
                delivery.save(update_fields=["status", "attempts", "last_error"])
                failed.append(delivery)
            else:
                delivery.status = Delivery.Status.SENT
                delivery.sent_at = timezone.now()
                delivery.last_error = ""
                delivery.save(update_fields=["status", "attempts", "last_error", "sent_at"])
                sent.append(delivery)
    deliveries = seen
    by_publication: dict[int, Publication] = {d.publication_id: d.publication for d in deliveries}
    for publication in by_publication.values():
        ok = [d for d in sent if d.publication_id == publication.pk]
        bad = [d for d in failed if d.publication_id == publication.pk]
        if ok or bad:
            audit.record(
                action="publication.delivered",
                actor_role="system",
                organisation=publication.organisation,
                target=publication,
                after={"sent": len(ok), "failed": len(bad), "final": final},
            )
        if final:
            for delivery in bad:
                audit.record(
                    action="publication.delivery_failed",
                    actor_role="system",
                    organisation=publication.organisation,
                    target=delivery,
                    after={
                        "email": delivery.email,
                        "attempts": delivery.attempts,
                        "error": delivery.last_error[:300],
                    },
                )
    return [d.pk for d in failed]


def delivery_retry(*, delivery: Delivery, by) -> Delivery:
    """Staff: send a failed delivery again."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(of=("self",))
            .select_related("publication", "publication__organisation", "publication__document")
            .get(pk=delivery.pk)
        )
        organisation = delivery.publication.organisation
        if not can_manage_distribution(by, organisation):
            raise DomainError(
                _("Chỉ người phát ngôn, văn thư hoặc người đứng đầu cơ quan được gửi lại."),
                code="forbidden",
            )
        if delivery.status != Delivery.Status.FAILED:
            raise DomainError(_("Chỉ gửi lại được thư bị lỗi."), code="not_failed")
        if delivery.publication.document.status == IssuedDocument.Status.CANCELLED:
            raise DomainError(_("Văn bản đã bị thu hồi."), code="cancelled")
        delivery.status = Delivery.Status.PENDING
        delivery.save(update_fields=["status"])
        audit.record(
            action="publication.delivery_retry",
            actor=by,
            actor_role=actor_role(by, organisation),
            organisation=organisation,
            target=delivery,
            after={"email": delivery.email, "attempts": delivery.attempts},
        )
        from .tasks import deliveries_send_task

        # A lost send is caught by the minute sweep (stale deliveries are sent again).
        task_send_on_commit(deliveries_send_task, [delivery.pk])
    return delivery
