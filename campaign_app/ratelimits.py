"""Rate-limit values read from settings at request time (Flask-Limiter takes callables).

Features put their own limits on their views (``@limiter.limit(config_limit("X"))``), with
their own key functions where a limit is per something other than the client's address.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app


def config_limit(setting: str) -> Callable[[], str]:
    """A limit string taken from ``app.config[setting]`` whenever a request is checked."""

    def limit() -> str:
        return str(current_app.config[setting])

    limit.__name__ = f"limit_{setting.lower()}"
    return limit


def init_rate_limits(app: Flask) -> None:
    """Bind the limiter; its storage is RATELIMIT_STORAGE_URI, else Redis, else memory."""
    from campaign_app.extensions import limiter

    if not app.config["RATELIMIT_STORAGE_URI"]:
        app.config["RATELIMIT_STORAGE_URI"] = app.config["REDIS_URL"] or "memory://"
    limiter.init_app(app)
