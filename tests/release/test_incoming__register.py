"""The incoming register (sổ văn bản đến): numbering, who reads and who writes, exports, ledger."""

import csv
import io
import threading
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import close_old_connections, connection, transaction
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import LedgerEvent
from core.errors import DomainError
from release import incoming
from release.models import IncomingDocument, RegisterSeries
from release.numbering import number_allocate
from tests.factories import OrganisationFactory

VN = ZoneInfo("Asia/Ho_Chi_Minh")
READERS = ["registry_officer", "specialist", "spokesperson", "head", "deputy_head", "inspector"]
REFUSED = ["journalist", "outsider"]
COLUMNS = [
    "Ngày đến",
    "Số đến",
    "Tác giả",
    "Số, ký hiệu",
    "Ngày tháng",
    "Tên loại và trích yếu nội dung",
    "Đơn vị, người nhận",
    "Ngày chuyển",
    "Ký nhận",
    "Ghi chú",
    "Hồ sơ",
]


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(datetime(2026, 11, 30, 10, tzinfo=VN), tick=True):
        yield


def _url(suffix="", org="pgddt-thuan-an", **params):
    query = "&".join(f"{k}={v}" for k, v in {"org": org, **params}.items())
    return reverse("outgoing:incoming:index") + suffix + "?" + query


def _letter(organisation, by, **kw):
    data = {
        "organisation": organisation,
        "by": by,
        "sender": "Báo Giáo dục và Thời đại",
        "letter_number": "125/GDTĐ-TKTS",
        "letter_date": date(2026, 11, 27),
        "summary": "Công văn đề nghị cung cấp thông tin về tuyển sinh lớp 6",
        "handler": "Tổ Giáo dục Tiểu học",
    }
    data.update(kw)
    return incoming.incoming_register(**data)


@pytest.mark.django_db
def test_numbers_run_from_01_each_year_per_organisation(
    organisation, other_organisation, registry_officer, outsider
):
    first = _letter(organisation, registry_officer)
    second = _letter(organisation, registry_officer, sender="Báo Bình Dương")
    elsewhere = incoming.incoming_register(
        organisation=other_organisation,
        sender="Báo Bình Dương",
        summary="Phản ánh",
        by=outsider,
        system=True,
    )
    assert (first.number_display, second.number_display, elsewhere.number_display) == (
        "01",
        "02",
        "01",
    )
    with time_machine.travel(datetime(2027, 1, 1, 0, 5, tzinfo=VN), tick=False):
        new_year = _letter(organisation, registry_officer)
    assert (new_year.year, new_year.number) == (2027, 1)
    # Handed to whoever handles it on the day it arrived (Ngày chuyển).
    assert first.dispatched_at == first.received_at
    # Its own series: the outgoing numbers are untouched.
    assert not RegisterSeries.objects.filter(organisation=organisation, series="chung").exists()
    event = LedgerEvent.objects.get(action="incoming.register", target_id=str(first.pk))
    assert event.after_data["number"] == 1
    assert event.after_data["letter_number"] == "125/GDTĐ-TKTS"


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["specialist", "spokesperson", "head", "inspector", "journalist"])
def test_only_the_registry_officer_registers(request, organisation, who):
    with pytest.raises(PermissionDenied):
        _letter(organisation, request.getfixturevalue(who))
    assert not IncomingDocument.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field,value,code",
    [
        ("sender", "  ", "sender"),
        ("summary", "", "summary"),
        ("letter_date", date(2027, 5, 1), "letter_date"),
        ("letter_number", "x" * 61, "letter_number"),
    ],
)
def test_bad_input_is_refused_in_words(organisation, registry_officer, field, value, code):
    with pytest.raises(DomainError) as exc:
        _letter(organisation, registry_officer, **{field: value})
    assert exc.value.code == code
    assert not IncomingDocument.objects.exists()


@pytest.mark.django_db
def test_update_completes_the_entry_but_keeps_its_number(organisation, registry_officer, head):
    entry = _letter(organisation, registry_officer, letter_number="", handler="")
    assert entry.dispatched_at is None
    with pytest.raises(PermissionDenied):
        incoming.incoming_update(entry=entry, by=head, letter_number="9/BBD")
    entry = incoming.incoming_update(
        entry=entry, by=registry_officer, letter_number="9/BBD", handler="Nguyễn Văn Chuyên"
    )
    assert (entry.number, entry.letter_number, entry.handler) == (1, "9/BBD", "Nguyễn Văn Chuyên")
    assert entry.dispatched_at is not None
    event = LedgerEvent.objects.get(action="incoming.update")
    assert event.before_data["letter_number"] == ""
    assert event.after_data["letter_number"] == "9/BBD"


@pytest.mark.django_db
@pytest.mark.parametrize("who", READERS)
def test_staff_and_inspectors_read_the_register(
    request, login, organisation, registry_officer, who
):
    _letter(organisation, registry_officer)
    page = login(request.getfixturevalue(who)).get(_url())
    assert page.status_code == 200
    text = page.content.decode()
    for column in COLUMNS:
        assert column in text
    assert "125/GDTĐ-TKTS" in text and "Báo Giáo dục và Thời đại" in text
    assert ("Vào sổ văn bản đến" in text) == (who == "registry_officer")


