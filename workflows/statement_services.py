"""Change outbound statements. Views, the REST API, Celery tasks and commands call these.

The same recipe as the case flow (services.py): guard (state + permission) → change → save →
ledger event, in one transaction, under the process lock. Task claiming and completing from
outside viewflow's views go through `services.task_claim` / `services.task_complete`, which
dispatch here for statements; deadlines come from the same rulebook (`deadlines`).
"""

import contextlib
import uuid
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from release.models import DocType
from roles import services as role_services
from roles.models import Membership, PressAgency, Role

from . import selectors
from .notifications import messages as notifications
from .rules import deadlines
from .services import _record, task_step
from .statement_models import Statement

# The documents each kind may be released as (the first is the default).
KIND_DOC_TYPES = {
    Statement.Kind.PERIODIC: (DocType.THONG_CAO, DocType.THONG_BAO),
    Statement.Kind.INITIAL: (DocType.THONG_CAO,),
    Statement.Kind.DIVERGENT: (DocType.THONG_CAO,),
    Statement.Kind.CORRECTION: (DocType.THONG_BAO,),
    Statement.Kind.CONFERENCE: (DocType.GIAY_MOI, DocType.THONG_BAO),
}

STATEMENT_STEP_ACTIONS = {
    "draft": ("submit",),
    "review": ("approve", "return"),
    "signoff": ("sign", "return"),
}
STATEMENT_STEP_STATUS = {
    "draft": Statement.Status.DRAFTING,
    "review": Statement.Status.REVIEW,
    "signoff": Statement.Status.SIGNOFF,
}

# Fields a drafter may change while the statement is in the drafting step.
EDITABLE_FIELDS = (
    "title",
    "body",
    "event_summary",
    "embargo_at",
    "article_outlet",
    "article_title",
    "article_url",
    "article_published_on",
    "conference_at",
    "conference_place",
)

# A starting text per kind, filled with the organisation's name.
BODY_TEMPLATES = {
    Statement.Kind.PERIODIC: (
        "{org} cung cấp thông tin định kỳ về hoạt động của ngành như sau:\n\n"
        "1. Kết quả nổi bật trong kỳ: …\n\n2. Nhiệm vụ trọng tâm kỳ tới: …"
    ),
    Statement.Kind.INITIAL: (
        "Ngày …, tại …, đã xảy ra sự việc …\n\n"
        "Ngay sau khi nắm được thông tin, {org} đã …\n\n"
        "{org} sẽ tiếp tục cung cấp thông tin khi có kết quả xác minh."
    ),
    Statement.Kind.DIVERGENT: (
        "Thời gian qua, dư luận có nhiều ý kiến khác nhau về …\n\n"
        "Về vấn đề này, {org} thông tin như sau: …"
    ),
    Statement.Kind.CORRECTION: (
        "Ngày {date}, {outlet} đăng bài “{article}” ({url}) có nội dung không đúng sự thật về {org}."
        "\n\nNội dung sai sự thật: …\n\nThông tin chính xác: …\n\n"
        "Căn cứ quy định về phát ngôn và cung cấp thông tin cho báo chí, {org} đề nghị "
        "{outlet} cải chính, xin lỗi và gỡ bỏ thông tin sai sự thật theo quy định của "
        "Luật Báo chí."
    ),
    Statement.Kind.CONFERENCE: (
        "{org} trân trọng kính mời đại diện các cơ quan báo chí tới dự họp báo.\n\nNội dung: …"
    ),
}


def body_template(statement: Statement) -> str:
    published = statement.article_published_on
    return BODY_TEMPLATES.get(statement.kind, "").format(
        org=statement.organisation.name,
        outlet=statement.article_outlet or "…",
        article=statement.article_title or "…",
        url=statement.article_url or "…",
        date=published.strftime("%d/%m/%Y") if published else "…",
    )


def _snapshot(statement: Statement) -> dict:
    data = model_to_dict(
        statement,
        fields=[
            "status",
            "title",
            "clock_start_at",
            "due_at",
            "embargo_at",
            "signer",
            "signing_authority",
            "document",
            "released_at",
        ],
    )
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}


def statement_url(statement: Statement) -> str:
    return statement.get_absolute_url()


# ---------------------------------------------------------------- validation


