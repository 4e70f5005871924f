"""Several nodes in one test: apps with instance folders of their own over one database and one
Redis, and one browser whose requests a balancer without sticky sessions may send to any node.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
import redis
from flask import Flask
from werkzeug.test import Client

from tests.support.settings import TEST_REDIS_URL

# The browser's address as nginx passes it on (X-Forwarded-For); nginx itself is 127.0.0.1.
BROWSER_ADDRESS = "203.0.113.7"


def build_nodes(
    make_app: Callable[..., Flask],
    monkeypatch: pytest.MonkeyPatch,
    folder: Path,
    count: int = 2,
    **settings: Any,
) -> list[Flask]:
    """``count`` apps as on separate machines: each its own instance folder under ``folder``
    (its own SQLite queue file, outbox and export folder, were they used), all on the test's
    database and on Redis (queue and rate limits), behind one proxy (PROXY_FIX_X_FOR=1).
    Redis's test database is emptied first: call ``forget_redis`` at the end."""
    forget_redis()
    nodes = []
    for number in range(count):
        instance = folder / f"node-{number}"
        monkeypatch.setenv("CAMPAIGN_INSTANCE_PATH", str(instance))
        defaults = {"REDIS_URL": TEST_REDIS_URL, "QUEUE_BACKEND": "", "PROXY_FIX_X_FOR": 1}
        nodes.append(make_app(**(defaults | settings)))
    return nodes


def forget_redis() -> None:
    """Empty the tests' Redis database (queue, rate-limit counters)."""
    redis.Redis.from_url(TEST_REDIS_URL).flushdb()


def redis_keys() -> list[str]:
    """The keys in the tests' Redis database."""
    return [key.decode() for key in redis.Redis.from_url(TEST_REDIS_URL).scan_iter()]


class Browser:
    """One browser (one cookie jar) behind nginx without sticky sessions: each request goes to
    the node the test names with ``on(node)``, as the balancer may send it to any."""

    def __init__(self, nodes: Iterable[Flask]) -> None:
        self.nodes = list(nodes)
        self._target = self.nodes[0]
        self._client = Client(self._balance)
        self.served_by: list[int] = []  # the node of each request, in order

    def _balance(self, environ: dict[str, Any], start_response: Any) -> Any:
        environ["REMOTE_ADDR"] = "127.0.0.1"
        environ["HTTP_X_FORWARDED_FOR"] = BROWSER_ADDRESS
        self.served_by.append(self.nodes.index(self._target))
        return self._target(environ, start_response)

    def on(self, node: Flask) -> Client:
        """The browser, its next requests answered by ``node``."""
        self._target = node
        return self._client
