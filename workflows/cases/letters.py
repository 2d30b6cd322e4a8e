"""A case's replies as công văn (NĐ 30/2020 Phụ lục III, Mẫu 1.5): the trích yếu, “Kính gửi:”,
the body and the drafting unit, worded for what the letter does (its purpose).

An answer, a refusal, the notice of measures taken on a forwarded report and the complaint
notices all go to the press agency that asked or forwarded, as a công văn numbered
`NN/<agency>-<drafting unit>` in the agency's single register series.
"""

from __future__ import annotations

import re

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from roles.models import Membership, Role
from workflows.engine.letters import Letter, person_name, press_addressee, subject_phrase

from .models import Case


class Purpose(models.TextChoices):
    """What a letter about a case does; each has its trích yếu and opening."""

    ANSWER = "answer", _("Công văn trả lời")
    REFUSAL = "refusal", _("Công văn từ chối cung cấp thông tin")
    REPORT_RESULT = (
        "report_result",
        _("Công văn thông báo kết quả xử lý ý kiến, kiến nghị, phản ánh"),
    )
    COMPLAINT_ACCEPTED = "complaint_accepted", _("Công văn thông báo thụ lý khiếu nại")
    COMPLAINT_NOT_ACCEPTED = (
        "complaint_not_accepted",
        _("Công văn thông báo không thụ lý khiếu nại"),
    )
    COMPLAINT_RESULT = "complaint_result", _("Công văn thông báo kết quả giải quyết khiếu nại")


COMPLAINT_PURPOSES = (
    Purpose.COMPLAINT_ACCEPTED,
    Purpose.COMPLAINT_NOT_ACCEPTED,
    Purpose.COMPLAINT_RESULT,
)


def case_purpose(case: Case) -> str:
    """The purpose of a case's final document: a refusal, else what its kind answers."""
    if case.decision == Case.Decision.REFUSAL:
        return Purpose.REFUSAL
    if case.kind == Case.Kind.PRESS_REPORT:
        return Purpose.REPORT_RESULT
    if case.kind == Case.Kind.COMPLAINT:
        return Purpose.COMPLAINT_RESULT
    return Purpose.ANSWER


def drafting_unit(case: Case):
    """The unit that drafted the reply: the one triage assigned, else the first specialist's."""
    if case.assigned_unit_id:
        return case.assigned_unit
    membership = (
        Membership.objects.current()
        .filter(
            organisation=case.organisation,
            role=Role.SPECIALIST,
            user__in=case.specialists.all(),
            unit__isnull=False,
        )
        .select_related("unit")
        .order_by("user__username")
        .first()
    )
    return membership.unit if membership else None


def case_addressee(case: Case) -> str:
    """“Kính gửi:” — the press agency that asked or forwarded, and its journalist."""
    return press_addressee(case.press_agency.name, person_name(case.journalist))


# "Khiếu nại việc thu tiền…" → "việc thu tiền…": the complaint wordings name the complaint.
_COMPLAINT_LEAD = re.compile(r"^(đơn\s+)?khiếu\s+nại(,\s*tố\s+cáo)?\s+(về\s+)?", re.IGNORECASE)


def case_summary(case: Case, purpose: str) -> str:
    """The trích yếu after “V/v”, worded for the purpose; the subject continues in lower case."""
    subject = subject_phrase(case.subject)
    if purpose in COMPLAINT_PURPOSES:
        subject = _COMPLAINT_LEAD.sub("", subject) or subject
    agency = case.press_agency.name
    journalist = person_name(case.journalist)
    if purpose == Purpose.REFUSAL:
        return f"từ chối cung cấp thông tin về {subject}"
    if purpose == Purpose.REPORT_RESULT:
        return (
            f"thông báo kết quả xử lý ý kiến, kiến nghị, phản ánh về {subject} "
            f"do {agency} chuyển đến"
        )
    if purpose == Purpose.COMPLAINT_ACCEPTED:
        return f"thông báo thụ lý khiếu nại về {subject} do {agency} chuyển đến"
    if purpose == Purpose.COMPLAINT_NOT_ACCEPTED:
        return f"thông báo không thụ lý khiếu nại về {subject} do {agency} chuyển đến"
    if purpose == Purpose.COMPLAINT_RESULT:
        return f"thông báo kết quả giải quyết khiếu nại về {subject} do {agency} chuyển đến"
    if case.kind == Case.Kind.ANSWER_REQUEST:
        return f"trả lời trên báo chí theo yêu cầu của {agency} về {subject}"
    return f"trả lời câu hỏi của nhà báo {journalist} về {subject}"


