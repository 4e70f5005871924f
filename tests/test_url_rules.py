"""The app's URL rules compile their URL builders on first use (campaign_app.application): every
URL the app builds is still the one werkzeug's own rules build, and requests still match."""

from __future__ import annotations

from typing import Any

import pytest
from werkzeug.routing import Map, Rule
from werkzeug.routing.converters import AnyConverter, BaseConverter, NumberConverter, PathConverter

import campaign_app
from campaign_app.application import LazyBuilderRule


@pytest.fixture(scope="module")
def url_map() -> Map:
    app = campaign_app.create_app({"TESTING": True, "DATABASE_URL": "sqlite://"})
    return app.url_map


def _values(rule: Rule) -> dict[str, Any]:
    """A value for each of the rule's variables that its converter accepts."""
    return {name: _sample(converter) for name, converter in rule._converters.items()}


def _sample(converter: BaseConverter) -> Any:
    if isinstance(converter, AnyConverter):
        return sorted(converter.items)[0]
    if isinstance(converter, NumberConverter):
        return 7
    if isinstance(converter, PathConverter):
        return "a b/c"
    return "a b&é"


def _plain_copy(url_map: Map) -> Map:
    """The same rules as werkzeug's own Rule, which compiles its builders at once."""
    plain = Map(converters=url_map.converters)
    for rule in url_map.iter_rules():
        plain.add(Rule(rule.rule, endpoint=rule.endpoint, methods=rule.methods, **_options(rule)))
    return plain


def _options(rule: Rule) -> dict[str, Any]:
    return {
        "defaults": rule.defaults,
        "subdomain": rule.subdomain,
        "strict_slashes": rule.strict_slashes,
        "merge_slashes": rule.merge_slashes,
        "redirect_to": rule.redirect_to,
        "host": rule.host,
        "websocket": rule.websocket,
    }


def test_the_app_uses_rules_with_lazy_builders(url_map: Map) -> None:
    rules = list(url_map.iter_rules())
    assert len(rules) > 100
    assert all(isinstance(rule, LazyBuilderRule) for rule in rules)


def test_every_url_is_built_as_werkzeug_builds_it(url_map: Map) -> None:
    plain = _plain_copy(url_map).bind("campaign.example.org")
    lazy = url_map.bind("campaign.example.org")
    built = 0
    for rule in url_map.iter_rules():
        values = _values(rule)
        for extra in ({}, {"page": 2, "q": "ä b&c"}):
            # Twice: the first call compiles the builder, the second uses the compiled one.
            for _ in range(2):
                expected = plain.build(rule.endpoint, values | extra, force_external=True)
                assert lazy.build(rule.endpoint, values | extra, force_external=True) == expected
                expected = plain.build(rule.endpoint, values | extra, append_unknown=False)
                assert lazy.build(rule.endpoint, values | extra, append_unknown=False) == expected
                built += 1
    assert built > 400


def test_requests_still_match_their_rules(url_map: Map) -> None:
    adapter = url_map.bind("campaign.example.org")
    for rule in url_map.iter_rules():
        if rule.redirect_to is not None or rule.defaults:
            continue
        methods = rule.methods or {"GET"}
        method = next(m for m in ("GET", "POST", *sorted(methods)) if m in methods)
        path = adapter.build(rule.endpoint, _values(rule), method=method)
        endpoint, _ = adapter.match(path, method=method)
        assert endpoint == rule.endpoint or path == adapter.build(endpoint, _values(rule))
