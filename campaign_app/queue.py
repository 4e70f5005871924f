"""The task queue: Huey, with SQLite storage by default and Redis when REDIS_URL is set.

Work is enqueued as "run this function of campaign_app with these JSON-able arguments";
the worker (``flask queue work``) runs it inside an application context. Failed jobs are
retried with exponential back-off, so an SMTP outage delays mail but loses none.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from campaign_app.db import utcnow
from campaign_app.errors import scrub

if TYPE_CHECKING:
    from huey import Huey

    from campaign_app.outbox import DrainResult, Outbox

log = logging.getLogger(__name__)

queue_cli = AppGroup("queue", help="Run and inspect the background task queue.")


class TaskQueue:
    """A Huey instance bound to one Flask app, with one generic job task.

    Huey (and with it redis and its client libraries) is imported and built on first use:
    a web worker that never enqueues, and `flask --help`, do without it.
    """

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._huey: Huey | None = None
        self._periodic: list[str] = []
        self._lock = threading.Lock()

    @property
    def huey(self) -> Huey:
        if self._huey is None:
            with self._lock:
                if self._huey is None:
                    self._huey = self._build()
        return self._huey

    def _build(self) -> Huey:
        from huey import crontab

        huey = make_huey(self.app)
        config = self.app.config
        self._run = huey.task(
            retries=config["QUEUE_RETRIES"],
            retry_delay=config["QUEUE_RETRY_DELAY"],
            retry_backoff=config["QUEUE_RETRY_BACKOFF"],
            name="campaign_app.run_job",
        )(self._run_job)
        for path in self._periodic:
            huey.periodic_task(crontab(minute="*"), name=f"periodic:{path}")(
                functools.partial(self._run_job, path, [])
            )
        return huey

    def every_minute(self, job: Callable[[], Any]) -> None:
        """Run ``job()`` once a minute in the worker (``flask queue work``)."""
        if self._huey is not None:
            raise RuntimeError("periodic jobs are added by init_app, before the queue is used")
        self._periodic.append(self._path_of(job))

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
            self.huey  # noqa: B018 - builds the queue (and its task) on first use
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


def make_huey(app: Flask) -> Huey:
    from huey import Huey as SqliteHuey
    from huey import MemoryHuey, RedisHuey

    from campaign_app.queue_storage import SqliteQueueStorage

    backend = app.config["QUEUE_BACKEND"] or ("redis" if app.config["REDIS_URL"] else "sqlite")
    name = "campaign"
    if backend == "memory":
        return MemoryHuey(name, utc=True)
    if backend == "redis":
        if not app.config["REDIS_URL"]:
            raise RuntimeError("CAMPAIGN_QUEUE_BACKEND=redis needs REDIS_URL.")
        return RedisHuey(name, url=app.config["REDIS_URL"], utc=True)
    if backend == "sqlite":
        return SqliteHuey(
            name,
            storage_class=SqliteQueueStorage,
            filename=os.path.join(app.instance_path, "queue.sqlite3"),
            utc=True,
        )
    raise RuntimeError(f"Unknown CAMPAIGN_QUEUE_BACKEND {backend!r} (sqlite, redis or memory).")


def init_queue(app: Flask) -> None:
    """Bind a queue to ``app``; features add their periodic jobs with :func:`every_minute`."""
    app.extensions["campaign_queue"] = TaskQueue(app)
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


@contextmanager
def exclusive(name: str) -> Iterator[bool]:
    """Whether this process may run the periodic work ``name`` now, held until the block ends.

    Every worker on every node runs the periodic jobs; work that must not run twice at once
    (the daily purge) takes this PostgreSQL advisory lock first, on a connection of its own.
    On SQLite (one node) it is always True: its write lock already serialises the work.
    """
    from campaign_app.extensions import db

    if db.engine.dialect.name != "postgresql":
        yield True
        return
    key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
    with db.engine.connect() as connection:
        mine = bool(connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}))
        try:
            yield mine
        finally:
            if mine:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
            connection.commit()


@queue_cli.command("work")
@click.option("--workers", type=int, default=None, help="Worker threads (QUEUE_WORKERS).")
@click.option(
    "--dispatchers",
    type=int,
    default=None,
    help="Mail dispatcher threads beside them (MAIL_DISPATCHERS; 0: none).",
)
def work(workers: int | None, dispatchers: int | None) -> None:
    """Run the queue worker and the mail dispatchers until interrupted."""
    from campaign_app.outbox import start_dispatchers

    queue = get_queue()
    count = workers or current_app.config["QUEUE_WORKERS"]
    mailers = current_app.config["MAIL_DISPATCHERS"] if dispatchers is None else dispatchers
    click.echo(
        f"Queue worker: {count} thread(s) on {type(queue.huey).__name__}, "
        f"{mailers} mail dispatcher(s). Ctrl+C stops."
    )
    stop = threading.Event()
    start_dispatchers(current_app._get_current_object(), mailers, stop)  # type: ignore[attr-defined]
    try:
        queue.huey.create_consumer(workers=count, worker_type="thread").run()
    finally:
        stop.set()


@queue_cli.command("dispatch")
@click.option("--once", is_flag=True, help="Send what is due now, with a progress bar, then stop.")
def dispatch(once: bool) -> None:
    """Send the outbox's e-mail (signers' confirmations) until interrupted.

    Run as many as you like, on one node or several: each claims its own batches.
    """
    from campaign_app.outbox import Dispatcher, get_outbox

    outbox = get_outbox()
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if once:
        waiting = sum(backlog.waiting for backlog in outbox.backlog())
        sent = 0
        with click.progressbar(length=waiting, label="Sending", show_pos=True) as bar:
            while True:
                result = outbox.drain(limit=int(app.config["MAIL_BATCH"]))
                bar.update(result.claimed)
                sent += result.sent
                if result.claimed == 0 or result.transport_failed:
                    break
        click.echo(f"Sent {sent} e-mail(s).")
        if result.transport_failed:
            raise click.ClickException("The mail server failed; the rest waits for a retry.")
        return
    stop = threading.Event()
    totals = {"sent": 0, "since": time.monotonic(), "shown": time.monotonic()}

    def report(result: DrainResult) -> None:
        totals["sent"] += result.sent
        now = time.monotonic()
        if now - totals["shown"] >= 10:
            rate = totals["sent"] / (now - totals["since"])
            click.echo(f"sent {totals['sent']} ({rate:.0f}/s); {_backlog_line(outbox)}")
            totals["shown"] = now

    click.echo(f"Mail dispatcher on {app.config['MAIL_TRANSPORT']}. Ctrl+C stops.")
    try:
        Dispatcher(app, outbox.sources).run(stop, on_round=report)
    except KeyboardInterrupt:
        stop.set()


def _backlog_line(outbox: Outbox) -> str:
    return "; ".join(
        f"{b.name}: {b.due} waiting, {b.sending} being sent, {b.sent_last_hour} sent "
        f"in the last hour, {b.refused_total} refused"
        for b in outbox.backlog()
    )


@queue_cli.command("status")
def status() -> None:
    """Show the jobs waiting and the mail outbox's backlog."""
    from campaign_app.outbox import get_outbox

    huey = get_queue().huey
    click.echo(f"jobs pending: {huey.pending_count()}  scheduled retries: {huey.scheduled_count()}")
    outbox = get_outbox()
    for backlog in outbox.backlog():
        oldest = (
            ""
            if backlog.oldest_due is None
            else f", oldest due since {backlog.oldest_due:%H:%M:%S} UTC"
        )
        click.echo(
            f"{backlog.name}: {backlog.due} waiting, {backlog.sending} being sent{oldest}; "
            f"{backlog.sent_last_hour} sent in the last hour; {backlog.refused_total} refused"
        )
