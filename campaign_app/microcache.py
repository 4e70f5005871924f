"""A tiny per-process cache for public responses (petition pages, count API).

People refreshing a hot petition are a real part of the load. Each worker keeps what it
rendered for a few seconds (MICROCACHE_SECONDS, 0 turns it off), like a proxy's
micro-cache: counts may lag by that much, which the live counter and the API's own
Cache-Control already allow. Only anonymous, personal-data-free output is stored.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable
from typing import Any

from cachetools import TTLCache
from flask import Flask, current_app


class MicroCache:
    """A thread-safe TTL cache; with ``seconds == 0`` it stores nothing."""

    def __init__(self, seconds: float, maxsize: int = 1024) -> None:
        self._store: TTLCache[Hashable, Any] | None = (
            TTLCache(maxsize=maxsize, ttl=seconds) if seconds > 0 else None
        )
        self._lock = threading.Lock()

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


def init_microcache(app: Flask) -> None:
    app.extensions["campaign_microcache"] = MicroCache(float(app.config["MICROCACHE_SECONDS"]))


def microcache() -> MicroCache:
    cache: MicroCache = current_app.extensions["campaign_microcache"]
    return cache
