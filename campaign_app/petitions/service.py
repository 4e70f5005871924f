"""Petition use cases: signing, confirming, resending, counting, recounting.

Each public function is one use case and commits at most once. Logs carry ids only.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any, cast

from flask import current_app
from sqlalchemy import Select, Table, bindparam, or_, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import contains_eager

from campaign_app.campaigns.models import Campaign, CampaignState
from campaign_app.db import utcnow
from campaign_app.errors import CampaignError
from campaign_app.extensions import db
from campaign_app.petitions import counting
from campaign_app.petitions.blind_index import domain_hash, domain_of, email_hash
from campaign_app.petitions.counting import Counts
from campaign_app.petitions.models import (
    Petition,
    PetitionState,
    PublicDisplay,
    Signature,
    SignatureSource,
    SignatureState,
    accepts_signatures,
)
from campaign_app.petitions.normalize import ParsedEmail, mailbox_of
from campaign_app.petitions.texts import petition_text
from campaign_app.petitions.tokens import InvalidToken, signature_id_from

log = logging.getLogger(__name__)

# Petitions and prisoners of draft or archived campaigns are not public.
PUBLIC_CAMPAIGN_STATES = (CampaignState.OPEN, CampaignState.CLOSED)


class PetitionNotOpen(CampaignError):
    """The petition does not accept signatures now (not yet open, or closed)."""


@dataclass(frozen=True)
class SignatureInput:
    """What a supporter typed into the signing form, already shape-checked."""

    first_name: str
    last_name: str
    email: ParsedEmail  # the form checked its syntax, once per request
    country: str
    city: str
    display: PublicDisplay
    locale: str
    # The signer ticked "send me news": the version of the wording they agreed to.
    news_consent_version: str | None = None


@dataclass(frozen=True)
class Client:
    """What we keep about the request a signature came from."""

    ip_hash: str | None


@dataclass(frozen=True)
class SigningWindow:
    """The little the signing path needs to know about a petition (no ORM load)."""

    petition_id: int
    state: PetitionState
    opens_at: datetime
    closes_at: datetime | None

    def is_open_at(self, moment: datetime) -> bool:
        return accepts_signatures(self.state, self.opens_at, self.closes_at, moment)


@dataclass(frozen=True)
class Confirmation:
    """A confirmation link opened: the petition it counts on, whether it counted now, and
    the petition's confirmed signatures in all, this one included."""

    petition_id: int
    is_new: bool
    total: int


# Queries ------------------------------------------------------------------------------


# Prebuilt with a bound parameter (building a statement per request cost more than running
# it); the campaign comes with the petition, as every page shows something of it. Each
# statement here is built on first use, not at import: building this one configures every
# mapper, which a command like `flask --help` never needs.
@cache
def _public_petition() -> Select[Any]:
    return (
        select(Petition)
        .join(Petition.campaign)
        .options(contains_eager(Petition.campaign))
        .where(
            Petition.slug == bindparam("slug"),
            Petition.state != PetitionState.DRAFT,
            # Two plain compares rather than IN: an IN list is expanded again on every execution.
            Campaign.state != CampaignState.DRAFT,
            Campaign.state != CampaignState.ARCHIVED,
        )
    )


def get_public_petition(slug: str) -> Petition | None:
    """A petition anyone may see: not a draft, in a campaign that is neither draft nor archived."""
    petition: Petition | None = db.session.scalar(_public_petition(), {"slug": slug})
    return petition


_PETITION_TABLE = cast(Table, Petition.__table__)
_CAMPAIGN_TABLE = cast(Table, Campaign.__table__)


# Prebuilt with a bound parameter: building the statement per request cost more than running it.
@cache
def _signing_window() -> Select[Any]:
    return select(
        _PETITION_TABLE.c.id,
        _PETITION_TABLE.c.state,
        _PETITION_TABLE.c.opens_at,
        _PETITION_TABLE.c.closes_at,
    ).where(
        _PETITION_TABLE.c.slug == bindparam("slug"),
        _PETITION_TABLE.c.state != PetitionState.DRAFT,
        _PETITION_TABLE.c.campaign_id == _CAMPAIGN_TABLE.c.id,
        # Two plain compares rather than IN: an IN list is expanded again on every execution.
        _CAMPAIGN_TABLE.c.state != CampaignState.DRAFT,
        _CAMPAIGN_TABLE.c.state != CampaignState.ARCHIVED,
    )


def get_signing_window(slug: str) -> SigningWindow | None:
    """Id, state and dates of a public petition, read as plain columns (the hot path)."""
    # On the session's connection: a Core statement needs none of the ORM's execution path.
    row = db.session.connection().execute(_signing_window(), {"slug": slug}).first()
    return None if row is None else SigningWindow(*row)


