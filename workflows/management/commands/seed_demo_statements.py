"""Demo data for outbound statements (idempotent): the periodic schedule of Phòng GDĐT Thuận An
with a missed period, its press distribution list, and a draft tagged with plan topics (cases
and statements already there without topics get one each); and a complaint forwarded by the
press run to its conclusion notice (thụ lý notice, conclusion, due date from it, signed reply).
Run after seed_demo and make_dev_pki."""

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from core.errors import DomainError
from release.models import Subscription
from release.newsroom import subscriptions
from roles.models import Membership, Organisation, PressAgency, Role, SpokespersonAssignment
from roles.selectors import plan_topics_choosable
from workflows.cases import complaints, intake
from workflows.cases.models import Case
from workflows.engine.steps import task_complete
from workflows.statements import decisions, drafting
from workflows.statements.models import PeriodicSchedule, Statement
from workflows.statements.schedules import sweep

ORG = "pgddt-thuan-an"
COMPLAINT_SUBJECT = "Khiếu nại việc thu tiền dạy thêm tại Trường THCS Nguyễn Trãi"
COMPLAINT_ACTORS = ("journalist1", "vanthu", "chuyenvien", "phatngon", "lanhdao")
TOPIC_DRAFT_TITLE = "Kết quả tuyển sinh đầu cấp và công khai tuyển dụng viên chức năm 2026"


