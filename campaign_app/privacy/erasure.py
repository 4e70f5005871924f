"""What "erase" means, everywhere: a signer's rows found by address, blanked, audited.

Names, e-mail, city and IP hash are blanked and ``erased_at`` is set, while state, country
and confirmation time stay, so every count (total, by country, by hour) is unchanged and no
export or public list shows the row. Unconfirmed signatures never counted: erasing one
deletes it. Shared by the organiser's and the signer's erasure and by retention; logs and
the audit log carry ids and counts only, never an address or a name.
"""

from __future__ import annotations

import logging
import typing
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import String, Table, cast, literal, select

from campaign_app.accounts.models import User
from campaign_app.audit import service as audit
from campaign_app.db import utcnow
from campaign_app.errors import CampaignError
from campaign_app.extensions import db
from campaign_app.petitions.blind_index import email_hash
from campaign_app.petitions.models import Petition, Signature, SignatureState
from campaign_app.petitions.normalize import InvalidEmail, normalize_email

log = logging.getLogger(__name__)

BATCH_SIZE = 1_000
# Petition ids looked up per statement: each lookup is one probe of the unique index
# (petition_id, email_hash); the table is never scanned for an address.
_PETITIONS_PER_LOOKUP = 500
SIGNATURES = typing.cast(Table, Signature.__table__)


class InvalidEmailAddress(CampaignError):
    """The e-mail address is not valid."""


@dataclass(frozen=True)
class PetitionMatch:
    """The signatures of one address on one petition (ids only; never names)."""

    petition_id: int
    campaign_id: int
    title: str
    signature_ids: tuple[int, ...]


@dataclass(frozen=True)
class ErasureResult:
    petitions: int
    signatures: int


def chunks(ids: Sequence[int], size: int = BATCH_SIZE) -> Iterator[Sequence[int]]:
    """``ids`` in slices of ``size``: one statement each."""
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def rowcount(result: Any) -> int:
    """The rows a statement changed (0 when the driver does not say)."""
    return max(int(getattr(result, "rowcount", 0) or 0), 0)


def erase(signature_ids: Sequence[int], now: datetime | None = None) -> tuple[int, int]:
    """Erase these signatures in batched statements; flushes only, the caller commits.

    Returns (rows blanked, unconfirmed rows deleted). Blanked rows keep state, country and
    confirmation time (so counts stay true); the encrypted columns and the domain hash become
    NULL and ``email_hash`` "erased:<id>", which keeps the unique index and lets the same
    person sign again later.
    """
    now = now or utcnow()
    blanked = deleted = 0
    table = SIGNATURES
    # Core statements on the table: the ORM's bulk-update bookkeeping cost more than the SQL.
    for chunk in chunks(list(signature_ids)):
        deleted += rowcount(
            db.session.execute(
                table.delete().where(
                    table.c.id.in_(chunk), table.c.state == SignatureState.PENDING.value
                )
            )
        )
        blanked += rowcount(
            db.session.execute(
                table.update()
                .where(table.c.id.in_(chunk), table.c.erased_at.is_(None))
                .values(
                    first_name=None,
                    last_name=None,
                    email=None,
                    city=None,
                    ip_hash=None,
                    email_hash=literal("erased:", String) + cast(table.c.id, String),
                    email_domain_hash=None,
                    # No more news (campaign_app.news): the consent ends with the data.
                    news_consent_at=None,
                    news_consent_version=None,
                    news_withdrawn_at=None,
                    erased_at=now,
                )
            )
        )
    return blanked, deleted


def address_hash(email: str) -> str:
    """The keyed hash of an address's normalised form: what signing stores, and all that
    is compared (the address is never looked for in the clear)."""
    domains = str(current_app.config["DOT_INSENSITIVE_EMAIL_DOMAINS"]).split(",")
    try:
        return email_hash(normalize_email(email, domains)[1])
    except InvalidEmail:
        raise InvalidEmailAddress() from None


def find_signatures(address: str) -> list[PetitionMatch]:
    """Every petition holding a signature under this address hash (``address_hash``)."""
    petitions = db.session.execute(
        select(Petition.id, Petition.campaign_id, Petition.title).order_by(Petition.id)
    ).all()
    by_petition: dict[int, list[int]] = {}
    for start in range(0, len(petitions), _PETITIONS_PER_LOOKUP):
        ids = [row.id for row in petitions[start : start + _PETITIONS_PER_LOOKUP]]
        rows = db.session.execute(
            select(Signature.petition_id, Signature.id).where(
                Signature.petition_id.in_(ids), Signature.email_hash == address
            )
        ).all()
        for petition_id, signature_id in rows:
            by_petition.setdefault(petition_id, []).append(signature_id)
    return [
        PetitionMatch(row.id, row.campaign_id, row.title, tuple(by_petition[row.id]))
        for row in petitions
        if row.id in by_petition
    ]


def erase_matches(matches: list[PetitionMatch], *, actor: User | None, via: str) -> ErasureResult:
    """Erase the matches, audit them per campaign (petition ids and counts), commit once."""
    now = utcnow()
    ids = [signature_id for match in matches for signature_id in match.signature_ids]
    erase(ids, now)
    by_campaign: dict[int, list[PetitionMatch]] = {}
    for match in matches:
        by_campaign.setdefault(match.campaign_id, []).append(match)
    for campaign_id, campaign_matches in sorted(by_campaign.items()):
        petition_ids = [match.petition_id for match in campaign_matches]
        count = sum(len(match.signature_ids) for match in campaign_matches)
        audit.record(
            "signer.erased",
            actor=actor,
            via=via,
            campaign_id=campaign_id,
            petition_id=petition_ids[0] if len(petition_ids) == 1 else None,
            target=f"{count} signature(s)",
            rows=count,
            details={"petition_ids": petition_ids, "signatures": count},
        )
    db.session.commit()
    db.session.expire_all()
    log.info("Erased %s signature(s) on %s petition(s) (via %s)", len(ids), len(matches), via)
    return ErasureResult(petitions=len(matches), signatures=len(ids))
