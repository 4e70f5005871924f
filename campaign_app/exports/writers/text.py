"""The text formats of a delivery list: pure streamers (rows in, CSV or JSON text out)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import TextIO

from campaign_app.exports.rows import HEADER, ExportRow

# A spreadsheet runs cells starting with these as formulas (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """Make a cell that a spreadsheet would run as a formula read as plain text."""
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def write_csv(rows: Iterable[ExportRow], out: TextIO, *, bom: bool = False) -> int:
    """Write a header and the rows as CSV to ``out`` (opened with newline=""); return rows."""
    if bom:
        out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writerow = writer.writerow
    starts = _FORMULA_STARTS
    written = 0
    # neutralise() inlined: a function call per cell was a tenth of a million-row export.
    for number, name, city, country, country_name, confirmed_on, source in rows:
        writerow(
            (
                number,
                "'" + name if name.startswith(starts) else name,
                "'" + city if city.startswith(starts) else city,
                country,
                "'" + country_name if country_name.startswith(starts) else country_name,
                confirmed_on,
                source,
            )
        )
        written += 1
    return written


def write_json(rows: Iterable[ExportRow], out: TextIO) -> int:
    """Stream the rows to ``out`` as a JSON array of objects, one per line; return rows."""
    out.write("[")
    written = 0
    for row in rows:
        out.write(",\n" if written else "\n")
        out.write(json.dumps(row._asdict(), ensure_ascii=False))
        written += 1
    out.write("\n]\n" if written else "]\n")
    return written