def list_public_petitions(campaign_id: int | None = None) -> list[Petition]:
    """Open petitions first, then closed ones, newest first; no drafts or archived ones.

    With ``campaign_id``, only that campaign's (the petitions a prisoner's page links to).
    """
    states = [PetitionState.OPEN, PetitionState.CLOSED]
    query = (
        select(Petition)
        .join(Campaign)
        .where(Petition.state.in_(states), Campaign.state.in_(PUBLIC_CAMPAIGN_STATES))
        .order_by(Petition.opens_at.desc())
    )
    if campaign_id is not None:
        query = query.where(Petition.campaign_id == campaign_id)
    return sorted(db.session.scalars(query), key=lambda p: p.state is not PetitionState.OPEN)


def petition_titles(petition_ids: list[int], locale: str) -> dict[int, str]:
    """The titles of these petitions as a reader of ``locale`` reads them."""
    if not petition_ids:
        return {}
    petitions = db.session.scalars(select(Petition).where(Petition.id.in_(petition_ids)))
    return {petition.id: petition_text(petition, locale).title for petition in petitions}


def get_counts(petition: Petition) -> Counts:
    """Confirmed signatures in total and by country, from the counter shards."""
    return counting.read_counts(db.session, petition.id)


# Use cases ----------------------------------------------------------------------------


# Built once: a Core INSERT .. RETURNING on the table, so the hot path skips the ORM's
# per-call statement building (it cost more than the insert itself).
_SIGNATURE_TABLE = cast(Table, Signature.__table__)


@cache
def _insert_signature() -> Any:
    return _SIGNATURE_TABLE.insert().returning(_SIGNATURE_TABLE.c.id)


def sign(window: SigningWindow, data: SignatureInput, client: Client) -> None:
    """Record a pending signature, its confirmation e-mail due in the same INSERT.

    Signing again with the same normalised address never adds a row: it re-sends the
    e-mail (confirmation link, or "you have already signed") at most once per
    CONFIRM_RESEND_INTERVAL, and the caller cannot tell which case happened.
    """
    now = utcnow()
    if not window.is_open_at(now):
        raise PetitionNotOpen()
    petition_id = window.petition_id
    email = data.email.address
    email_normalized = mailbox_of(data.email, _dot_insensitive_domains())
    address_hash = email_hash(email_normalized)
    row = {
        "petition_id": petition_id,
        # Encrypted by the columns' type; only the keyed hashes are comparable.
        "first_name": data.first_name,
        "last_name": data.last_name,
        "email": email,
        "email_hash": address_hash,
        "email_domain_hash": domain_hash(domain_of(email_normalized)),
        "country": data.country,
        "city": data.city,
        "display": data.display,
        "state": SignatureState.PENDING,
        "locale": data.locale,
        "ip_hash": client.ip_hash,
        "created_at": now,
        "confirmation_sent_at": now,
        # The outbox: a dispatcher sends it (petitions.outbox); no queue on the request path.
        "mail_due_at": now,
        # Kept only from the first signing: signing again with someone's address must not
        # subscribe them (the confirmation e-mail proved the address, once).
        "news_consent_at": now if data.news_consent_version else None,
        "news_consent_version": data.news_consent_version,
    }
    try:
        connection = db.session.connection()
        signature_id: int | None = connection.execute(_insert_signature(), row).scalar_one()
        db.session.commit()
        log.info("Signature %s pending on petition %s", signature_id, petition_id)
    except IntegrityError:
        # Same mailbox already signed (possibly a concurrent request a moment ago).
        db.session.rollback()
        signature_id = _claim_resend(petition_id, address_hash, now)
        if signature_id is not None:
            log.info("Signature %s signed again; e-mail due again", signature_id)


