"""Writing a batch's signature rows and their counters (flushes only; callers commit)."""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Table

from campaign_app.accounts.models import User
from campaign_app.audit.service import record
from campaign_app.extensions import db
from campaign_app.paper.models import BatchKind, PaperBatch
from campaign_app.petitions import counting
from campaign_app.petitions.models import (
    Petition,
    PublicDisplay,
    Signature,
    SignatureSource,
    SignatureState,
)

CHUNK = 5_000
_SIGNATURE_TABLE = cast(Table, Signature.__table__)
_INSERT = _SIGNATURE_TABLE.insert()


@dataclass(frozen=True)
class PaperSigner:
    """One line of a paper sheet as typed in; names empty for a counts-only batch."""

    first_name: str
    last_name: str
    city: str
    country: str


def source_of(kind: BatchKind) -> SignatureSource:
    return SignatureSource.IMPORT if kind is BatchKind.IMPORT else SignatureSource.PAPER


def paper_hash() -> str:
    """The email_hash of a row without an e-mail: unique, and never an address's hash."""
    return "paper:" + secrets.token_hex(16)


def insert_signers(
    petition: Petition, batch: PaperBatch, signers: Iterable[PaperSigner], now: datetime
) -> Counter[str]:
    """Insert one confirmed Signature row per signer (in chunks) and add them to the
    counters of the batch's source; returns the rows by country.

    No e-mail (never mailed: mail_due_at stays NULL), no IP hash; names and cities are
    encrypted by the columns' type. Paper signers are not listed on the petition's page
    (display anonymous); the delivery exports list them by name, as the sheet told them.
    """
    source = source_of(batch.kind)
    by_country: Counter[str] = Counter()
    chunk: list[dict[str, object]] = []
    for signer in signers:
        by_country[signer.country] += 1
        chunk.append(
            {
                "petition_id": petition.id,
                "first_name": signer.first_name or None,
                "last_name": signer.last_name or None,
                "email": None,
                "city": signer.city or None,
                "email_hash": paper_hash(),
                "email_domain_hash": None,
                "country": signer.country,
                "display": PublicDisplay.ANONYMOUS,
                "state": SignatureState.CONFIRMED,
                "locale": petition.language,
                "ip_hash": None,
                "created_at": now,
                "confirmed_at": now,
                "confirmation_sent_at": None,
                "mail_due_at": None,
                "source": source,
                "paper_batch_id": batch.id,
            }
        )
        if len(chunk) >= CHUNK:
            db.session.execute(_INSERT, chunk)
            chunk = []
    if chunk:
        db.session.execute(_INSERT, chunk)
    counting.add_many(db.session, petition.id, by_country, {}, source)
    return by_country


def record_batch(action: str, petition: Petition, batch: PaperBatch, rows: int, user: User) -> None:
    """The audit event of a batch: its id, kind, source and count; never a name."""
    record(
        action,
        actor=user,
        campaign_id=petition.campaign_id,
        petition_id=petition.id,
        target=f"paper batch {batch.id}",
        rows=rows,
        details={
            "batch": batch.id,
            "kind": batch.kind.value,
            "source": source_of(batch.kind).value,
            "country": batch.country,
        },
    )
