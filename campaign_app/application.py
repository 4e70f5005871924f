"""The app's Flask class: Flask, with two costs of every request paid once, and one cost of
every start deferred.

Measured on the cached count API (bench/RESULTS.md), these were a fifth of the app's own work
per request beyond a bare Flask app's:

* Flask asks ``inspect.iscoroutinefunction`` of every hook and view on every request
  (``ensure_sync``); the answer never changes for a function, so it is remembered (weakly,
  so per-request closures such as ``after_this_request`` callbacks are not kept);
* the session interface builds its signing serializer for every request; it is kept while
  the secret key and its fallbacks stay the same, with its signer and derived keys
  (campaign_app.signing).

At start, werkzeug writes and compiles two Python functions per URL rule to build its URLs:
about a tenth of the app's start-up CPU for 132 rules, of which a process builds a few (the
CLI none). LazyBuilderRule writes them when the rule first builds a URL.
"""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer
from werkzeug.routing import IntegerConverter, Map, Rule

from campaign_app.signing import KeptSignerSerializer

# The largest id any table holds (BIGINT); a larger number in a URL names nothing.
LARGEST_ID = 2**63 - 1


class DatabaseIntConverter(IntegerConverter):
    """``<int:...>`` in URLs, bounded by the database's largest integer: a bigger number is
    a 404, never a query the database refuses with an overflow (a 500)."""

    def __init__(
        self,
        map: Map,  # werkzeug's names, min and max too
        fixed_digits: int = 0,
        min: int | None = None,
        max: int | None = LARGEST_ID,
        signed: bool = False,
    ) -> None:
        super().__init__(map, fixed_digits, min, max, signed)


class LazyBuilderRule(Rule):
    """A werkzeug URL rule whose URL-building functions are compiled on first use.

    Matching requests is unchanged (werkzeug builds its matcher from the parsed rule). The
    builders werkzeug's ``compile`` asks for are stand-ins that compile the real one on their
    first call and put it in their place, so every later URL costs what it did before.
    """

    def _compile_builder(self, append_unknown: bool = True) -> Callable[..., tuple[str, str]]:
        name = "_build_unknown" if append_unknown else "_build"

        def build_lazily(rule: Rule, /, **values: Any) -> tuple[str, str]:
            builder = Rule._compile_builder(rule, append_unknown).__get__(rule, None)
            setattr(rule, name, builder)
            return builder(**values)  # type: ignore[no-any-return]

        return build_lazily


class CampaignFlask(Flask):
    url_rule_class = LazyBuilderRule

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._sync_functions: weakref.WeakKeyDictionary[Callable[..., Any], Callable[..., Any]]
        self._sync_functions = weakref.WeakKeyDictionary()
        self.session_interface = KeptSerializerSessionInterface()
        self.url_map.converters["int"] = DatabaseIntConverter

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        try:
            return self._sync_functions[func]
        except (KeyError, TypeError):  # TypeError: not weakly referenceable (e.g. a partial)
            pass
        found = super().ensure_sync(func)
        with contextlib.suppress(TypeError):
            self._sync_functions[func] = found
        return found


class KeptSerializerSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions; the serializer is built once per secret key."""

    def __init__(self) -> None:
        self._kept: tuple[tuple[Any, ...], URLSafeTimedSerializer | None] | None = None

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        key = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        kept = self._kept
        if kept is None or kept[0] != key:
            kept = self._kept = (key, self._build_serializer(app))
        return kept[1]

    def _build_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        """Flask's serializer (SecureCookieSessionInterface.get_signing_serializer), as a
        KeptSignerSerializer: the same keys, salt, payload serializer and signer options."""
        plain = super().get_signing_serializer(app)
        if plain is None:
            return None
        return KeptSignerSerializer(
            plain.secret_keys,
            salt=plain.salt,
            serializer=plain.serializer,
            signer_kwargs=plain.signer_kwargs,
        )
