"""Searching a petition's signatures: one page of matches at a time, newest first.

Names and e-mails are decrypted for the page; a name condition reads at most
MODERATION_NAME_SCAN_LIMIT rows per page (see moderation.criteria).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import Select, select

from campaign_app.extensions import db
from campaign_app.moderation.criteria import Criteria, matching, name_matches, name_scan_limit
from campaign_app.petitions.models import Petition, Signature

PAGE_SIZE = 50
IP_HASH_SHOWN = 12


@dataclass(frozen=True)
class Row:
    """One search result as the moderation table shows it."""

    id: int
    name: str
    email: str
    country: str
    created_at: datetime
    state: str
    ip_hash: str

    @property
    def ip_hash_prefix(self) -> str:
        return self.ip_hash[:IP_HASH_SHOWN]


@dataclass(frozen=True)
class Page:
    """One page of results. ``scanned`` is set when a name search stopped after reading
    that many signatures without filling the page; ``next_before`` then goes on from there."""

    rows: list[Row]
    next_before: int | None
    scanned: int | None = None


def search(petition: Petition, criteria: Criteria, before: int | None = None) -> Page:
    """One page of matching signatures, newest first (keyset on id)."""
    query = select(
        Signature.id,
        Signature.first_name,
        Signature.last_name,
        Signature.email,
        Signature.country,
        Signature.created_at,
        Signature.state,
        Signature.ip_hash,
    ).where(*matching(petition.id, criteria))
    if before is not None:
        query = query.where(Signature.id < before)
    query = query.order_by(Signature.id.desc())
    if criteria.name:
        return _search_names(query, criteria.name)
    found = db.session.execute(query.limit(PAGE_SIZE + 1)).all()
    return _page(found)


def _search_names(query: Select[*tuple[Any, ...]], needle: str) -> Page:
    """Read names newest first until a page (and one more) matches or the scan limit is
    reached; then load the whole rows of the matches only."""
    limit = name_scan_limit()
    matched: list[int] = []
    scanned = 0
    last_read: int | None = None
    names = db.session.execute(
        query.with_only_columns(Signature.id, Signature.first_name, Signature.last_name).limit(
            limit
        )
    )
    try:
        for row in names:
            scanned += 1
            last_read = row.id
            if name_matches(needle, row.first_name, row.last_name):
                matched.append(row.id)
                if len(matched) > PAGE_SIZE:
                    break
    finally:
        names.close()
    found = db.session.execute(query.where(Signature.id.in_(matched))).all() if matched else []
    if len(matched) <= PAGE_SIZE and scanned >= limit:
        # Stopped by the limit, not by the end of the rows: the next page goes on from here.
        return Page(rows=_rows(found), next_before=last_read, scanned=scanned)
    return _page(found)


def _page(found: Sequence[Any]) -> Page:
    rows = _rows(found[:PAGE_SIZE])
    next_before = rows[-1].id if len(found) > PAGE_SIZE else None
    return Page(rows=rows, next_before=next_before)


def _rows(found: Sequence[Any]) -> list[Row]:
    return [
        Row(
            id=row.id,
            name=f"{row.first_name} {row.last_name}".strip(),
            email=row.email,
            country=row.country,
            created_at=row.created_at,
            state=row.state.value,
            ip_hash=row.ip_hash or "",
        )
        for row in found
    ]


def get_signature(petition: Petition, signature_id: int) -> Signature | None:
    """A signature of this petition (None for another petition's)."""
    signature = db.session.get(Signature, signature_id)
    return signature if signature is not None and signature.petition_id == petition.id else None


def dot_insensitive_domains() -> list[str]:
    """The e-mail domains where dots in the local part do not matter (gmail.com...)."""
    return str(current_app.config["DOT_INSENSITIVE_EMAIL_DOMAINS"]).split(",")
