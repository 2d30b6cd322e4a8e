"""The incoming register (sổ đăng ký văn bản đến): NĐ 30/2020 Art. 22–23 and Phụ lục IV.

A press agency's letter and a report forwarded by the press are registered with a số đến that
runs from 01 on 1 January per organisation. The number is taken under the same row lock as
the outgoing numbers (release.numbering), in a series of its own, so two văn thư registering
at once never get the same number and no number is skipped. Each registration and each
completion of an entry is written to the ledger.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import audit
from core.errors import DomainError
from roles.models import Role
from roles.selectors import actor_role

from .access import roles_in
from .models import IncomingDocument
from .numbering import number_allocate

# The incoming register's series key in RegisterSeries (the outgoing keys are doc-type keys).
INCOMING_SERIES = "van-ban-den"

# Who does what with an organisation's incoming register.
INCOMING_REGISTRARS = (Role.REGISTRY_OFFICER,)
INCOMING_READERS = (
    Role.REGISTRY_OFFICER,
    Role.SPECIALIST,
    Role.SPOKESPERSON,
    Role.HEAD,
    Role.DEPUTY_HEAD,
    Role.INSPECTOR,
)

COLUMNS_FIELDS = ("sender", "letter_number", "letter_date", "summary", "handler", "note")


def can_register(user, organisation) -> bool:
    """Only the organisation's văn thư registers incoming documents."""
    return bool(roles_in(user, organisation) & set(INCOMING_REGISTRARS))


def can_read(user, organisation) -> bool:
    """The organisation's staff and inspectors read its incoming register."""
    return bool(roles_in(user, organisation) & set(INCOMING_READERS))


def _clean(*, sender, letter_number, letter_date, summary, handler, note, received_at=None) -> dict:
    sender = (sender or "").strip()
    summary = (summary or "").strip()
    if not sender:
        raise DomainError(_("Hãy nhập tác giả (cơ quan gửi)."), code="sender", field="sender")
    if not summary:
        raise DomainError(
            _("Hãy nhập tên loại và trích yếu nội dung."), code="summary", field="summary"
        )
    if len(sender) > 255 or len(summary) > 500:
        raise DomainError(
            _("Tác giả dài tối đa 255 ký tự, trích yếu tối đa 500 ký tự."),
            code="too_long",
            field="summary" if len(summary) > 500 else "sender",
        )
    letter_number = (letter_number or "").strip()
    if len(letter_number) > 60:
        raise DomainError(
            _("Số, ký hiệu dài tối đa 60 ký tự."), code="letter_number", field="letter_number"
        )
    if letter_date is not None and not isinstance(letter_date, date):
        raise DomainError(
            _("Ngày tháng văn bản không hợp lệ."), code="letter_date", field="letter_date"
        )
    today = timezone.localdate()
    if letter_date is not None and letter_date > today:
        raise DomainError(
            _("Ngày tháng văn bản không được ở tương lai."), code="letter_date", field="letter_date"
        )
    if received_at is not None and received_at > timezone.now() + timedelta(minutes=5):
        raise DomainError(
            _("Ngày đến không được ở tương lai."), code="received_at", field="received_at"
        )
    return {
        "sender": sender,
        "letter_number": letter_number,
        "letter_date": letter_date,
        "summary": summary,
        "handler": (handler or "").strip()[:255],
        "note": (note or "").strip()[:255],
    }


def _snapshot(entry: IncomingDocument) -> dict:
    return {
        "number": entry.number,
        "year": entry.year,
        "received_at": entry.received_at.isoformat(),
        "sender": entry.sender,
        "letter_number": entry.letter_number,
        "letter_date": entry.letter_date.isoformat() if entry.letter_date else None,
        "summary": entry.summary,
        "handler": entry.handler,
        "subject": entry.subject_label,
    }


@transaction.atomic
def incoming_register(
    *,
    organisation,
    sender: str,
    summary: str,
    by=None,
    received_at: datetime | None = None,
    letter_number: str = "",
    letter_date: date | None = None,
    handler: str = "",
    note: str = "",
    subject=None,
    subject_label: str = "",
    system: bool = False,
) -> IncomingDocument:
    """Register an incoming document and give it the next số đến of its year.

    `system=True` is the intake registering a press letter as the case arrives (no văn thư
    is at work yet: the ledger records the system); otherwise `by` must be the
    organisation's văn thư.
    """
    if not system and not can_register(by, organisation):
        raise PermissionDenied(_("Chỉ văn thư của cơ quan được vào sổ văn bản đến."))
    received_at = received_at or timezone.now()
    values = _clean(
        sender=sender,
        letter_number=letter_number,
        letter_date=letter_date,
        summary=summary,
        handler=handler,
        note=note,
        received_at=received_at,
    )
    year = timezone.localtime(received_at).year
    number = number_allocate(organisation=organisation, year=year, series=INCOMING_SERIES)
    entry = IncomingDocument(
        organisation=organisation,
        year=year,
        number=number,
        received_at=received_at,
        # The intake registers on its own: no văn thư wrote this entry.
        registered_by=None if system else by,
        subject_label=(subject_label or "")[:60],
        **values,
    )
    if entry.handler:
        entry.dispatched_at = received_at
    if subject is not None:
        entry.subject_content_type = ContentType.objects.get_for_model(subject)
        entry.subject_object_id = subject.pk
    entry.save()
    audit.record(
        action="incoming.register",
        actor=None if system else by,
        actor_role="system" if system else actor_role(by, organisation),
        organisation=organisation,
        target=entry,
        after=_snapshot(entry),
    )
    return entry


@transaction.atomic
def incoming_update(*, entry: IncomingDocument, by, **fields) -> IncomingDocument:
    """The văn thư completes an entry (the letter's number and date, who handles it…).

    The số đến and the ngày đến never change: they are the register's own record.
    """
    if not can_register(by, entry.organisation):
        raise PermissionDenied(_("Chỉ văn thư của cơ quan được sửa sổ văn bản đến."))
    entry = IncomingDocument.objects.select_for_update().get(pk=entry.pk)
    before = _snapshot(entry)
    current = {name: getattr(entry, name) for name in COLUMNS_FIELDS}
    current.update({k: v for k, v in fields.items() if k in COLUMNS_FIELDS})
    values = _clean(**current)
    for name, value in values.items():
        setattr(entry, name, value)
    if entry.handler and entry.dispatched_at is None:
        # Ngày chuyển: the day the văn thư passed it to whoever handles it.
        entry.dispatched_at = timezone.now()
    entry.save()
    audit.record(
        action="incoming.update",
        actor=by,
        actor_role=actor_role(by, entry.organisation),
        organisation=entry.organisation,
        target=entry,
        before=before,
        after=_snapshot(entry),
    )
    return entry


def incoming_for(subject) -> IncomingDocument | None:
    """The register entry of what `subject` (a case) arrived with, if any."""
    return (
        IncomingDocument.objects.filter(
            subject_content_type=ContentType.objects.get_for_model(subject),
            subject_object_id=subject.pk,
        )
        .order_by("number")
        .first()
    )