def _clean(statement: Statement, *, now, for_submit: bool) -> None:
    """Check a statement's fields; `for_submit` adds what a statement needs before review."""
    statement.title = (statement.title or "").strip()
    if not statement.title:
        raise DomainError(_("Hãy nhập tiêu đề."), code="title", field="title")
    if len(statement.title) > 300:
        raise DomainError(_("Tiêu đề dài tối đa 300 ký tự."), code="title", field="title")
    statement.body = (statement.body or "").strip()
    if len(statement.body) > 100_000:
        raise DomainError(_("Nội dung dài tối đa 100.000 ký tự."), code="body", field="body")
    if statement.embargo_at and statement.embargo_at > now + timedelta(days=366):
        raise DomainError(
            _("Thời điểm công bố quá xa (tối đa một năm)."), code="embargo_at", field="embargo_at"
        )
    if (
        statement.embargo_at
        and statement.due_at
        and statement.kind in Statement.CLOCKED_KINDS
        and statement.embargo_at > statement.due_at
    ):
        raise DomainError(
            _(
                "Thời điểm công bố phải trước hạn phát ngôn (%(due)s): công bố muộn hơn là vi "
                "phạm thời hạn luật định."
            )
            % {"due": f"{timezone.localtime(statement.due_at):%H:%M %d/%m/%Y}"},
            code="embargo_after_due",
            field="embargo_at",
        )
    if statement.kind == Statement.Kind.CORRECTION:
        if not statement.article_outlet.strip():
            raise DomainError(
                _("Hãy ghi cơ quan báo chí đã đăng thông tin sai sự thật."),
                code="article_outlet",
                field="article_outlet",
            )
        if not statement.article_url:
            raise DomainError(
                _("Hãy ghi đường dẫn bài báo."), code="article_url", field="article_url"
            )
        if statement.article_published_on and statement.article_published_on > timezone.localdate(
            now
        ):
            raise DomainError(
                _("Ngày đăng bài không được ở tương lai."),
                code="article_published_on",
                field="article_published_on",
            )
    if statement.kind == Statement.Kind.CONFERENCE:
        if (
            statement.conference_at is not None
            and statement.status == Statement.Status.DRAFTING
            and statement.conference_at < now
        ):
            raise DomainError(
                _("Thời gian họp báo đã qua: giấy mời phải mời đến một buổi họp báo sắp tới."),
                code="conference_at",
                field="conference_at",
            )
        if statement.conference_at is None:
            raise DomainError(
                _("Hãy nhập thời gian họp báo."), code="conference_at", field="conference_at"
            )
        if not statement.conference_place.strip():
            raise DomainError(
                _("Hãy nhập địa điểm họp báo."),
                code="conference_place",
                field="conference_place",
            )
    if for_submit and not statement.body:
        raise DomainError(_("Nội dung không được để trống."), code="body", field="body")


def _deadline(statement: Statement) -> None:
    """Fill the legal clock of a 24-hour (or correction) statement from the rulebook."""
    if statement.kind not in Statement.CLOCKED_KINDS:
        return
    if statement.clock_start_at is None:
        raise DomainError(
            _(
                "Hãy nhập thời điểm cơ quan tiếp nhận, xử lý hoặc xác định vụ việc (bắt đầu tính hạn)."
            ),
            code="clock_start_at",
            field="clock_start_at",
        )
    try:
        deadline = deadlines.deadline_compute(
            kind=statement.kind,
            received_at=statement.clock_start_at,
            start_at=statement.clock_start_at,
            organisation=statement.organisation,
        )
    except DomainError as exc:
        if exc.code != "no_rule":
            raise
        # e.g. divergent opinion under the 2017 regime: no legal clock.
        statement.regime = deadlines.regime_for(statement.clock_start_at)
        statement.rule = None
        statement.due_at = None
        statement.due_explanation = exc.message
        return
    statement.regime, statement.rule = deadline.regime, deadline.rule
    statement.due_at, statement.due_explanation = deadline.due_at, deadline.explanation


