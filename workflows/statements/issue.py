"""Issue a signed statement and schedule its publication; follow its document's fate."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from release import services as release_services
from release.models import DocType
from release.newsroom import publication
from workflows.engine.ledger import artifact_record
from workflows.engine.letters import Letter, member_unit
from workflows.engine.selectors import may_review, may_sign
from workflows.engine.signoff import draft_signer, signer_title
from workflows.notifications import messages as notifications

from .fields import ANNEX_MARK, statement_snapshot
from .models import Statement


def _recipients(statement: Statement) -> list[str]:
    if statement.kind == Statement.Kind.ANNUAL_REPORT:
        return [statement.organisation.annual_report_recipient.strip() or _("Cơ quan cấp trên")]
    if statement.kind == Statement.Kind.CORRECTION:
        return [statement.article_outlet]
    if statement.kind == Statement.Kind.CONFERENCE:
        names = [a.name for a in statement.invited_agencies.all()]
        return names or [_("Các cơ quan báo chí")]
    return [_("Các cơ quan báo chí"), _("Cổng thông tin điện tử của cơ quan")]


def _document_body(statement: Statement) -> str:
    if statement.kind == Statement.Kind.ANNUAL_REPORT:
        return _annual_report_body(statement)
    parts = [statement.body]
    if statement.kind == Statement.Kind.CONFERENCE and statement.conference_at:
        # Giấy mời, Mẫu 1.7: “… trân trọng kính mời: …” (the body), then Tới dự, Chủ trì,
        # Thời gian, Địa điểm, one paragraph each.
        when = timezone.localtime(statement.conference_at)
        lines = []
        if statement.conference_content:
            lines.append(
                _("Tới dự: %(c)s.") % {"c": statement.conference_content.strip().rstrip(".")}
            )
        if statement.conference_chair:
            lines.append(_("Chủ trì: %(c)s.") % {"c": statement.conference_chair.rstrip(".")})
        lines.append(
            _("Thời gian: %(t)s.\nĐịa điểm: %(p)s.")
            % {"t": f"{when:%H:%M} ngày {when:%d/%m/%Y}", "p": statement.conference_place}
        )
        parts.extend("\n".join(lines).splitlines())  # one paragraph each
    if statement.kind == Statement.Kind.CORRECTION and statement.article_url:
        parts.append(
            _("Bài báo: %(t)s — %(o)s, %(u)s")
            % {
                "t": statement.article_title or "…",
                "o": statement.article_outlet,
                "u": statement.article_url,
            }
        )
    return "\n\n".join(p for p in parts if p)


def _annual_report_body(statement: Statement) -> str:
    """The narrative with the figures table at its mark (or after the narrative)."""
    table = statement.annex.strip()
    body = statement.body
    if ANNEX_MARK in body:
        return body.replace(ANNEX_MARK, table, 1)
    return "\n\n".join(p for p in (body, table) if p)


def correction_summary(statement: Statement) -> str:
    """The trích yếu (after “V/v”) of a demand for correction."""
    summary = "đề nghị cải chính thông tin sai sự thật"
    if statement.article_title:
        summary += f" trong bài “{statement.article_title}”"
    if statement.article_outlet:
        summary += f" đăng trên {statement.article_outlet}"
    if statement.article_published_on:
        summary += f" ngày {statement.article_published_on:%d/%m/%Y}"
    return summary


def _letter(statement: Statement) -> Letter:
    """A demand for correction as a công văn to the press agency that published."""
    outlet = statement.article_outlet.strip()
    return Letter(
        summary=correction_summary(statement),
        body=_document_body(statement),
        addressees=[outlet],
        recipients=_recipients(statement),
        unit=member_unit(statement.author, statement.organisation),
    )


def _document_fields(statement: Statement) -> dict:
    if statement.doc_type == DocType.CONG_VAN:
        return _letter(statement).document_fields()
    return {
        "doc_type": statement.doc_type,
        "summary": statement.title,
        "body": _document_body(statement),
        "recipients": _recipients(statement),
    }


def statement_draft_pdf(*, statement: Statement, viewer) -> bytes:
    """The document a sign-off would issue, as a "DỰ THẢO" PDF (the reviewer's and signer's
    preview): the same text and template as `statement_release`, without a number."""
    return release_services.document_draft_pdf(
        organisation=statement.organisation,
        **_document_fields(statement),
        **draft_signer(statement, viewer),
    )


def statement_recipients(statement: Statement) -> list[str]:
    """Nơi nhận of the statement's document."""
    return _recipients(statement)


