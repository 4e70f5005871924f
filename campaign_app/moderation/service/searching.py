"""Searching a petition's signatures: one page of matches at a time, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import select

from campaign_app.extensions import db
from campaign_app.moderation.criteria import Criteria, matching
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
    rows: list[Row]
    next_before: int | None


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
    found = db.session.execute(query.order_by(Signature.id.desc()).limit(PAGE_SIZE + 1)).all()
    rows = [
        Row(
            id=row.id,
            name=f"{row.first_name} {row.last_name}".strip(),
            email=row.email,
            country=row.country,
            created_at=row.created_at,
            state=row.state.value,
            ip_hash=row.ip_hash or "",
        )
        for row in found[:PAGE_SIZE]
    ]
    next_before = rows[-1].id if len(found) > PAGE_SIZE else None
    return Page(rows=rows, next_before=next_before)


def get_signature(petition: Petition, signature_id: int) -> Signature | None:
    """A signature of this petition (None for another petition's)."""
    signature = db.session.get(Signature, signature_id)
    return signature if signature is not None and signature.petition_id == petition.id else None


def dot_insensitive_domains() -> list[str]:
    """The e-mail domains where dots in the local part do not matter (gmail.com...)."""
    return str(current_app.config["DOT_INSENSITIVE_EMAIL_DOMAINS"]).split(",")
