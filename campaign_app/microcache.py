"""A tiny per-process cache for public responses (petition pages, count API).

People refreshing a hot petition are a real part of the load. Each worker keeps what it
rendered for a few seconds (MICROCACHE_SECONDS, 0 turns it off), like a proxy's
micro-cache: counts may lag by that much, which the live counter and the API's own
Cache-Control already allow. Only anonymous, personal-data-free output is stored.

A view may also offer its whole answer (:func:`keep_whole_response`): status, every header
(the security headers and the CSP included, exactly as the app's after-request hooks left
them) and body. The next plain request for the same URL (a GET without cookie or
If-None-Match, on the same scheme and host, with the same Accept-Language; with a query
string only where the view said its answer depends on nothing else) is then answered by
:class:`WholeResponses` in front of Flask, without a request context, hooks or routing, for
as long as the entry the view answered from is in the cache, and no longer. Anything else
goes through Flask as before.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterable
from typing import TYPE_CHECKING, Any

from cachetools import TTLCache
from flask import Flask, current_app, request

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment


class MicroCache:
    """A thread-safe TTL cache; with ``seconds == 0`` it stores nothing."""

    def __init__(self, seconds: float, maxsize: int = 1024) -> None:
        self._store: TTLCache[Hashable, Any] | None = (
            TTLCache(maxsize=maxsize, ttl=seconds) if seconds > 0 else None
        )
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self._store is not None

    def get(self, key: Hashable) -> Any:
        if self._store is None:
            return None
        with self._lock:
            return self._store.get(key)

    def set(self, key: Hashable, value: Any) -> None:
        if self._store is not None:
            with self._lock:
                self._store[key] = value

    def clear(self) -> None:
        if self._store is not None:
            with self._lock:
                self._store.clear()


# Where keep_whole_response leaves its offer for WholeResponses: the WSGI environ lives
# exactly as long as the request.
_OFFER_KEY = "campaign_app.whole_response"


def _plain_request_key(environ: WSGIEnvironment) -> tuple[str, ...] | None:
    """The key of a request whose whole answer may be stored and reused, or None.

    Only a GET with no cookie (so no session, no sign-in, no language cookie) and no
    If-None-Match (the 304 is Flask's); the answer may differ by scheme (HSTS), host, path,
    query string and (for a page in the reader's language) Accept-Language, so those are
    the key. (A ``?lang=`` answer sets the language cookie: it is never stored.)
    """
    if (
        environ.get("REQUEST_METHOD") != "GET"
        or "HTTP_COOKIE" in environ
        or "HTTP_IF_NONE_MATCH" in environ
    ):
        return None
    return (
        "whole",
        str(environ.get("wsgi.url_scheme", "")),
        str(environ.get("HTTP_HOST", "")),
        str(environ.get("SCRIPT_NAME", "")),
        str(environ.get("PATH_INFO", "")),
        str(environ.get("QUERY_STRING", "")),
        str(environ.get("HTTP_ACCEPT_LANGUAGE", "")),
    )


def keep_whole_response(source_key: Hashable, source: Any, *, with_query: bool = False) -> None:
    """Offer this request's whole answer, built from the cache entry ``source`` (stored under
    ``source_key``), for reuse by :class:`WholeResponses` while that very entry is cached.

    Nothing is offered for a request that is not plain (see :func:`_plain_request_key`), that
    has a query string unless ``with_query`` (the view's answer depends on the query string
    only through ``source_key``, and on nothing else of the request but the key's parts), or
    that a rate limit counted: a reused answer would skip the limiter.
    """
    from campaign_app.extensions import limiter

    environ = request.environ
    if not microcache().enabled or _plain_request_key(environ) is None:
        return
    if environ.get("QUERY_STRING") and not with_query:
        return
    if limiter.enabled and limiter.current_limits:
        return
    environ[_OFFER_KEY] = (source_key, source)


class WholeResponses:
    """WSGI middleware: answers plain requests from whole responses views offered."""

    def __init__(self, app: WSGIApplication, cache: MicroCache) -> None:
        self.app = app
        self.cache = cache

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        key = _plain_request_key(environ)
        if key is None:
            return self.app(environ, start_response)
        kept = self.cache.get(key)
        if kept is not None:
            source_key, source, status, headers, body = kept
            if self.cache.get(source_key) is source:  # gone or replaced: ask the app
                start_response(status, list(headers))
                return [body]
        return self._offered(key, environ, start_response)

    def _offered(
        self, key: tuple[str, ...], environ: WSGIEnvironment, start_response: StartResponse
    ) -> Iterable[bytes]:
        answer: list[Any] = []

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            answer[:] = [status, headers]
            return start_response(status, headers, exc_info)

        iterable = self.app(environ, capture)
        offer = environ.get(_OFFER_KEY)
        if offer is None or not answer:
            return iterable
        status, headers = answer
        if not status.startswith("200 ") or any(n.lower() == "set-cookie" for n, _ in headers):
            return iterable
        try:
            body = b"".join(iterable)
        finally:
            close: Callable[[], None] | None = getattr(iterable, "close", None)
            if close is not None:
                close()
        self.cache.set(key, (*offer, status, tuple(headers), body))
        return [body]


def init_microcache(app: Flask) -> None:
    cache = MicroCache(float(app.config["MICROCACHE_SECONDS"]))
    app.extensions["campaign_microcache"] = cache
    if cache.enabled:
        app.wsgi_app = WholeResponses(app.wsgi_app, cache)  # type: ignore[method-assign]


def microcache() -> MicroCache:
    cache: MicroCache = current_app.extensions["campaign_microcache"]
    return cache
