"""Moderation use cases: search signatures, invalidate them (one, or in bulk as a job), restore.

Bulk work runs in the queue (``moderation.jobs``) in chunks of ``CHUNK`` ids taken in id
order, committing per chunk, so progress is visible and a crash loses at most one chunk.
Every state change goes through a conditional UPDATE (``WHERE state = ...``), so a
confirmation racing the job is either counted and then subtracted, or never counted.
Logs and audit details carry ids, counts and filters; never signers' e-mails or names.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import ColumnElement, Select, func, select, update

from campaign_app.accounts.models import User
from campaign_app.audit.service import record
from campaign_app.db import as_utc, utcnow
from campaign_app.errors import CampaignError
from campaign_app.extensions import db
from campaign_app.moderation.models import BatchState, InvalidationBatch
from campaign_app.petitions import counting
from campaign_app.petitions.models import (
    Petition,
    Signature,
    SignatureCount,
    SignatureHourly,
    SignatureState,
)

log = logging.getLogger(__name__)

PAGE_SIZE = 50
CHUNK = 1_000
BATCHES_SHOWN = 20
REPORT_ROWS = 10
IP_HASH_SHOWN = 12
ACTIVE_STATES = (SignatureState.PENDING, SignatureState.CONFIRMED)
# Criteria that identify a person: never in audit details, URLs or logs.
PERSONAL = ("email", "name")
GIVEN = "(given)"


class NoConditions(CampaignError):
    """A bulk invalidation needs a condition besides the state (never the whole petition)."""


class NothingMatches(CampaignError):
    """No pending or confirmed signature matches: nothing to invalidate."""


class CountChanged(CampaignError):
    """The number of matching signatures changed since the preview."""

    def __init__(self, count: int) -> None:
        super().__init__(count)
        self.count = count


class AlreadyInvalidated(CampaignError):
    """The signature is invalidated already."""


class NotRestorable(CampaignError):
    """Only a finished (or failed) invalidation can be restored, once."""


@dataclass(frozen=True)
class Criteria:
    """Search conditions; empty strings and None mean "any".

    ``email`` is the normalised address; ``signed_to`` is inclusive to the minute.
    ``signature_id`` and ``up_to_id`` are set by the app (one signature; what the preview
    counted). ``given`` names personal conditions that were used and then dropped.
    """

    email: str = ""
    domain: str = ""
    name: str = ""
    country: str = ""
    signed_from: datetime | None = None
    signed_to: datetime | None = None
    ip_hash: str = ""
    state: str = ""
    signature_id: int | None = None
    up_to_id: int | None = None
    given: tuple[str, ...] = field(default=())

    def is_empty(self) -> bool:
        """True when no condition narrows the petition's signatures.

        The state alone does not count: "every confirmed signature" is the whole petition.
        """
        return not any(
            (
                self.email,
                self.domain,
                self.name,
                self.country,
                self.signed_from,
                self.signed_to,
                self.ip_hash,
                self.signature_id is not None,
            )
        )

    def to_json(self) -> dict[str, Any]:
        """The conditions that are set, JSON-able (datetimes as ISO strings)."""
        data: dict[str, Any] = {}
        for key, value in asdict(self).items():
            if value in ("", None, (), []):
                continue
            if isinstance(value, datetime):
                value = as_utc(value).isoformat()
            elif isinstance(value, tuple):
                value = list(value)
            data[key] = value
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Criteria:
        values: dict[str, Any] = {}
        for key in cls.__dataclass_fields__:
            if key not in data:
                continue
            value = data[key]
            if key in ("signed_from", "signed_to"):
                value = as_utc(datetime.fromisoformat(value))
            elif key in ("signature_id", "up_to_id"):
                value = int(value)
            elif key == "given":
                value = tuple(str(item) for item in value)
            else:
                value = str(value)
            values[key] = value
        return cls(**values)

    def without_personal(self) -> Criteria:
        """The same record with names and e-mails dropped and noted in ``given``."""
        used = tuple(key for key in PERSONAL if getattr(self, key))
        return replace(self, email="", name="", given=tuple(dict.fromkeys(self.given + used)))

    def for_audit(self) -> dict[str, Any]:
        """Flat audit details: filters, with only the fact that a personal one was used."""
        data = self.without_personal().to_json()
        if "given" in data:
            data["given"] = ", ".join(data["given"])
        return data


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


@dataclass(frozen=True)
class Busiest:
    """One line of a report: an IP hash or e-mail domain and its signatures."""

    value: str
    count: int


@dataclass(frozen=True)
class Report:
    since: datetime
    ip_hashes: list[Busiest]
    domains: list[Busiest]


# Matching ---------------------------------------------------------------------------------


def _lower(session: Any, expression: Any) -> Any:
    """Unicode lower-casing in SQL: PostgreSQL's lower(); SQLite's only folds ASCII."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return func.lower(expression)
    # Registered per connection (cheap); deterministic so SQLite may use it freely.
    connection.connection.driver_connection.create_function(
        "moderation_lower", 1, _py_lower, deterministic=True
    )
    return func.moderation_lower(expression)


