"""Staff register pages: who may read, export, download, retry and cancel (403 for the rest)."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import LedgerEvent
from release.models import IssuedDocument
from tests.release.helpers import issue

pytestmark = pytest.mark.django_db

READERS = ["registry_officer", "head", "deputy_head", "inspector"]
REFUSED = ["journalist", "specialist", "spokesperson", "outsider"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def issued(organisation, head, signing_credentials, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document = issue(
            organisation,
            head,
            summary="Về việc tuyển sinh lớp 6",
            recipients=['=HYPERLINK("http://x")', "Báo Giáo dục và Thời đại"],
        )
    document.refresh_from_db()
    return document


@pytest.fixture
def failed(organisation, head):
    document = issue(organisation, head, summary="Văn bản lỗi khi ký")
    IssuedDocument.objects.filter(pk=document.pk).update(
        status=IssuedDocument.Status.FAILED, attempts=6, last_error="SigningError: token rút ra"
    )
    document.refresh_from_db()
    return document


def _register(org="pgddt-thuan-an", suffix=""):
    return reverse("outgoing:register:index") + suffix + f"?org={org}"


@pytest.mark.parametrize("who", READERS)
def test_readers_see_the_register_with_decree_30_columns(request, login, issued, failed, who):
    client = login(request.getfixturevalue(who))
    response = client.get(_register())
    assert response.status_code == 200
    page = response.content.decode()
    for column in (
        "Số, ký hiệu",
        "Ngày tháng",
        "Loại và trích yếu nội dung",
        "Người ký",
        "Nơi nhận",
        "Đơn vị, người nhận bản lưu",
        "Số lượng bản",
        "Ngày chuyển",
        "Ký nhận",
        "Ghi chú",
        "Trạng thái",
    ):
        assert column in page
    # The number is never cut off or broken inside ("06/TB-PG…" in the review).
    assert '<td class="nowrap">01/TB-PGDĐT</td>' in page
    assert "Văn thư cơ quan (bản gốc)" in page
    assert "01/TB-PGDĐT" in page and "Về việc tuyển sinh lớp 6" in page
    assert "02/TB-PGDĐT" in page and "token rút ra" in page  # failed issue with its error
    has_retry_button = "Thử lại" in page
    assert has_retry_button == (who == "registry_officer")


@pytest.mark.parametrize("who", REFUSED)
def test_everyone_else_is_refused_the_register(request, login, issued, who):
    client = login(request.getfixturevalue(who))
    for suffix in ("", "xuat.csv", "xuat.xlsx"):
        response = client.get(_register(suffix=suffix))
        assert response.status_code == 403, (who, suffix)


def test_the_outsider_sees_only_their_own_register(login, issued, outsider, other_organisation):
    client = login(outsider)
    response = client.get(_register(org=other_organisation.code))
    assert response.status_code == 200
    assert "01/TB-PGDĐT" not in response.content.decode()


def test_anonymous_visitors_are_sent_to_login(client, issued):
    response = client.get(_register())
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_csv_export_has_the_columns_and_neutralises_formulas(login, issued, registry_officer):
    response = login(registry_officer).get(_register(suffix="xuat.csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    # The ten columns of NĐ 30/2020 Phụ lục IV.I, then the status.
    assert rows[0] == [
        "Số, ký hiệu",
        "Ngày tháng",
        "Loại và trích yếu nội dung",
        "Người ký",
        "Nơi nhận",
        "Đơn vị, người nhận bản lưu",
        "Số lượng bản",
        "Ngày chuyển",
        "Ký nhận",
        "Ghi chú",
        "Trạng thái",
    ]
    assert rows[1][0] == "01/TB-PGDĐT"
    assert rows[1][2] == "Thông báo: Về việc tuyển sinh lớp 6"
    assert rows[1][4].startswith("'=HYPERLINK")  # shown as text, never run as a formula
    assert rows[1][5] == "Văn thư cơ quan (bản gốc)"
    assert rows[1][8] == ""  # signed by hand on the printed register
    assert rows[1][10] == "Đã phát hành"
    assert LedgerEvent.objects.filter(action="register.export").count() == 1


def test_xlsx_export_opens_in_a_spreadsheet(login, issued, inspector):
    response = login(inspector).get(_register(suffix="xuat.xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "Số, ký hiệu"
    assert sheet["A2"].value == "01/TB-PGDĐT"
    assert sheet["D2"].value == issued.signer_name


@pytest.mark.parametrize("who", READERS)
def test_readers_download_the_signed_pdf_and_each_download_is_logged(request, login, issued, who):
    user = request.getfixturevalue(who)
    response = login(user).get(reverse("release:download", args=[issued.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == issued.pdf.read()
    event = LedgerEvent.objects.get(action="document.download")
    assert event.actor_id == user.pk and event.target_id == str(issued.pk)


@pytest.mark.parametrize("who", REFUSED)
def test_others_may_not_download(request, login, issued, who):
    response = login(request.getfixturevalue(who)).get(
        reverse("release:download", args=[issued.pk])
    )
    assert response.status_code == 403
    assert not LedgerEvent.objects.filter(action="document.download").exists()


def test_a_download_hook_lets_another_app_grant_access(login, issued, journalist, settings):
    settings.RELEASE_DOWNLOAD_ACCESS = ["tests.release.test_views__register.journalist_hook"]
    response = login(journalist).get(reverse("release:download", args=[issued.pk]))
    assert response.status_code == 200
    assert LedgerEvent.objects.get(action="document.download").actor_id == journalist.pk


def journalist_hook(user, document):
    return user.username == "journalist1"


def test_registry_officer_retries_a_failed_issue(
    login, failed, registry_officer, signing_credentials, django_capture_on_commit_callbacks
):
    client = login(registry_officer)
    url = reverse("outgoing:register:retry", args=[failed.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == IssuedDocument.Status.ISSUED
    assert failed.number == 1


@pytest.mark.parametrize("who", ["inspector", "head", "deputy_head", *REFUSED])
def test_nobody_else_may_retry(request, login, failed, who):
    response = login(request.getfixturevalue(who)).post(
        reverse("outgoing:register:retry", args=[failed.pk])
    )
    assert response.status_code == 403
    failed.refresh_from_db()
    assert failed.status == IssuedDocument.Status.FAILED


def test_retry_needs_a_post(login, failed, registry_officer):
    response = login(registry_officer).get(reverse("outgoing:register:retry", args=[failed.pk]))
    assert response.status_code == 405


@pytest.mark.parametrize("who", ["registry_officer", "head"])
def test_cancel_with_a_reason(request, login, issued, who):
    client = login(request.getfixturevalue(who))
    url = reverse("outgoing:register:cancel", args=[issued.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": ""}).status_code == 400
    response = client.post(url, {"reason": "Gửi nhầm nơi nhận"})
    assert response.status_code == 302
    issued.refresh_from_db()
    assert issued.status == IssuedDocument.Status.CANCELLED
    assert issued.cancel_reason == "Gửi nhầm nơi nhận"


@pytest.mark.parametrize("who", ["inspector", *REFUSED])
def test_nobody_else_may_cancel(request, login, issued, who):
    client = login(request.getfixturevalue(who))
    url = reverse("outgoing:register:cancel", args=[issued.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "thử"}).status_code == 403
    issued.refresh_from_db()
    assert issued.status == IssuedDocument.Status.ISSUED


def test_the_register_is_paginated(login, issued, failed, registry_officer, monkeypatch):
    monkeypatch.setattr("release.views.REGISTER_PAGE_SIZE", 1)
    client = login(registry_officer)
    first = client.get(_register()).content.decode()
    second = client.get(_register() + "&page=2").content.decode()
    assert "Trang 1/2" in first and "Trang 2/2" in second
    # Newest number first; the failed issue (02) is also listed in its own table on each page.
    register_part = first.split("mdc-data-table__table register")[1]
    assert "02/TB-PGDĐT" in register_part and "01/TB-PGDĐT" not in register_part
    assert "01/TB-PGDĐT" in second.split("mdc-data-table__table register")[1]
    assert client.get(_register() + "&page=abc").status_code == 200  # a bad page is page 1
