"""A spokesperson assignment or authorisation issued as a signed decision (QĐ / GUQ).

The head signs the decision through the release engine; when the signed document is issued
the directory entry is published in the same transaction, so the 24-hour publication rule
(NĐ 244 Art. 3.3) is met by construction. The decision also appears in the newsroom.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import audit
from core.errors import DomainError
from release import services as release_services
from release.models import DocType, IssuedDocument
from release.newsroom import publication
from roles import services as role_services
from roles.models import Membership, Role, SpokespersonAssignment
from roles.selectors import user_has_role


def decision_documents(assignments) -> dict[int, IssuedDocument]:
    """The live decision document of each assignment, in one query (assignment pk → document)."""
    rows = IssuedDocument.objects.filter(
        subject_content_type=ContentType.objects.get_for_model(SpokespersonAssignment),
        subject_object_id__in=[a.pk for a in assignments],
    ).exclude(status__in=[IssuedDocument.Status.CANCELLED, IssuedDocument.Status.FAILED])
    return {d.subject_object_id: d for d in rows}


def decision_document(assignment: SpokespersonAssignment) -> IssuedDocument | None:
    """The live (not cancelled or failed) decision document of an assignment, if any."""
    return (
        IssuedDocument.objects.filter(
            subject_content_type=ContentType.objects.get_for_model(SpokespersonAssignment),
            subject_object_id=assignment.pk,
        )
        .exclude(status__in=[IssuedDocument.Status.CANCELLED, IssuedDocument.Status.FAILED])
        .first()
    )


# Phụ lục I, II.6.a: each căn cứ names the type, number, date, issuer and trích yếu.
DECREE_244_BASIS = (
    "Căn cứ Nghị định số 244/2026/NĐ-CP ngày 26 tháng 6 năm 2026 của Chính phủ quy định chi "
    "tiết việc phát ngôn và cung cấp thông tin cho báo chí của các cơ quan hành chính nhà nước"
)


DECIDES = "QUYẾT ĐỊNH:"


def decision_preamble(organisation) -> list[str]:
    """The căn cứ lines and “Theo đề nghị của …” (Mẫu 1.2): each ends “;”, the last “.”."""
    lines = [DECREE_244_BASIS]
    lines += [
        line.strip().rstrip(";.").strip()
        for line in organisation.decision_bases.splitlines()
        if line.strip()
    ]
    if organisation.decision_proposer.strip():
        lines.append(f"Theo đề nghị của {organisation.decision_proposer.strip().rstrip('.')}")
    return [line + ";" for line in lines[:-1]] + [lines[-1] + "."]


def effective_from(valid_from) -> str:
    """When the act takes effect: from signing, or a later day; never a day before signing."""
    if valid_from is None or valid_from <= timezone.localdate():
        return "kể từ ngày ký"
    return f"kể từ ngày {valid_from:%d/%m/%Y}"


def decision_executors(organisation) -> str:
    """Who executes the decision (Điều 3): the organisation's own units, by name."""
    names = [unit.name for unit in organisation.units.all()]
    return ", ".join(names) if names else f"Các bộ phận thuộc {organisation.name}"


