"""Privacy use cases: erase a signer everywhere, signers' e-mailed erasure requests,
anonymising closed petitions and the retention purge.

"Erase" means one thing everywhere (``erase``): names, e-mail, city and IP hash are blanked
and ``erased_at`` is set, while state, country and confirmation time stay, so every count
(total, by country, by hour) is unchanged and no export or public list shows the row.
Unconfirmed signatures never counted: erasing one deletes it. Logs and the audit log carry
ids and counts only, never an address or a name.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import typing
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import (
    ColumnElement,
    String,
    Table,
    and_,
    cast,
    delete,
    func,
    literal,
    not_,
    or_,
    select,
    update,
)

from campaign_app.accounts.models import User
from campaign_app.audit import service as audit
from campaign_app.audit.models import AuditEvent
from campaign_app.db import utcnow
from campaign_app.errors import CampaignError
from campaign_app.extensions import db
from campaign_app.petitions.models import Petition, PetitionState, Signature, SignatureState
from campaign_app.petitions.normalize import InvalidEmail, normalize_email
from campaign_app.privacy.models import ErasureRequest

log = logging.getLogger(__name__)

BATCH_SIZE = 1_000
# Petition ids looked up per statement: each lookup is one probe of the unique index
# (petition_id, email_normalized); the table is never scanned for an address.
_PETITIONS_PER_LOOKUP = 500
PURGE_INTERVAL = timedelta(hours=24)
_SIGNATURES = typing.cast(Table, Signature.__table__)
_CLOSED_STATES = (PetitionState.CLOSED, PetitionState.ARCHIVED)


class InvalidEmailAddress(CampaignError):
    """The e-mail address is not valid."""


class ErasureLinkInvalid(CampaignError):
    """The erasure link is unknown or was already used."""


class ErasureLinkExpired(CampaignError):
    """The erasure link is older than ERASURE_LINK_MAX_AGE."""


class PetitionNotClosed(CampaignError):
    """Only a closed (or archived) petition's signers can be anonymised."""


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


# Erasing ------------------------------------------------------------------------------


def _chunks(ids: Sequence[int], size: int = BATCH_SIZE) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def erase(signature_ids: Sequence[int], now: datetime | None = None) -> tuple[int, int]:
    """Erase these signatures in batched statements; flushes only, the caller commits.

    Returns (rows blanked, unconfirmed rows deleted). Blanked rows keep state, country and
    confirmation time (so counts stay true); ``email_normalized`` becomes "erased:<id>",
    which keeps the unique index and lets the same person sign again later.
    """
    now = now or utcnow()
    blanked = deleted = 0
    table = _SIGNATURES
    # Core statements on the table: the ORM's bulk-update bookkeeping cost more than the SQL.
    for chunk in _chunks(list(signature_ids)):
        deleted += _rowcount(
            db.session.execute(
                table.delete().where(
                    table.c.id.in_(chunk), table.c.state == SignatureState.PENDING.value
                )
            )
        )
        blanked += _rowcount(
            db.session.execute(
                table.update()
                .where(table.c.id.in_(chunk), table.c.erased_at.is_(None))
                .values(
                    first_name="",
                    last_name="",
                    email="",
                    city="",
                    ip_hash=None,
                    email_normalized=literal("erased:", String) + cast(table.c.id, String),
                    erased_at=now,
                )
            )
        )
    return blanked, deleted


def _rowcount(result: Any) -> int:
    return max(int(getattr(result, "rowcount", 0) or 0), 0)


def normalized_address(email: str) -> str:
    """The comparable form of an address, as signing stores it."""
    domains = str(current_app.config["DOT_INSENSITIVE_EMAIL_DOMAINS"]).split(",")
    try:
        return normalize_email(email, domains)[1]
    except InvalidEmail:
        raise InvalidEmailAddress() from None


def find_signatures(email_normalized: str) -> list[PetitionMatch]:
    """Every petition holding a signature under this normalised address, by petition id."""
    petitions = db.session.execute(
        select(Petition.id, Petition.campaign_id, Petition.title).order_by(Petition.id)
    ).all()
    by_petition: dict[int, list[int]] = {}
    for start in range(0, len(petitions), _PETITIONS_PER_LOOKUP):
        ids = [row.id for row in petitions[start : start + _PETITIONS_PER_LOOKUP]]
        rows = db.session.execute(
            select(Signature.petition_id, Signature.id).where(
                Signature.petition_id.in_(ids), Signature.email_normalized == email_normalized
            )
        ).all()
        for petition_id, signature_id in rows:
            by_petition.setdefault(petition_id, []).append(signature_id)
    return [
        PetitionMatch(row.id, row.campaign_id, row.title, tuple(by_petition[row.id]))
        for row in petitions
        if row.id in by_petition
    ]


def erase_signer(email: str, *, actor: User | None = None, via: str = "web") -> ErasureResult:
    """Erase every signature of this address on every petition (an organiser's request)."""
    return _erase_matches(find_signatures(normalized_address(email)), actor=actor, via=via)


