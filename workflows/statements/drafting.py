"""Open a statement (its flow starts at drafting) and withdraw one before it is signed.

This module starts and cancels flows, so it imports `workflows.flows` at top level; nothing
the flows import may import it (views, commands and the API call it from above).
"""

import contextlib
import uuid
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.status import PROCESS

from core.errors import DomainError
from roles.models import PressAgency
from roles.selectors import plan_topics_resolve
from workflows.engine.ledger import artifact_record
from workflows.engine.selectors import may_review, may_sign
from workflows.flows import StatementFlow

from . import selectors
from .fields import (
    KIND_DOC_TYPES,
    body_template,
    statement_clean,
    statement_deadline,
    statement_snapshot,
)
from .models import Statement, reference_for


@transaction.atomic
def statement_create(
    *,
    organisation,
    by,
    kind: str,
    title: str,
    body: str = "",
    doc_type: str = "",
    clock_start_at=None,
    event_summary: str = "",
    embargo_at=None,
    article_outlet: str = "",
    article_title: str = "",
    article_url: str = "",
    article_published_on=None,
    conference_at=None,
    conference_place: str = "",
    conference_content: str = "",
    conference_chair: str = "",
    invited_agencies=(),
    topics=(),
    author=None,
    annex: str | None = None,
    due_at=None,
    due_explanation: str = "",
) -> Statement:
    """Open a statement and start its flow at the drafting step.

    `topics`: plan topics (instances or ids), active ones of the organisation for this year.
    An annual report (opened by `reports`, which passes its figures table as `annex`) may be
    held by another `author` than who opens it: the head opens it, the spokesperson writes."""
    if not selectors.may_create_statement(by, organisation):
        raise PermissionDenied(
            _("Chỉ chuyên viên hoặc người phát ngôn của cơ quan được soạn thông tin phát ngôn.")
        )
    if kind not in Statement.Kind.values:
        raise DomainError(_("Loại thông tin không hợp lệ."), code="kind", field="kind")
    if (kind == Statement.Kind.ANNUAL_REPORT) != (annex is not None):
        raise DomainError(
            _("Báo cáo công tác phát ngôn năm chỉ được tạo từ trang Báo cáo, thống kê."),
            code="kind",
            field="kind",
        )
    author = author or by
    if author != by and not selectors.may_create_statement(author, organisation):
        raise PermissionDenied(
            _("Người soạn phải là người phát ngôn hoặc chuyên viên của cơ quan.")
        )
    doc_type = doc_type or KIND_DOC_TYPES[kind][0]
    if doc_type not in KIND_DOC_TYPES[kind]:
        raise DomainError(
            _("Loại văn bản này không dùng cho loại thông tin đã chọn."),
            code="doc_type",
            field="doc_type",
        )
    now = timezone.now()
    topics = plan_topics_resolve(
        organisation=organisation, year=timezone.localtime(now).year, topics=topics
    )
    if clock_start_at is not None and clock_start_at > now + timedelta(minutes=5):
        raise DomainError(
            _("Thời điểm bắt đầu tính hạn không được ở tương lai."),
            code="clock_start_at",
            field="clock_start_at",
        )
    statement = Statement(
        reference=f"tmp-{uuid.uuid4().hex[:24]}",
        organisation=organisation,
        kind=kind,
        doc_type=doc_type,
        title=title,
        body=body or "",
        author=author,
        annex=annex or "",
        clock_start_at=clock_start_at if kind in Statement.CLOCKED_KINDS else None,
        event_summary=(event_summary or "").strip(),
        embargo_at=embargo_at,
        article_outlet=(article_outlet or "").strip()[:255],
        article_title=(article_title or "").strip()[:500],
        article_url=(article_url or "").strip(),
        article_published_on=article_published_on,
        conference_at=conference_at,
        conference_place=(conference_place or "").strip()[:300],
        conference_content=(conference_content or "").strip(),
        conference_chair=(conference_chair or "").strip()[:255],
        status=Statement.Status.DRAFTING,
    )
    if kind == Statement.Kind.CORRECTION and statement.clock_start_at is None:
        statement.clock_start_at = now  # the agency handles it from now (urgent)
    statement_deadline(statement)
    if due_at is not None and kind not in Statement.CLOCKED_KINDS:
        statement.due_at = due_at  # a date to meet, shown; no legal hour clock
        statement.due_explanation = due_explanation
    statement_clean(statement, now=now, for_submit=False)
    if not statement.body:
        statement.body = body_template(statement, year=due_at.year if due_at else None)
    statement.save()
    statement.reference = reference_for(statement.pk, timezone.localtime(statement.created_at).year)
    statement.save(update_fields=["reference"])
    agencies = list(invited_agencies or [])
    if agencies:
        if any(not isinstance(a, PressAgency) for a in agencies):
            agencies = list(
                PressAgency.objects.filter(pk__in=[getattr(a, "pk", a) for a in agencies])
            )
        statement.invited_agencies.set(agencies)
    if topics:
        statement.topics.set(topics)
    artifact_record(
        statement,
        "statement.create",
        by,
        after={
            **statement_snapshot(statement),
            "reference": statement.reference,
            "kind": kind,
            "due_explanation": statement.due_explanation,
            **({"topics": [t.number for t in topics]} if topics else {}),
        },
    )
    StatementFlow.start.run(statement=statement)
    return statement


def statement_withdraw(*, statement: Statement, by, reason: str) -> Statement:
    """The spokesperson or the head drops a statement before it is signed; its flow ends."""
    process = (
        statement.processes.exclude(status__in=[PROCESS.DONE, PROCESS.CANCELED])
        .order_by("-pk")
        .first()
    )
    lock = StatementFlow.lock(process.pk) if process else contextlib.nullcontext()
    with lock, transaction.atomic():
        statement = Statement.objects.select_for_update().get(pk=statement.pk)
        if not (may_review(by, statement) or may_sign(by, statement)):
            raise PermissionDenied(_("Chỉ người phát ngôn hoặc lãnh đạo được hủy thông tin."))
        if statement.status not in (
            Statement.Status.DRAFTING,
            Statement.Status.REVIEW,
            Statement.Status.SIGNOFF,
        ):
            raise DomainError(_("Chỉ hủy được thông tin chưa ký ban hành."), code="invalid_state")
        reason = (reason or "").strip()
        if not reason:
            raise DomainError(_("Hãy ghi lý do hủy."), code="reason", field="reason")
        before = statement_snapshot(statement)
        statement.status = Statement.Status.WITHDRAWN
        statement.last_comment = reason[:4000]
        statement.save(update_fields=["status", "last_comment", "updated_at"])
        if process is not None:
            StatementFlow.instance.cancel(process)
        artifact_record(
            statement,
            "statement.withdraw",
            by,
            before=before,
            after={**statement_snapshot(statement), "reason": reason},
        )
    return statement
