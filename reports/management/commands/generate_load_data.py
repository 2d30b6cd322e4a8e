"""Fill a database with a province's worth of data for load tests (issue 17).

    python manage.py generate_load_data [--organisations 1000] [--cases 200000]
        [--events 2000000] [--seed 17] [--force]

Bulk inserts and COPY (reports/loadgen.py, shared with benchmarks/reports_dashboard.py):
organisations under the demo Sở with their staff, press agencies and journalists; cases over
the last year, each with its viewflow process and task (open ones held or queued, with
viewflow's routing permission); clocked statements; issued thông cáo in Phòng Thuận An's
register and newsroom; a ledger continued from its head as a genuine hash chain
(`verify_audit` passes). The demo accounts of `seed_demo` (password phatngon-demo) keep a
realistic share: Phòng Thuận An gets --demo-cases cases (at most half of all), its staff
hold its open tasks by step, and journalist1 has --journalist-cases cases of their own.
Refuses a database that holds cases, statements, documents or non-demo organisations
unless --force.
"""

from __future__ import annotations

import math
import random
import time

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import LedgerEvent
from release.models import IssuedDocument
from reports import loadgen
from roles.management.commands.seed_demo import ORGANISATIONS
from roles.models import Organisation
from workflows.cases.models import Case
from workflows.statements.models import Statement

DEMO_OFFICE = "pgddt-thuan-an"
SCHOOLS_PER_OFFICE = 4
# Who holds an open task of the demo office, by the case's status (the rest wait in the queue).
DEMO_HOLDERS = {
    Case.Status.TRIAGE: "vanthu",
    Case.Status.AWAITING_CLARIFICATION: "vanthu",
    Case.Status.DRAFTING: "chuyenvien",
    Case.Status.REVIEW: "phatngon",
    Case.Status.SIGNOFF: "lanhdao",
}
# Who may take a queued task of the demo office (may_triage: registry officer or spokesperson).
DEMO_QUEUES = {
    Case.Status.TRIAGE: ["vanthu", "phatngon"],
    Case.Status.AWAITING_CLARIFICATION: ["vanthu", "phatngon"],
    Case.Status.DRAFTING: ["chuyenvien"],
    Case.Status.REVIEW: ["phatngon"],
    Case.Status.SIGNOFF: ["lanhdao"],
}
# The generated offices' staff, in loadgen.OFFICE_ROLES order: who holds which step.
OFFICE_HOLDERS = {
    Case.Status.TRIAGE: [0],
    Case.Status.AWAITING_CLARIFICATION: [0],
    Case.Status.DRAFTING: [1, 2, 3],
    Case.Status.REVIEW: [4],
    Case.Status.SIGNOFF: [5],
}


def real_data() -> list[str]:
    """What in this database is not demo data (empty when it is safe to fill)."""
    found = []
    demo_codes = {row[0] for row in ORGANISATIONS}
    for label, exists in [
        (_("hồ sơ báo chí"), Case.objects.exists()),
        (_("thông tin phát ngôn"), Statement.objects.exists()),
        (_("văn bản đã cấp số"), IssuedDocument.objects.exists()),
        (
            _("cơ quan ngoài dữ liệu mẫu"),
            Organisation.objects.exclude(code__in=demo_codes).exists(),
        ),
    ]:
        if exists:
            found.append(label)
    return found