def statement_release(*, statement: Statement):
    """Issue the signed document and schedule its publication (the flow's Function node)."""
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    document = release_services.document_issue(
        organisation=statement.organisation,
        **_document_fields(statement),
        signer=statement.signer,
        authority=statement.signing_authority,
        signer_title=signer_title(statement),
        by=statement.signer,
        subject=statement,
    )
    if statement.kind not in Statement.UNPUBLISHED_KINDS:
        publication.publication_schedule(
            document=document,
            title=statement.title,
            body=_document_body(statement),
            embargo_at=statement.embargo_at,
            by=statement.signer,
        )
    statement.document = document
    statement.save(update_fields=["document", "updated_at"])
    artifact_record(
        statement, "statement.release", None, after={"document": document.pk}, role="system"
    )
    return document


def statement_document_issued(*, document) -> Statement | None:
    """The statement's document is signed and registered: it is released (published at its
    embargo time by the release app)."""
    statement = Statement.objects.select_for_update().filter(document=document).first()
    if statement is None or statement.status != Statement.Status.RELEASING:
        return statement
    before = statement_snapshot(statement)
    statement.status = Statement.Status.RELEASED
    statement.released_at = document.issued_at or timezone.now()
    statement.save(update_fields=["status", "released_at", "updated_at"])
    artifact_record(
        statement,
        "statement.released",
        None,
        before=before,
        after={**statement_snapshot(statement), "on_time": statement.on_time},
        role="system",
    )
    transaction.on_commit(
        lambda: notifications.notify_statement_released(statement_id=statement.pk)
    )
    return statement


def statement_document_cancelled(*, document) -> Statement | None:
    """The released document was recalled (thu hồi): the statement no longer stands (it no
    longer meets a periodic schedule) and the recall is on its trail."""
    statement = Statement.objects.select_for_update().filter(document=document).first()
    if statement is None or statement.status != Statement.Status.RELEASED:
        return statement
    before = statement_snapshot(statement)
    statement.status = Statement.Status.RECALLED
    statement.last_comment = document.cancel_reason
    statement.save(update_fields=["status", "last_comment", "updated_at"])
    artifact_record(
        statement,
        "statement.recalled",
        document.cancelled_by,
        before=before,
        after={**statement_snapshot(statement), "reason": document.cancel_reason},
    )
    return statement


@transaction.atomic
def statement_record_attach(*, statement: Statement, by, text: str) -> Statement:
    """After a press conference: attach its record (transcript or summary) and publish it."""
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    if not (may_review(by, statement) or may_sign(by, statement)):
        raise PermissionDenied(
            _("Chỉ người phát ngôn hoặc lãnh đạo được công bố biên bản họp báo.")
        )
    if statement.kind != Statement.Kind.CONFERENCE:
        raise DomainError(_("Chỉ họp báo mới có biên bản."), code="invalid_kind")
    if statement.status != Statement.Status.RELEASED or statement.document is None:
        raise DomainError(_("Giấy mời họp báo chưa được phát hành."), code="invalid_state")
    if statement.conference_at and timezone.now() < statement.conference_at:
        raise DomainError(_("Buổi họp báo chưa diễn ra."), code="too_early", field="text")
    text = (text or "").strip()
    if not text:
        raise DomainError(
            _("Hãy nhập biên bản hoặc tóm tắt buổi họp báo."), code="text", field="text"
        )
    if len(text) > 100_000:
        raise DomainError(_("Nội dung dài tối đa 100.000 ký tự."), code="text", field="text")
    statement.record = text
    statement.record_at = timezone.now()
    statement.save(update_fields=["record", "record_at", "updated_at"])
    publication.publication_addendum_attach(
        publication=statement.document.publication, text=text, by=by
    )
    artifact_record(statement, "statement.record", by, after={"chars": len(text)})
    return statement
