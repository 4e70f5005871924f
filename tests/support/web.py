"""Acting as a browser would: read a form's CSRF token, post the form, sign in, read the page."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.factories import PASSWORD

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def csrf_token(client: FlaskClient, path: str) -> str:
    """The CSRF token of the form on the page at ``path``."""
    page = client.get(path).get_data(as_text=True)
    match = CSRF.search(page)
    assert match, "the page has no CSRF token"
    return match.group(1)


def text_of(response: TestResponse) -> str:
    """The visible text of an HTML page, white space folded."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return unescape(" ".join(re.sub(r"<[^>]+>", " ", html).split()))


def post_form(
    client: FlaskClient, url: str, data: dict[str, Any], page_url: str | None = None
) -> TestResponse:
    """POST ``data`` to ``url`` with the CSRF token of the form page (default: ``url``)."""
    return client.post(url, data={**data, "csrf_token": csrf_token(client, page_url or url)})


def log_in(client: FlaskClient, user: Any, password: str = PASSWORD) -> TestResponse:
    """Sign ``user`` in with the login form; asserts it worked (a redirect)."""
    response = client.post(
        "/account/login",
        data={
            "email": user.email,
            "password": password,
            "csrf_token": csrf_token(client, "/account/login"),
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    return response
