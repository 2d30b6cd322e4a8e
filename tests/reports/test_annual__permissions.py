"""Who may see the year's report page and its XLSX, and who may generate it (a 403 for
each wrong role)."""

import pytest
import time_machine

from core.errors import DomainError
from reports.models import AnnualReport
from workflows.statements import drafting

from .conftest import vn

pytestmark = pytest.mark.django_db
URL = "/workspace/reports/nam/2026/"


@pytest.fixture(autouse=True)
def _travel():
    with time_machine.travel(vn(2026, 12, 2, 10), tick=False):
        yield


@pytest.fixture
def everyone(head, spokesperson, deputy_head, specialist, registry_officer, inspector):
    return locals()


def _post(client, organisation):
    return client.post(f"{URL}?organisation={organisation.code}", {"action": "create"})


@pytest.mark.parametrize("persona", ["head", "spokesperson"])
def test_head_and_spokesperson_generate_the_report(
    persona, request, client, organisation, everyone
):
    client.force_login(request.getfixturevalue(persona))
    assert _post(client, organisation).status_code == 302
    report = AnnualReport.objects.get()
    assert report.statement.author == everyone["spokesperson"]


@pytest.mark.parametrize(
    "persona", ["deputy_head", "specialist", "registry_officer", "inspector", "province_head"]
)
def test_staff_inspectors_and_parent_heads_view_but_may_not_generate(
    persona, request, client, organisation, everyone
):
    client.force_login(request.getfixturevalue(persona))
    page = client.get(URL, {"organisation": organisation.code})
    assert page.status_code == 200, persona
    assert "Tạo dự thảo báo cáo năm 2026" not in page.content.decode()
    assert client.get(URL + "xuat.xlsx", {"organisation": organisation.code}).status_code == 200
    assert _post(client, organisation).status_code == 403, persona
    assert not AnnualReport.objects.exists()


@pytest.mark.parametrize("persona", ["outsider", "journalist"])
def test_others_are_refused(persona, request, client, organisation, everyone):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL, {"organisation": organisation.code}).status_code == 403
    assert client.get(URL + "xuat.xlsx", {"organisation": organisation.code}).status_code == 403
    assert _post(client, organisation).status_code == 403
    assert not AnnualReport.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, organisation):
    r = client.get(URL, {"organisation": organisation.code})
    assert r.status_code in (302, 403)
    assert not AnnualReport.objects.exists()


def test_bad_input_gets_a_clear_answer_never_a_500(client, organisation, head):
    client.force_login(head)
    assert client.get("/workspace/reports/nam/2027/").status_code == 404  # a future year
    assert client.get(URL, {"organisation": "khong-co"}).status_code == 404
    r = client.post(f"{URL}?organisation={organisation.code}", {"action": "xoa"})
    assert r.status_code == 400 and "Thao tác không hợp lệ" in r.content.decode()
    r = client.post(f"{URL}?organisation={organisation.code}", {"action": "regenerate"})
    assert r.status_code == 400


def test_the_statement_form_does_not_offer_the_annual_report(client, spokesperson):
    client.force_login(spokesperson)
    page = client.get("/workspace/statements/pages/tao/")
    assert page.status_code == 200
    assert 'value="annual_report"' not in page.content.decode()
    # Nor does the service (the API's road): only the reports pages open one, with figures.
    with pytest.raises(DomainError):
        drafting.statement_create(
            organisation=spokesperson.memberships.get().organisation,
            by=spokesperson,
            kind="annual_report",
            title="Báo cáo năm",
        )


def test_the_start_page_and_the_dashboard_link_to_the_years_report(client, organisation, head):
    client.force_login(head)
    start = client.get("/bat-dau/", follow=True)
    assert URL in start.content.decode()
    dashboard = client.get("/workspace/reports/", {"organisation": organisation.code})
    assert f"{URL}?organisation={organisation.code}" in dashboard.content.decode()


def test_the_administrator_configures_the_recipient_and_it_is_ledgered(admin_client, organisation):
    from tests.audit.test_admin__ledger import change, last_event

    recipient = "Sở Giáo dục và Đào tạo tỉnh Bình Dương"
    url = f"/quan-tri/roles/organisation/{organisation.pk}/change/"
    change(admin_client, url, annual_report_recipient=recipient)
    organisation.refresh_from_db()
    assert organisation.annual_report_recipient == recipient
    _event, before, after = last_event("admin.change", organisation)
    assert (before, after) == (
        {"annual_report_recipient": ""},
        {"annual_report_recipient": recipient},
    )