def _py_lower(value: str | None) -> str | None:
    return None if value is None else value.lower()


def _conditions(petition_id: int, criteria: Criteria) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [Signature.petition_id == petition_id]
    if criteria.signature_id is not None:
        conditions.append(Signature.id == criteria.signature_id)
    if criteria.up_to_id is not None:
        conditions.append(Signature.id <= criteria.up_to_id)
    if criteria.email:
        conditions.append(Signature.email_normalized == criteria.email)
    if criteria.domain:
        conditions.append(
            Signature.email_normalized.endswith("@" + criteria.domain, autoescape=True)
        )
    if criteria.name:
        full_name = Signature.first_name + " " + Signature.last_name
        conditions.append(
            _lower(db.session, full_name).contains(criteria.name.lower(), autoescape=True)
        )
    if criteria.country:
        conditions.append(Signature.country == criteria.country)
    if criteria.signed_from is not None:
        conditions.append(Signature.created_at >= criteria.signed_from)
    if criteria.signed_to is not None:
        conditions.append(Signature.created_at < criteria.signed_to + timedelta(minutes=1))
    if criteria.ip_hash:
        conditions.append(Signature.ip_hash == criteria.ip_hash)
    if criteria.state:
        conditions.append(Signature.state == SignatureState(criteria.state))
    return conditions


def _active(petition_id: int, criteria: Criteria) -> list[ColumnElement[bool]]:
    return [*_conditions(petition_id, criteria), Signature.state.in_(ACTIVE_STATES)]


def normalise_domain(raw: str) -> str:
    """What an e-mail domain looks like inside ``email_normalized``."""
    domain = raw.strip().lower().lstrip("@")
    return "gmail.com" if domain == "googlemail.com" else domain


# Searching --------------------------------------------------------------------------------


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
    ).where(*_conditions(petition.id, criteria))
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


def count_active(petition: Petition, criteria: Criteria) -> int:
    """How many pending or confirmed signatures match: what a bulk invalidation would take."""
    return int(db.session.scalar(select(func.count()).where(*_active(petition.id, criteria))) or 0)


def preview(petition: Petition, criteria: Criteria) -> int:
    """The exact count a bulk invalidation of ``criteria`` would change now."""
    if criteria.is_empty():
        raise NoConditions
    return count_active(petition, criteria)


def _pinned(petition: Petition, criteria: Criteria) -> Criteria:
    """Fix what the batch will take: e-mail -> its one signature, and the newest id now.

    The normalised e-mail is unique per petition, so it matches at most one row; keeping
    that row's id instead keeps the address out of the batch record.
    """
    if criteria.email:
        signature_id = db.session.scalar(
            select(Signature.id).where(
                Signature.petition_id == petition.id,
                Signature.email_normalized == criteria.email,
            )
        )
        given = tuple(dict.fromkeys((*criteria.given, "email")))
        # -1 matches nothing: the address has not signed this petition.
        criteria = replace(
            criteria,
            email="",
            given=given,
            signature_id=-1 if signature_id is None else signature_id,
        )
    newest = db.session.scalar(
        select(func.max(Signature.id)).where(*_active(petition.id, criteria))
    )
    return replace(criteria, up_to_id=int(newest) if newest is not None else 0)


