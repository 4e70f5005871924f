"""The mail outbox: e-mail recorded as due in the same transaction as the change that needs
it, and sent by dispatchers that claim it with a lease.

A feature that sends mail in bulk (signature confirmations) registers a :class:`MailSource`:
its rows say which e-mails are due (a ``TableMailSource``, in campaign_app.outbox_table, when
each row carries its e-mail's due, lease, attempts, sent and refused columns). A
:class:`Dispatcher`

1. claims a batch of due rows with a lease (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, the
   write lock on SQLite), so dispatchers side by side never take the same row;
2. composes each message from a template rendered once per kind and language;
3. sends them over one SMTP connection, reused (reconnecting when it drops);
4. marks each e-mail sent, in its own commit, only after the server accepted it (on
   PostgreSQL one statement in autocommit: one round trip, not four).

A dispatcher killed at any moment loses nothing: its lease runs out and another takes the
rows again. The one window for a duplicate is between the server's "250 OK" and the mark.
A temporary failure (server down, 4xx) puts the e-mail back with a growing delay; a
permanent refusal (5xx) is recorded and never retried.
"""

from __future__ import annotations

import logging
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import Flask, current_app
from sqlalchemy.exc import SQLAlchemyError

from campaign_app import mail
from campaign_app.db import utcnow
from campaign_app.extensions import db

log = logging.getLogger(__name__)


@dataclass
class Outgoing:
    """One claimed e-mail. ``render`` gives its bytes (8-bit allowed or not); a None
    ``recipient`` means there is nothing to send any more (withdrawn, erased)."""

    key: int
    claimed_due: datetime
    recipient: str | None
    render: Callable[[bool], bytes] = field(repr=False)
    attempts: int = 0


@dataclass(frozen=True)
class Backlog:
    """What a source has waiting and what it did lately."""

    name: str  # what the organiser reads (translated)
    due: int  # due now or later, not being sent
    sending: int  # claimed by a dispatcher now
    oldest_due: datetime | None
    sent_last_hour: int
    refused_total: int

    @property
    def waiting(self) -> int:
        return self.due + self.sending


class MailSource(ABC):
    """Rows that say which e-mails are due; one per kind of bulk mail."""

    name: str  # for logs and the CLI

    @property
    def label(self) -> str:
        """The name as the organiser reads it, in the page's language."""
        return self.name

    @abstractmethod
    def claim(self, now: datetime, lease_until: datetime, limit: int) -> list[Outgoing]:
        """Lease up to ``limit`` due e-mails (committed) and compose them."""

    @abstractmethod
    def mark_sent(self, item: Outgoing, now: datetime) -> None:
        """The server accepted it (or there was nothing to send): done, committed."""

    @abstractmethod
    def mark_refused(self, item: Outgoing, now: datetime) -> None:
        """Refused for good: recorded, never tried again, committed."""

    @abstractmethod
    def postpone(self, item: Outgoing, until: datetime | None) -> None:
        """Try again from ``until`` (None: give up), committed."""

    @abstractmethod
    def release(self, items: list[Outgoing]) -> None:
        """Give the lease back untouched (the batch was cut short), committed."""

    def marking(self) -> AbstractContextManager[None]:
        """Around the marks of a claimed batch (a source may hold a connection for them)."""
        return nullcontext()

    @abstractmethod
    def backlog(self, now: datetime) -> Backlog: ...


def nothing_to_send(key: int, due: datetime, attempts: int) -> Outgoing:
    """A claimed row whose e-mail is no longer wanted: marked done, not counted as sent."""
    return Outgoing(key, due, None, _no_bytes, attempts)


def _no_bytes(eight_bit: bool) -> bytes:
    return b""


@dataclass
class DrainResult:
    sent: int = 0
    refused: int = 0
    postponed: int = 0
    claimed: int = 0
    # The transport failed: the rest of the batch was put back, the round stopped.
    transport_failed: bool = False

    def add(self, other: DrainResult) -> None:
        self.sent += other.sent
        self.refused += other.refused
        self.postponed += other.postponed
        self.claimed += other.claimed
        self.transport_failed = self.transport_failed or other.transport_failed


class Outbox:
    """The app's mail sources and how dispatchers run over them."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.sources: list[MailSource] = []

    def register(self, source: MailSource) -> None:
        self.sources.append(source)

    def drain(self, limit: int | None = None) -> DrainResult:
        """Send what is due now, in this thread, until nothing is due (or ``limit`` sent)."""
        dispatcher = Dispatcher(self.app, self.sources)
        result = DrainResult()
        with self.app.app_context(), mail.open_transport() as transport:
            for batch in dispatcher.rounds(transport, limit=limit):
                result.add(batch)
        return result

    def backlog(self) -> list[Backlog]:
        """Each source's backlog now (inside an app context: a request, a command)."""
        now = utcnow()
        return [source.backlog(now) for source in self.sources]


def init_outbox(app: Flask) -> None:
    app.extensions["campaign_outbox"] = Outbox(app)


def register_mail_source(app: Flask, source: MailSource) -> None:
    """Have the dispatchers send ``source``'s e-mails; a feature calls this from init_app."""
    outbox: Outbox = app.extensions["campaign_outbox"]
    outbox.register(source)


