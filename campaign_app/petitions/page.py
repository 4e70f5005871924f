"""The petition page: a shell rendered once per petition, language and content version, and
the live parts (counts, latest signers, the visitor's CSRF token) put in on every request.

What the page shows besides its counts (the texts, the prisoners, the hand-ins, the news)
changes only when an organiser changes it; rendering it was most of the page's cost. So one
query reads the petition's state and dates together with its *content version*: values that
change whenever anything the shell shows changes (``updated_at`` of the rows, and a count
and the newest id or date of each list, so an added or removed row counts too). The shell is
kept under that version and reused until the version moves; an edit shows on the next
request, with or without the micro-cache. Features that add to the page register their part
of the version (:func:`register_version_part`), as they register their template helpers.

A second query reads the counts and the latest signers in one round trip (a UNION ALL).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from flask import Flask, current_app
from markupsafe import Markup
from sqlalchemy import (
    BigInteger,
    Select,
    String,
    Table,
    Text,
    bindparam,
    func,
    literal,
    literal_column,
    null,
    select,
    text,
    type_coerce,
    union_all,
)
from sqlalchemy import cast as sql_cast
from sqlalchemy.engine import Engine
from sqlalchemy.sql.elements import ColumnElement

from campaign_app.campaigns.models import Campaign, CampaignState
from campaign_app.db import UTCDateTime
from campaign_app.extensions import db
from campaign_app.petitions.counting import Counts, counts_from
from campaign_app.petitions.models import (
    SHOWN_PUBLICLY,
    Petition,
    PetitionState,
    PetitionTranslation,
    Signature,
    SignatureCount,
    accepts_signatures,
)

# (petition id, campaign id) columns of the page's query -> scalar subqueries whose values
# change whenever what the feature shows on the petition page changes.
VersionPart = Callable[[ColumnElement[int], ColumnElement[int]], Sequence[ColumnElement[Any]]]

_PARTS = "petition_page_version_parts"
_QUERY = "petition_page_query"
_SHELLS = "petition_page_shells"
_LIVE_PARTS = "petition_page_live_parts"
# Shells are keyed by version: old versions simply age out.
SHELLS_KEPT = 256
SHELL_SECONDS = 86400

_PETITION = cast(Table, Petition.__table__)
_CAMPAIGN = cast(Table, Campaign.__table__)


def register_version_part(app: Flask, part: VersionPart) -> None:
    """Make the petition page's content version include ``part`` (call from ``init_app``)."""
    app.extensions.setdefault(_PARTS, []).append(part)
    app.extensions.pop(_QUERY, None)


@dataclass(frozen=True)
class PageState:
    """A public petition as its page's hot path reads it: plain columns, no ORM load."""

    id: int
    slug: str
    campaign_id: int
    state: PetitionState
    opens_at: datetime
    closes_at: datetime | None
    goal: int
    anonymised_at: datetime | None
    # Changes whenever the page's shell would (see the module's docstring).
    version: tuple[Hashable, ...]

    def is_open_at(self, moment: datetime) -> bool:
        return accepts_signatures(self.state, self.opens_at, self.closes_at, moment)

    def has_opened_by(self, moment: datetime) -> bool:
        return self.state is not PetitionState.DRAFT and moment >= self.opens_at


def _own_version(petition_id: ColumnElement[int], campaign_id: ColumnElement[int]) -> list[Any]:
    """The petition's texts and translations, and what the page shows of its campaign."""
    translations = cast(Table, PetitionTranslation.__table__)
    return [
        _PETITION.c.updated_at,
        _CAMPAIGN.c.is_example,
        _CAMPAIGN.c.name,
        sql_cast(_CAMPAIGN.c.translations, Text),
        select(func.count()).where(translations.c.petition_id == petition_id).scalar_subquery(),
        select(func.max(translations.c.updated_at))
        .where(translations.c.petition_id == petition_id)
        .scalar_subquery(),
    ]


def _page_query(app: Flask) -> Select[Any]:
    """The page's first query, built on first use (with the parts features registered)."""
    query: Select[Any] | None = app.extensions.get(_QUERY)
    if query is not None:
        return query
    petition_id, campaign_id = _PETITION.c.id, _PETITION.c.campaign_id
    version: list[Any] = []
    for part in [_own_version, *app.extensions.get(_PARTS, [])]:
        version.extend(part(petition_id, campaign_id))
    query = select(
        _PETITION.c.id,
        _PETITION.c.slug,
        _PETITION.c.campaign_id,
        _PETITION.c.state,
        _PETITION.c.opens_at,
        _PETITION.c.closes_at,
        _PETITION.c.goal,
        _PETITION.c.anonymised_at,
        *version,
    ).where(
        _PETITION.c.slug == bindparam("slug"),
        _PETITION.c.state != PetitionState.DRAFT,
        _PETITION.c.campaign_id == _CAMPAIGN.c.id,
        # Two plain compares rather than IN: an IN list is expanded again on every execution.
        _CAMPAIGN.c.state != CampaignState.DRAFT,
        _CAMPAIGN.c.state != CampaignState.ARCHIVED,
    )
    app.extensions[_QUERY] = query
    return query


def _read_without_transaction() -> None:
    """On PostgreSQL, let this request's session read in autocommit when it has not begun a
    transaction yet: the page only reads, and BEGIN and the ROLLBACK at the request's end
    were two of its four round trips. Each statement still reads a consistent snapshot; the
    shell is never older than the version it is kept under, as the version is read first.
    (The connection's isolation level is put back when it returns to the pool.)"""
    session = db.session()
    if session.in_transaction():
        return
    bind = session.get_bind()
    if isinstance(bind, Engine) and bind.dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


