"""Refusal grounds whose wording is not yet checked against the official text.

A ground flagged `unconfirmed` (e.g. Luật Báo chí 2025 Điều 31.2, read from a press
paraphrase) is shown "(chưa xác nhận văn bản)" and cannot be printed in a signed refusal
until an administrator confirms its text against the Công báo (legal review row 30).
"""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import audit
from core.errors import DomainError

from .models import RefusalGround

UNCONFIRMED_MARK = gettext_lazy("(chưa xác nhận văn bản)")


def ground_label(ground: RefusalGround) -> str:
    """The ground as a form or list offers it, marked when its wording is unconfirmed."""
    text = f"{ground.label} ({ground.citation})"
    return f"{text} {UNCONFIRMED_MARK}" if ground.unconfirmed else text


def ground_printable_check(ground: RefusalGround | None) -> None:
    """Refuse a ground whose wording is unconfirmed: it may not go into a signed refusal."""
    if ground is not None and ground.unconfirmed:
        raise DomainError(
            _(
                "Căn cứ “%(citation)s” chưa được xác nhận văn bản gốc nên chưa được ghi vào văn "
                "bản từ chối có chữ ký. Đề nghị quản trị viên đối chiếu Công báo và xác nhận "
                "nội dung căn cứ trước."
            )
            % {"citation": ground.citation},
            code="ground_unconfirmed",
            field="ground",
        )


@transaction.atomic
def refusal_ground_confirm(*, ground: RefusalGround, by) -> RefusalGround:
    """Record that an administrator checked the ground's wording against the official text."""
    ground = RefusalGround.objects.select_for_update().get(pk=ground.pk)
    if not ground.unconfirmed:
        return ground
    ground.unconfirmed = False
    ground.save(update_fields=["unconfirmed"])
    audit.record(
        action="refusal_ground.confirm",
        actor=by,
        target=ground,
        before={"unconfirmed": True},
        after={
            "unconfirmed": False,
            "code": ground.code,
            "citation": ground.citation,
            "label": ground.label,
        },
    )
    return ground
