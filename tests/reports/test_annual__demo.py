"""The demo holds a year of figures for Phòng GDĐT Thuận An's annual report (idempotent)."""

import re

import pytest
import time_machine
from django.core.management import call_command

from reports import annual
from roles.models import Organisation
from workflows.cases.models import Case
from workflows.statements.models import Statement

from .conftest import vn

pytestmark = pytest.mark.django_db


def test_demo_data_gives_a_meaningful_report_and_loads_twice_without_duplicates():
    with time_machine.travel(vn(2026, 12, 2, 10), tick=False):
        call_command("seed_demo", verbosity=0)
        call_command("seed_demo_reports", verbosity=0)
        organisation = Organisation.objects.get(code="pgddt-thuan-an")
        first = annual.annual_figures(organisation, 2026)
        call_command("seed_demo_reports", verbosity=0)
        again = annual.annual_figures(organisation, 2026)
    assert first["questions"] == again["questions"]
    q = first["questions"]
    assert (q["received"], q["answered"], q["refused"], q["forwarded"]) == (10, 7, 2, 1)
    assert q["overdue"] >= 1  # one answer_request answered after its due time
    assert first["press_reports"]["received"] == 2 and first["complaints"]["received"] == 1
    assert first["statements"]["released"] == 5
    assert first["statements"]["conferences_held"] == 1
    assert organisation.annual_report_recipient == "Sở Giáo dục và Đào tạo tỉnh Bình Dương"
    # Numbered like every case and statement (HS-…, PN-…), not with a demo-only prefix.
    cases = Case.objects.filter(organisation=organisation)
    assert cases.count() == 13
    assert all(
        re.fullmatch(r"HS-20(25|26)-\d{6}", r) for r in cases.values_list("reference", flat=True)
    )
    statements = Statement.objects.filter(organisation=organisation, status="released")
    assert all(
        re.fullmatch(r"PN-2026-\d{6}", r) for r in statements.values_list("reference", flat=True)
    )
