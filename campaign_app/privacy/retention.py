"""Retention: anonymising a closed petition's signers, and the daily purge.

The work itself, run by the queue (``privacy.jobs``) and by ``flask privacy purge``; it
commits a batch at a time, so a million rows never hold one long write lock, and a run that
stops half-way is finished by the next one. Logs and audit events carry numbers only.
"""

from __future__ import annotations

import logging
from array import array
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import ColumnElement, and_, delete, func, not_, or_, select, update

from campaign_app.accounts.models import User
from campaign_app.audit import service as audit
from campaign_app.audit.models import AuditEvent
from campaign_app.db import utcnow
from campaign_app.errors import CampaignError
from campaign_app.extensions import db
from campaign_app.petitions.models import Petition, PetitionState, Signature, SignatureState
from campaign_app.privacy.erasure import SIGNATURES, chunks, erase, rowcount
from campaign_app.privacy.models import ErasureRequest

log = logging.getLogger(__name__)

PURGE_INTERVAL = timedelta(hours=24)
# An organiser's request to anonymise a petition is this audit event; its "state" detail
# says whether the job has started (the periodic re-queue looks for "queued" ones).
ANONYMISE_REQUESTED = "petition.anonymise_requested"
REQUEST_QUEUED, REQUEST_STARTED, REQUEST_DONE, REQUEST_REFUSED = (
    "queued",
    "started",
    "done",
    "petition not closed",
)
_CLOSED_STATES = (PetitionState.CLOSED, PetitionState.ARCHIVED)


class PetitionNotClosed(CampaignError):
    """Only a closed (or archived) petition's signers can be anonymised."""


@dataclass
class PurgeReport:
    """What a purge did (or, in a dry run, would do): numbers only."""

    petitions_anonymised: int = 0
    signatures_anonymised: int = 0
    unconfirmed_deleted: int = 0
    ip_hashes_cleared: int = 0
    erasure_requests_deleted: int = 0
    petition_ids: list[int] = field(default_factory=list)
    dry_run: bool = False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def is_closed(petition: Petition, moment: datetime | None = None) -> bool:
    """Closed by hand (closed/archived) or by its closing date."""
    return petition.public_state(moment or utcnow()) in {s.value for s in _CLOSED_STATES}


# Anonymising one petition -------------------------------------------------------------


def anonymise_petition(
    petition_id: int, *, actor: User | None = None, via: str = "job"
) -> tuple[int, int]:
    """Erase all signatures of a closed petition and mark it anonymised; counts stay.

    Commits after each batch; ``anonymised_at`` is set last, so a run that stops half-way
    is finished by the next one. Returns (rows blanked, unconfirmed rows deleted).
    """
    petition = db.session.get(Petition, petition_id)
    if petition is None or not is_closed(petition):
        raise PetitionNotClosed()
    if petition.anonymised_at is not None:
        return 0, 0
    blanked, deleted = _anonymise_rows(petition_id)
    # Conditional: of two runs (a job queued again while late), one records the outcome.
    finished = db.session.execute(
        update(Petition)
        .where(Petition.id == petition_id, Petition.anonymised_at.is_(None))
        .values(anonymised_at=utcnow())
        .returning(Petition.id),
        execution_options={"synchronize_session": False},
    ).first()
    if finished is None:
        db.session.rollback()
        return blanked, deleted
    audit.record(
        "petition.anonymised",
        actor=actor,
        via=via,
        campaign_id=petition.campaign_id,
        petition_id=petition_id,
        target=f"petition {petition_id}",
        rows=blanked,
        details={"signatures_anonymised": blanked, "unconfirmed_deleted": deleted},
    )
    db.session.commit()
    log.info("Petition %s anonymised: %s erased, %s deleted", petition_id, blanked, deleted)
    return blanked, deleted


