"""The public registry's content version, and what each process keeps under it.

A registry page (or API answer) depends only on the request's parameters and language and on
the rows it is made from: prisoners (their names, status, mail, institution, cards tally),
their hand-typed addresses, the institutions and the campaigns. Rendering it cost ~7 ms of
CPU; reading whether any of those rows changed costs one query of aggregates that indexes
answer without reading the tables (``registry_version``). So pages are kept per process under
that version (``kept``) and reused until the version moves: an edit shows on the next
request, with or without the micro-cache.

What moves the version:

- a prisoner added or deleted (their count), edited (``updated_at``, kept by the ORM; also
  a release, a transfer, an import, or ``flask prisoners refresh-registry``);
- a card report stored (the newest report's id; reports are never deleted but with their
  prisoner) or a tally recounted (``tallies.recount_cards_sent`` dates what it corrects);
- an address added or deleted (their count and newest id; addresses are never edited);
- an institution added, edited (names, address, rules) or deleted;
- a campaign added, deleted, made public or hidden, or marked as example data (the list of
  every campaign's id, state and example flag: a few rows).

The version is read once per request and before the rows a page is made from, so a page is
never older than the version it is kept under. As the petition page's version, it reads
maxima and counts: on PostgreSQL, of two writes in flight at once, the one made first
(the smaller id or time) may commit last, after a page was kept under the other's version;
that page then shows until the next change (a card report or an edit; when writes overlap,
the registry is busy, and the next one is near). SQLite takes one writer at a time.

At most KEPT pages are kept per process (a page is ~25 kB: ~12 MB at most).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from functools import cache
from typing import Any, TypeVar, cast

from flask import current_app, has_request_context, request
from sqlalchemy import Select, String, Table, func, select
from sqlalchemy import cast as sql_cast

from campaign_app.campaigns.models import Campaign
from campaign_app.db import reading_connection
from campaign_app.extensions import db
from campaign_app.institutions.models import Institution
from campaign_app.microcache import MicroCache
from campaign_app.prisoners.models import Prisoner, PrisonerAddress

T = TypeVar("T")

# Pages by version, language and query: old versions age out (least recently used first).
KEPT = 512
KEPT_SECONDS = 86400
_STORE = "prisoners_registry_kept"
# The version read in this request (the WSGI environ lives exactly as long as the request).
_READ = "campaign_app.registry_version"


@cache
def _version_query() -> Select[Any]:
    """Built on first use, not at import (the letters feature imports the prisoner models)."""
    from campaign_app.letters.models import CardSent

    prisoner = cast(Table, Prisoner.__table__)
    address = cast(Table, PrisonerAddress.__table__)
    institution = cast(Table, Institution.__table__)
    campaign = cast(Table, Campaign.__table__)
    reports = cast(Table, CardSent.__table__)

    def one(column: Any, table: Table) -> Any:
        return select(column).select_from(table).scalar_subquery()

    # Each aggregate alone in its subquery: SQLite counts from an index's pages and finds a
    # maximum at an index's end only for a lone count(*) or max() (together they scan).
    campaigns = func.aggregate_strings(
        sql_cast(campaign.c.id, String)
        + ":"
        + sql_cast(campaign.c.state, String)
        + ":"
        + sql_cast(campaign.c.is_example, String),
        ",",
    )
    return select(
        one(func.count(), prisoner),
        one(func.max(prisoner.c.updated_at), prisoner),
        one(func.max(reports.c.id), reports),
        one(func.count(), address),
        one(func.max(address.c.id), address),
        one(func.count(), institution),
        one(func.max(institution.c.updated_at), institution),
        one(campaigns, campaign),
    )


def registry_version() -> tuple[Hashable, ...]:
    """Values that change whenever anything a registry page shows changes (one query, read
    once per request)."""
    environ = request.environ if has_request_context() else {}
    version: tuple[Hashable, ...] | None = environ.get(_READ)
    if version is None:
        # As the petition page: no BEGIN and ROLLBACK round trips around a page that reads.
        reading_connection(db.session)
        row = db.session.execute(_version_query()).one()
        version = environ[_READ] = tuple(row)
    return version


def _store() -> MicroCache:
    store: MicroCache | None = current_app.extensions.get(_STORE)
    if store is None:
        store = current_app.extensions[_STORE] = MicroCache(KEPT_SECONDS, maxsize=KEPT)
    return store


def kept(key: tuple[Hashable, ...], build: Callable[[], T]) -> T:
    """What ``build`` gives for ``key`` (language, query...) at the registry's current
    version: built once per version and process, then reused. ``build`` must depend on
    nothing but ``key`` and the registry's rows."""
    store = _store()
    full = (registry_version(), *key)
    value: T | None = store.get(full)
    if value is None:
        value = build()
        store.set(full, value)
    return value