# ---------------------------------------------------------------- create and draft


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
    invited_agencies=(),
    request=None,
) -> Statement:
    """Open a statement and start its flow at the drafting step."""
    from .flows import StatementFlow

    if not selectors.may_create_statement(by, organisation):
        raise PermissionDenied(
            _("Chỉ chuyên viên hoặc người phát ngôn của cơ quan được soạn thông tin phát ngôn.")
        )
    if kind not in Statement.Kind.values:
        raise DomainError(_("Loại thông tin không hợp lệ."), code="kind", field="kind")
    doc_type = doc_type or KIND_DOC_TYPES[kind][0]
    if doc_type not in KIND_DOC_TYPES[kind]:
        raise DomainError(
            _("Loại văn bản này không dùng cho loại thông tin đã chọn."),
            code="doc_type",
            field="doc_type",
        )
    now = timezone.now()
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
        author=by,
        clock_start_at=clock_start_at if kind in Statement.CLOCKED_KINDS else None,
        event_summary=(event_summary or "").strip(),
        embargo_at=embargo_at,
        article_outlet=(article_outlet or "").strip()[:255],
        article_title=(article_title or "").strip()[:500],
        article_url=(article_url or "").strip(),
        article_published_on=article_published_on,
        conference_at=conference_at,
        conference_place=(conference_place or "").strip()[:300],
        status=Statement.Status.DRAFTING,
    )
    if kind == Statement.Kind.CORRECTION and statement.clock_start_at is None:
        statement.clock_start_at = now  # the agency handles it from now (urgent)
    _deadline(statement)
    _clean(statement, now=now, for_submit=False)
    if not statement.body:
        statement.body = body_template(statement)
    statement.save()
    statement.reference = f"TT-{timezone.localtime(statement.created_at).year}-{statement.pk:06d}"
    statement.save(update_fields=["reference"])
    agencies = list(invited_agencies or [])
    if agencies:
        if any(not isinstance(a, PressAgency) for a in agencies):
            agencies = list(
                PressAgency.objects.filter(pk__in=[getattr(a, "pk", a) for a in agencies])
            )
        statement.invited_agencies.set(agencies)
    _record(
        statement,
        "statement.create",
        by,
        after={
            **_snapshot(statement),
            "reference": statement.reference,
            "kind": kind,
            "due_explanation": statement.due_explanation,
        },
        request=request,
    )
    StatementFlow.start.run(statement=statement)
    return statement


# The clock start may be corrected while drafting (the deadline is computed again and the
# change is on the ledger); it cannot be cleared.
# Fields that may be cleared (set to None); text fields are cleared with "".
NULLABLE_FIELDS = {"embargo_at", "article_published_on", "conference_at"}


def _apply_fields(statement: Statement, data: dict) -> None:
    """Copy the given editable fields (absent ones stay as they are)."""
    clock = data.get("clock_start_at")

    def minute(moment):
        return moment.replace(second=0, microsecond=0) if moment else None

    # Forms post minutes: the same minute is no correction (seconds must not drift the clock).
    if (
        clock is not None
        and statement.kind in Statement.CLOCKED_KINDS
        and minute(clock) != minute(statement.clock_start_at)
    ):
        if clock > timezone.now() + timedelta(minutes=5):
            raise DomainError(
                _("Thời điểm bắt đầu tính hạn không được ở tương lai."),
                code="clock_start_at",
                field="clock_start_at",
            )
        statement.clock_start_at = clock
        _deadline(statement)
    for name in EDITABLE_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if isinstance(value, str):
            value = value.strip()
        if value is None and name not in NULLABLE_FIELDS:
            value = ""
        setattr(statement, name, value)
    if "invited_agencies" in data and data["invited_agencies"] is not None:
        statement.invited_agencies.set(list(data["invited_agencies"]))


@transaction.atomic
def statement_draft_save(*, statement: Statement, by, data: dict, request=None) -> Statement:
    """Save the draft without sending it on."""
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    if statement.status != Statement.Status.DRAFTING:
        raise DomainError(_("Thông tin không còn ở bước soạn thảo."), code="invalid_state")
    if not selectors.may_draft_statement(by, statement):
        raise PermissionDenied(_("Bạn không được soạn thông tin này."))
    before = _snapshot(statement)
    _apply_fields(statement, data)
    _clean(statement, now=timezone.now(), for_submit=False)
    statement.save()
    _record(
        statement,
        "statement.draft.save",
        by,
        before=before,
        after=_snapshot(statement),
        request=request,
    )
    return statement


