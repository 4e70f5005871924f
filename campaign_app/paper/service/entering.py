"""Entering a paper batch: as a count of signatures, or row by row from the sheets."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from flask import current_app

from campaign_app.accounts.models import User
from campaign_app.db import utcnow
from campaign_app.errors import CampaignError
from campaign_app.extensions import db
from campaign_app.paper.models import BatchKind, PaperBatch
from campaign_app.paper.service.rows import PaperSigner, insert_signers, record_batch
from campaign_app.petitions.models import Petition

log = logging.getLogger(__name__)


class PetitionAnonymised(CampaignError):
    """The petition's signers were anonymised: no names may be added to it any more."""


class TooManySignatures(CampaignError):
    """More signatures than PAPER_IMPORT_MAX_ROWS at once."""

    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


@dataclass(frozen=True)
class BatchInput:
    """Where and when the sheets were signed, as the organiser typed it."""

    event: str
    place: str
    country: str
    sheet_serials: str


def max_rows() -> int:
    return int(current_app.config["PAPER_IMPORT_MAX_ROWS"])


def check_petition(petition: Petition) -> None:
    if petition.anonymised_at is not None:
        raise PetitionAnonymised


def new_batch(petition: Petition, kind: BatchKind, data: BatchInput, user: User) -> PaperBatch:
    """A batch row, flushed (its id is needed by the signature rows)."""
    batch = PaperBatch(
        petition_id=petition.id,
        kind=kind,
        event=data.event,
        place=data.place,
        country=data.country,
        sheet_serials=data.sheet_serials,
        entered_by_id=user.id,
    )
    db.session.add(batch)
    db.session.flush()
    return batch


def enter_counts(petition: Petition, data: BatchInput, signatures: int, user: User) -> PaperBatch:
    """A batch of ``signatures`` nameless rows in the batch's country."""
    check_petition(petition)
    if signatures > max_rows():
        raise TooManySignatures(max_rows())
    now = utcnow()
    batch = new_batch(petition, BatchKind.COUNTS, data, user)
    signer = PaperSigner("", "", "", data.country)
    insert_signers(petition, batch, (signer for _ in range(signatures)), now)
    batch.signatures = signatures
    record_batch("paper.batch_entered", petition, batch, signatures, user)
    db.session.commit()
    log.info(
        "Paper batch %s: %s signatures counted on petition %s", batch.id, signatures, petition.id
    )
    return batch


def enter_rows(
    petition: Petition, data: BatchInput, signers: Sequence[PaperSigner], user: User
) -> PaperBatch:
    """A batch of the signers typed in from the sheets (a country left blank: the batch's)."""
    check_petition(petition)
    if len(signers) > max_rows():
        raise TooManySignatures(max_rows())
    if not signers:
        raise NoRows
    now = utcnow()
    batch = new_batch(petition, BatchKind.ROWS, data, user)
    insert_signers(petition, batch, signers, now)
    batch.signatures = len(signers)
    record_batch("paper.batch_entered", petition, batch, len(signers), user)
    db.session.commit()
    log.info("Paper batch %s: %s rows entered on petition %s", batch.id, len(signers), petition.id)
    return batch


class NoRows(CampaignError):
    """No row of the form holds a signature."""
