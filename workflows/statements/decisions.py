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


def _text(assignment: SpokespersonAssignment) -> tuple[str, str, str]:
    org = assignment.organisation
    valid = f"{assignment.valid_from:%d/%m/%Y}"
    if assignment.valid_to:
        valid += f" đến ngày {assignment.valid_to:%d/%m/%Y}"
    contact = (
        f"Họ và tên: {assignment.contact_name}\nChức vụ: {assignment.contact_title}\n"
        f"Điện thoại: {assignment.contact_phone or '—'}\nThư điện tử: {assignment.contact_email}"
    )
    if assignment.kind == SpokespersonAssignment.Kind.REGULAR:
        summary = f"Về việc giao nhiệm vụ người phát ngôn của {org.name}"
        body = (
            "Căn cứ Nghị định số 244/2026/NĐ-CP của Chính phủ quy định về phát ngôn và cung cấp "
            "thông tin cho báo chí;\n\n"
            f"Điều 1. Giao nhiệm vụ người phát ngôn thường xuyên của {org.name} cho:\n{contact}\n\n"
            f"Điều 2. Quyết định có hiệu lực từ ngày {valid}. Họ tên, chức vụ, số điện thoại, "
            "thư điện tử công vụ của người phát ngôn được công bố trên Cổng thông tin điện tử của "
            "cơ quan.\n\n"
            "Điều 3. Văn phòng, các đơn vị và cá nhân có liên quan chịu trách nhiệm thi hành "
            "Quyết định này."
        )
        doc_type = DocType.QUYET_DINH
    else:
        summary = f"Ủy quyền phát ngôn về {assignment.scope[:200]}"
        body = (
            "Căn cứ Nghị định số 244/2026/NĐ-CP của Chính phủ quy định về phát ngôn và cung cấp "
            "thông tin cho báo chí;\n\n"
            f"Người đứng đầu {org.name} ủy quyền cho:\n{contact}\n\n"
            f"Nội dung ủy quyền: phát ngôn, cung cấp thông tin cho báo chí về {assignment.scope}.\n\n"
            f"Thời hạn ủy quyền: từ ngày {valid}.\n\n"
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
            assignment.contact_name,
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