# ---------------------------------------------------------------- the flow's human steps


def step_created(*, activation) -> None:
    """Give today's eligible users the object permission for a new task of a statement."""
    step = task_step(activation.task)
    statement = Statement.objects.get(pk=activation.process.artifact_object_id)
    perm = f"workflows.{step}_statement"
    users = selectors.statement_step_eligible_users(step, statement)
    for user in users:
        if not user.has_perm(perm, statement):
            role_services.permission_grant(perm=perm, to=user, obj=statement)
    if step != "draft" or statement.last_comment:
        # A new review/sign-off waits for someone; a draft step after a return goes back to
        # its drafter with the comment.
        transaction.on_commit(
            lambda: notifications.notify_statement_step(statement_id=statement.pk, step=step)
        )


def statement_task_perform(*, activation, by, action: str, data: dict, request=None) -> Statement:
    """Apply a step's decision to the statement and complete the task (inside the flow lock)."""
    task = activation.task
    statement = Statement.objects.select_for_update().get(pk=activation.process.artifact_object_id)
    step = task_step(task)
    if action not in STATEMENT_STEP_ACTIONS.get(step, ()):
        raise DomainError(
            _("Thao tác không hợp lệ ở bước này."), code="invalid_action", field="action"
        )
    predicate = selectors.STATEMENT_STEP_PREDICATES[step]
    if not (by.is_authenticated and predicate(by, statement)):
        raise PermissionDenied(_("Bạn không có quyền thực hiện bước này."))
    if statement.status != STATEMENT_STEP_STATUS[step]:
        raise DomainError(_("Thông tin không còn ở bước này."), code="invalid_state")
    before = _snapshot(statement)
    detail = _HANDLERS[step](statement=statement, by=by, action=action, data=data or {})
    statement.save()
    _record(
        statement,
        f"statement.{step}.{action}",
        by,
        before=before,
        after={**_snapshot(statement), **(detail or {})},
        request=request,
    )
    activation.execute()
    return statement


def _comment(data: dict) -> str:
    comment = (data.get("comment") or "").strip()
    if not comment:
        raise DomainError(_("Hãy ghi ý kiến khi trả lại."), code="comment", field="comment")
    return comment


def _draft(*, statement: Statement, by, action: str, data: dict):
    _apply_fields(statement, data)
    _clean(statement, now=timezone.now(), for_submit=True)
    statement.status = Statement.Status.REVIEW
    return None


def _review(*, statement: Statement, by, action: str, data: dict):
    if action == "approve":
        _clean(statement, now=timezone.now(), for_submit=True)
        statement.status = Statement.Status.SIGNOFF
        return None
    statement.last_comment = _comment(data)
    statement.status = Statement.Status.DRAFTING
    return {"comment": statement.last_comment}


def _signoff(*, statement: Statement, by, action: str, data: dict):
    if action == "sign":
        _clean(statement, now=timezone.now(), for_submit=True)
        is_head = Membership.objects.current().filter(
            user=by, organisation=statement.organisation, role=Role.HEAD
        )
        statement.signer = by
        statement.signing_authority = "" if is_head.exists() else "KT."
        statement.status = Statement.Status.RELEASING
        return {"authority": statement.signing_authority}
    comment = _comment(data)
    back_to = data.get("to") or "review"
    if back_to not in ("review", "draft"):
        raise DomainError(_("Chỉ trả lại cho bước xem xét hoặc soạn thảo."), code="to", field="to")
    statement.last_comment = comment
    statement.status = Statement.Status.REVIEW if back_to == "review" else Statement.Status.DRAFTING
    return {"comment": comment, "to": back_to}


_HANDLERS = {"draft": _draft, "review": _review, "signoff": _signoff}


# ---------------------------------------------------------------- release and publication


def _recipients(statement: Statement) -> list[str]:
    if statement.kind == Statement.Kind.CORRECTION:
        return [statement.article_outlet]
    if statement.kind == Statement.Kind.CONFERENCE:
        names = [a.name for a in statement.invited_agencies.all()]
        return names or [_("Các cơ quan báo chí")]
    return [_("Các cơ quan báo chí"), _("Cổng thông tin điện tử của cơ quan")]


