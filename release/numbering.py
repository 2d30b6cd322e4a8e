"""Number outgoing documents: one gapless series per organisation × year × series key.

Nghị định 30/2020 Art. 15: numbers run from 01 on 1 January to 31 December and are unique
in the year per agency; secret documents keep their own series. The number is taken under
a row lock on the series row and bound to the document before anything is rendered, so a
failed render keeps its number (no gaps) and the unique constraint forbids duplicates.
"""

from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction

from .models import DOC_TYPE_ABBREVIATIONS, DocType, RegisterSeries

# One series for every document type by default (Art. 15.1); an agency that keeps
# separate series maps a type to its own key in RELEASE_NUMBER_SERIES.
DEFAULT_SERIES = "chung"


def series_for(doc_type: str) -> str:
    """Return the register series key a document type is numbered in."""
    return getattr(settings, "RELEASE_NUMBER_SERIES", {}).get(doc_type, DEFAULT_SERIES)


def symbol_for(*, doc_type: str, organisation, unit=None) -> str:
    """Return the ký hiệu: type + agency (TB-PGDĐT), or agency + unit for a công văn.

    A công văn has no type abbreviation (Phụ lục III); without a drafting unit its symbol is
    the agency's alone (PGDĐT).
    """
    if doc_type == DocType.CONG_VAN:
        if unit is None:
            return organisation.abbreviation
        return f"{organisation.abbreviation}-{unit.abbreviation}"
    return f"{DOC_TYPE_ABBREVIATIONS[doc_type]}-{organisation.abbreviation}"


def format_number(number: int) -> str:
    """Show a number with a leading zero below 10 (01 … 09, 10, 11 …)."""
    return f"{number:02d}"


def format_doc_date(place: str, day: date) -> str:
    """Return the place-and-date line, e.g. “Thuận An, ngày 05 tháng 01 năm 2027”.

    Leading zeros for days below 10 and for months 1 and 2 only (Nghị định 30/2020,
    Phụ lục I), so March is “tháng 3”.
    """
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def number_allocate(*, organisation, year: int, series: str) -> int:
    """Allocate the next number in the series; the caller's transaction holds the lock."""
    with transaction.atomic():
        row = _locked_series(organisation=organisation, year=year, series=series)
        row.last_number += 1
        row.save(update_fields=["last_number"])
        return row.last_number


def _locked_series(*, organisation, year: int, series: str) -> RegisterSeries:
    lookup = {"organisation": organisation, "year": year, "series": series}
    row = RegisterSeries.objects.select_for_update().filter(**lookup).first()
    if row is not None:
        return row
    try:
        # A savepoint, so that losing the race to create the row leaves the outer
        # transaction usable; the winner's row is then locked below.
        with transaction.atomic():
            RegisterSeries.objects.create(**lookup)
    except IntegrityError:
        pass
    return RegisterSeries.objects.select_for_update().get(**lookup)
