"""CSRF is on for every POST of the app: a view is either checked before it runs, or marked
(security.form_keeps_entries) because its own form checks the token. The routes come from the
app's URL map, so a route added tomorrow is covered without editing this file."""

from __future__ import annotations

import pytest
from flask import Flask
from werkzeug.routing import IntegerConverter, Rule

from campaign_app.security import UNSAFE_METHODS, form_keeps_entries


def _unsafe_routes(app: Flask) -> list[tuple[Rule, str]]:
    return sorted(
        (
            (rule, method)
            for rule in app.url_map.iter_rules()
            for method in sorted((rule.methods or set()) & UNSAFE_METHODS)
        ),
        key=lambda pair: (pair[0].rule, pair[1]),
    )


def _url(app: Flask, rule: Rule) -> str:
    values = {
        name: 1 if isinstance(converter, IntegerConverter) else "x"
        for name, converter in rule._converters.items()
    }
    url: str = app.url_map.bind("localhost").build(rule.endpoint, values)
    return url


def test_the_app_has_posts_to_check(app):
    assert len(_unsafe_routes(app)) > 30


def test_every_unmarked_post_is_refused_without_the_token(app, client):
    unchecked = []
    for rule, method in _unsafe_routes(app):
        view = app.view_functions[rule.endpoint]
        if getattr(view, "checks_own_csrf", False):
            continue
        response = client.open(_url(app, rule), method=method, data={"anything": "1"})
        if response.status_code != 400 or "could not be understood" not in response.get_data(
            as_text=True
        ):
            unchecked.append(f"{method} {rule.rule} -> {response.status_code}")
    assert unchecked == []


def test_a_new_route_without_a_form_is_checked_by_default(make_app):
    """A blueprint added later is covered without naming it anywhere."""
    app = make_app()  # an app of its own: routes cannot be added once one has served
    client = app.test_client()
    calls = []

    def plain() -> str:
        calls.append(1)
        return "done"

    app.add_url_rule("/test-only/plain", "test_only_plain", plain, methods=["POST"])
    response = client.post("/test-only/plain", data={})
    assert response.status_code == 400
    assert calls == []


def test_a_marked_view_is_left_to_its_form(make_app):
    app = make_app()
    client = app.test_client()
    calls = []

    @form_keeps_entries
    def marked() -> str:
        calls.append(1)
        return "form decides"

    app.add_url_rule("/test-only/marked", "test_only_marked", marked, methods=["POST"])
    response = client.post("/test-only/marked", data={})
    assert response.get_data(as_text=True) == "form decides"
    assert calls == [1]


@pytest.mark.parametrize(
    "endpoint",
    ["petitions.sign", "letters.compose", "privacy.request_erasure", "accounts.login"],
)
def test_public_forms_are_marked_so_an_expired_form_keeps_its_entries(app, endpoint):
    assert getattr(app.view_functions[endpoint], "checks_own_csrf", False)