def start_invalidation(
    petition: Petition, criteria: Criteria, reason: str, shown: int, user: User
) -> InvalidationBatch:
    """Record a bulk invalidation of what the preview showed and queue it.

    Refused when no condition is given, nothing matches, or the count differs from the
    ``shown`` preview (the organiser must see the number they approve).
    """
    from campaign_app.moderation.jobs import run_invalidation
    from campaign_app.queue import enqueue

    if criteria.is_empty():
        raise NoConditions
    pinned = _pinned(petition, criteria)
    count = count_active(petition, pinned)
    if not count:
        raise NothingMatches
    if count != shown:
        raise CountChanged(count)
    batch = InvalidationBatch(
        petition_id=petition.id,
        created_by_id=user.id,
        criteria=pinned.to_json(),
        reason=reason,
        state=BatchState.QUEUED,
        expected=count,
    )
    db.session.add(batch)
    db.session.commit()
    log.info("Invalidation batch %s queued: %s signatures", batch.id, count)
    try:
        enqueue(run_invalidation, batch.id)
    except Exception:
        log.exception("Queue unavailable; invalidation batch %s waits", batch.id)
    return batch


def invalidate_signature(
    petition: Petition, signature_id: int, reason: str, user: User
) -> InvalidationBatch:
    """Invalidate one signature now (a batch of one, so it can be restored the same way)."""
    criteria = Criteria(signature_id=signature_id)
    if not count_active(petition, criteria):
        raise AlreadyInvalidated
    batch = InvalidationBatch(
        petition_id=petition.id,
        created_by_id=user.id,
        criteria=criteria.to_json(),
        reason=reason,
        state=BatchState.RUNNING,
        expected=1,
    )
    db.session.add(batch)
    db.session.flush()
    changed = _invalidate_ids(batch, [signature_id])
    if not changed:
        db.session.rollback()
        raise AlreadyInvalidated
    batch.done = batch.invalidated = changed
    batch.state = BatchState.DONE
    batch.finished_at = utcnow()
    _record_invalidated(batch, user, via="web")
    db.session.commit()
    log.info("Signature %s invalidated (batch %s)", signature_id, batch.id)
    return batch


def get_signature(petition: Petition, signature_id: int) -> Signature | None:
    """A signature of this petition (None for another petition's)."""
    signature = db.session.get(Signature, signature_id)
    return signature if signature is not None and signature.petition_id == petition.id else None


# The work itself (called by the jobs) -----------------------------------------------------


def _invalidate_ids(batch: InvalidationBatch, ids: list[int]) -> int:
    """Invalidate those of ``ids`` still pending or confirmed; subtract the confirmed ones.

    Pending rows first: a row confirmed meanwhile is then caught, and counted down, by the
    second statement. Flushes only.
    """
    stamp = {"state": SignatureState.INVALIDATED, "invalidation_batch_id": batch.id}
    options = {"synchronize_session": False}
    pending = db.session.execute(
        update(Signature)
        .where(Signature.id.in_(ids), Signature.state == SignatureState.PENDING)
        .values(**stamp)
        .returning(Signature.id),
        execution_options=options,
    ).all()
    confirmed = db.session.execute(
        update(Signature)
        .where(Signature.id.in_(ids), Signature.state == SignatureState.CONFIRMED)
        .values(**stamp)
        .returning(Signature.country, Signature.confirmed_at),
        execution_options=options,
    ).all()
    by_country, by_hour = _groups(confirmed)
    if by_country:
        _lock_counters(batch.petition_id, by_country, by_hour)
        counting.subtract_many(db.session, batch.petition_id, by_country, by_hour)
    return len(pending) + len(confirmed)


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


def _groups(rows: Any) -> tuple[Counter[str], Counter[datetime]]:
    by_country: Counter[str] = Counter()
    by_hour: Counter[datetime] = Counter()
    for country, confirmed_at in rows:
        by_country[country] += 1
        if confirmed_at is not None:
            by_hour[counting.hour_of(confirmed_at)] += 1
    return by_country, by_hour


def _next_ids(query: Select[Any], after: int) -> list[int]:
    return list(
        db.session.scalars(query.where(Signature.id > after).order_by(Signature.id).limit(CHUNK))
    )