def _ids_where(*conditions: ColumnElement[bool]) -> array[int]:
    """The matching signature ids, read once (8 bytes each: 8 MB for a million rows).

    Batches then go by these ids through the primary key; re-selecting "the next 1,000"
    would re-read and re-sort the petition's rows for every batch.
    """
    ids: array[int] = array("q")
    result = db.session.execute(
        select(SIGNATURES.c.id).where(*conditions).execution_options(yield_per=10_000)
    )
    for partition in result.scalars().partitions():
        ids.extend(partition)
    db.session.commit()  # end the reading transaction before the batches of writes
    return ids


def _anonymise_rows(petition_id: int) -> tuple[int, int]:
    """Erase every signature of the petition, a batch per commit."""
    blanked = deleted = 0
    ids = _ids_where(Signature.petition_id == petition_id, Signature.erased_at.is_(None))
    for chunk in chunks(ids):
        done, gone = erase(chunk)
        blanked, deleted = blanked + done, deleted + gone
        db.session.commit()
    return blanked, deleted


# The purge ----------------------------------------------------------------------------


def _due_for_anonymising(now: datetime) -> ColumnElement[bool]:
    """Closed more than ANONYMISE_AFTER_DAYS ago and not anonymised yet.

    A petition closed by hand has no closing time of its own: ``updated_at`` is never
    earlier than the change of state, so it errs on the side of waiting longer.
    """
    cutoff = now - timedelta(days=int(current_app.config["ANONYMISE_AFTER_DAYS"]))
    return and_(
        Petition.anonymised_at.is_(None),
        Petition.state != PetitionState.DRAFT,
        or_(
            Petition.closes_at < cutoff,
            and_(Petition.state.in_(_CLOSED_STATES), Petition.updated_at < cutoff),
        ),
    )


def petitions_due(now: datetime | None = None) -> list[int]:
    """Ids of the petitions the purge would anonymise now."""
    return list(
        db.session.scalars(
            select(Petition.id).where(_due_for_anonymising(now or utcnow())).order_by(Petition.id)
        )
    )


def _old_pending(petition_id: int, now: datetime) -> ColumnElement[bool]:
    cutoff = now - timedelta(days=int(current_app.config["UNCONFIRMED_RETENTION_DAYS"]))
    return and_(
        Signature.petition_id == petition_id,
        Signature.state == SignatureState.PENDING,
        Signature.created_at < cutoff,
    )


def _old_ip_hash(petition_id: int, now: datetime) -> ColumnElement[bool]:
    cutoff = now - timedelta(days=int(current_app.config["IP_HASH_RETENTION_DAYS"]))
    # (petition_id, created_at) is indexed: each petition is a range scan.
    return and_(
        Signature.petition_id == petition_id,
        Signature.created_at < cutoff,
        Signature.ip_hash.is_not(None),
    )


def _count(*conditions: ColumnElement[bool]) -> int:
    return int(db.session.scalar(select(func.count(Signature.id)).where(*conditions)) or 0)


def _apply_in_batches(conditions: ColumnElement[bool], *, clear_ip: bool) -> int:
    """Delete (or clear the IP hash of) the matching signatures, a batch per commit."""
    done = 0
    for chunk in chunks(_ids_where(conditions)):
        ids = list(chunk)
        statement: Any = (
            update(Signature)
            .where(Signature.id.in_(ids), Signature.ip_hash.is_not(None))
            .values(ip_hash=None)
            if clear_ip
            else delete(Signature).where(
                Signature.id.in_(ids), Signature.state == SignatureState.PENDING
            )
        )
        done += rowcount(db.session.execute(statement.execution_options(synchronize_session=False)))
        db.session.commit()
    return done


