"""Huey's SQLite storage as the queue uses it (imported with Huey, on first use)."""

from __future__ import annotations

from typing import Any

from huey.storage import SqliteStorage


class SqliteQueueStorage(SqliteStorage):  # type: ignore[misc]  # huey is untyped
    """Huey's SQLite storage with synchronous=NORMAL (WAL): no fsync on every enqueue.

    Safe against the app crashing; a power cut may lose the last moments of queued jobs,
    the same trade the main SQLite database makes. Enqueueing was the costliest step of
    signing with huey's default (FULL).
    """

    def _create_connection(self) -> Any:
        connection = super()._create_connection()
        connection.execute("pragma synchronous=1")
        return connection