def lost_batch_ids(after: timedelta) -> list[int]:
    """Batches still waiting for the queue ``after`` their creation (their job was lost)."""
    return list(
        db.session.scalars(
            select(InvalidationBatch.id).where(
                InvalidationBatch.state == BatchState.QUEUED,
                InvalidationBatch.created_at < utcnow() - after,
            )
        )
    )


def run_invalidation(batch_id: int) -> None:
    """Invalidate a queued batch chunk by chunk, committing each (the job's body)."""
    batch = db.session.get(InvalidationBatch, batch_id)
    if batch is None or batch.state not in (
        BatchState.QUEUED,
        BatchState.RUNNING,
        BatchState.FAILED,
    ):
        log.info("Invalidation batch %s: nothing to run", batch_id)
        return
    batch.state = BatchState.RUNNING
    batch.error = ""
    db.session.commit()
    criteria = Criteria.from_json(batch.criteria)
    query = select(Signature.id).where(*_active(batch.petition_id, criteria))
    last = 0
    try:
        while ids := _next_ids(query, last):
            changed = _invalidate_ids(batch, ids)
            batch.done += changed
            batch.invalidated += changed
            last = ids[-1]
            db.session.commit()
            db.session.refresh(batch)
            if batch.state is not BatchState.RUNNING:  # restored or stopped meanwhile
                return
    except Exception as error:
        db.session.rollback()
        _fail(batch_id, error)
        raise
    batch.state = BatchState.DONE
    batch.finished_at = utcnow()
    # The job no longer needs a name condition; the record keeps only that one was used.
    batch.criteria = replace(criteria.without_personal(), up_to_id=criteria.up_to_id).to_json()
    creator = db.session.get(User, batch.created_by_id) if batch.created_by_id else None
    _record_invalidated(batch, creator, via="job")
    db.session.commit()
    log.info("Invalidation batch %s done: %s signatures", batch.id, batch.invalidated)


def _fail(batch_id: int, error: Exception) -> None:
    batch = db.session.get(InvalidationBatch, batch_id)
    if batch is not None:
        batch.state = BatchState.FAILED
        # The class name only: database messages can quote row values.
        batch.error = f"Stopped by {type(error).__name__}; it will be retried."[:300]
        db.session.commit()
    log.warning("Invalidation batch %s stopped by %s", batch_id, type(error).__name__)


def _record_invalidated(batch: InvalidationBatch, actor: User | None, *, via: str) -> None:
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


def start_restore(batch: InvalidationBatch, user: User) -> None:
    """Mark the batch as being restored and queue the job that does it."""
    from campaign_app.moderation.jobs import run_restore
    from campaign_app.queue import enqueue

    restored = db.session.execute(
        update(InvalidationBatch)
        .where(
            InvalidationBatch.id == batch.id,
            InvalidationBatch.state.in_((BatchState.DONE, BatchState.FAILED)),
        )
        .values(state=BatchState.RESTORING, done=0, error="")
        .returning(InvalidationBatch.id),
        execution_options={"synchronize_session": False},
    ).all()
    if not restored:
        db.session.rollback()
        raise NotRestorable
    db.session.commit()
    db.session.refresh(batch)
    log.info("Invalidation batch %s: restore queued", batch.id)
    try:
        enqueue(run_restore, batch.id, user.id)
    except Exception:
        log.exception("Queue unavailable; restore of batch %s waits", batch.id)


def run_restore(batch_id: int, user_id: int | None) -> None:
    """Give a batch's signatures their state back, chunk by chunk, and re-add the counts."""
    batch = db.session.get(InvalidationBatch, batch_id)
    if batch is None or batch.state is not BatchState.RESTORING:
        log.info("Invalidation batch %s: nothing to restore", batch_id)
        return
    query = select(Signature.id).where(
        Signature.invalidation_batch_id == batch.id,
        Signature.state == SignatureState.INVALIDATED,
    )
    last = 0
    restored = batch.done  # a retried job goes on from where it stopped
    while ids := _next_ids(query, last):
        restored += _restore_ids(batch, ids)
        batch.done = restored
        last = ids[-1]
        db.session.commit()
    batch.state = BatchState.RESTORED
    batch.restored_at = utcnow()
    petition = db.session.get(Petition, batch.petition_id)
    actor = db.session.get(User, user_id) if user_id is not None else None
    record(
        "signatures.restored",
        actor=actor,
        via="web" if actor is not None else "job",
        campaign_id=petition.campaign_id if petition else None,
        petition_id=batch.petition_id,
        target=f"invalidation batch {batch.id}",
        rows=restored,
        details={"batch": batch.id},
    )
    db.session.commit()
    log.info("Invalidation batch %s restored: %s signatures", batch.id, restored)


