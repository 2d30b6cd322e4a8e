"""The messages of a case's and a statement's milestones, each sent through `notify`."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..cases.models import Case
from ..statements import selectors as statement_selectors
from ..statements.models import Statement
from .services import notify


def _due_text(case: Case) -> str:
    if not case.due_at:
        return ""
    return date_format(timezone.localtime(case.due_at), "H:i d/m/Y")


def notify_case_received(*, case_id: int) -> None:
    case = Case.objects.select_related("journalist").get(pk=case_id)
    notify(
        user=case.journalist,
        case=case,
        key=f"case:{case.pk}:received",
        url=case.get_portal_url(),
        subject=_("[phatngon] Đã tiếp nhận hồ sơ %(r)s") % {"r": case.reference},
        message=_("%(org)s đã tiếp nhận hồ sơ %(r)s “%(s)s”. Hạn trả lời: %(due)s.\n%(why)s")
        % {
            "org": case.organisation.name,
            "r": case.reference,
            "s": case.subject,
            "due": _due_text(case),
            "why": case.due_explanation,
        },
    )


def notify_clarification(*, case_id: int) -> None:
    case = Case.objects.select_related("journalist").get(pk=case_id)
    notify(
        user=case.journalist,
        case=case,
        url=case.get_portal_url(),
        message=_("Hồ sơ %(r)s cần bạn làm rõ: %(m)s")
        % {"r": case.reference, "m": case.clarification_request},
    )


def notify_case_extended(*, case_id: int) -> None:
    case = Case.objects.select_related("journalist").get(pk=case_id)
    notify(
        user=case.journalist,
        case=case,
        url=case.get_portal_url(),
        message=_("Hạn trả lời hồ sơ %(r)s được gia hạn đến %(due)s.")
        % {"r": case.reference, "due": _due_text(case)},
    )


def notify_case_closed(*, case_id: int) -> None:
    case = Case.objects.select_related("journalist", "duplicate_of").get(pk=case_id)
    messages = {
        Case.Status.ANSWERED: _(
            "Hồ sơ %(r)s đã có văn bản trả lời; bạn có thể tải văn bản đã ký số."
        ),
        Case.Status.REFUSED: _(
            "Hồ sơ %(r)s: cơ quan từ chối cung cấp thông tin; văn bản nêu rõ căn cứ và lý do."
        ),
        Case.Status.FORWARDED: _("Hồ sơ %(r)s đã được chuyển đến %(to)s: %(why)s"),
        Case.Status.DUPLICATE: _(
            "Hồ sơ %(r)s trùng với hồ sơ %(of)s đã tiếp nhận; mời theo dõi hồ sơ đó."
        ),
    }
    template = messages.get(case.status)
    if template is None:
        return
    notify(
        user=case.journalist,
        case=case,
        key=f"case:{case.pk}:closed",
        url=case.get_portal_url(),
        message=template
        % {
            "r": case.reference,
            "to": case.forwarded_to,
            "why": case.forward_reason,
            "of": case.duplicate_of.reference if case.duplicate_of else "",
        },
    )


# ---------------------------------------------------------------- statements


def notify_statement_released(*, statement_id: int) -> None:
    """Tell the author and the spokespersons that the statement is signed and when it goes out."""
    statement = Statement.objects.select_related("organisation", "author").get(pk=statement_id)
    when = statement.embargo_at if statement.embargo_at else statement.released_at
    people = [
        statement.author,
        *statement_selectors.statement_step_eligible_users("review", statement),
    ]
    if statement.kind in Statement.UNPUBLISHED_KINDS:  # a report upwards: never published
        message = _("Văn bản %(r)s đã được ký và ban hành.") % {"r": statement.reference}
    else:
        message = _("Thông tin %(r)s đã được ký và phát hành; công bố lúc %(w)s.") % {
            "r": statement.reference,
            "w": date_format(timezone.localtime(max(when, statement.released_at)), "H:i d/m/Y"),
        }
    for user in {u.pk: u for u in people}.values():
        notify(
            user=user,
            statement=statement,
            key=f"statement:{statement.pk}:released:{user.pk}",
            url=statement.get_absolute_url(),
            message=message,
        )
