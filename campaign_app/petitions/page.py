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

The same statement reads the live parts on PostgreSQL, the counts and the latest signers,
in LATERAL subqueries: one round trip per page (:func:`read_page`). On SQLite a second
statement reads them (a UNION ALL). The live parts are rendered once per distinct set of rows
(:func:`live_parts`), so a page read while nobody signed decrypts no name.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from flask import Flask, current_app
from markupsafe import Markup
from sqlalchemy import (
    Select,
    Table,
    Text,
    bindparam,
    func,
    select,
    true,
)
from sqlalchemy import cast as sql_cast
from sqlalchemy.sql.elements import ColumnElement

from campaign_app.campaigns.models import Campaign, CampaignState
from campaign_app.db import reading_connection
from campaign_app.extensions import db
from campaign_app.petitions.live import Live, latest_signers, read_live, summed_cells
from campaign_app.petitions.models import (
    Petition,
    PetitionState,
    PetitionTranslation,
    accepts_signatures,
    public_state_of,
)

# (petition id, campaign id) columns of the page's query -> scalar subqueries whose values
# change whenever what the feature shows on the petition page changes.
VersionPart = Callable[[ColumnElement[int], ColumnElement[int]], Sequence[ColumnElement[Any]]]

_PARTS = "petition_page_version_parts"
_QUERY = "petition_page_query"
_WHOLE_QUERY = "petition_page_whole_query"
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
    app.extensions.pop(_WHOLE_QUERY, None)


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

    def public_state(self, moment: datetime) -> str:
        return public_state_of(self.state, self.opens_at, self.closes_at, moment)


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


def _state_from(row: Any, version_end: int | None = None) -> PageState:
    petition_id, slug, campaign_id, state, opens_at, closes_at, goal, anonymised_at = row[:8]
    return PageState(
        petition_id,
        slug,
        campaign_id,
        state,
        opens_at,
        closes_at,
        goal,
        anonymised_at,
        version=tuple(row[8:version_end]),
    )


def read_page(slug: str, limit: int) -> tuple[PageState, Live] | None:
    """The public petition ``slug`` with its content version and its live parts (the counts
    and the ``limit`` latest public signers), or None (not public).

    One statement on PostgreSQL (the live parts in LATERAL subqueries, as arrays); on SQLite,
    which runs in the process and has no LATERAL, the petition first, then its live parts."""
    # Core statements on the connection: the ORM's result machinery has nothing to do for
    # plain columns.
    connection = reading_connection(db.session)
    limit = max(limit, 0)
    if connection.dialect.name == "postgresql":
        row = connection.execute(_whole_query(current_app, limit), {"slug": slug}).first()
        if row is None:
            return None
        names, countries, ats, sources, cell_countries, totals = row[-6:]
        latest = zip(names or (), countries or (), ats or (), strict=True)
        cells = zip(sources or (), cell_countries or (), totals or (), strict=True)
        return _state_from(row, -6), Live.of(cells, latest)
    row = connection.execute(_page_query(current_app), {"slug": slug}).first()
    if row is None:
        return None
    state = _state_from(row)
    return state, read_live(connection, state.id, state.anonymised_at is not None, limit)


def _whole_query(app: Flask, limit: int) -> Select[Any]:
    """PostgreSQL: the page's query (the petition and its content version) with the live
    parts in two LATERAL subqueries, each one row of arrays: one round trip in all. The
    signers' subquery reads the newest rows of the partial index only, and none at all for
    an anonymised petition (every row is erased)."""
    built: dict[int, Select[Any]] = app.extensions.setdefault(_WHOLE_QUERY, {})
    query = built.get(limit)
    if query is not None:
        return query
    latest = (
        latest_signers(_PETITION.c.id, limit)
        .where(_PETITION.c.anonymised_at.is_(None))
        .correlate(_PETITION)
        .lateral("latest")
    )
    cells = summed_cells(_PETITION.c.id).correlate(_PETITION).lateral("cells")
    # One aggregate node per subquery: its arrays take the rows in the same order, so the
    # n-th elements belong together (read_page puts the rows in order).
    signers = select(*(func.array_agg(column) for column in latest.c)).lateral("signers")
    counts = select(*(func.array_agg(column) for column in cells.c)).lateral("counts")
    page_query = _page_query(app)
    query = (
        page_query.add_columns(*signers.c, *counts.c)
        .join_from(_PETITION, signers, true())
        .join_from(_PETITION, counts, true())
    )
    built[limit] = query
    return query


class Shells:
    """Rendered shells (Frames) or live parts by key, a few hundred at most, each for a day
    at most."""

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
    return kept(app, _SHELLS)


def live_parts(app: Flask) -> Shells:
    """The page's live parts as last rendered, by language, open or not, goal and the very
    rows they were made from (see ``Live.key``): a page read while nobody signed renders
    them once."""
    return kept(app, _LIVE_PARTS)


def kept(app: Flask, name: str) -> Shells:
    """The app's store ``name`` of things kept by key (made on first use)."""
    store: Shells | None = app.extensions.get(name)
    if store is None:
        store = app.extensions[name] = Shells()
    return store


# Stand in for the live parts in a shell, and for the visitor's CSRF token in its form.
SLOTS = {
    name: Markup(f"\x00live-{name}\x00")  # noqa: S704 - a constant of ours
    for name in ("progress", "countries", "signers")
}
TOKEN_SLOT = "\x00csrf-token\x00"  # noqa: S105 - a placeholder, not a secret
_ANY_SLOT = re.compile("\x00(live-progress|live-countries|live-signers|csrf-token)\x00")


@dataclass(frozen=True)
class Frame:
    """A rendered shell cut at its slots, in UTF-8: ``texts[0]``, the slot ``names[0]``,
    ``texts[1]`` and so on. Filling it in joins bytes: no search through the page, no
    encoding of it, per request."""

    texts: tuple[bytes, ...]
    names: tuple[str, ...]

    @classmethod
    def cut(cls, html: str) -> Frame:
        pieces = _ANY_SLOT.split(html)
        return cls(tuple(piece.encode() for piece in pieces[0::2]), tuple(pieces[1::2]))

    def fill(self, live: Sequence[bytes]) -> tuple[bytes, ...]:
        """The page with the ``live`` parts (progress, countries, signers) in, cut where
        the CSRF token goes (one piece if it has no such slot)."""
        parts = {"live-progress": live[0], "live-countries": live[1], "live-signers": live[2]}
        pieces: list[bytes] = []
        current = [self.texts[0]]
        for name, after in zip(self.names, self.texts[1:], strict=True):
            if name == "csrf-token":
                pieces.append(b"".join(current))
                current = [after]
            else:
                current += (parts[name], after)
        pieces.append(b"".join(current))
        return tuple(pieces)
