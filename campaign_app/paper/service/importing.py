"""CSV imports: upload and preview, then "import" commits every good row or none.

The uploaded text waits between the two steps in the database (PaperImport: encrypted, any
node can answer the second step), never in the session cookie or on one node's disk. Both
steps read the same text with the same rules; the commit checks the text's SHA-256 and the
count the preview showed, so what is imported is what the organiser saw.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select, type_coerce
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.types import LargeBinary

from campaign_app.accounts.models import User
from campaign_app.countries import country_codes
from campaign_app.crypto import keyring, raw_reader
from campaign_app.db import utcnow
from campaign_app.errors import CampaignError
from campaign_app.extensions import db
from campaign_app.paper import csvfile
from campaign_app.paper.csvfile import FileRefused, LineError, PaperRow, ParsedFile
from campaign_app.paper.models import BatchKind, PaperBatch, PaperImport
from campaign_app.paper.service.entering import (
    BatchInput,
    check_petition,
    max_rows,
    new_batch,
)
from campaign_app.paper.service.rows import PaperSigner, insert_signers, record_batch
from campaign_app.petitions.models import Petition, Signature, SignatureSource, SignatureState

log = logging.getLogger(__name__)

_SEALED = b"paper_import.content"
PREVIEW_ROWS = 5
ERRORS_SHOWN = 200


class ImportGone(CampaignError):
    """The uploaded file is no longer kept (imported already, or expired): upload it again."""


class ImportFailed(CampaignError):
    """The database refused the import part-way: it was rolled back, nothing is imported."""


class ImportChanged(CampaignError):
    """What would be imported differs from what the preview showed."""

    def __init__(self, count: int) -> None:
        super().__init__(count)
        self.count = count


@dataclass(frozen=True)
class Duplicate:
    line: int
    # The earlier line of the same file, or 0: an earlier batch of the petition.
    same_as_line: int


@dataclass
class Preview:
    """What an import would do: the rows it takes, the duplicates, the lines refused."""

    encoding_name: str
    rows: list[PaperRow]
    duplicates: list[Duplicate] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)

    @property
    def new_rows(self) -> list[PaperRow]:
        duplicated = {d.line for d in self.duplicates}
        return [row for row in self.rows if row.line not in duplicated]

    def to_import(self, include_duplicates: bool) -> list[PaperRow]:
        return self.rows if include_duplicates else self.new_rows

    @property
    def sample(self) -> list[PaperRow]:
        return self.rows[:PREVIEW_ROWS]

    @property
    def errors_shown(self) -> list[LineError]:
        return self.errors[:ERRORS_SHOWN]


def _parse(text: str, encoding: str) -> ParsedFile:
    return csvfile.parse_text(text, encoding, max_rows=max_rows(), country_codes=country_codes())


def upload(petition: Petition, data: bytes, batch: BatchInput, user: User) -> PaperImport:
    """Read and keep an uploaded file for its preview. FileRefused says what is wrong with
    the whole file (encoding, columns, size); bad lines are the preview's business."""
    check_petition(petition)
    if len(data) > int(current_app.config["PAPER_IMPORT_MAX_BYTES"]):
        raise FileRefused(_too_large())
    text, encoding = csvfile.decode(data)
    _parse(text, encoding)  # refuses a file without the columns, or with too many rows
    _delete_expired()
    kept = PaperImport(
        petition_id=petition.id,
        created_by_id=user.id,
        encoding=encoding,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        content=keyring().encrypt(text, _SEALED),
        event=batch.event,
        place=batch.place,
        sheet_serials=batch.sheet_serials,
    )
    db.session.add(kept)
    db.session.commit()
    log.info("Paper import %s uploaded for petition %s", kept.id, petition.id)
    return kept


def _too_large() -> str:
    from flask_babel import gettext as _

    limit = int(current_app.config["PAPER_IMPORT_MAX_BYTES"]) // (1024 * 1024) or 1
    return str(_("The file is larger than %(size)s MB: split it into smaller files.", size=limit))


def _delete_expired() -> None:
    hours = int(current_app.config["PAPER_IMPORT_KEEP_HOURS"])
    db.session.execute(
        delete(PaperImport).where(PaperImport.created_at < utcnow() - timedelta(hours=hours))
    )


