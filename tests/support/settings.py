"""The test settings of the app, and the servers the environment names for the tests."""

from __future__ import annotations

import os
from typing import Any

# Empty: SQLite only. The suite creates and drops this PostgreSQL database itself.
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
SECRET = "test-secret-key-that-is-long-enough-0123456789"


def settings(url: str, **overrides: Any) -> dict[str, Any]:
    """The test configuration on database ``url``; ``overrides`` win."""
    values = {
        "TESTING": True,
        "SECRET_KEY": SECRET,
        "DATABASE_URL": url,
        "REDIS_URL": "",
        "QUEUE_BACKEND": "memory",
        "QUEUE_RETRY_DELAY": 0,
        "QUEUE_RETRY_BACKOFF": 1.0,
        "RATELIMIT_ENABLED": False,
        "MICROCACHE_SECONDS": 0,  # tests/petitions/test_microcache.py turns it on
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",  # fast in tests; scrypt by default
        "MAIL_TRANSPORT": "outbox",
        "BASE_URL": "http://campaign.test",
        "SERVER_NAME": None,
    }
    values.update(overrides)
    return values
