"""The outbox's source over a table whose rows each carry one e-mail (its due, lease,
attempts, sent and refused columns): the claim with a lease, the marks, the backlog.

A feature subclasses :class:`TableMailSource` with the query that loads what its e-mails
need and how to compose one (campaign_app.outbox has the dispatchers that use it).
"""

from __future__ import annotations

import logging
from abc import abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Column, Select, Table, and_, bindparam, func, or_, select, update

from campaign_app.db import (
    autocommit_connection,
    commit_without_waiting_for_disk,
    without_waiting_for_disk,
)
from campaign_app.extensions import db
from campaign_app.outbox import Backlog, MailSource, Outgoing

log = logging.getLogger(__name__)

# The session's info key of the autocommit connection a batch's marks go through.
_MARKS = "campaign_outbox_marks"


class TableMailSource(MailSource):
    """A source over a table whose rows each carry one e-mail: when it is due, the lease a
    dispatcher holds on it, the failed attempts, and when it was sent or refused.

    The statements are built once, from the table's columns; a row is claimed with
    ``FOR UPDATE SKIP LOCKED`` (the write lock on SQLite) and each mark is its own commit,
    not waiting for the disk (a mark lost in a crash means one e-mail sent twice, never one
    lost); on PostgreSQL each is one statement in autocommit (:meth:`marking`). A feature
    gives the query that loads what the claimed rows' e-mails need (``load``: the key first,
    ``ids`` bound) and composes each e-mail (:meth:`compose`).
    """

    # Which e-mail a log line speaks of ("News delivery 12 failed too often").
    item_name: str
    logger: logging.Logger = log

    def __init__(
        self,
        table: Table,
        *,
        key: Column[Any],
        due: Column[Any],
        lease: Column[Any],
        attempts: Column[Any],
        sent: Column[Any],
        refused: Column[Any],
        load: Select[Any],
    ) -> None:
        self._due, self._lease, self._sent, self._refused = due, lease, sent, refused
        self._load = load
        # The bound parameters are named apart from the columns they set.
        is_due = and_(
            due.is_not(None),
            due <= bindparam("now"),
            or_(lease.is_(None), lease < bindparam("now")),
        )
        self._claim = (
            update(table)
            .where(
                key.in_(
                    select(key)
                    .where(is_due)
                    .order_by(due)
                    .limit(bindparam("size"))
                    .with_for_update(skip_locked=True)
                )
            )
            .values({lease: bindparam("lease_until")})
            .returning(key, due, attempts)
        )
        claimed = update(table).where(
            and_(key == bindparam("key"), due == bindparam("claimed_due"))
        )
        self._sent_mark = claimed.values(
            {due: None, lease: None, attempts: 0, sent: bindparam("at")}
        )
        self._refused_mark = claimed.values({due: None, lease: None, refused: bindparam("at")})
        self._postponed = claimed.values(
            {due: bindparam("retry_at"), lease: None, attempts: attempts + 1}
        )
        self._given_up = claimed.values({due: None, lease: None, attempts: attempts + 1})
        self._dropped = claimed.values({due: None, lease: None})
        self._released = claimed.values({lease: None})
        marks = (self._sent_mark, self._refused_mark, self._postponed, self._given_up)
        self._unhurried = {
            mark: without_waiting_for_disk(mark) for mark in (*marks, self._dropped, self._released)
        }

    @abstractmethod
    def compose(self, key: int, due: datetime, attempts: int, row: Any) -> Outgoing:
        """The e-mail for a claimed row, from its ``load`` row (None: the row is gone)."""

    def claimed(self, now: datetime, count: int, limit: int) -> None:
        """Called after each claim (committed) with how many rows it took."""

    # Claiming -----------------------------------------------------------------------------

    def claim(self, now: datetime, lease_until: datetime, limit: int) -> list[Outgoing]:
        claimed = db.session.execute(
            self._claim, {"now": now, "lease_until": lease_until, "size": limit}
        ).all()
        db.session.commit()
        self.claimed(now, len(claimed), limit)
        if not claimed:
            return []
        loaded = db.session.execute(self._load, {"ids": [c[0] for c in claimed]})
        rows = {row[0]: row for row in loaded}
        db.session.commit()
        return [self.compose(key, due, attempts, rows.get(key)) for key, due, attempts in claimed]

    # Marking ------------------------------------------------------------------------------

    def mark_sent(self, item: Outgoing, now: datetime) -> None:
        if item.recipient is None:  # nothing was sent: no longer due, not counted as sent
            self._mark(self._dropped, item)
            return
        self._mark(self._sent_mark, item, at=now)

    def mark_refused(self, item: Outgoing, now: datetime) -> None:
        self._mark(self._refused_mark, item, at=now)

    def postpone(self, item: Outgoing, until: datetime | None) -> None:
        if until is None:
            self.logger.warning("%s %s failed too often; given up", self.item_name, item.key)
            self._mark(self._given_up, item)
        else:
            self._mark(self._postponed, item, retry_at=until)

    def release(self, items: list[Outgoing]) -> None:
        if items:
            self._commit(
                self._released, [{"key": i.key, "claimed_due": i.claimed_due} for i in items]
            )

    @contextmanager
    def marking(self) -> Iterator[None]:
        # On PostgreSQL, one connection in autocommit for the batch's marks: each mark is one
        # round trip (its UPDATE, a transaction of its own) instead of four (BEGIN, SET LOCAL,
        # UPDATE, COMMIT), and committed as soon as the server has run it.
        db.session.commit()  # the claim's work is done; nothing is left begun
        connection = autocommit_connection(db.session)
        if connection is None:
            yield
            return
        db.session.info[_MARKS] = connection
        try:
            yield
        finally:
            del db.session.info[_MARKS]
            db.session.rollback()  # nothing is pending (each mark committed itself)

    def _mark(self, statement: Any, item: Outgoing, **values: Any) -> None:
        self._commit(statement, [{"key": item.key, "claimed_due": item.claimed_due, **values}])

    def _commit(self, statement: Any, rows: list[dict[str, Any]]) -> None:
        # A mark lost in a database crash means one e-mail sent twice, never one lost: the
        # commit does not wait for the disk.
        connection = db.session.info.get(_MARKS)
        if connection is not None:
            connection.execute(self._unhurried[statement], rows)
        else:
            db.session.execute(statement, rows)
            commit_without_waiting_for_disk(db.session)

    # Watching -----------------------------------------------------------------------------

    def backlog(self, now: datetime) -> Backlog:
        due = self._due.is_not(None)
        leased = and_(due, self._lease.is_not(None), self._lease >= now)
        waiting, sending, oldest = db.session.execute(
            select(func.count(), func.count().filter(leased), func.min(self._due)).where(due)
        ).one()
        sent = db.session.scalar(select(func.count()).where(self._sent >= now - timedelta(hours=1)))
        refused = db.session.scalar(select(func.count()).where(self._refused.is_not(None)))
        return Backlog(self.label, waiting - sending, sending, oldest, sent or 0, refused or 0)
