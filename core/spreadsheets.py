"""The one writer for every CSV and XLSX the application hands out.

Spreadsheet programs run a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula
(and a leading tab or carriage return can hide one). Much of what the exports hold is typed
by outsiders — a journalist's subject, a browser's User-Agent, a username tried at the login
form — so every text cell is neutralised here: it gets a leading apostrophe, the mark that
spreadsheet programs read as "this is text". XLSX cells are also written with the string type,
so no formula can be stored whatever the value.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import BinaryIO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# An XLSX cell holds at most 32,767 characters.
XLSX_MAX_CELL = 32000


def safe_cell(value):
    """Return `value` as a spreadsheet may show it: text that could start a formula is quoted."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _plain(value):
    """Values a spreadsheet takes as they are (numbers, text); anything else as its text."""
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    return str(value)


def csv_write(out: BinaryIO, header: Sequence, rows: Iterable[Sequence]) -> int:
    """Write `header` and `rows` to the binary stream `out` as UTF-8 CSV (with a BOM for Excel).

    Return the number of data rows written.
    """
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    writer = csv.writer(text)
    writer.writerow([safe_cell(_plain(v)) for v in header])
    count = 0
    for row in rows:
        writer.writerow([safe_cell(_plain(v)) for v in row])
        count += 1
    text.flush()
    text.detach()
    return count


def xlsx_write(out: BinaryIO, header: Sequence, rows: Iterable[Sequence], *, title: str) -> int:
    """Write `header` and `rows` to `out` as a one-sheet XLSX workbook (streamed, write-only).

    Return the number of data rows written.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(title)[:31])

    def cells(values):
        out_row = []
        for value in values:
            value = safe_cell(_plain(value))
            if isinstance(value, str):
                # Control characters make openpyxl refuse the whole file.
                value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)[:XLSX_MAX_CELL]
                cell = WriteOnlyCell(sheet, value=value)
                cell.data_type = "s"
            else:
                cell = WriteOnlyCell(sheet, value=value)
            out_row.append(cell)
        return out_row

    sheet.append(cells(header))
    count = 0
    for row in rows:
        sheet.append(cells(row))
        count += 1
    workbook.save(out)
    return count


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def spreadsheet_bytes(fmt: str, header: Sequence, rows: Iterable[Sequence], *, title: str) -> bytes:
    """Return the whole file in `fmt` ("csv" or "xlsx") as bytes."""
    buffer = io.BytesIO()
    if fmt == "csv":
        csv_write(buffer, header, rows)
    elif fmt == "xlsx":
        xlsx_write(buffer, header, rows, title=title)
    else:
        raise ValueError(f"unknown spreadsheet format {fmt!r}")
    return buffer.getvalue()


def spreadsheet_response(
    fmt: str, header: Sequence, rows: Iterable[Sequence], *, title: str, stem: str
):
    """The file in `fmt` as a download named `<stem>.<fmt>` (the registers' exports)."""
    from django.http import HttpResponse

    body = spreadsheet_bytes(fmt, header, rows, title=title)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response
