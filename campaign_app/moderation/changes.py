"""The state changes of a batch on signature rows, with their counters and audit event.

Shared by the service (one signature, invalidated at once) and the jobs (many, in chunks).
Every change is a conditional UPDATE (``WHERE state = ...``), so a confirmation racing it is
either counted and then subtracted, or never counted. Only flushes: callers commit.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from campaign_app.accounts.models import User
from campaign_app.audit.service import record
from campaign_app.extensions import db
from campaign_app.moderation.criteria import Criteria
from campaign_app.moderation.models import InvalidationBatch
from campaign_app.petitions import counting
from campaign_app.petitions.models import (
    Petition,
    Signature,
    SignatureCount,
    SignatureHourly,
    SignatureSource,
    SignatureState,
)

ONLINE = SignatureSource.ONLINE

_OPTIONS = {"synchronize_session": False}


def invalidate_ids(batch: InvalidationBatch, ids: list[int]) -> int:
    """Invalidate those of ``ids`` still pending or confirmed; subtract the confirmed ones.

    Pending rows first: a row confirmed meanwhile is then caught, and counted down, by the
    second statement.
    """
    stamp = {"state": SignatureState.INVALIDATED, "invalidation_batch_id": batch.id}
    pending = db.session.execute(
        update(Signature)
        .where(Signature.id.in_(ids), Signature.state == SignatureState.PENDING)
        .values(**stamp)
        .returning(Signature.id),
        execution_options=_OPTIONS,
    ).all()
    confirmed = db.session.execute(
        update(Signature)
        .where(Signature.id.in_(ids), Signature.state == SignatureState.CONFIRMED)
        .values(**stamp)
        .returning(Signature.source, Signature.country, Signature.confirmed_at),
        execution_options=_OPTIONS,
    ).all()
    groups = _groups(confirmed)
    if groups:
        countries = {country for by_country, _ in groups.values() for country in by_country}
        _lock_counters(batch.petition_id, countries, groups.get(ONLINE, ({}, {}))[1])
        for source, (by_country, by_hour) in groups.items():
            counting.subtract_many(db.session, batch.petition_id, by_country, by_hour, source)
    return len(pending) + len(confirmed)


def restore_ids(batch: InvalidationBatch, ids: list[int]) -> int:
    """Confirmed again if they had been confirmed, else pending; counts added back."""
    mine = (
        Signature.id.in_(ids),
        Signature.invalidation_batch_id == batch.id,
        Signature.state == SignatureState.INVALIDATED,
    )
    confirmed = db.session.execute(
        update(Signature)
        .where(*mine, Signature.confirmed_at.is_not(None))
        .values(state=SignatureState.CONFIRMED, invalidation_batch_id=None)
        .returning(Signature.source, Signature.country, Signature.confirmed_at),
        execution_options=_OPTIONS,
    ).all()
    pending = db.session.execute(
        update(Signature)
        .where(*mine, Signature.confirmed_at.is_(None))
        .values(state=SignatureState.PENDING, invalidation_batch_id=None)
        .returning(Signature.id),
        execution_options=_OPTIONS,
    ).all()
    for source, (by_country, by_hour) in _groups(confirmed).items():
        counting.add_many(db.session, batch.petition_id, by_country, by_hour, source)
    return len(confirmed) + len(pending)


def _lock_counters(petition_id: int, countries: Iterable[str], hours: Iterable[datetime]) -> None:
    """PostgreSQL: lock the shards about to be lowered, so no confirmation is lost.

    ``subtract_many`` reads a shard and writes back a new value; a confirmation adding 1 to
    that shard in between would be overwritten. Locked first, the confirmation waits for
    this chunk's commit. Signature rows are always locked before shards (here and when
    confirming), so the two cannot deadlock. SQLite needs nothing: this transaction holds
    the database's write lock since its first UPDATE.
    """
    if db.session.get_bind().dialect.name != "postgresql":
        return
    db.session.execute(
        select(SignatureCount.shard)
        .where(SignatureCount.petition_id == petition_id, SignatureCount.country.in_(countries))
        .order_by(SignatureCount.country, SignatureCount.shard)
        .with_for_update()
    ).all()
    db.session.execute(
        select(SignatureHourly.shard)
        .where(SignatureHourly.petition_id == petition_id, SignatureHourly.hour.in_(hours))
        .order_by(SignatureHourly.hour, SignatureHourly.shard)
        .with_for_update()
    ).all()


def _groups(rows: Any) -> dict[SignatureSource, tuple[Counter[str], Counter[datetime]]]:
    """Per source, the rows by country and (online only) by hour of confirmation."""
    groups: dict[SignatureSource, tuple[Counter[str], Counter[datetime]]] = {}
    for source, country, confirmed_at in rows:
        by_country, by_hour = groups.setdefault(SignatureSource(source), (Counter(), Counter()))
        by_country[country] += 1
        if confirmed_at is not None and source == ONLINE:
            by_hour[counting.hour_of(confirmed_at)] += 1
    return groups


def record_invalidated(batch: InvalidationBatch, actor: User | None, *, via: str) -> None:
    """The "signatures.invalidated" audit event: ids, counts and filters, never a person."""
    petition = db.session.get(Petition, batch.petition_id)
    details = {"batch": batch.id, "reason": batch.reason}
    details |= Criteria.from_json(batch.criteria).for_audit()
    details.pop("up_to_id", None)
    record(
        "signatures.invalidated",
        actor=actor,
        via=via,
        campaign_id=petition.campaign_id if petition else None,
        petition_id=batch.petition_id,
        target=f"invalidation batch {batch.id}",
        rows=batch.invalidated,
        details=details,
    )
