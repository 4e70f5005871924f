"""A PDF the supporter downloads (a card, a letter, an appeal): an attachment no cache keeps."""

from __future__ import annotations

from flask import make_response
from flask.typing import ResponseReturnValue


def pdf_response(data: bytes, filename: str) -> ResponseReturnValue:
    response = make_response(data)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response
