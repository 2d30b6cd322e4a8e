"""Publication of press statements: the public newsroom, the embargo and e-mail distribution.

Services and selectors in one module. A `Publication` belongs to an issued document (a
thông cáo báo chí); it becomes public once the document is issued and its `publish_at`
(the later of the embargo and the issue time) has passed. Distribution mails the signed PDF
to the organisation's active subscriptions in batches (release.tasks). Every change is
written to the audit ledger.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

import audit
from core.tasks import task_send_on_commit
from roles.errors import DomainError
from roles.models import Role
from roles.selectors import spokesperson_is_valid, user_roles

from .models import Delivery, IssuedDocument, Publication, Subscription
from .text import search_key, unaccent

logger = logging.getLogger(__name__)

TITLE_MAX = 300
UNSUBSCRIBE_SALT = "release.unsubscribe"
# Who keeps the distribution list and resends failed e-mails.
DISTRIBUTION_ROLES = (Role.SPOKESPERSON, Role.REGISTRY_OFFICER, Role.HEAD)
# Who may attach the record of a press conference to a publication.
ADDENDUM_ROLES = (Role.SPOKESPERSON, Role.REGISTRY_OFFICER, Role.HEAD, Role.DEPUTY_HEAD)
MAX_SEND_ATTEMPTS = 4  # the first try and 3 retries


# ---------------------------------------------------------------- helpers


def slug_for(title: str) -> str:
    """The URL slug of a title (ASCII, at most 80 characters, never empty)."""
    slug = slugify(unaccent(title))[:80].strip("-")
    return slug or "thong-cao"


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _actor_role(user, organisation) -> str:
    roles = sorted(user_roles(user, organisation))
    if roles:
        return ",".join(roles)
    return "system" if user is None else ""


def _snapshot(publication: Publication) -> dict:
    def iso(value):
        return value.isoformat() if value else None

    return {
        "document": publication.document.number_display,
        "title": publication.title,
        "embargo_at": iso(publication.embargo_at),
        "publish_at": iso(publication.publish_at),
    }


def can_manage_distribution(user, organisation) -> bool:
    """The organisation's spokesperson, registry officer or head keep its press list."""
    return bool(user_roles(user, organisation) & set(DISTRIBUTION_ROLES))


def is_organisation_staff(user, organisation) -> bool:
    return bool(user_roles(user, organisation))


# ---------------------------------------------------------------- selectors


def publications_public(now: datetime | None = None) -> QuerySet[Publication]:
    """What the newsroom shows: issued documents whose publish_at has passed, newest first."""
    return (
        Publication.objects.filter(
            document__status=IssuedDocument.Status.ISSUED, publish_at__lte=_now(now)
        )
        .select_related("organisation", "document")
        .order_by("-publish_at", "-pk")
    )


def publication_is_public(publication: Publication, now: datetime | None = None) -> bool:
    return (
        publication.document.status == IssuedDocument.Status.ISSUED
        and publication.publish_at is not None
        and publication.publish_at <= _now(now)
    )


def publication_was_published(publication: Publication, now: datetime | None = None) -> bool:
    """True once publish_at has passed with the document issued — even if it was withdrawn
    (thu hồi) afterwards. A document recalled before its publication time never was public:
    its title and the reason for the recall stay internal."""
    if publication.publish_at is None or publication.publish_at > _now(now):
        return False
    document = publication.document
    if document.status == IssuedDocument.Status.CANCELLED:
        return document.cancelled_at is not None and document.cancelled_at >= publication.publish_at
    return document.status == IssuedDocument.Status.ISSUED


def publications_search(
    qs: QuerySet[Publication], query: str = "", organisation=None
) -> QuerySet[Publication]:
    """Filter by organisation and a search text (title, body, number or "12/TC-SGDĐT")."""
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    query = (query or "").strip()[:200]
    if query:
        # With or without diacritics, in any case: "thong cao" finds "Thông cáo".
        condition = Q(search_text__contains=search_key(query))
        condition |= Q(document__symbol__icontains=query)
        match = re.fullmatch(r"0*(\d{1,9})(?:\s*/\s*(.+))?", query)
        if match:
            number = Q(document__number=int(match.group(1)))
            if match.group(2):
                number &= Q(document__symbol__icontains=match.group(2).strip())
            condition |= number
        qs = qs.filter(condition)
    return qs


