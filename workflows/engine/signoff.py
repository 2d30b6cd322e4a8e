"""The sign-off step, the same for every artifact: sign (the head, or KT. a deputy) or return."""

from django.db.models import Q
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


def signing_authority_for(user, organisation) -> str | None:
    """How `user` signs for `organisation`, or None when they may not sign its documents.

    A mark given to the membership (roles.Membership.signing_mark: TM., Q., TL., TUQ., KT.)
    wins; otherwise the head signs in their own name and a deputy with the right signs KT.
    """
    memberships = list(
        Membership.objects.current().filter(user=user, organisation=organisation).order_by("role")
    )
    marked = [m.signing_mark for m in memberships if m.signing_mark]
    if marked:
        return marked[0]
    roles = {m.role for m in memberships}
    if Role.HEAD in roles:
        return ""
    if Role.DEPUTY_HEAD in roles and user.has_perm("roles.sign_on_behalf", organisation):
        return "KT."
    return None


def signoff_apply(artifact, *, by, action: str, data: dict):
    """Sign the artifact for release, or return it to review or drafting with a comment."""
    status = type(artifact).Status
    if action == "sign":
        placeholders_refuse(*artifact.signed_texts())
        authority = signing_authority_for(by, artifact.organisation)
        if authority is None:
            raise DomainError(
                _(
                    "Bạn chưa được giao thẩm quyền ký văn bản của cơ quan này (ký trực tiếp, "
                    "KT., TM., Q., TL. hoặc TUQ.)."
                ),
                code="signer",
            )
        artifact.signer = by
        artifact.signing_authority = authority
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
        )
        .filter(Q(role__in=[Role.HEAD, Role.DEPUTY_HEAD]) | ~Q(signing_mark=""))
        .order_by("-signing_mark", "role")
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
