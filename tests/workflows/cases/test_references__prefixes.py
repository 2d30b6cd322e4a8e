"""References: HS-… for cases and PN-… for statements (no Phụ lục III abbreviation), while
cases and statements numbered PA-… / TT-… before the change keep resolving by that reference."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from audit.models import LedgerEvent
from audit.selectors import events_about
from tests.workflows.helpers import new_statement
from workflows.cases import models as case_models
from workflows.cases.models import Case
from workflows.statements import models as statement_models
from workflows.statements.models import Statement

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")

# NĐ 30/2020 Phụ lục III, Mục I: every type abbreviation (research/legal-sources.md).
PHU_LUC_III = {
    "NQ", "QĐ", "CT", "QC", "QyĐ", "TC", "TB", "HD", "CTr", "KH", "PA", "ĐA", "DA", "BC", "BB",
    "TTr", "HĐ", "CĐ", "BGN", "BTT", "GUQ", "GM", "GGT", "GNP", "PG", "PC", "PB", "SY", "TrS",
    "SL",
}  # fmt: skip


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(datetime(2026, 11, 30, 10, tzinfo=VN), tick=True):
        yield


def test_the_new_prefixes_are_no_abbreviation_of_phu_luc_iii():
    prefixes = {case_models.REFERENCE_PREFIX, statement_models.REFERENCE_PREFIX}
    assert prefixes == {"HS", "PN"}
    assert not {p.upper() for p in prefixes} & {a.upper() for a in PHU_LUC_III}
    # Nor a prefix of one ("TT" would read as TTr, tờ trình; or as a thông tư).
    assert not any(a.upper().startswith(p) for p in prefixes for a in PHU_LUC_III)


def test_new_cases_and_statements_get_the_new_prefixes(case, spokesperson, organisation):
    assert re.fullmatch(r"HS-2026-\d{6}", case.reference)
    statement = new_statement(spokesperson, organisation)
    assert re.fullmatch(r"PN-2026-\d{6}", statement.reference)


def test_an_old_case_reference_keeps_resolving(client, login, case, journalist, staff):
    legacy = "PA-2026-000007"
    Case.objects.filter(pk=case.pk).update(reference=legacy)
    # The journalist's old link (e-mails, the PDF's text) opens the same case.
    page = login(journalist).get(reverse("workflows:journalist-case", args=[legacy]))
    assert page.status_code == 200 and legacy in page.content.decode()
    # The inspector's search by the old reference finds the case's events.
    found = events_about(LedgerEvent.objects.all(), legacy)
    assert found.filter(action="case.submit", target_id=str(case.pk)).exists()
    # The staff register's search too.
    listing = login(staff["vanthu"]).get(reverse("cases:pages:index"), {"q": legacy})
    assert legacy in listing.content.decode()


def test_an_old_statement_reference_keeps_resolving(spokesperson, organisation):
    statement = new_statement(spokesperson, organisation)
    Statement.objects.filter(pk=statement.pk).update(reference="TT-2026-000003")
    found = events_about(LedgerEvent.objects.all(), "TT-2026-000003")
    assert found.filter(target_type="workflows.statement", target_id=str(statement.pk)).exists()