def _restore_ids(batch: InvalidationBatch, ids: list[int]) -> int:
    """Confirmed again if they had been confirmed, else pending; counts added back."""
    mine = (
        Signature.id.in_(ids),
        Signature.invalidation_batch_id == batch.id,
        Signature.state == SignatureState.INVALIDATED,
    )
    options = {"synchronize_session": False}
    confirmed = db.session.execute(
        update(Signature)
        .where(*mine, Signature.confirmed_at.is_not(None))
        .values(state=SignatureState.CONFIRMED, invalidation_batch_id=None)
        .returning(Signature.country, Signature.confirmed_at),
        execution_options=options,
    ).all()
    pending = db.session.execute(
        update(Signature)
        .where(*mine, Signature.confirmed_at.is_(None))
        .values(state=SignatureState.PENDING, invalidation_batch_id=None)
        .returning(Signature.id),
        execution_options=options,
    ).all()
    by_country, by_hour = _groups(confirmed)
    if by_country:
        counting.add_many(db.session, batch.petition_id, by_country, by_hour)
    return len(confirmed) + len(pending)


# Batches and reports ----------------------------------------------------------------------


def get_batch(petition: Petition, batch_id: int) -> InvalidationBatch | None:
    batch = db.session.get(InvalidationBatch, batch_id)
    return batch if batch is not None and batch.petition_id == petition.id else None


def recent_batches(petition: Petition) -> list[InvalidationBatch]:
    return list(
        db.session.scalars(
            select(InvalidationBatch)
            .where(InvalidationBatch.petition_id == petition.id)
            .order_by(InvalidationBatch.id.desc())
            .limit(BATCHES_SHOWN)
        )
    )


def progress_of(batch: InvalidationBatch) -> tuple[int, int]:
    """(done, total) of the work the batch is doing now (invalidating or restoring)."""
    if batch.state in (BatchState.RESTORING, BatchState.RESTORED):
        return batch.done, max(batch.invalidated, batch.done)
    return batch.done, max(batch.expected, batch.done)


def is_busy(batch: InvalidationBatch) -> bool:
    return batch.state in (BatchState.QUEUED, BatchState.RUNNING, BatchState.RESTORING)


def busiest(petition: Petition, hours: int) -> Report:
    """The IP hashes and e-mail domains with most signatures in the last ``hours``."""
    since = utcnow() - timedelta(hours=hours)
    recent = (Signature.petition_id == petition.id, Signature.created_at >= since)
    n = func.count().label("n")
    ip_rows = db.session.execute(
        select(Signature.ip_hash, n)
        .where(*recent, Signature.ip_hash.is_not(None), Signature.ip_hash != "")
        .group_by(Signature.ip_hash)
        .order_by(n.desc(), Signature.ip_hash)
        .limit(REPORT_ROWS)
    ).all()
    domain = _domain_of(Signature.email_normalized).label("domain")
    domain_rows = db.session.execute(
        select(domain, n)
        .where(*recent, Signature.email_normalized.contains("@"))
        .group_by(domain)
        .order_by(n.desc(), domain)
        .limit(REPORT_ROWS)
    ).all()
    return Report(
        since=since,
        ip_hashes=[Busiest(value=str(value), count=int(count)) for value, count in ip_rows],
        domains=[Busiest(value=str(value), count=int(count)) for value, count in domain_rows],
    )


def _domain_of(column: Any) -> Any:
    if db.session.get_bind().dialect.name == "postgresql":
        return func.split_part(column, "@", 2)
    return func.substr(column, func.instr(column, "@") + 1)


def dot_insensitive_domains() -> list[str]:
    return str(current_app.config["DOT_INSENSITIVE_EMAIL_DOMAINS"]).split(",")