class Command(BaseCommand):
    help = "Load the demo's periodic schedule and press distribution list."

    def handle(self, *args, **options):
        organisation = Organisation.objects.get(code=ORG)
        User = get_user_model()
        spokesperson = User.objects.get(username="phatngon")
        # Monthly information from the first day of the month two months ago: the last
        # period passed with nothing released, so the sweep warns about it.
        starts_on = (timezone.localdate() - relativedelta(months=2)).replace(day=1)
        PeriodicSchedule.objects.get_or_create(
            organisation=organisation,
            kind=PeriodicSchedule.Kind.INFORMATION,
            defaults={"every_months": 1, "starts_on": starts_on, "remind_days_before": 5},
        )
        PeriodicSchedule.objects.get_or_create(
            organisation=organisation,
            kind=PeriodicSchedule.Kind.CONFERENCE,
            defaults={"every_months": 3, "starts_on": starts_on, "remind_days_before": 10},
        )
        added = 0
        for user in User.objects.filter(journalist_profile__isnull=False).order_by("username"):
            if subscriptions.journalist_subscribe_refusal(
                user
            ) or subscriptions.journalist_subscription(user, organisation):
                continue
            subscriptions.subscription_self(organisation=organisation, user=user)
            added += 1
        for agency in PressAgency.objects.order_by("name")[:2]:
            email = f"toasoan@{agency.pk}.baochi.example.vn"
            if Subscription.objects.filter(organisation=organisation, email=email).exists():
                continue
            try:
                subscriptions.subscription_add(
                    organisation=organisation,
                    email=email,
                    name=agency.name,
                    press_agency=agency,
                    by=spokesperson,
                )
                added += 1
            except DomainError:
                continue
        complaint = self._complaint(organisation)
        tagged = self._tag_topics(organisation, spokesperson)
        warned = sweep.schedules_sweep()
        decided = self._issue_decisions(organisation)
        self.stdout.write(
            f"Statements demo: schedules ready, {added} subscriptions added, {warned} warnings "
            f"sent, {tagged} cases or statements tagged with plan topics; complaint "
            f"{complaint.reference} due {complaint.due_at:%d/%m/%Y} from its conclusion; "
            f"{decided} spokesperson decisions issued."
        )

    def _complaint(self, organisation) -> Case:
        """A complaint forwarded by the press: thụ lý (notice issued), conclusion dated today
        (the 5-working-day clock starts), the reply approved and signed; the worker issues both
        documents and closes the case."""
        existing = Case.objects.filter(organisation=organisation, subject=COMPLAINT_SUBJECT).first()
        if existing is not None:
            return existing
        User = get_user_model()
        users = {u.username: u for u in User.objects.filter(username__in=COMPLAINT_ACTORS)}
        case = intake.case_submit(
            journalist=users["journalist1"],
            organisation=organisation,
            kind=Case.Kind.COMPLAINT,
            subject=COMPLAINT_SUBJECT,
            questions=[
                "Phụ huynh học sinh lớp 7A khiếu nại việc nhà trường thu tiền dạy thêm, học "
                "thêm trái quy định; đề nghị cơ quan có thẩm quyền xem xét, giải quyết."
            ],
            purpose="Báo Giáo dục và Thời đại chuyển đơn theo Luật Báo chí.",
            channel=Case.Channel.API,
        )

        def complete(step, by, action, **data):
            task = (
                Task.objects.filter(process__in=case.processes.all(), flow_task_type="HUMAN")
                .exclude(status__in=[STATUS.DONE, STATUS.CANCELED])
                .order_by("-pk")
                .first()
            )
            assert task.flow_task.name == step, task.flow_task.name
            task_complete(task=task, by=users[by], action=action, data=data)

        complete("triage", "vanthu", "accept", assignees=[users["chuyenvien"]])
        today = timezone.localdate()
        complaints.case_complaint_accept(
            case=case,
            by=users["lanhdao"],
            accepted=True,
            decided_on=today,
            note="Đơn đủ điều kiện thụ lý theo Luật Khiếu nại.",
        )
        case = complaints.case_complaint_conclude(
            case=case,
            by=users["chuyenvien"],
            concluded_on=today,
            number="15/KL-UBND",
            issuer="Chủ tịch UBND thành phố Thuận An",
        )
        complete(
            "draft",
            "chuyenvien",
            "submit",
            answer=(
                "1. Việc thụ lý giải quyết: ngày "
                f"{today:%d/%m/%Y} Phòng đã thụ lý đơn khiếu nại.\n\n"
                f"2. Kết quả giải quyết theo Kết luận số 15/KL-UBND ngày {today:%d/%m/%Y} của "
                "Chủ tịch UBND thành phố Thuận An: việc thu tiền dạy thêm tại lớp 7A là trái "
                "quy định; nhà trường đã hoàn trả toàn bộ số tiền đã thu cho phụ huynh."
            ),
        )
        complete("review", "phatngon", "approve")
        complete("signoff", "lanhdao", "sign")
        return Case.objects.get(pk=case.pk)

    def _issue_decisions(self, organisation) -> int:
        """The head issues the QĐ naming each current spokesperson who has none yet.

        The directory shows a spokesperson only once the decision is signed and issued (the
        worker signs it, and its issue publishes the entry; NĐ 244 Art. 3.3).
        """
        head = (
            Membership.objects.current()
            .filter(organisation=organisation, role=Role.HEAD)
            .select_related("user")
            .first()
        )
        if head is None:
            return 0
        issued = 0
        for assignment in SpokespersonAssignment.objects.current().filter(
            organisation=organisation
        ):
            if decisions.decision_document(assignment) is not None:
                continue
            try:
                decisions.decision_issue(assignment=assignment, by=head.user)
            except DomainError as exc:
                self.stderr.write(f"{assignment.contact_name}: {exc.message}")
                continue
            issued += 1
        return issued

    def _tag_topics(self, organisation, spokesperson) -> int:
        """A draft on topics 3 and 8; untagged cases and statements get a topic in turn."""
        topics = list(
            plan_topics_choosable([organisation.pk], timezone.localdate().year).order_by("number")
        )
        if not topics:
            return 0
        tagged = 0
        if not Statement.objects.filter(
            organisation=organisation, title=TOPIC_DRAFT_TITLE
        ).exists():
            drafting.statement_create(
                organisation=organisation,
                by=spokesperson,
                kind=Statement.Kind.PERIODIC,
                title=TOPIC_DRAFT_TITLE,
                topics=[t for t in topics if t.number in (3, 8)],
            )
            tagged += 1
        year = timezone.localdate().year
        for model in (Case, Statement):
            untagged = model.objects.filter(
                organisation=organisation, topics__isnull=True, created_at__year=year
            ).order_by("pk")[:10]
            for i, artifact in enumerate(untagged):
                artifact.topics.add(topics[i % len(topics)])
                tagged += 1
        return tagged
