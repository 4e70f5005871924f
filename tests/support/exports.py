"""Reading exports back: the text of a PDF export's pages as a reader sees it."""

from __future__ import annotations

import io
from typing import Any

from pypdf import PdfReader


def pdf_pages(data: bytes) -> list[str]:
    """Each page's text, a line per drawn line, runs of spaces folded into one."""
    return [page_text(page) for page in PdfReader(io.BytesIO(data)).pages]


def page_text(page: Any) -> str:
    """One pypdf page's text in layout order, a line per drawn line."""
    lines = page.extract_text(extraction_mode="layout").splitlines()
    return "\n".join(" ".join(line.split()) for line in lines if line.strip())
