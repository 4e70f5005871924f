"""Declarative base, naming convention, the UTC timestamp type and input-to-row copying."""

from __future__ import annotations

import enum
from dataclasses import fields
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, Enum, Integer, MetaData, Update, func, text
from sqlalchemy.engine import Connection, Dialect, Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, scoped_session
from sqlalchemy.types import TypeDecorator

# Alembic needs stable, predictable constraint names to alter them later.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# SQLite only auto-increments INTEGER PRIMARY KEY; PostgreSQL gets a real bigint.
BigIntPK = BigInteger().with_variant(Integer(), "sqlite")


def utcnow() -> datetime:
    """Return the current time as an aware UTC datetime (the only clock models use)."""
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """Normalise a datetime to aware UTC; naive values are taken to be UTC already."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def apply_changes(row: Any, data: Any) -> list[str]:
    """Copy the fields of ``data`` (an input dataclass) onto ``row``; the names of those whose
    value changed (audit events name the changed fields, never their values)."""
    changed = []
    for item in fields(data):
        value = getattr(data, item.name)
        if getattr(row, item.name) != value:
            setattr(row, item.name, value)
            changed.append(item.name)
    return changed


def enum_column(cls: type[enum.Enum], length: int = 20) -> Enum:
    """A portable enum column storing the members' values (not names) as plain strings."""
    return Enum(
        cls,
        native_enum=False,
        length=length,
        validate_strings=True,
        create_constraint=True,
        values_callable=lambda members: [member.value for member in members],
    )


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware timestamp that reads back as aware UTC on SQLite and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        value = as_utc(value)
        # SQLite stores text; keep it naive UTC so string comparisons sort correctly.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        return None if value is None else as_utc(value)


class Base(DeclarativeBase):
    """Base class of every model."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Translatable:
    """Mixin: texts typed by organisers, translated into other interface languages.

    The columns hold the texts as first written; ``translations`` holds the others,
    ``{"ru": {"bio": "…"}, "be": {…}}`` (campaign_app.translated edits and shows them).
    """

    translations: Mapped[dict[str, dict[str, str]]] = mapped_column(
        JSON, default=dict, server_default=text("'{}'")
    )

    def translated(self, name: str, locale: str) -> str:
        """The field ``name`` in ``locale`` when translated, else as written."""
        value = ((self.translations or {}).get(locale) or {}).get(name, "")
        return value or str(getattr(self, name) or "")

    def has_translation(self, locale: str) -> bool:
        """Whether any text of the row is translated into ``locale``."""
        return any(((self.translations or {}).get(locale) or {}).values())


_NO_FLUSH_WAIT = text("SET LOCAL synchronous_commit TO OFF")


def commit_without_waiting_for_disk(session: Session | scoped_session[Any]) -> None:
    """Commit, on PostgreSQL without waiting for the WAL to reach the disk.

    For bookkeeping whose loss in a database crash (the last fraction of a second) is
    harmless: the mail outbox's "sent" marks, where a lost mark means one e-mail sent twice,
    never one lost. Elsewhere every commit waits, as usual.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(_NO_FLUSH_WAIT)
    session.commit()


def autocommit_connection(session: Session | scoped_session[Any]) -> Connection | None:
    """The session's connection in autocommit (each statement its own transaction), on
    PostgreSQL when the session has not begun a transaction yet; else None (SQLite, whose
    driver would not give its IMMEDIATE transactions back; a session inside a test's
    transaction). The connection's isolation level is put back when it returns to the pool."""
    current: Session = session() if isinstance(session, scoped_session) else session
    if not current.in_transaction():
        bind = current.get_bind()
        if isinstance(bind, Engine) and bind.dialect.name == "postgresql":
            return current.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
    return None


def reading_connection(session: Session | scoped_session[Any]) -> Connection:
    """The session's connection for a request that only reads. On PostgreSQL it reads in
    autocommit when the session has not begun a transaction yet: BEGIN and the ROLLBACK at
    the request's end would be two more round trips; each statement reads one consistent
    snapshot."""
    return autocommit_connection(session) or session.connection()


def without_waiting_for_disk(statement: Update) -> Update:
    """``statement``, run in autocommit on PostgreSQL (one statement, one transaction), made
    to commit without waiting for the WAL to reach the disk, for the bookkeeping
    :func:`commit_without_waiting_for_disk` is for: its own transaction's ``SET LOCAL
    synchronous_commit``, as ``set_config(..., is_local)`` in its WHERE clause. Any row it
    writes has passed that condition, so the setting is made before anything is committed.
    One round trip where BEGIN, SET LOCAL, the statement and COMMIT take four."""
    return statement.where(func.set_config("synchronous_commit", "off", True) == "off")
