"""The task queue: Huey, with SQLite storage by default and Redis when REDIS_URL is set.

Work is enqueued as "run this function of campaign_app with these JSON-able arguments";
the worker (``flask queue work``) runs it inside an application context. Failed jobs are
retried with exponential back-off, so an SMTP outage delays mail but loses none.
"""

from __future__ import annotations

import importlib
import logging
import os
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from huey import Huey, MemoryHuey, RedisHuey, crontab
from huey.storage import SqliteStorage
from sqlalchemy.exc import SQLAlchemyError

from campaign_app.db import utcnow
from campaign_app.errors import scrub

log = logging.getLogger(__name__)

queue_cli = AppGroup("queue", help="Run and inspect the background task queue.")


class TaskQueue:
    """A Huey instance bound to one Flask app, with one generic job task."""

    def __init__(self, app: Flask, huey: Huey) -> None:
        self.app = app
        self.huey = huey
        self._run = huey.task(
            retries=app.config["QUEUE_RETRIES"],
            retry_delay=app.config["QUEUE_RETRY_DELAY"],
            retry_backoff=app.config["QUEUE_RETRY_BACKOFF"],
            name="campaign_app.run_job",
        )(self._run_job)

    def every_minute(self, job: Callable[[], Any]) -> None:
        """Run ``job()`` once a minute in the worker (``flask queue work``)."""
        path = self._path_of(job)
        self.huey.periodic_task(crontab(minute="*"), name=f"periodic:{path}")(
            lambda: self._run_job(path, [])
        )

    @staticmethod
    def _path_of(job: Callable[..., Any]) -> str:
        path = f"{job.__module__}:{job.__qualname__}"
        if not path.startswith("campaign_app."):
            raise ValueError(f"not a campaign_app job: {path}")
        return path

    def enqueue(self, job: Callable[..., Any], *args: Any) -> bool:
        """Queue ``job(*args)``; False, logged, when the queue's storage is unreachable.

        ``job`` must be a module-level function of campaign_app: anything else is a
        programming error and raises ValueError.
        """
        path = self._path_of(job)
        try:
            self._run(path, list(args))
        except Exception:
            log.exception("Queue unavailable; %s(%s) left for the periodic re-queue", path, args)
            return False
        return True

    def _run_job(self, path: str, args: list[Any]) -> None:
        module_name, _, name = path.partition(":")
        if not module_name.startswith("campaign_app."):
            raise ValueError(f"refusing to run {path}")
        job = getattr(importlib.import_module(module_name), name)
        with self.app.app_context():
            try:
                job(*args)
            except SQLAlchemyError as error:
                # Huey logs the failure; make sure the log never quotes row values.
                raise scrub(error) from None

    def run_pending(self, limit: int | None = None) -> int:
        """Run the jobs queued now, in this process (for tests and `flask queue run-pending`)."""
        done = 0
        todo = self.huey.pending_count() if limit is None else limit
        while done < todo:
            task = self.huey.dequeue()
            if task is None:
                break
            self.huey.execute(task)
            done += 1
        return done


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


def make_huey(app: Flask) -> Huey:
    backend = app.config["QUEUE_BACKEND"] or ("redis" if app.config["REDIS_URL"] else "sqlite")
    name = "campaign"
    if backend == "memory":
        return MemoryHuey(name, utc=True)
    if backend == "redis":
        if not app.config["REDIS_URL"]:
            raise RuntimeError("CAMPAIGN_QUEUE_BACKEND=redis needs REDIS_URL.")
        return RedisHuey(name, url=app.config["REDIS_URL"], utc=True)
    if backend == "sqlite":
        return Huey(
            name,
            storage_class=SqliteQueueStorage,
            filename=os.path.join(app.instance_path, "queue.sqlite3"),
            utc=True,
        )
    raise RuntimeError(f"Unknown CAMPAIGN_QUEUE_BACKEND {backend!r} (sqlite, redis or memory).")


def init_queue(app: Flask) -> None:
    """Bind a queue to ``app``; features add their periodic jobs with :func:`every_minute`."""
    app.extensions["campaign_queue"] = TaskQueue(app, make_huey(app))
    app.cli.add_command(queue_cli)


def every_minute(app: Flask, job: Callable[[], Any]) -> None:
    """Run ``job()`` once a minute in the worker; a feature calls this from its init_app."""
    queue: TaskQueue = app.extensions["campaign_queue"]
    queue.every_minute(job)


def get_queue() -> TaskQueue:
    queue: TaskQueue = current_app.extensions["campaign_queue"]
    return queue


def enqueue(job: Callable[..., Any], *args: Any) -> bool:
    """Queue ``job(*args)``; False, logged, when the queue is unreachable.

    Never raises: callers enqueue after their own commit, and the row they committed is what
    a periodic job finds again (see :func:`requeue_lost`). So a queue outage delays the work
    but never turns a request into a 500 or into a different answer.
    """
    return get_queue().enqueue(job, *args)


# Work still waiting after this long was lost by the queue (it was down when asked).
LOST_AFTER = timedelta(minutes=10)


def lost_before() -> datetime:
    """Rows asked for work before this moment and still waiting were lost by the queue."""
    return utcnow() - LOST_AFTER


def requeue_lost(job: Callable[[int], Any], ids: Sequence[int], what: str) -> int:
    """Queue ``job(id)`` again for each id a periodic job found waiting too long."""
    for row_id in ids:
        enqueue(job, row_id)
    if ids:
        log.warning("Queued %s %s again that had waited too long", len(ids), what)
    return len(ids)


@queue_cli.command("work")
@click.option("--workers", type=int, default=None, help="Worker threads (QUEUE_WORKERS).")
def work(workers: int | None) -> None:
    """Run the queue worker until interrupted (deploy it beside the web server)."""
    queue = get_queue()
    count = workers or current_app.config["QUEUE_WORKERS"]
    click.echo(f"Queue worker: {count} thread(s) on {type(queue.huey).__name__}. Ctrl+C stops.")
    queue.huey.create_consumer(workers=count, worker_type="thread").run()


@queue_cli.command("status")
def status() -> None:
    """Show how many jobs are waiting and scheduled for a retry."""
    huey = get_queue().huey
    click.echo(f"pending: {huey.pending_count()}  scheduled retries: {huey.scheduled_count()}")