def document_embargoed_for(document: IssuedDocument, user, now: datetime | None = None) -> bool:
    """True when `document` belongs to a publication not yet public and `user` is not staff
    of its organisation: such a document must look unknown (verification, download)."""
    publication = (
        Publication.objects.filter(document_id=document.pk).select_related("document").first()
    )
    if publication is None or publication_was_published(publication, now):
        return False
    return not is_organisation_staff(user, document.organisation)


def verify_result_masked(result: dict, user, now: datetime | None = None) -> dict:
    """Hide an embargoed document from an upload check (it looks like an unregistered file)."""
    info = result.get("document")
    if not info:
        return result
    document = (
        IssuedDocument.objects.select_related("organisation")
        .filter(verify_token=info.get("verify_token"))
        .first()
    )
    if document is None or not document_embargoed_for(document, user, now):
        return result
    masked = {**result, "registered": False, "document": None}
    if masked["status"] in ("valid", "cancelled"):
        masked["status"] = "unknown"
    return masked


def publication_url(publication: Publication) -> str:
    return reverse(
        "release:publication",
        args=[publication.organisation.code, publication.pk, publication.slug or "thong-cao"],
    )


def publication_pdf_url(publication: Publication) -> str:
    return reverse("release:publication-pdf", args=[publication.organisation.code, publication.pk])


def subscriptions_active(organisation) -> QuerySet[Subscription]:
    return Subscription.objects.filter(organisation=organisation, active=True).select_related(
        "press_agency", "user"
    )


def deliveries_failed(organisation) -> QuerySet[Delivery]:
    return (
        Delivery.objects.filter(
            publication__organisation=organisation, status=Delivery.Status.FAILED
        )
        .select_related("publication", "publication__document", "subscription")
        .order_by("-publication__publish_at", "pk")
    )


# ---------------------------------------------------------------- schedule and publish