def get_import(petition: Petition, import_id: int, user: User) -> PaperImport:
    """The kept upload of this petition by this organiser, not expired; else ImportGone."""
    kept = db.session.get(PaperImport, import_id)
    hours = int(current_app.config["PAPER_IMPORT_KEEP_HOURS"])
    if (
        kept is None
        or kept.petition_id != petition.id
        or kept.created_by_id != user.id
        or kept.created_at < utcnow() - timedelta(hours=hours)
    ):
        raise ImportGone
    return kept


def _text_of(kept: PaperImport) -> str:
    text = keyring().decrypt(kept.content, _SEALED)
    if hashlib.sha256(text.encode("utf-8")).hexdigest() != kept.sha256:
        raise ImportGone  # not the text that was uploaded: never import it
    return text


def preview(petition: Petition, kept: PaperImport) -> Preview:
    """Read the kept file: its rows, its duplicates (in the file, and against the petition's
    paper and imported signatures), and its bad lines with their numbers."""
    parsed = _parse(_text_of(kept), kept.encoding)
    result = Preview(csvfile.encoding_name(kept.encoding), parsed.rows)
    result.errors = parsed.errors
    existing = _existing_keys(petition)
    first_line: dict[tuple[str, str, str, str], int] = {}
    for row in parsed.rows:
        key = row.key()
        if key in existing:
            result.duplicates.append(Duplicate(row.line, 0))
        elif key in first_line:
            result.duplicates.append(Duplicate(row.line, first_line[key]))
        else:
            first_line[key] = row.line
    return result


def _existing_keys(petition: Petition) -> set[tuple[str, str, str, str]]:
    """The folded names, city and country of the petition's confirmed paper and imported
    signatures with a name (decrypted here; counts-only rows have none)."""
    first = raw_reader(Signature.first_name)
    last = raw_reader(Signature.last_name)
    city = raw_reader(Signature.city)
    query = select(
        type_coerce(Signature.first_name, LargeBinary),
        type_coerce(Signature.last_name, LargeBinary),
        type_coerce(Signature.city, LargeBinary),
        Signature.country,
    ).where(
        Signature.petition_id == petition.id,
        Signature.source.in_((SignatureSource.PAPER, SignatureSource.IMPORT)),
        Signature.state == SignatureState.CONFIRMED,
        Signature.erased_at.is_(None),
        (Signature.first_name.is_not(None)) | (Signature.last_name.is_not(None)),
    )
    keys = set()
    for first_stored, last_stored, city_stored, country in db.session.execute(
        query.execution_options(yield_per=5_000)
    ):
        keys.add(
            (
                csvfile.fold(first(first_stored)),
                csvfile.fold(last(last_stored)),
                csvfile.fold(city(city_stored)),
                country,
            )
        )
    return keys


def commit_import(
    petition: Petition,
    kept: PaperImport,
    *,
    sha256: str,
    expected: int,
    include_duplicates: bool,
    user: User,
) -> PaperBatch:
    """Import the rows the preview showed, all in one transaction, or none.

    ImportGone if the kept file is not the one previewed; ImportChanged if the number of
    new (not duplicate) rows is not the ``expected`` one the preview showed (a batch entered
    or invalidated meanwhile changed which rows are duplicates). The file is the same (its
    SHA-256), so the same new rows mean the same duplicates too.
    """
    check_petition(petition)
    if sha256 != kept.sha256:
        raise ImportGone
    result = preview(petition, kept)
    if len(result.new_rows) != expected:
        raise ImportChanged(len(result.new_rows))
    rows = result.to_import(include_duplicates)
    data = BatchInput(kept.event, kept.place, "", kept.sheet_serials)
    import_id = kept.id
    try:
        batch = new_batch(petition, BatchKind.IMPORT, data, user)
        signers = (PaperSigner(r.first_name, r.last_name, r.city, r.country) for r in rows)
        insert_signers(petition, batch, signers, utcnow())
        batch.signatures = len(rows)
        db.session.delete(kept)
        record_batch("paper.batch_imported", petition, batch, len(rows), user)
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        log.exception("Paper import %s failed; nothing was imported", import_id)
        raise ImportFailed from None
    log.info("Paper import %s: %s rows on petition %s", batch.id, len(rows), petition.id)
    return batch


def cancel_import(petition: Petition, kept: PaperImport) -> None:
    """Delete the kept upload without importing it."""
    db.session.delete(kept)
    db.session.commit()
    log.info("Paper import %s cancelled on petition %s", kept.id, petition.id)