def _erase_matches(matches: list[PetitionMatch], *, actor: User | None, via: str) -> ErasureResult:
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


# Signers' own requests ------------------------------------------------------------------


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def request_erasure(email: str) -> int | None:
    """Record an "erase me" request if this address signed anything; return its id.

    None when nothing is held under the address, or when a link was asked for within
    CONFIRM_RESEND_INTERVAL (so nobody can flood a mailbox). The caller answers the same
    in every case. The token is made and mailed by ``privacy.mail.send_erasure_link``.
    """
    normalized = normalized_address(email)
    if not find_signatures(normalized):
        return None
    now = utcnow()
    interval = timedelta(seconds=int(current_app.config["CONFIRM_RESEND_INTERVAL"]))
    recent = db.session.scalar(
        select(ErasureRequest.id)
        .where(
            ErasureRequest.email_normalized == normalized,
            ErasureRequest.created_at > now - interval,
        )
        .limit(1)
    )
    if recent is not None:
        log.info("Erasure request %s is recent; no new link mailed", recent)
        return None
    request = ErasureRequest(
        # Replaced by the mail job's token: until then no link works.
        token_hash=_hash_token(secrets.token_urlsafe(32)),
        email_normalized=normalized,
        created_at=now,
        expires_at=now + timedelta(seconds=int(current_app.config["ERASURE_LINK_MAX_AGE"])),
    )
    db.session.add(request)
    db.session.commit()
    log.info("Erasure request %s recorded", request.id)
    return request.id


def new_link_token(request: ErasureRequest) -> str:
    """A fresh random token for the request's link; only its SHA-256 is kept (commits)."""
    token = secrets.token_urlsafe(32)
    request.token_hash = _hash_token(token)
    db.session.commit()
    return token


def mark_link_sent(request: ErasureRequest) -> None:
    request.mail_sent_at = utcnow()
    db.session.commit()


def erasure_request_for(token: str) -> ErasureRequest:
    """The live request behind a link's token, or ErasureLinkInvalid/ErasureLinkExpired."""
    if not token or len(token) > 100:
        raise ErasureLinkInvalid()
    request = db.session.scalar(
        select(ErasureRequest).where(ErasureRequest.token_hash == _hash_token(token))
    )
    if request is None:
        raise ErasureLinkInvalid()
    if request.expires_at <= utcnow():
        raise ErasureLinkExpired()
    return request


def matches_for(request: ErasureRequest) -> list[PetitionMatch]:
    return find_signatures(request.email_normalized)


def confirm_erasure(token: str) -> ErasureResult:
    """Carry out a signer's request (POST only): erase, then forget the request."""
    request = erasure_request_for(token)
    matches = find_signatures(request.email_normalized)
    db.session.execute(
        delete(ErasureRequest)
        .where(ErasureRequest.email_normalized == request.email_normalized)
        .execution_options(synchronize_session=False)
    )
    return _erase_matches(matches, actor=None, via="signer")


# Anonymising and retention ------------------------------------------------------------


def is_closed(petition: Petition, moment: datetime | None = None) -> bool:
    """Closed by hand (closed/archived) or by its closing date."""
    return petition.public_state(moment or utcnow()) in {s.value for s in _CLOSED_STATES}


def anonymise_petition(
    petition_id: int, *, actor: User | None = None, via: str = "job"
) -> tuple[int, int]:
    """Erase all signatures of a closed petition and mark it anonymised; counts stay.

    Commits after each batch, so a million rows never hold one long write lock; a run that
    stops half-way is finished by the next one (anonymised_at is set last). Returns (rows
    blanked, unconfirmed rows deleted).
    """
    petition = db.session.get(Petition, petition_id)
    if petition is None or not is_closed(petition):
        raise PetitionNotClosed()
    if petition.anonymised_at is not None:
        return 0, 0
    blanked, deleted = _anonymise_rows(petition_id)
    petition.anonymised_at = utcnow()
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
        select(_SIGNATURES.c.id).where(*conditions).execution_options(yield_per=10_000)
    )
    for partition in result.scalars().partitions():
        ids.extend(partition)
    db.session.commit()  # end the reading transaction before the batches of writes
    return ids


def _anonymise_rows(petition_id: int) -> tuple[int, int]:
    """Erase every signature of the petition, a batch per commit."""
    blanked = deleted = 0
    ids = _ids_where(Signature.petition_id == petition_id, Signature.erased_at.is_(None))
    for chunk in _chunks(ids):
        done, gone = erase(chunk)
        blanked, deleted = blanked + done, deleted + gone
        db.session.commit()
    return blanked, deleted


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
    for chunk in _chunks(_ids_where(conditions)):
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
        done += _rowcount(
            db.session.execute(statement.execution_options(synchronize_session=False))
        )
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
        report.erasure_requests_deleted = _rowcount(
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