def publication_schedule(
    *,
    document: IssuedDocument,
    title: str,
    body: str,
    embargo_at: datetime | None = None,
    by,
    request=None,
) -> Publication:
    """Attach a publication to a numbered document; it goes public once the document is
    issued and the embargo (if any) has passed."""
    title = " ".join((title or "").split())
    if not title:
        raise DomainError(_("Tiêu đề thông cáo không được để trống."), code="title", field="title")
    if len(title) > TITLE_MAX:
        raise DomainError(
            _("Tiêu đề thông cáo dài quá %(n)d ký tự.") % {"n": TITLE_MAX},
            code="title",
            field="title",
        )
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise DomainError(_("Nội dung thông cáo không được để trống."), code="body", field="body")
    if embargo_at is not None and timezone.is_naive(embargo_at):
        raise DomainError(
            _("Thời điểm cấm đăng phải có múi giờ."), code="embargo_at", field="embargo_at"
        )
    if document.status == IssuedDocument.Status.CANCELLED:
        raise DomainError(_("Văn bản đã bị thu hồi."), code="cancelled")
    if Publication.objects.filter(document_id=document.pk).exists():
        raise DomainError(_("Văn bản này đã có thông cáo công bố."), code="duplicate")
    publication = Publication.objects.create(
        organisation=document.organisation,
        document=document,
        title=title,
        slug=slug_for(title),
        body=body,
        embargo_at=embargo_at,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    audit.record(
        action="publication.scheduled",
        actor=by,
        actor_role=_actor_role(by, document.organisation),
        organisation=document.organisation,
        target=publication,
        after=_snapshot(publication),
        request=request,
    )
    if document.status == IssuedDocument.Status.ISSUED:
        # Scheduled after the document was issued: publish now (or at the embargo).
        _publish_at_set(publication, document)
    return publication


def publication_document_issued(document: IssuedDocument) -> Publication | None:
    """Called by the issue step inside its transaction: fill publish_at, plan distribution."""
    publication = Publication.objects.filter(document_id=document.pk).first()
    if publication is None:
        return None
    publication.document = document
    _publish_at_set(publication, document)
    return publication


def _publish_at_set(publication: Publication, document: IssuedDocument) -> None:
    issued_at = document.issued_at or timezone.now()
    embargo = publication.embargo_at
    publication.publish_at = max(embargo, issued_at) if embargo else issued_at
    publication.save(update_fields=["publish_at"])
    audit.record(
        action="publication.publish_at_set",
        actor_role="system",
        organisation=document.organisation,
        target=publication,
        after=_snapshot(publication),
    )
    _schedule_distribution(publication)


def _schedule_distribution(publication: Publication) -> None:
    from .tasks import publication_distribute_task

    # A lost send is caught by the minute sweep (publications_due_sweep).
    task_send_on_commit(publication_distribute_task, publication.pk, eta=publication.publish_at)


def publication_addendum_attach(
    *, publication: Publication, text: str, by, request=None
) -> Publication:
    """Add (or replace) the record of a press conference, shown on the public page."""
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise DomainError(_("Nội dung bổ sung không được để trống."), code="addendum", field="text")
    with transaction.atomic():
        publication = (
            Publication.objects.select_for_update()
            .select_related("organisation", "document")
            .get(pk=publication.pk)
        )
        if not (
            user_roles(by, publication.organisation) & set(ADDENDUM_ROLES)
            or spokesperson_is_valid(by, publication.organisation, on=timezone.localdate())
        ):
            raise DomainError(
                _("Chỉ người phát ngôn, văn thư hoặc lãnh đạo cơ quan được bổ sung thông cáo."),
                code="forbidden",
            )
        if publication.document.status == IssuedDocument.Status.CANCELLED:
            raise DomainError(_("Văn bản đã bị thu hồi."), code="cancelled")
        before = {"addendum": publication.addendum[:500]} if publication.addendum else None
        publication.addendum = text
        publication.addendum_at = timezone.now()
        publication.save(update_fields=["addendum", "addendum_at"])
        audit.record(
            action="publication.addendum",
            actor=by,
            actor_role=_actor_role(by, publication.organisation),
            organisation=publication.organisation,
            target=publication,
            before=before,
            after={"addendum": text[:500], "length": len(text)},
            request=request,
        )
    return publication


# ---------------------------------------------------------------- distribution


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
        from .services import document_dispatched

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


def unsubscribe_token(subscription: Subscription) -> str:
    return signing.dumps({"s": subscription.pk, "e": subscription.email}, salt=UNSUBSCRIBE_SALT)


def subscription_from_token(token: str) -> Subscription | None:
    """The subscription an unsubscribe token names, or None for a bad or forged token."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    return (
        Subscription.objects.select_related("organisation")
        .filter(pk=data.get("s"), email=data.get("e"))
        .first()
    )


def unsubscribe_url(subscription: Subscription) -> str:
    return settings.SITE_URL + reverse(
        "release:unsubscribe", args=[unsubscribe_token(subscription)]
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
        subject = _("[%(org)s] Thông cáo báo chí: %(title)s") % {
            "org": organisation.name,
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


def delivery_retry(*, delivery: Delivery, by, request=None) -> Delivery:
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
            actor_role=_actor_role(by, organisation),
            organisation=organisation,
            target=delivery,
            after={"email": delivery.email, "attempts": delivery.attempts},
            request=request,
        )
        from .tasks import deliveries_send_task

        # A lost send is caught by the minute sweep (stale deliveries are sent again).
        task_send_on_commit(deliveries_send_task, [delivery.pk])
    return delivery


# ---------------------------------------------------------------- subscriptions


def _clean_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise DomainError(
            _("Địa chỉ thư điện tử không hợp lệ."), code="email", field="email"
        ) from exc
    return email


def _create_subscription(**fields) -> Subscription:
    organisation, email = fields["organisation"], fields["email"]
    if Subscription.objects.filter(organisation=organisation, email=email, active=True).exists():
        raise DomainError(
            _("Địa chỉ %(email)s đã có trong danh sách nhận thông cáo của cơ quan.")
            % {"email": email},
            code="duplicate",
            field="email",
        )
    try:
        with transaction.atomic():
            return Subscription.objects.create(**fields)
    except IntegrityError as exc:  # a concurrent request added it first
        raise DomainError(
            _("Địa chỉ %(email)s đã có trong danh sách nhận thông cáo của cơ quan.")
            % {"email": email},
            code="duplicate",
            field="email",
        ) from exc


def subscription_add(
    *, organisation, email: str, name: str = "", press_agency=None, by, request=None
) -> Subscription:
    """Staff: add a press agency's newsroom address to the organisation's list."""
    if not can_manage_distribution(by, organisation):
        raise DomainError(
            _("Chỉ người phát ngôn, văn thư hoặc người đứng đầu cơ quan quản lý danh sách."),
            code="forbidden",
        )
    email = _clean_email(email)
    name = (name or "").strip()[:255] or (press_agency.name if press_agency else "")
    with transaction.atomic():
        subscription = _create_subscription(
            organisation=organisation,
            email=email,
            name=name,
            press_agency=press_agency,
            created_by=by,
        )
        audit.record(
            action="subscription.added",
            actor=by,
            actor_role=_actor_role(by, organisation),
            organisation=organisation,
            target=subscription,
            after={"email": email, "name": name, "press_agency": getattr(press_agency, "pk", None)},
            request=request,
        )
    return subscription


def journalist_subscribe_refusal(user) -> str | None:
    """Why `user` may not subscribe themselves (None when they may)."""
    profile = getattr(user, "journalist_profile", None) if user.is_authenticated else None
    if profile is None:
        return _("Chỉ nhà báo có tài khoản trên hệ thống được tự đăng ký nhận thông cáo.")
    if not profile.is_accredited:
        return _(
            "Thẻ nhà báo của bạn chưa được xác minh hoặc đã hết hạn (trạng thái: %(s)s); "
            "chỉ nhà báo đã được xác minh mới tự đăng ký nhận thông cáo."
        ) % {"s": profile.get_effective_status_display()}
    if not user.email:
        return _("Tài khoản của bạn chưa có địa chỉ thư điện tử.")
    return None


def journalist_subscription(user, organisation) -> Subscription | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Subscription.objects.filter(organisation=organisation, user=user, active=True).first()


def subscription_self(*, organisation, user, request=None) -> Subscription:
    """An accredited journalist subscribes their own address."""
    refusal = journalist_subscribe_refusal(user)
    if refusal:
        raise DomainError(refusal, code="not_accredited")
    email = _clean_email(user.email)
    profile = user.journalist_profile
    with transaction.atomic():
        subscription = _create_subscription(
            organisation=organisation,
            email=email,
            name=user.get_full_name() or user.get_username(),
            user=user,
            press_agency=profile.press_agency,
            created_by=user,
        )
        audit.record(
            action="subscription.subscribed",
            actor=user,
            actor_role="journalist",
            organisation=organisation,
            target=subscription,
            after={"email": email},
            request=request,
        )
    return subscription


def _end(subscription: Subscription, *, action: str, by=None, request=None, role="") -> bool:
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
        if not subscription.active:
            return False
        subscription.active = False
        subscription.unsubscribed_at = timezone.now()
        subscription.save(update_fields=["active", "unsubscribed_at"])
        audit.record(
            action=action,
            actor=by,
            actor_role=role,
            organisation=subscription.organisation,
            target=subscription,
            after={"email": subscription.email},
            request=request,
        )
    return True


def subscription_deactivate(*, subscription: Subscription, by, request=None) -> bool:
    """Staff: take an address off the list (False when it was already off)."""
    if not can_manage_distribution(by, subscription.organisation):
        raise DomainError(
            _("Chỉ người phát ngôn, văn thư hoặc người đứng đầu cơ quan quản lý danh sách."),
            code="forbidden",
        )
    return _end(
        subscription,
        action="subscription.deactivated",
        by=by,
        request=request,
        role=_actor_role(by, subscription.organisation),
    )


def subscription_unsubscribe(*, subscription: Subscription, by=None, request=None) -> bool:
    """The addressee (unsubscribe link) or the journalist: stop receiving statements."""
    return _end(
        subscription,
        action="subscription.unsubscribed",
        by=by,
        request=request,
        role="subscriber",
    )
