"""Helpers that act as a browser would: read the form, post it, follow the e-mail link."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
CONFIRM_LINK = re.compile(r"http://campaign\.test(/petitions/[^/\s]+/confirm/[A-Za-z0-9_.\-]+)")


def csrf_token(client: FlaskClient, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    match = CSRF.search(page)
    assert match, "the page has no CSRF token"
    return match.group(1)


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
    body = message.get_body(preferencelist=("plain",)).get_content()
    match = CONFIRM_LINK.search(body)
    assert match, f"no confirmation link in: {body}"
    return match.group(1)


def text_of(response: TestResponse) -> str:
    """The visible text of an HTML page, white space folded."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return unescape(" ".join(re.sub(r"<[^>]+>", " ", html).split()))