def purge(
    *,
    dry_run: bool = False,
    via: str = "cli",
    progress: Any = None,
) -> PurgeReport:
    """Apply the retention rules: delete old unconfirmed signatures, anonymise petitions
    closed long ago, clear old IP hashes, drop expired erasure requests.

    ``dry_run`` counts what would happen and changes nothing. ``progress`` (optional) is
    called with (step done, steps in all). One "privacy.purge" audit event, numbers only:
    recorded when the run starts and filled in when it ends.
    """
    now = utcnow()
    report = PurgeReport(dry_run=dry_run)
    event_id = None
    if not dry_run:
        # Recorded first (and filled in at the end), so that a run taking longer than a
        # minute is not started again by the worker's next check (purge_ran_recently).
        event_id = audit.record(
            "privacy.purge", via=via, target="retention purge", details={"running": True}
        ).id
        db.session.commit()
    petition_ids = list(db.session.scalars(select(Petition.id).order_by(Petition.id)))
    due = petitions_due(now)
    report.petition_ids = due
    report.petitions_anonymised = len(due)
    steps = 2 * len(petition_ids) + len(due) + 1
    step = 0

    def tick() -> None:
        nonlocal step
        step += 1
        if progress is not None:
            progress(step, steps)

    # (b) unconfirmed signatures past retention: they never counted.
    for petition_id in petition_ids:
        old_pending = _old_pending(petition_id, now)
        if dry_run:
            report.unconfirmed_deleted += _count(old_pending)
        else:
            report.unconfirmed_deleted += _apply_in_batches(old_pending, clear_ip=False)
        tick()
    # (a) petitions closed long ago: erase every signature (pending ones are deleted).
    for petition_id in due:
        if dry_run:
            rest = and_(Signature.petition_id == petition_id, Signature.erased_at.is_(None))
            pending = Signature.state == SignatureState.PENDING
            remaining_pending = and_(pending, not_(_old_pending(petition_id, now)))
            report.signatures_anonymised += _count(rest, not_(pending))
            report.unconfirmed_deleted += _count(rest, remaining_pending)
        else:
            blanked, deleted = _anonymise_rows(petition_id)
            report.signatures_anonymised += blanked
            report.unconfirmed_deleted += deleted
            db.session.execute(
                update(Petition)
                .where(Petition.id == petition_id)
                .values(anonymised_at=now)
                .execution_options(synchronize_session=False)
            )
            db.session.commit()
        tick()
    # (c) IP hashes past retention (anonymised petitions have none left).
    for petition_id in petition_ids:
        if petition_id in due and dry_run:
            tick()
            continue
        old_ip = _old_ip_hash(petition_id, now)
        if dry_run:
            report.ip_hashes_cleared += _count(old_ip, not_(_old_pending(petition_id, now)))
        else:
            report.ip_hashes_cleared += _apply_in_batches(old_ip, clear_ip=True)
        tick()
    # Expired erasure requests hold an address: drop them.
    expired = ErasureRequest.expires_at <= now
    if dry_run:
        report.erasure_requests_deleted = int(
            db.session.scalar(select(func.count(ErasureRequest.id)).where(expired)) or 0
        )
    else:
        report.erasure_requests_deleted = rowcount(
            db.session.execute(
                delete(ErasureRequest).where(expired).execution_options(synchronize_session=False)
            )
        )
        details = report.as_dict()
        details.pop("dry_run")
        event = db.session.get_one(AuditEvent, event_id)
        event.details = details
        db.session.commit()
        db.session.expire_all()
        log.info(
            "Purge: %s petition(s) anonymised, %s signature(s) erased, %s unconfirmed "
            "deleted, %s IP hash(es) cleared",
            report.petitions_anonymised,
            report.signatures_anonymised,
            report.unconfirmed_deleted,
            report.ip_hashes_cleared,
        )
    tick()
    return report


def purge_ran_recently(now: datetime | None = None) -> bool:
    """Whether a purge was recorded in the last 24 hours (one indexed lookup)."""
    since = (now or utcnow()) - PURGE_INTERVAL
    found = db.session.scalar(
        select(AuditEvent.id)
        .where(AuditEvent.action == "privacy.purge", AuditEvent.at > since)
        .limit(1)
    )
    return found is not None
