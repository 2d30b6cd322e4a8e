"""A case's or a statement's history, read from the audit ledger (the one record of what
happened)."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from audit.models import LedgerEvent

# What a journalist may see of the trail: steps and decisions, never internal comments.
PUBLIC_ACTIONS = {
    "case.submit": _("Cơ quan tiếp nhận hồ sơ"),
    "case.triage.accept": _("Hồ sơ được giao đơn vị xử lý"),
    "case.triage.forward": _("Hồ sơ được chuyển cơ quan có thẩm quyền"),
    "case.triage.duplicate": _("Hồ sơ được xác định trùng hồ sơ đã có"),
    "case.triage.clarify": _("Cơ quan đề nghị làm rõ; tạm dừng tính hạn"),
    "case.clarification.reply": _("Nhà báo gửi nội dung làm rõ; tiếp tục tính hạn"),
    "case.draft.submit": _("Dự thảo trả lời được trình người phát ngôn"),
    "case.review.approve": _("Người phát ngôn đồng ý, trình lãnh đạo ký"),
    "case.review.refuse": _("Người phát ngôn đề xuất từ chối, trình lãnh đạo ký"),
    "case.signoff.sign": _("Lãnh đạo ký văn bản"),
    # Numbered at sign-off; issued only when the worker has signed it (then "case.close").
    "case.release": _("Văn bản được cấp số, đang ký số và phát hành"),
    "case.extend": _("Gia hạn trả lời"),
    "case.complaint.acceptance": _("Cơ quan ghi việc thụ lý khiếu nại, tố cáo"),
    "case.complaint.notice": _("Văn bản thông báo thụ lý đã phát hành"),
    "case.complaint.conclusion": _("Có kết luận giải quyết; bắt đầu tính hạn gửi kết luận"),
    "case.close": _("Văn bản đã phát hành; hồ sơ kết thúc"),
}

STAFF_ACTIONS = {
    **PUBLIC_ACTIONS,
    "case.review.return": _("Người phát ngôn trả lại chuyên viên"),
    "case.signoff.return": _("Lãnh đạo trả lại"),
    "case.draft.save": _("Lưu dự thảo"),
    "task.claim": _("Nhận công việc"),
    "task.reassign": _("Chuyển công việc cho đồng nghiệp"),
    # Not "permission.grant"/"permission.revoke": the engine grants step permissions at
    # every step, which says nothing to a reader (the inspector's ledger keeps them).
    "document.download": _("Tải văn bản"),
}


STATEMENT_ACTIONS = {
    "statement.create": _("Mở thông tin phát ngôn"),
    "statement.draft.save": _("Lưu dự thảo"),
    "statement.draft.submit": _("Dự thảo được trình người phát ngôn"),
    "statement.review.approve": _("Người phát ngôn đồng ý, trình lãnh đạo ký"),
    "statement.review.return": _("Người phát ngôn trả lại người soạn"),
    "statement.signoff.sign": _("Lãnh đạo ký văn bản"),
    "statement.signoff.return": _("Lãnh đạo trả lại"),
    "statement.release": _("Văn bản được cấp số, đang ký số và phát hành"),
    "statement.released": _("Văn bản đã ký số; chờ công bố đúng giờ"),
    "statement.record": _("Công bố biên bản họp báo"),
    "statement.withdraw": _("Hủy thông tin"),
    "statement.recalled": _("Văn bản bị thu hồi"),
    "task.claim": _("Nhận công việc"),
    "task.reassign": _("Chuyển công việc cho đồng nghiệp"),
    "notification.sent": _("Nhắc hạn"),
}


@dataclass(frozen=True)
class TimelineEntry:
    action: str
    label: str
    at: datetime
    actor: str  # the username (the API's value)
    actor_role: str
    actor_name: str = ""  # the person's name, for the pages (`names=True`)


def case_events(case):
    return LedgerEvent.objects.filter(
        target_type="workflows.case", target_id=str(case.pk)
    ).order_by("seq")


def cases_events(case_ids) -> dict[int, list[LedgerEvent]]:
    """Events of many cases in one query (a list page), by case id, oldest first."""
    by_case: dict[int, list[LedgerEvent]] = {pk: [] for pk in case_ids}
    events = LedgerEvent.objects.filter(
        target_type="workflows.case", target_id__in=[str(pk) for pk in by_case]
    ).order_by("seq")
    for event in events:
        by_case[int(event.target_id)].append(event)
    return by_case


def case_timeline(case, *, public: bool, events=None, names=False) -> list[TimelineEntry]:
    """Events of a case, labelled; the public version hides internal steps and names.

    `events`: the case's events when already read (cases_events), else read here.
    `names`: also give each actor's full name (one more query).
    """
    labels = PUBLIC_ACTIONS if public else STAFF_ACTIONS
    events = case_events(case) if events is None else events
    return _entries(events, labels, public=public, names=names)


def statement_timeline(statement) -> list[TimelineEntry]:
    """Events of a statement for its staff page."""
    events = LedgerEvent.objects.filter(
        target_type="workflows.statement", target_id=str(statement.pk)
    ).order_by("seq")
    return _entries(events, STATEMENT_ACTIONS, public=False, names=True)


def _entries(events, labels, *, public: bool, names: bool = False) -> list[TimelineEntry]:
    events = [event for event in events if event.action in labels]
    full = _full_names({e.actor_username for e in events}) if names and not public else {}
    return [
        TimelineEntry(
            action=event.action,
            label=str(labels[event.action]),
            at=event.at,
            actor="" if public else event.actor_username,
            actor_role=event.actor_role,
            actor_name=full.get(event.actor_username, ""),
        )
        for event in events
    ]


def _full_names(usernames: set[str]) -> dict[str, str]:
    """People's names for the staff timeline (one query); a username stays if there is none."""
    users = get_user_model().objects.filter(username__in=usernames - {""})
    return {u.username: u.get_full_name() or u.username for u in users}
