"""Demo data for the annual report (idempotent): a year of past cases and released statements
of Phòng GDĐT Thuận An, so that this year's report (15/12 last year to 14/12) has figures,
and the bodies its reports go to. Run after seed_demo and seed_demo_statements.

The cases are history as a registry would import it (received on paper, already closed): they
have no flow of their own, as cases handled before the system have none.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from reports.annual import annual_period, report_year
from roles.models import Organisation
from workflows.cases.models import Case
from workflows.cases.models import reference_for as case_reference_for
from workflows.rules.models import RefusalGround
from workflows.statements.models import Statement
from workflows.statements.models import reference_for as statement_reference_for

ORG = "pgddt-thuan-an"
RECIPIENTS = {
    "pgddt-thuan-an": "Sở Giáo dục và Đào tạo tỉnh Bình Dương",
    "sgddt-binh-duong": "Bộ Văn hóa, Thể thao và Du lịch",
}
S, K = Case.Status, Case.Kind
# (days after the period starts, kind, status, working days to answer or None, subject)
CASES = [
    (5, K.QUESTION, S.ANSWERED, 3, "Kế hoạch tuyển sinh lớp 6 năm học mới"),
    (20, K.QUESTION, S.ANSWERED, 4, "Thu chi quỹ phụ huynh tại Trường Tiểu học An Phú"),
    (41, K.ANSWER_REQUEST, S.ANSWERED, 9, "Phản hồi bài báo về học thêm"),
    (60, K.QUESTION, S.REFUSED, None, "Hồ sơ kỷ luật giáo viên Trường THCS Nguyễn Trãi"),
    (75, K.QUESTION, S.FORWARDED, None, "Đền bù giải tỏa mở rộng trường học"),
    (96, K.PRESS_REPORT, S.ANSWERED, 12, "Phản ánh của phụ huynh về bếp ăn bán trú"),
    (120, K.QUESTION, S.ANSWERED, 2, "Kỳ thi học sinh giỏi cấp thành phố"),
    (150, K.COMPLAINT, S.ANSWERED, 14, "Khiếu nại về xét tuyển viên chức giáo dục"),
    (181, K.QUESTION, S.ANSWERED, 6, "Sửa chữa phòng học xuống cấp"),
    (210, K.QUESTION, S.REFUSED, None, "Danh sách học sinh vi phạm kỷ luật"),
    (240, K.PRESS_REPORT, S.ANSWERED, 10, "Phản ánh về đồng phục học sinh"),
    (270, K.QUESTION, S.ANSWERED, 3, "Chuẩn bị năm học mới"),
    (300, K.ANSWER_REQUEST, S.ANSWERED, 4, "Bảo hiểm y tế học sinh"),
]
# (days after the period starts, kind, title)
STATEMENTS = [
    (30, Statement.Kind.PERIODIC, "Thông tin định kỳ quý I về hoạt động giáo dục"),
    (120, Statement.Kind.PERIODIC, "Thông tin định kỳ quý II về hoạt động giáo dục"),
    (140, Statement.Kind.INITIAL, "Thông tin ban đầu về sự cố mái che Trường Tiểu học An Phú"),
    (200, Statement.Kind.CONFERENCE, "Họp báo về công tác tuyển sinh năm học mới"),
    (215, Statement.Kind.PERIODIC, "Thông tin định kỳ quý III về hoạt động giáo dục"),
]


class Command(BaseCommand):
    help = "Load a year of past cases and statements for the annual report demo."

    @transaction.atomic
    def handle(self, *args, **options):
        for code, recipient in RECIPIENTS.items():
            Organisation.objects.filter(code=code, annual_report_recipient="").update(
                annual_report_recipient=recipient
            )
        organisation = Organisation.objects.get(code=ORG)
        User = get_user_model()
        journalist = User.objects.get(username="journalist1")
        spokesperson = User.objects.get(username="phatngon")
        year = report_year()
        start = annual_period(year).start_at + timedelta(hours=9)
        now = timezone.now()
        ground = RefusalGround.objects.filter(regime__code="2026").order_by("order", "pk").first()
        added = 0
        for i, (days, kind, status, answer_days, subject) in enumerate(CASES, start=1):
            received = start + timedelta(days=days)
            if received > now:
                continue
            closed = received + timedelta(days=(answer_days or 3) * 7 // 5)
            # Found again by what it is (idempotent); numbered like every case (HS-…).
            case, created = Case.objects.get_or_create(
                organisation=organisation,
                subject=subject,
                received_at=received,
                defaults={
                    "reference": f"tmp-{year}-{i:04d}",
                    "kind": kind,
                    "channel": Case.Channel.PAPER,
                    "journalist": journalist,
                    "press_agency": journalist.journalist_profile.press_agency,
                    "subject": subject,
                    "received_at": received,
                    "due_at": received + timedelta(days=7 if kind in (K.QUESTION,) else 21),
                    "closed_at": min(closed, now),
                    "status": status,
                    "refusal_ground": ground if status == S.REFUSED else None,
                    "forwarded_to": "UBND thành phố Thuận An" if status == S.FORWARDED else "",
                },
            )
            if created:
                case.reference = case_reference_for(case.pk, timezone.localtime(received).year)
                case.save(update_fields=["reference"])
            added += created
        for i, (days, kind, title) in enumerate(STATEMENTS, start=1):
            released = start + timedelta(days=days)
            if released > now:
                continue
            clocked = kind in Statement.CLOCKED_KINDS
            statement, created = Statement.objects.get_or_create(
                organisation=organisation,
                title=title,
                released_at=released,
                defaults={
                    "reference": f"tmp-{year}-{i:04d}",
                    "kind": kind,
                    "doc_type": "giay_moi" if kind == Statement.Kind.CONFERENCE else "thong_cao",
                    "body": title + ".",
                    "author": spokesperson,
                    "status": Statement.Status.RELEASED,
                    "released_at": released,
                    "clock_start_at": released - timedelta(hours=6) if clocked else None,
                    "due_at": released + timedelta(hours=18) if clocked else None,
                    "conference_at": released + timedelta(days=5)
                    if kind == Statement.Kind.CONFERENCE
                    else None,
                    "conference_place": "Hội trường Phòng GDĐT Thuận An"
                    if kind == Statement.Kind.CONFERENCE
                    else "",
                },
            )
            if created:  # opened a few hours before its release, numbered like every statement
                Statement.objects.filter(pk=statement.pk).update(
                    created_at=released - timedelta(hours=6),
                    reference=statement_reference_for(
                        statement.pk, timezone.localtime(released).year
                    ),
                )
            added += created
        self.stdout.write(
            f"Reports demo: {added} past cases and statements added for the {year} report "
            f"(data from {annual_period(year).start:%d/%m/%Y})."
        )
