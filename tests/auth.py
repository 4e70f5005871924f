"""Signing in through the real form, and posting organiser forms, as a browser would."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.factories import PASSWORD
from tests.petitions.helpers import csrf_token


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


def post_form(
    client: FlaskClient, url: str, data: dict[str, Any], page_url: str | None = None
) -> TestResponse:
    """POST ``data`` to ``url`` with the CSRF token of the form page (default: ``url``)."""
    return client.post(url, data={**data, "csrf_token": csrf_token(client, page_url or url)})