def get_outbox() -> Outbox:
    outbox: Outbox = current_app.extensions["campaign_outbox"]
    return outbox


class Dispatcher:
    """Claims, sends and marks; one per thread or process, as many side by side as wanted."""

    def __init__(self, app: Flask, sources: list[MailSource]) -> None:
        self.app = app
        self.sources = sources
        config = app.config
        self.batch = int(config["MAIL_BATCH"])
        self.lease = timedelta(seconds=float(config["MAIL_LEASE_SECONDS"]))
        self.retries = int(config["QUEUE_RETRIES"])
        self.delay = float(config["QUEUE_RETRY_DELAY"])
        self.backoff = float(config["QUEUE_RETRY_BACKOFF"])

    def round(self, transport: mail.Transport, limit: int | None = None) -> DrainResult:
        """One batch from each source (call inside an app context)."""
        result = DrainResult()
        for source in self.sources:
            size = self.batch if limit is None else min(self.batch, limit)
            now = utcnow()
            items = source.claim(now, now + self.lease, size)
            if not items:
                continue
            result.claimed += len(items)
            # A slow server must not outlast the lease, or another dispatcher would take the
            # same e-mails: past half of it, the rest goes back for the next round.
            give_back_at = now + self.lease / 2
            with source.marking():
                for index, item in enumerate(items):
                    if utcnow() > give_back_at:
                        source.release(items[index:])
                        result.claimed -= len(items) - index
                        break
                    if not self._deliver(source, item, transport, result):
                        source.release(items[index + 1 :])
                        result.transport_failed = True
                        return result
        return result

    def _deliver(
        self, source: MailSource, item: Outgoing, transport: mail.Transport, result: DrainResult
    ) -> bool:
        """Send one e-mail and mark it; False when the transport is failing."""
        if item.recipient is None:
            source.mark_sent(item, utcnow())
            return True
        try:
            transport.send(item.recipient, item.render(transport.eight_bit))
        except mail.MailRefused:
            source.mark_refused(item, utcnow())
            result.refused += 1
            log.warning("%s %s refused by the server; not retried", source.name, item.key)
            return True
        except mail.MailDeliveryError as error:
            source.postpone(item, self._retry_at(item.attempts + 1))
            result.postponed += 1
            log.warning("%s %s not sent (%s); will retry", source.name, item.key, error)
            return False
        source.mark_sent(item, utcnow())
        result.sent += 1
        return True

    def _retry_at(self, attempts: int) -> datetime | None:
        if attempts > self.retries:
            return None
        wait = min(self.delay * self.backoff ** (attempts - 1), 3600.0)
        return utcnow() + timedelta(seconds=wait)

    def run(
        self, stop: threading.Event, on_round: Callable[[DrainResult], None] | None = None
    ) -> None:
        """Dispatch until ``stop`` is set: poll when idle, wait longer while mail fails."""
        idle = float(self.app.config["MAIL_IDLE_SECONDS"])
        if self.lease.total_seconds() < 2 * float(self.app.config["MAIL_SMTP_TIMEOUT"]):
            log.warning(
                "MAIL_LEASE_SECONDS is under twice MAIL_SMTP_TIMEOUT: a send that hangs until "
                "its timeout may outlast the lease, and another dispatcher may send it again"
            )
        pause = idle
        while not stop.is_set():
            failed = False
            try:
                with self.app.app_context(), mail.open_transport() as transport:
                    for result in self.rounds(transport, stop=stop):
                        if on_round is not None:
                            on_round(result)
                        failed = result.transport_failed
                        db.session.remove()  # a fresh session for the next batch
            except SQLAlchemyError as error:
                # The database is away: nothing was marked that was not sent. Wait and retry.
                log.warning("Mail dispatcher: database error %s; retrying", type(error).__name__)
                failed = True
            except Exception:
                log.exception("Mail dispatcher: unexpected error; retrying")
                failed = True
            pause = min(max(pause * 2, 1.0), 60.0) if failed else idle
            stop.wait(pause)

    def rounds(
        self,
        transport: mail.Transport,
        *,
        stop: threading.Event | None = None,
        limit: int | None = None,
    ) -> Iterator[DrainResult]:
        """Rounds while there is work: until one finds nothing or the transport fails, or
        ``stop`` is set, or ``limit`` e-mails were claimed."""
        claimed = 0
        while (stop is None or not stop.is_set()) and (limit is None or claimed < limit):
            result = self.round(transport, None if limit is None else limit - claimed)
            claimed += result.claimed
            yield result
            if result.claimed == 0 or result.transport_failed:
                return


def start_dispatchers(app: Flask, count: int, stop: threading.Event) -> list[threading.Thread]:
    """``count`` dispatcher threads in this process (``flask queue work`` starts them)."""
    outbox: Outbox = app.extensions["campaign_outbox"]
    threads = []
    for number in range(count):
        dispatcher = Dispatcher(app, outbox.sources)
        thread = threading.Thread(
            target=dispatcher.run, args=(stop,), name=f"mail-dispatcher-{number}", daemon=True
        )
        thread.start()
        threads.append(thread)
    return threads