def _claim_resend(petition_id: int, address_hash: str, now: datetime) -> int | None:
    """Atomically take the right to re-send and make the e-mail due; None if asked for too
    recently (or withdrawn)."""
    interval = timedelta(seconds=current_app.config["CONFIRM_RESEND_INTERVAL"])
    signature_id = db.session.execute(
        update(Signature)
        .where(
            Signature.petition_id == petition_id,
            Signature.email_hash == address_hash,
            Signature.state != SignatureState.INVALIDATED,
            or_(
                Signature.confirmation_sent_at.is_(None),
                Signature.confirmation_sent_at <= now - interval,
            ),
        )
        .values(confirmation_sent_at=now, mail_due_at=now)
        .returning(Signature.id)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    db.session.commit()
    return signature_id


# The signature with what confirming needs of its petition, in one prebuilt query; a
# petition that is not public (draft, or its campaign draft or archived) finds nothing.
@cache
def _signature_to_confirm() -> Select[Any]:
    return select(
        _SIGNATURE_TABLE.c.state,
        _PETITION_TABLE.c.id,
        _PETITION_TABLE.c.state,
        _PETITION_TABLE.c.opens_at,
        _PETITION_TABLE.c.closes_at,
    ).where(
        _SIGNATURE_TABLE.c.id == bindparam("signature_id"),
        _PETITION_TABLE.c.id == _SIGNATURE_TABLE.c.petition_id,
        _PETITION_TABLE.c.slug == bindparam("slug"),
        _PETITION_TABLE.c.state != PetitionState.DRAFT,
        _PETITION_TABLE.c.campaign_id == _CAMPAIGN_TABLE.c.id,
        _CAMPAIGN_TABLE.c.state != CampaignState.DRAFT,
        _CAMPAIGN_TABLE.c.state != CampaignState.ARCHIVED,
    )


# The WHERE on state makes concurrent clicks (scanner + person) count once.
@cache
def _confirm_pending() -> Any:
    return (
        update(_SIGNATURE_TABLE)
        .where(
            _SIGNATURE_TABLE.c.id == bindparam("signature_id"),
            _SIGNATURE_TABLE.c.state == SignatureState.PENDING,
        )
        .values(state=SignatureState.CONFIRMED, confirmed_at=bindparam("now"))
        .returning(_SIGNATURE_TABLE.c.country)
    )


def confirm(slug: str, token: str) -> Confirmation:
    """Confirm the signature named by ``token``; opening the link twice is harmless.

    Raises InvalidToken (damaged, unknown, withdrawn, or not this public petition's),
    ExpiredToken, or PetitionNotOpen (closed before the link was opened).
    """
    signature_id = signature_id_from(token)
    # Core statements on the session's connection: the ORM's execution layer has nothing to
    # do for them and cost as much as the statements.
    connection = db.session.connection()
    row = connection.execute(
        _signature_to_confirm(), {"signature_id": signature_id, "slug": slug}
    ).first()
    if row is None:
        raise InvalidToken()
    state, petition_id, petition_state, opens_at, closes_at = row
    if state == SignatureState.CONFIRMED:
        return Confirmation(petition_id, False, counting.read_total(connection, petition_id))
    if state == SignatureState.INVALIDATED:
        raise InvalidToken()
    now = utcnow()
    if not accepts_signatures(petition_state, opens_at, closes_at, now):
        raise PetitionNotOpen()
    country = connection.execute(
        _confirm_pending(), {"signature_id": signature_id, "now": now}
    ).scalar_one_or_none()
    if country is not None:
        counting.add_to_count(
            connection, petition_id, country, current_app.config["COUNTER_SHARDS"], confirmed_at=now
        )
    # The total the page shows, read in the same transaction (after this signature's count;
    # a second transaction after the commit cost PostgreSQL three more round trips).
    total = counting.read_total(connection, petition_id)
    db.session.commit()
    if country is not None:
        log.info("Signature %s confirmed on petition %s", signature_id, petition_id)
    return Confirmation(petition_id, is_new=country is not None, total=total)


def resend_confirmation(slug: str, token: str) -> None:
    """Send a fresh link for an expired one (rate-limited like signing again)."""
    signature_id = signature_id_from(token, allow_expired=True)
    signature = db.session.get(Signature, signature_id)
    if signature is None or signature.petition.slug != slug:
        raise InvalidToken()
    if signature.state is not SignatureState.PENDING:
        return
    _claim_resend(signature.petition_id, signature.email_hash, utcnow())


def recount(petition: Petition, *, fix: bool) -> dict[str, int]:
    """Compare the counter with the signature rows; with ``fix``, make them agree.

    Returns the drift per source and country (rows minus counter; keys as
    ``counting.drift_label`` names them: "NL" online, "paper:NL" on paper). Both reads come
    from one consistent snapshot (see ``counting.begin_consistent_snapshot``), so the fix
    never loses a signature that was confirmed meanwhile.
    """
    petition_id = petition.id
    # Isolation can only be chosen when a transaction begins: end the one loading the petition.
    db.session.commit()
    for attempt in range(10):
        try:
            counting.begin_consistent_snapshot(db.session)
            counted = counting.read_counts(db.session, petition_id)
            actual = counting.count_rows(db.session, petition_id)
            cells = counting.cell_drift(counted, actual)
            if fix:
                for source, country in cells:
                    counting.reset_country(
                        db.session,
                        petition_id,
                        country,
                        actual.cells.get((source, country), 0),
                        SignatureSource(source),
                    )
                hours = counting.hourly_from_rows(db.session, petition_id)
                if hours != counting.read_hourly(db.session, petition_id):
                    log.info("Recount of petition %s rebuilt the hourly counts", petition_id)
                    counting.reset_hourly(db.session, petition_id, hours)
            db.session.commit()
            return {counting.drift_label(*cell): d for cell, d in cells.items()}
        except (OperationalError, IntegrityError):
            db.session.rollback()
            log.info("Recount of petition %s raced a confirmation; retry %s", petition_id, attempt)
    raise CampaignError("The recount kept racing with new signatures; try again later.")


def _dot_insensitive_domains() -> list[str]:
    return str(current_app.config["DOT_INSENSITIVE_EMAIL_DOMAINS"]).split(",")