class Command(BaseCommand):
    help = "Tạo dữ liệu lớn để thử tải (mặc định 1.000 cơ quan, 200.000 hồ sơ, 2.000.000 sự kiện nhật ký)."

    def add_arguments(self, parser):
        parser.add_argument("--organisations", type=int, default=1000)
        parser.add_argument("--cases", type=int, default=200_000)
        parser.add_argument("--events", type=int, default=2_000_000)
        parser.add_argument("--seed", type=int, default=17)
        parser.add_argument("--demo-cases", type=int, default=2000)
        parser.add_argument("--journalist-cases", type=int, default=300)
        parser.add_argument(
            "--force", action="store_true", help="fill a database that already holds data"
        )

    def handle(self, *args, **options):
        found = real_data()
        if found and not options["force"]:
            raise CommandError(
                _(
                    "Cơ sở dữ liệu này đã có dữ liệu thật (%(what)s): không tạo dữ liệu thử tải. "
                    "Dùng --force nếu chắc chắn."
                )
                % {"what": ", ".join(found)}
            )
        started = time.perf_counter()
        rng = random.Random(options["seed"])
        now = timezone.now()
        codes = sorted(
            {row[0] for row in ORGANISATIONS}
            | set(Organisation.objects.values_list("code", flat=True))
        )
        offices_n = math.ceil(
            max(options["organisations"] - len(codes), 0) / (1 + SCHOOLS_PER_OFFICE)
        )
        prefix = f"lt{options['seed']}-{len(codes)}-"
        codes += [f"{prefix}pgddt-{i}" for i in range(offices_n)]
        codes += [
            f"{prefix}truong-{i}-{j}" for i in range(offices_n) for j in range(SCHOOLS_PER_OFFICE)
        ]
        with transaction.atomic():
            # On an empty ledger, the history comes first (spread over the last year), then the
            # demo's own events: time never runs backwards along the chain.
            history_first = not LedgerEvent.objects.exists()
            if history_first:
                after = Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
                loadgen.load_ledger(
                    options["events"],
                    rng,
                    now,
                    range(after + 1, after + 1 + max(options["cases"], 1)),
                    [Organisation(code=code) for code in codes],
                )
            call_command("seed_demo", stdout=self.stdout)
            summary = self._load(
                options, rng, now, offices_n=offices_n, prefix=prefix, ledger=not history_first
            )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        summary["seconds"] = round(time.perf_counter() - started, 1)
        self.stdout.write(
            "generate_load_data: " + ", ".join(f"{key} {value}" for key, value in summary.items())
        )

    def _load(self, options, rng, now, *, offices_n: int, prefix: str, ledger: bool) -> dict:
        User = get_user_model()
        demo = {
            u.username: u
            for u in User.objects.filter(
                username__in=[*DEMO_HOLDERS.values(), "journalist1", "journalist2"]
            )
        }
        thuan_an = Organisation.objects.get(code=DEMO_OFFICE)
        root = Organisation.objects.get(code="sgddt-binh-duong")
        cases_n = options["cases"]
        _root, _head, offices, schools, units, staff, agencies, journalists = loadgen.load_people(
            offices_n,
            SCHOOLS_PER_OFFICE,
            root=root,
            prefix=prefix,
            journalists=max(30, cases_n // 100),
            agencies=max(5, options["organisations"] // 20),
        )
        # The demo office's staff and units take part like any generated office's.
        demo_units = list(thuan_an.units.all())
        units[thuan_an.pk] = demo_units
        staff[thuan_an.pk] = [
            demo[name] for name in ("vanthu", "chuyenvien", "phatngon", "lanhdao")
        ]

        def owner_for(case, rng):
            """Who holds the open task (None: queued), and who may take it (granted)."""
            if case.organisation_id == thuan_an.pk:
                people = [demo[name] for name in DEMO_QUEUES[case.status]]
                holder = demo[DEMO_HOLDERS[case.status]]
                # Triage names the specialist: a draft is always held.
                if case.status == Case.Status.DRAFTING or rng.random() < 0.8:
                    return holder, [holder]
                return None, people
            people = staff[case.organisation_id]
            eligible = [people[i] for i in OFFICE_HOLDERS[case.status] if i < len(people)]
            if not eligible or rng.random() < 0.3:
                return None, eligible
            holder = rng.choice(eligible)
            return holder, [holder]

        demo_n = min(options["demo_cases"], cases_n // 2)
        own_n = min(options["journalist_cases"], demo_n // 2)
        bulk_n = cases_n - demo_n
        first = Case.objects.count()
        reference = prefix.upper()
        opened = 0
        organisations = offices * 7 + schools  # offices get most of the press's questions
        if bulk_n and organisations:
            opened += loadgen.load_cases(
                bulk_n,
                rng,
                now,
                organisations,
                units,
                staff,
                agencies,
                journalists,
                prefix=reference,
                owner_for=owner_for,
                start=first,
            )
        # The demo office: one busy Phòng, journalist1's own cases among them.
        opened += loadgen.load_cases(
            own_n,
            rng,
            now,
            [thuan_an],
            units,
            staff,
            [demo["journalist1"].journalist_profile.press_agency],
            [demo["journalist1"]],
            prefix=reference,
            owner_for=owner_for,
            start=first + bulk_n,
        )
        opened += loadgen.load_cases(
            demo_n - own_n,
            rng,
            now,
            [thuan_an],
            units,
            staff,
            agencies,
            [*journalists, demo["journalist2"]],
            prefix=reference,
            owner_for=owner_for,
            start=first + bulk_n + own_n,
        )
        loadgen.load_statements(
            rng,
            now,
            demo["lanhdao"],
            [thuan_an, *offices],
            statements=max(10, cases_n // 60),
            documents=max(5, min(500, cases_n // 40)),
            subscribers=10,
            prefix=prefix,
        )
        if ledger:  # continued from a head already there (its time onwards)
            loadgen.load_ledger(
                max(options["events"] - LedgerEvent.objects.count(), 0),
                rng,
                timezone.now(),
                list(Case.objects.values_list("pk", flat=True)),
                [thuan_an, *offices, *schools],
            )
        return {
            "organisations": Organisation.objects.count(),
            "cases": Case.objects.count(),
            "open": opened,
            "ledger events": LedgerEvent.objects.count(),
        }