def _document_body(statement: Statement) -> str:
    parts = [statement.body]
    if statement.kind == Statement.Kind.CONFERENCE and statement.conference_at:
        when = timezone.localtime(statement.conference_at)
        parts.append(
            _("Thời gian: %(t)s.\nĐịa điểm: %(p)s.")
            % {"t": f"{when:%H:%M} ngày {when:%d/%m/%Y}", "p": statement.conference_place}
        )
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


def statement_release(*, statement: Statement):
    """Issue the signed document and schedule its publication (the flow's Function node)."""
    from release import services as release_services
    from release.newsroom import publication

    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    signer_membership = (
        Membership.objects.current()
        .filter(
            user=statement.signer,
            organisation=statement.organisation,
            role__in=[Role.HEAD, Role.DEPUTY_HEAD],
        )
        .order_by("role")
        .first()
    )
    document = release_services.document_issue(
        organisation=statement.organisation,
        doc_type=statement.doc_type,
        summary=statement.title,
        body=_document_body(statement),
        recipients=_recipients(statement),
        signer=statement.signer,
        authority=statement.signing_authority,
        signer_title=(
            signer_membership.title if signer_membership else statement.organisation.head_title
        ),
        by=statement.signer,
        subject=statement,
    )
    publication.publication_schedule(
        document=document,
        title=statement.title,
        body=_document_body(statement),
        embargo_at=statement.embargo_at,
        by=statement.signer,
    )
    statement.document = document
    statement.save(update_fields=["document", "updated_at"])
    _record(statement, "statement.release", None, after={"document": document.pk}, role="system")
    return document


def statement_document_issued(*, document) -> Statement | None:
    """The statement's document is signed and registered: it is released (published at its
    embargo time by the release app)."""
    statement = Statement.objects.select_for_update().filter(document=document).first()
    if statement is None or statement.status != Statement.Status.RELEASING:
        return statement
    before = _snapshot(statement)
    statement.status = Statement.Status.RELEASED
    statement.released_at = document.issued_at or timezone.now()
    statement.save(update_fields=["status", "released_at", "updated_at"])
    _record(
        statement,
        "statement.released",
        None,
        before=before,
        after={**_snapshot(statement), "on_time": statement.on_time},
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
    before = _snapshot(statement)
    statement.status = Statement.Status.RECALLED
    statement.last_comment = document.cancel_reason
    statement.save(update_fields=["status", "last_comment", "updated_at"])
    _record(
        statement,
        "statement.recalled",
        document.cancelled_by,
        before=before,
        after={**_snapshot(statement), "reason": document.cancel_reason},
    )
    return statement


@transaction.atomic
def statement_record_attach(*, statement: Statement, by, text: str, request=None) -> Statement:
    """After a press conference: attach its record (transcript or summary) and publish it."""
    from release.newsroom import publication

    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    if not (selectors.may_review(by, statement) or selectors.may_sign(by, statement)):
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
        publication=statement.document.publication, text=text, by=by, request=request
    )
    _record(statement, "statement.record", by, after={"chars": len(text)}, request=request)
    return statement


def statement_withdraw(*, statement: Statement, by, reason: str, request=None) -> Statement:
    """The spokesperson or the head drops a statement before it is signed; its flow ends."""
    from viewflow.workflow.status import PROCESS

    from .flows import StatementFlow

    process = (
        statement.processes.exclude(status__in=[PROCESS.DONE, PROCESS.CANCELED])
        .order_by("-pk")
        .first()
    )
    lock = StatementFlow.lock(process.pk) if process else contextlib.nullcontext()
    with lock, transaction.atomic():
        statement = Statement.objects.select_for_update().get(pk=statement.pk)
        if not (selectors.may_review(by, statement) or selectors.may_sign(by, statement)):
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
        before = _snapshot(statement)
        statement.status = Statement.Status.WITHDRAWN
        statement.last_comment = reason[:4000]
        statement.save(update_fields=["status", "last_comment", "updated_at"])
        if process is not None:
            StatementFlow.instance.cancel(process)
        _record(
            statement,
            "statement.withdraw",
            by,
            before=before,
            after={**_snapshot(statement), "reason": reason},
            request=request,
        )
    return statement
