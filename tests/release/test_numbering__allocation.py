"""Numbering: gapless per organisation × year × series, race-safe, bound before rendering."""

import threading
from datetime import date

import pytest
from django.db import IntegrityError, close_old_connections, connection, transaction

from release.models import DocType, IssuedDocument, RegisterSeries
from release.numbering import (
    format_doc_date,
    format_number,
    number_allocate,
    series_for,
    symbol_for,
)
from tests.factories import OrganisationFactory
from tests.release.helpers import issue


def test_numbers_show_a_leading_zero_below_ten():
    assert [format_number(n) for n in (1, 7, 9, 10, 123)] == ["01", "07", "09", "10", "123"]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2027, 1, 5), "Thuận An, ngày 05 tháng 01 năm 2027"),
        (date(2027, 2, 28), "Thuận An, ngày 28 tháng 02 năm 2027"),
        (date(2027, 3, 9), "Thuận An, ngày 09 tháng 3 năm 2027"),
        (date(2027, 12, 31), "Thuận An, ngày 31 tháng 12 năm 2027"),
    ],
)
def test_date_line_pads_days_below_ten_and_months_one_and_two(day, expected):
    assert format_doc_date("Thuận An", day) == expected


def test_symbol_is_type_and_agency_or_agency_and_unit_for_a_cong_van(organisation, unit):
    assert symbol_for(doc_type=DocType.THONG_BAO, organisation=organisation) == "TB-PGDĐT"
    assert symbol_for(doc_type=DocType.QUYET_DINH, organisation=organisation) == "QĐ-PGDĐT"
    assert symbol_for(doc_type=DocType.CONG_VAN, organisation=organisation, unit=unit) == (
        "PGDĐT-TH"
    )


def test_every_type_shares_one_series_by_default_and_settings_can_split_them(settings):
    assert series_for(DocType.THONG_BAO) == series_for(DocType.CONG_VAN)
    settings.RELEASE_NUMBER_SERIES = {DocType.QUYET_DINH: "qd"}
    assert series_for(DocType.QUYET_DINH) == "qd"
    assert series_for(DocType.THONG_BAO) == "chung"


@pytest.mark.django_db
def test_numbers_run_from_one_per_organisation_year_and_series(organisation, other_organisation):
    assert [
        number_allocate(organisation=organisation, year=2027, series="chung") for _ in range(3)
    ] == [1, 2, 3]
    assert number_allocate(organisation=organisation, year=2028, series="chung") == 1
    assert number_allocate(organisation=other_organisation, year=2027, series="chung") == 1
    assert number_allocate(organisation=organisation, year=2027, series="mat") == 1
    assert number_allocate(organisation=organisation, year=2027, series="chung") == 4
    assert (
        RegisterSeries.objects.get(organisation=organisation, year=2027, series="chung").last_number
        == 4
    )


@pytest.mark.django_db
def test_the_database_refuses_a_duplicate_number(organisation, head):
    document = issue(organisation, head)
    duplicate = IssuedDocument.objects.get(pk=document.pk)
    duplicate.pk = None
    duplicate.verify_token = "another-token"
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


@pytest.mark.django_db
def test_issue_binds_the_number_before_rendering(organisation, head, deputy_head):
    first = issue(organisation, head)
    second = issue(organisation, deputy_head, authority="KT.", signer_title="Phó Trưởng phòng")
    assert (first.number, second.number) == (1, 2)
    assert first.status == IssuedDocument.Status.QUEUED  # nothing rendered in the request
    assert first.number_display == "01/TB-PGDĐT"
    assert not first.pdf


@pytest.mark.postgres
@pytest.mark.usefixtures("postgres_db")
def test_200_concurrent_allocations_on_postgresql_give_exactly_1_to_200():
    organisation = OrganisationFactory(code="dong-thoi", abbreviation="DT")
    count, workers = 200, 40
    results: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    barrier = threading.Barrier(workers)

    def worker(share: int):
        try:
            barrier.wait(timeout=30)
            for _ in range(share):
                with transaction.atomic():
                    number = number_allocate(organisation=organisation, year=2027, series="chung")
                with lock:
                    results.append(number)
        except BaseException as exc:  # noqa: BLE001 — reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()  # each thread has its own connection; give it back

    threads = [threading.Thread(target=worker, args=(count // workers,)) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    close_old_connections()
    assert not errors
    assert sorted(results) == list(range(1, count + 1))
    assert RegisterSeries.objects.get(organisation=organisation).last_number == count


@pytest.mark.postgres
@pytest.mark.usefixtures("postgres_db")
def test_concurrent_first_allocations_create_the_series_row_once():
    """The first numbers of a new year race to create the series row: one wins, none fail."""
    organisation = OrganisationFactory(code="nam-moi", abbreviation="NM")
    workers = 20
    results, errors = [], []
    barrier = threading.Barrier(workers)

    def worker():
        try:
            barrier.wait(timeout=30)
            with transaction.atomic():
                results.append(
                    number_allocate(organisation=organisation, year=2031, series="chung")
                )
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert sorted(results) == list(range(1, workers + 1))
    assert RegisterSeries.objects.filter(organisation=organisation, year=2031).count() == 1
