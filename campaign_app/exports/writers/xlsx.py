"""The XLSX delivery list: a pure streamer (rows in, workbook bytes out), bounded memory.

XlsxWriter's ``constant_memory`` mode writes each row to a temporary file as it comes, so a
million rows take no more memory than ten. Every text cell is written with ``write_string``:
a name such as ``=1+2`` stays the text it is, never a formula, with no quote added. Dates are
real date cells. A sheet holds at most 1,048,575 rows under its header; longer lists go on
to a second sheet, numbered on.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, BinaryIO

import xlsxwriter

from campaign_app.exports.rows import HEADER, ExportRow

# Excel's limit is 1,048,576 rows a sheet, the header row included.
ROWS_PER_SHEET = 1_048_575
COLUMN_WIDTHS = (9, 36, 20, 8, 24, 13, 9)


def _new_sheet(workbook: xlsxwriter.Workbook, index: int, bold: Any) -> Any:
    sheet = workbook.add_worksheet("Signatures" if index == 1 else f"Signatures {index}")
    for column, (title, width) in enumerate(zip(HEADER, COLUMN_WIDTHS, strict=True)):
        sheet.set_column(column, column, width)
        sheet.write_string(0, column, title, bold)
    sheet.freeze_panes(1, 0)
    return sheet


def write_xlsx(rows: Iterable[ExportRow], out: BinaryIO) -> int:
    """Write a workbook with a bold, frozen header and the rows to ``out``; return rows."""
    workbook = xlsxwriter.Workbook(out, {"constant_memory": True})
    bold = workbook.add_format({"bold": True})
    day = workbook.add_format({"num_format": "yyyy-mm-dd"})
    sheets = 1
    sheet: Any = _new_sheet(workbook, sheets, bold)
    line = 0
    written = 0
    for row in rows:
        if line == ROWS_PER_SHEET:
            sheets += 1
            sheet = _new_sheet(workbook, sheets, bold)
            line = 0
        line += 1
        sheet.write_number(line, 0, row.number)
        sheet.write_string(line, 1, row.name)
        if row.city:  # no city: an empty cell, not an empty string
            sheet.write_string(line, 2, row.city)
        sheet.write_string(line, 3, row.country)
        sheet.write_string(line, 4, row.country_name)
        if row.confirmed_on:
            sheet.write_datetime(line, 5, date.fromisoformat(row.confirmed_on), day)
        sheet.write_string(line, 6, row.source)
        written += 1
    workbook.close()
    return written
