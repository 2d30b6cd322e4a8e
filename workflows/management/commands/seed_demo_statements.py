"""Demo data for outbound statements (idempotent): the periodic schedule of Phòng GDĐT Thuận An
with a missed period, its press distribution list, and a draft tagged with plan topics (cases
and statements already there without topics get one each). Run after seed_demo and make_dev_pki."""

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils import timezone

from core.errors import DomainError
from release.models import Subscription
from release.newsroom import subscriptions
from roles.models import Membership, Organisation, PressAgency, Role, SpokespersonAssignment
from roles.selectors import plan_topics_choosable
from workflows.cases.models import Case
from workflows.statements import decisions, drafting
from workflows.statements.models import PeriodicSchedule, Statement
from workflows.statements.schedules import sweep

ORG = "pgddt-thuan-an"
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
        tagged = self._tag_topics(organisation, spokesperson)
        warned = sweep.schedules_sweep()
        decided = self._issue_decisions(organisation)
        self.stdout.write(
            f"Statements demo: schedules ready, {added} subscriptions added, {warned} warnings "
            f"sent, {tagged} cases or statements tagged with plan topics, {decided} "
            "spokesperson decisions issued."
        )

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
