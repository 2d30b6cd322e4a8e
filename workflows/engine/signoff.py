"""The sign-off step, the same for every artifact: sign (the head, or KT. a deputy) or return."""

from django.utils.translation import gettext as _

from core.errors import DomainError
from release.placeholders import placeholders_refuse
from roles.models import Membership, Role

from .selectors import may_sign


def comment_required(data: dict) -> str:
    """The reviewer's or signer's comment when sending an artifact back; it must be given."""
    comment = (data.get("comment") or "").strip()
    if not comment:
        raise DomainError(_("Hãy ghi ý kiến khi trả lại."), code="comment", field="comment")
    return comment


def signing_authority_for(user, organisation) -> str:
    """The head signs in their own name; anyone else signs KT. (on the head's behalf)."""
    is_head = Membership.objects.current().filter(
        user=user, organisation=organisation, role=Role.HEAD
    )
    return "" if is_head.exists() else "KT."


def signoff_apply(artifact, *, by, action: str, data: dict):
    """Sign the artifact for release, or return it to review or drafting with a comment."""
    status = type(artifact).Status
    if action == "sign":
        placeholders_refuse(*artifact.signed_texts())
        artifact.signer = by
        artifact.signing_authority = signing_authority_for(by, artifact.organisation)
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


def signer_title_for(user, organisation) -> str:
    """The signer's title on the document: their head/deputy membership's, else the head's."""
    membership = (
        Membership.objects.current()
        .filter(
            user=user,
            organisation=organisation,
            role__in=[Role.HEAD, Role.DEPUTY_HEAD],
        )
        .order_by("role")
        .first()
    )
    return membership.title if membership else organisation.head_title


def signer_title(artifact) -> str:
    """The title of the artifact's signer on the document."""
    return signer_title_for(artifact.signer, artifact.organisation)


def draft_signer(artifact, viewer) -> dict:
    """Who a draft shows as signer, as `document_draft_pdf` takes it: the viewer when they may
    sign (the sign-off page), else the head of the organisation (a reviewer's preview)."""
    organisation = artifact.organisation
    signer = viewer if may_sign(viewer, artifact) else None
    if signer is None:
        head = (
            Membership.objects.current()
            .filter(organisation=organisation, role=Role.HEAD)
            .select_related("user")
            .first()
        )
        signer = head.user if head else None
    if signer is None:
        return {"signer": None, "authority": "", "signer_title": organisation.head_title}
    return {
        "signer": signer,
        "authority": signing_authority_for(signer, organisation),
        "signer_title": signer_title_for(signer, organisation),
    }