def page_state(slug: str) -> PageState | None:
    """The public petition ``slug`` with its content version, or None (not public)."""
    _read_without_transaction()
    row = db.session.execute(_page_query(current_app), {"slug": slug}).first()
    if row is None:
        return None
    petition_id, slug_, campaign_id, state, opens_at, closes_at, goal, anonymised_at = row[:8]
    return PageState(
        petition_id,
        slug_,
        campaign_id,
        state,
        opens_at,
        closes_at,
        goal,
        anonymised_at,
        version=tuple(row[8:]),
    )


@dataclass(frozen=True)
class PublicSigner:
    """A signer as shown in public lists: only what they agreed to show."""

    first_name: str
    country: str
    confirmed_at: datetime


@dataclass(frozen=True)
class Live:
    """What changes with every signature: the counts and the latest public signers."""

    counts: Counts
    signers: list[PublicSigner]
    # The rows both were made from: equal keys, equal counts and signers.
    key: Hashable = None


_LIVE_STATEMENTS: dict[str, tuple[Any, Any]] = {}

# Where the latest signers are read from: the partial index of the rows a page may show
# (ix_signature_public_latest), so the database reads the newest of those rows only, not
# every anonymous row on the way. PostgreSQL picks it by cost as the query's WHERE is the
# index's own condition; SQLite, which has no statistics to tell, is told.
_SIGNERS_FROM = {"sqlite": "signature INDEXED BY ix_signature_public_latest"}


def _live_statements(dialect: str) -> tuple[Any, Any]:
    """(counts only, counts and latest signers in one UNION ALL), built on first use."""
    built = _LIVE_STATEMENTS.get(dialect)
    if built is not None:
        return built
    signature = cast(Table, Signature.__table__)
    count = cast(Table, SignatureCount.__table__)

    def column(name: str) -> ColumnElement[Any]:
        return literal_column(f"signature.{name}", type_=signature.c[name].type)

    counts = (
        select(type_coerce(count.c.source, String), count.c.country, func.sum(count.c.count))
        .where(count.c.petition_id == bindparam("petition_id"))
        .group_by(count.c.source, count.c.country)
    )
    latest = (
        select(
            column("first_name").label("first_name"),
            column("country").label("country"),
            column("confirmed_at").label("at"),
        )
        .select_from(text(_SIGNERS_FROM.get(dialect, "signature")))
        # Confirmed, shown and not erased: the partial index's condition, word for word.
        .where(column("petition_id") == bindparam("petition_id"), text(SHOWN_PUBLICLY))
        .order_by(column("confirmed_at").desc())
        .limit(bindparam("limit"))
        .subquery()
    )
    # The signers first: a UNION takes its result types (the decryption of the name, the
    # UTC times) from its first SELECT; typed NULLs keep PostgreSQL's types matching.
    both = union_all(
        select(
            literal("s"),
            latest.c.first_name,
            latest.c.country,
            sql_cast(null(), String),
            sql_cast(null(), BigInteger),
            latest.c.at,
        ),
        select(
            literal("c"),
            null(),
            count.c.country,
            type_coerce(count.c.source, String),
            func.sum(count.c.count),
            sql_cast(null(), UTCDateTime),
        )
        .where(count.c.petition_id == bindparam("petition_id"))
        .group_by(count.c.source, count.c.country),
    )
    _LIVE_STATEMENTS[dialect] = (counts, both)
    return counts, both


def read_live(petition: PageState, limit: int) -> Live:
    """The counts (from the counter shards) and the ``limit`` most recent confirmed signers
    who chose to be shown (never erased), newest first: one round trip."""
    counts_only, both = _live_statements(db.session.get_bind().dialect.name)
    if petition.anonymised_at is not None or limit <= 0:  # every row is erased: no scan
        rows = db.session.execute(counts_only, {"petition_id": petition.id}).all()
        return Live(counts_from(rows), [], key=("counts", *map(tuple, rows)))
    rows = db.session.execute(both, {"petition_id": petition.id, "limit": limit}).all()
    counts = counts_from((r[3], r[2], r[4]) for r in rows if r[0] == "c")
    signers = [PublicSigner(r[1], r[2], r[5]) for r in rows if r[0] == "s" and r[5] is not None]
    signers.sort(key=lambda signer: signer.confirmed_at, reverse=True)
    return Live(counts, signers, key=tuple(map(tuple, rows)))


class Shells:
    """Rendered HTML by key, a few hundred at most, each for a day at most."""

    def __init__(self) -> None:
        from cachetools import TTLCache

        self._store: TTLCache[Hashable, Any] = TTLCache(maxsize=SHELLS_KEPT, ttl=SHELL_SECONDS)
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        with self._lock:
            return self._store.get(key)

    def set(self, key: Hashable, html: Any) -> None:
        with self._lock:
            self._store[key] = html

    def clear(self) -> None:
        with self._lock:
            self._store.clear()


def shells(app: Flask) -> Shells:
    """The page's shells, by petition, language, host, content version and open or not."""
    return _kept(app, _SHELLS)


def live_parts(app: Flask) -> Shells:
    """The page's live parts as last rendered, by language, open or not, goal and the very
    rows they were made from (see ``Live.key``): a page read while nobody signed renders
    them once."""
    return _kept(app, _LIVE_PARTS)


def _kept(app: Flask, name: str) -> Shells:
    kept: Shells | None = app.extensions.get(name)
    if kept is None:
        kept = app.extensions[name] = Shells()
    return kept


# Stand in for the live parts in a shell.
SLOTS = {
    name: Markup(f"\x00live-{name}\x00")  # noqa: S704 - a constant of ours
    for name in ("progress", "countries", "signers")
}
