"""The export formats: pure writers, rows in, a file's bytes out (exports.write picks one).

text.py writes CSV and JSON, xlsx.py the spreadsheet, pdf.py the printable delivery package.
This module only names the formats: it imports none of the writers, so any writer can import
another (the PDF fingerprints the CSV) without a cycle.
"""

FORMATS = ("csv", "xlsx", "pdf", "json")
MEDIA_TYPES: dict[str, str] = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "json": "application/json",
}
EXTENSIONS: dict[str, str] = {fmt: f".{fmt}" for fmt in FORMATS}