def _text(assignment: SpokespersonAssignment) -> tuple[str, str, str]:
    org = assignment.organisation
    until = f" đến ngày {assignment.valid_to:%d/%m/%Y}" if assignment.valid_to else ""
    contact = (
        f"Họ và tên: {assignment.contact_name}\nChức vụ: {assignment.contact_title}\n"
        f"Điện thoại: {assignment.contact_phone or '—'}\nThư điện tử: {assignment.contact_email}"
    )
    if assignment.kind == SpokespersonAssignment.Kind.REGULAR:
        summary = f"Về việc giao nhiệm vụ người phát ngôn của {org.name}"
        body = "\n\n".join(
            [
                *decision_preamble(org),
                DECIDES,  # centred bold in the PDF (release.rendering)
                f"Điều 1. Giao nhiệm vụ người phát ngôn thường xuyên của {org.name} cho:\n"
                f"{contact}",
                f"Điều 2. Quyết định có hiệu lực {effective_from(assignment.valid_from)}{until}. "
                "Họ tên, chức vụ, số điện thoại, thư điện tử công vụ của người phát ngôn được "
                "công bố trên Cổng thông tin điện tử của cơ quan.",
                f"Điều 3. {decision_executors(org)} và {assignment.contact_title} "
                f"{assignment.contact_name} chịu trách nhiệm thi hành Quyết định này.",
            ]
        )
        doc_type = DocType.QUYET_DINH
    else:
        summary = f"Ủy quyền phát ngôn về {assignment.scope[:200]}"
        body = (
            f"{DECREE_244_BASIS};\n\n"
            f"Người đứng đầu {org.name} ủy quyền cho:\n{contact}\n\n"
            f"Nội dung ủy quyền: phát ngôn, cung cấp thông tin cho báo chí về {assignment.scope}.\n\n"
            f"Thời hạn ủy quyền: {effective_from(assignment.valid_from)}{until}.\n\n"
            "Người được ủy quyền không được ủy quyền lại cho người khác."
        )
        doc_type = DocType.GIAY_UY_QUYEN
    return doc_type, summary, body


@transaction.atomic
def decision_issue(*, assignment: SpokespersonAssignment, by) -> IssuedDocument:
    """The head issues the signed decision naming the spokesperson (numbered, signed, published)."""
    assignment = (
        SpokespersonAssignment.objects.select_for_update()
        .select_related("organisation", "user")
        .get(pk=assignment.pk)
    )
    organisation = assignment.organisation
    if not user_has_role(by, organisation, Role.HEAD):
        raise DomainError(
            _("Chỉ người đứng đầu cơ quan mới ký quyết định giao nhiệm vụ phát ngôn."),
            code="not_head",
        )
    if assignment.revoked_at is not None:
        raise DomainError(_("Phân công này đã bị thu hồi."), code="invalid_state")
    if assignment.valid_to is not None and assignment.valid_to < timezone.localdate():
        raise DomainError(
            _("Phân công này đã hết hiệu lực; không ban hành quyết định cho nó."),
            code="expired",
        )
    if decision_document(assignment) is not None:
        raise DomainError(
            _("Quyết định cho phân công này đã được phát hành."), code="already_issued"
        )
    doc_type, summary, body = _text(assignment)
    head = (
        Membership.objects.current()
        .filter(user=by, organisation=organisation, role=Role.HEAD)
        .first()
    )
    document = release_services.document_issue(
        organisation=organisation,
        doc_type=doc_type,
        summary=summary,
        body=body,
        recipients=[
            *(["Như Điều 3"] if doc_type == DocType.QUYET_DINH else [assignment.contact_name]),
            _("Cổng thông tin điện tử của cơ quan"),
            _("Các cơ quan báo chí"),
        ],
        signer=by,
        authority="",
        signer_title=(head.title if head and head.title else organisation.head_title),
        by=by,
        subject=assignment,
    )
    publication.publication_schedule(
        document=document, title=summary, body=body, embargo_at=None, by=by
    )
    audit.record(
        action="spokesperson.decision.issue",
        actor=by,
        actor_role="head",
        organisation=organisation,
        target=assignment,
        after={"document": document.pk, "doc_type": doc_type},
    )
    return document


def decision_document_issued(*, document) -> SpokespersonAssignment | None:
    """The decision is signed and registered: publish the directory entry now."""
    ct = ContentType.objects.get_for_model(SpokespersonAssignment)
    if document.subject_content_type_id != ct.pk:
        return None
    assignment = SpokespersonAssignment.objects.filter(pk=document.subject_object_id).first()
    if assignment is None or assignment.revoked_at is not None:
        return assignment
    return role_services.spokesperson_publish(
        assignment=assignment,
        by=None,
        decision_reference=document.number_display,
        decision_issued_at=document.issued_at or timezone.now(),
    )