# How the letter recalls what was received, per case kind: (what, its content's label).
_RECEIVED = {
    Case.Kind.QUESTION: ("câu hỏi của nhà báo {journalist} ({agency})", "Nội dung câu hỏi"),
    Case.Kind.ANSWER_REQUEST: (
        "yêu cầu trả lời trên báo chí của {agency} (nhà báo {journalist})",
        "Nội dung yêu cầu",
    ),
    Case.Kind.PRESS_REPORT: (
        "ý kiến, kiến nghị, phản ánh do {agency} (nhà báo {journalist}) chuyển đến",
        "Nội dung phản ánh",
    ),
    Case.Kind.COMPLAINT: (
        "đơn khiếu nại do {agency} (nhà báo {journalist}) chuyển đến",
        "Nội dung khiếu nại",
    ),
}

# The one sentence that introduces the agency's own text (ux.md problem 17: only one).
_OPENINGS = {
    Purpose.ANSWER: "Về nội dung trên, {org} trả lời như sau:",
    Purpose.REPORT_RESULT: (
        "{org} thông báo kết quả xem xét, xử lý và các biện pháp đã thực hiện như sau:"
    ),
    Purpose.COMPLAINT_ACCEPTED: "{org} thông báo việc thụ lý giải quyết khiếu nại như sau:",
    Purpose.COMPLAINT_NOT_ACCEPTED: "{org} thông báo không thụ lý khiếu nại như sau:",
    Purpose.COMPLAINT_RESULT: "{org} thông báo kết quả giải quyết khiếu nại như sau:",
}

# A drafter's own opening: a first paragraph that ends announcing what follows.
_OWN_OPENING = re.compile(r"như sau\s*:\s*$", re.IGNORECASE)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def _received_text(case: Case) -> str:
    what, label = _RECEIVED.get(case.kind, _RECEIVED[Case.Kind.QUESTION])
    what = what.format(journalist=person_name(case.journalist), agency=case.press_agency.name)
    received = timezone.localtime(case.received_at).strftime("%d/%m/%Y")
    subject = subject_phrase(case.subject)
    if case.kind == Case.Kind.COMPLAINT:  # "đơn khiếu nại …, về việc thu tiền…", said once
        subject = _COMPLAINT_LEAD.sub("", subject) or subject
    text = (
        f"Ngày {received}, {case.organisation.name} nhận được {what}, số hồ sơ "
        f"{case.reference}, về {subject}."
    )
    questions = [q for q in (case.questions or []) if str(q).strip()]
    if questions:
        listed = "\n".join(f"{i}. {q}" for i, q in enumerate(questions, start=1))
        text += f"\n\n{label}:\n{listed}"
    return text


def _with_opening(text: str, opening: str) -> str:
    """Put the opening before the text unless the drafter already wrote one of their own."""
    text = (text or "").replace("\r\n", "\n").strip()
    first = _PARAGRAPH_BREAK.split(text, maxsplit=1)[0].strip()
    if _OWN_OPENING.search(first):
        return text
    return f"{opening}\n\n{text}"


def case_body(case: Case, purpose: str, text: str) -> str:
    """The body: what was received, then one opening and the agency's text (or the refusal)."""
    org = case.organisation.name
    parts = [_received_text(case)]
    if purpose == Purpose.REFUSAL:
        ground = case.refusal_ground
        parts.append(f"{org} từ chối cung cấp thông tin theo {ground.citation}: {ground.label}")
        reason = (text or "").strip()
        if reason and reason[-1].isalnum():
            reason += "."
        parts.append(f"Lý do: {reason}")
    else:
        parts.append(_with_opening(text, _OPENINGS[purpose].format(org=org)))
    return "\n\n".join(parts)


def case_letter(case: Case, *, purpose: str | None = None, text: str | None = None) -> Letter:
    """The công văn a case's reply or notice is issued as.

    `purpose` defaults to the case's final document (`case_purpose`); `text` to the approved
    answer, or for a refusal to its reason. Another step (a complaint's thụ lý notice) passes
    its own purpose and text.
    """
    purpose = purpose or case_purpose(case)
    if purpose not in Purpose.values:
        raise DomainError(_("Loại văn bản trả lời không hợp lệ."), code="purpose")
    if purpose == Purpose.REFUSAL and case.refusal_ground is None:
        raise DomainError(_("Văn bản từ chối phải có căn cứ từ chối."), code="ground")
    if text is None:
        text = case.refusal_reason if purpose == Purpose.REFUSAL else case.answer
    addressee = case_addressee(case)
    return Letter(
        summary=case_summary(case, purpose),
        body=case_body(case, purpose, text),
        addressees=[addressee],
        recipients=[addressee],
        unit=drafting_unit(case),
    )
