"""Signing a petition as a person would: fill in the form, follow the link in the e-mail."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.support.web import csrf_token

CONFIRM_LINK = re.compile(r"http://campaign\.test(/petitions/[^/\s]+/confirm/[A-Za-z0-9_.\-]+)")


def sign(client: FlaskClient, slug: str, **fields: Any) -> TestResponse:
    """Fill in the signing form like a person and send it."""
    form = {
        "first_name": "Алесь",
        "last_name": "Тестовы",
        "email": "supporter@example.org",
        "country": "NL",
        "city": "",
        "display": "first_name_country",
        "consent": "y",
    }
    form.update(fields)
    if "csrf_token" not in form:
        form["csrf_token"] = csrf_token(client, f"/petitions/{slug}")
    return client.post(f"/petitions/{slug}", data=form)


def confirmation_path(message: Any) -> str:
    """The path of the confirmation link in a confirmation e-mail."""
    body = message.get_body(preferencelist=("plain",)).get_content()
    match = CONFIRM_LINK.search(body)
    assert match, f"no confirmation link in: {body}"
    return match.group(1)