@pytest.mark.django_db
@pytest.mark.parametrize("who", REFUSED)
def test_everyone_else_is_refused(request, login, organisation, registry_officer, who):
    _letter(organisation, registry_officer)
    client = login(request.getfixturevalue(who))
    for suffix in ("", "xuat.csv", "xuat.xlsx"):
        assert client.get(_url(suffix)).status_code == 403
    assert client.post(_url(), {"sender": "X", "summary": "Y"}).status_code == 403
    assert not IncomingDocument.objects.exclude(sender="Báo Giáo dục và Thời đại").exists()


@pytest.mark.django_db
def test_the_outsider_cannot_open_another_organisations_register(login, organisation, outsider):
    assert login(outsider).get(_url()).status_code == 403


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get(_url())
    assert response.status_code == 302 and "dang-nhap" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["specialist", "head", "inspector"])
def test_readers_may_not_write(request, login, organisation, who):
    response = login(request.getfixturevalue(who)).post(
        _url(), {"sender": "Báo Bình Dương", "summary": "Phản ánh"}
    )
    assert response.status_code == 403
    assert not IncomingDocument.objects.exists()


@pytest.mark.django_db
def test_the_registry_officer_registers_a_letter_on_the_page(login, organisation, registry_officer):
    client = login(registry_officer)
    response = client.post(
        _url(),
        {
            "org": "pgddt-thuan-an",
            "sender": "Báo Bình Dương",
            "letter_number": "41/BBD",
            "letter_date": "26/11/2026",
            "summary": "Phản ánh về việc thu tiền học thêm",
            "handler": "Tổ Giáo dục Tiểu học",
        },
    )
    assert response.status_code == 302
    entry = IncomingDocument.objects.get()
    assert (entry.number, entry.letter_date) == (1, date(2026, 11, 26))
    bad = client.post(_url(), {"sender": "", "summary": "x", "letter_date": "31/02/2026"})
    assert bad.status_code == 400
    assert "Ngày tháng văn bản" in bad.content.decode()
    assert IncomingDocument.objects.count() == 1


@pytest.mark.django_db
def test_filters_by_year_and_text(login, organisation, registry_officer):
    _letter(organisation, registry_officer)
    _letter(organisation, registry_officer, sender="Báo Bình Dương", letter_number="41/BBD")
    client = login(registry_officer)
    text = client.get(_url(q="Bình")).content.decode()
    assert "41/BBD" in text and "125/GDTĐ-TKTS" not in text
    assert "41/BBD" not in client.get(_url(year="2025")).content.decode()
    bad = client.get(_url(year="20x6"))
    assert bad.status_code == 400 and "4 chữ số" in bad.content.decode()
    # An export of a bad filter goes back to the page that says what is wrong.
    assert client.get(_url("xuat.csv", year="20x6")).status_code == 302


@pytest.mark.django_db
def test_csv_and_xlsx_exports_have_the_ten_columns_and_are_ledgered(
    login, organisation, registry_officer, inspector
):
    _letter(organisation, registry_officer, summary="=cmd|' /C calc'!A0")
    response = login(inspector).get(_url("xuat.csv"))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == COLUMNS
    assert rows[1][:5] == [
        "30/11/2026",
        "01",
        "Báo Giáo dục và Thời đại",
        "125/GDTĐ-TKTS",
        "27/11/2026",
    ]
    assert rows[1][5].startswith("'=")  # never run as a formula
    sheet = load_workbook(io.BytesIO(login(inspector).get(_url("xuat.xlsx")).content)).active
    assert [c.value for c in sheet[1]] == COLUMNS
    assert sheet["B2"].value == "01"
    assert LedgerEvent.objects.filter(action="incoming.export").count() == 2


@pytest.mark.postgres
@pytest.mark.usefixtures("postgres_db")
def test_concurrent_registrations_on_postgresql_get_01_to_60_without_gaps():
    organisation = OrganisationFactory(code="den-dong-thoi", abbreviation="DDT")
    workers, share = 20, 3
    errors: list[BaseException] = []
    barrier = threading.Barrier(workers)

    def worker():
        try:
            barrier.wait(timeout=30)
            for _ in range(share):
                with transaction.atomic():
                    incoming.incoming_register(
                        organisation=organisation,
                        sender="Báo Bình Dương",
                        summary="Phản ánh",
                        system=True,
                    )
        except BaseException as exc:  # noqa: BLE001 — reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    close_old_connections()
    assert not errors
    numbers = sorted(
        IncomingDocument.objects.filter(organisation=organisation).values_list("number", flat=True)
    )
    assert numbers == list(range(1, workers * share + 1))
    # The outgoing series of the same organisation and year is separate.
    with transaction.atomic():
        assert number_allocate(organisation=organisation, year=2026, series="chung") == 1
