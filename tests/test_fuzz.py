"""Fuzzing in the suite: the API against its OpenAPI document (schemathesis), and generated
requests against every public form and every URL with a path or query parameter (hypothesis).
Whatever arrives, the answer is never a server error.

CI runs a few examples per test (FUZZ_EXAMPLES, default 15); `make fuzz` runs thousands.
"""

from __future__ import annotations

import io
import os
from typing import Any
from urllib.parse import quote

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.routing import IntegerConverter, Rule

from campaign_app.demo.data import load_demo
from tests.support.web import csrf_token

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "15"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text that has hurt web apps: NUL and other controls, bidi overrides, zero-width marks,
# surrogates' neighbours, huge and negative numbers, formulas, markup, very long strings.
NASTY = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "a\x00b",
            "\x00",
            "\x07\x1b[31m",
            "\u202eevil\u202c",
            "\u200b",
            "\ufeff",
            "\uffff",
            "-1",
            "0",
            "99999999999999999999999999",
            "-99999999999999999999",
            "1e308",
            "NaN",
            '=HYPERLINK("x")',
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "../../etc/passwd",
            "%00",
            "x" * 5000,
            "Алесь Бяляцкі ў",
        ]
    ),
)
# Raw bytes for URL segments: percent-encoded, so invalid UTF-8 reaches the app as sent.
RAW_SEGMENT = st.one_of(
    NASTY.map(lambda text: quote(text, safe="")),
    st.binary(min_size=1, max_size=12).map(lambda raw: "".join(f"%{b:02X}" for b in raw)),
)
QUERY_NAMES = ["lang", "language", "occasion", "page", "day", "from", "before", "search", "next"]
QUERY_NAMES += ["petition", "prisoner", "action", "q", "status", "mail", "month", "sort"]
QUERY_NAMES += ["per_page"]


def _no_server_error(response: Any, what: str) -> None:
    assert response.status_code < 500, f"{what} -> {response.status_code}"
    if response.mimetype.startswith("text/"):
        assert "Traceback" not in response.get_data(as_text=True)


@pytest.fixture
def demo(app: Flask) -> None:
    """The demo campaign, so that generated requests also reach real petitions and prisoners."""
    load_demo()


# The API, against its own OpenAPI document ----------------------------------------------


def test_the_api_never_fails_whatever_it_is_sent(app, demo):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 2
    for operation in operations:

        @given(case=operation.as_strategy())
        @FUZZ
        def check(case: Any) -> None:
            response = case.call()
            assert response.status_code < 500, case.as_curl_command()

        check()


# Every URL with a path or query parameter -----------------------------------------------


def _get_rules(app: Flask) -> list[Rule]:
    return sorted(
        (
            rule
            for rule in app.url_map.iter_rules()
            if "GET" in (rule.methods or set()) and rule.endpoint != "static"
        ),
        key=lambda rule: rule.rule,
    )


def _path(rule: Rule, draw: Any) -> str:
    path = rule.rule
    for name, converter in rule._converters.items():
        if isinstance(converter, IntegerConverter):
            value = str(draw(st.one_of(st.integers(-(2**70), 2**70), st.just(1))))
        else:
            value = draw(RAW_SEGMENT)
        path = path.replace(f"<{converter.__class__.__name__}:{name}>", value)
        for spelled in (f"<int:{name}>", f"<path:{name}>", f"<{name}>"):
            path = path.replace(spelled, value)
    return path


@given(data=st.data())
@FUZZ
def test_every_page_answers_generated_urls_without_a_server_error(app, client, demo, data):
    rule = data.draw(st.sampled_from(_get_rules(app)), label="rule")
    path = _path(rule, data.draw)
    names = data.draw(st.lists(st.sampled_from(QUERY_NAMES), max_size=3), label="query")
    query = "&".join(f"{name}={data.draw(RAW_SEGMENT)}" for name in names)
    url = f"{path}?{query}" if query else path
    _no_server_error(client.get(url), f"GET {url}")


# Every public form ----------------------------------------------------------------------

PUBLIC_FORMS = {
    "/petitions/{petition}": ["first_name", "last_name", "email", "country", "city", "consent"],
    "/petitions/{petition}/resend": ["email"],
    "/letters/write/{prisoner}": ["occasion", "language", "message", "phrases", "action"],
    "/letters/sent/{prisoner}": ["occasion", "country"],
    "/letters/poster/{prisoner}": ["size", "language"],
    "/letters/print": ["occasion", "count", "prisoner", "duplex", "language"],
    "/replies/{prisoner}": ["received_on", "country"],
    "/appeals/prosecutor-general": [
        "prisoner",
        "language",
        "name",
        "city",
        "action",
        "envelope_size",
    ],
    "/appeals/prosecutor-general/sent": ["count", "sent_by", "country"],
    "/privacy/erase": ["email"],
    "/account/login": ["email", "password"],
    "/account/reset": ["email"],
}
CONTENT_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data", "text/plain"]
CONTENT_TYPES += ["application/json"]


@given(data=st.data())
@FUZZ
def test_every_public_form_answers_generated_posts_without_a_server_error(app, client, demo, data):
    template = data.draw(st.sampled_from(sorted(PUBLIC_FORMS)), label="form")
    url = template.format(petition="free-ales-bialiatski", prisoner="ales-bialiatski")
    fields = PUBLIC_FORMS[template]
    form: dict[str, Any] = {
        name: data.draw(NASTY, label=name)
        for name in data.draw(st.lists(st.sampled_from(fields), unique=True), label="fields")
    }
    if data.draw(st.booleans(), label="with token"):
        form["csrf_token"] = csrf_token(client, "/account/login")
    content_type = data.draw(st.sampled_from(CONTENT_TYPES), label="content type")
    if content_type == "multipart/form-data" and form and data.draw(st.booleans()):
        name = next(iter(form))
        form[name] = (io.BytesIO(b"not text \x00\xff"), "file.bin")
    if content_type in ("text/plain", "application/json"):
        response = client.post(url, data=str(form).encode(), content_type=content_type)
    else:
        response = client.post(url, data=form, content_type=content_type)
    _no_server_error(response, f"POST {url} {sorted(form)} as {content_type}")
