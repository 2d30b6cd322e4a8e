"""The sign-off step, the same for every artifact: sign (the head, or KT. a deputy) or return."""

from django.utils.translation import gettext as _

from core.errors import DomainError
from roles.models import Membership, Role


def comment_required(data: dict) -> str:
    """The reviewer's or signer's comment when sending an artifact back; it must be given."""
    comment = (data.get("comment") or "").strip()
    if not comment:
        raise DomainError(_("Hãy ghi ý kiến khi trả lại."), code="comment", field="comment")
    return comment


def signoff_apply(artifact, *, by, action: str, data: dict):
    """Sign the artifact for release, or return it to review or drafting with a comment."""
    status = type(artifact).Status
    if action == "sign":
        is_head = Membership.objects.current().filter(
            user=by, organisation=artifact.organisation, role=Role.HEAD
        )
        artifact.signer = by
        artifact.signing_authority = "" if is_head.exists() else "KT."
        artifact.status = status.RELEASING
        return {"authority": artifact.signing_authority}
    if action == "return":
        comment = comment_required(data)
        back_to = data.get("to") or "review"
        if back_to not in ("review", "draft"):
            raise DomainError(
                _("Chỉ trả lại cho bước xem xét hoặc soạn thảo."), code="to", field="to"
            )
        artifact.last_comment = comment
        artifact.status = status.REVIEW if back_to == "review" else status.DRAFTING
        return {"comment": comment, "to": back_to}
    raise AssertionError(action)


def signer_title(artifact) -> str:
    """The signer's title on the document: their head/deputy membership's, else the head's."""
    membership = (
        Membership.objects.current()
        .filter(
            user=artifact.signer,
            organisation=artifact.organisation,
            role__in=[Role.HEAD, Role.DEPUTY_HEAD],
        )
        .order_by("role")
        .first()
    )
    return membership.title if membership else artifact.organisation.head_title
