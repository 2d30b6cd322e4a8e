"""Every CSV/XLSX cell that a spreadsheet could run as a formula is shown as text (review M5, D3)."""

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook

from core.spreadsheets import csv_write, safe_cell, spreadsheet_bytes, xlsx_write

DANGEROUS = [
    '=HYPERLINK("http://127.0.0.1:9999/x","click me")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("value", DANGEROUS)
def test_text_that_could_start_a_formula_is_quoted(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Thuận An", "a=b", "", "05/TB-PGDĐT"])
def test_plain_text_is_left_alone(value):
    assert safe_cell(value) == value


def test_numbers_stay_numbers():
    assert safe_cell(-5) == -5
    assert safe_cell(None) == ""


def test_csv_cells_never_start_a_formula():
    out = io.BytesIO()
    assert csv_write(out, ["cột"], [[v] for v in DANGEROUS]) == len(DANGEROUS)
    rows = list(csv.reader(io.StringIO(out.getvalue().decode("utf-8-sig"), newline="")))
    assert rows[0] == ["cột"]
    assert [r[0] for r in rows[1:]] == ["'" + v for v in DANGEROUS]


def test_xlsx_holds_no_formula_and_survives_control_characters():
    out = io.BytesIO()
    rows = [[v] for v in DANGEROUS] + [["Mozilla\x00\x07/5.0"], [42]]
    xlsx_write(out, ["cột"], rows, title="Nhật ký")
    sheet_xml = zipfile.ZipFile(io.BytesIO(out.getvalue())).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml and b"<f " not in sheet_xml
    values = [r[0] for r in load_workbook(io.BytesIO(out.getvalue())).active.values]
    assert values[1] == "'" + DANGEROUS[0]
    assert values[-2] == "Mozilla\ufffd\ufffd/5.0"
    assert values[-1] == 42


def test_unknown_format_is_refused():
    with pytest.raises(ValueError):
        spreadsheet_bytes("ods", ["a"], [], title="x")
