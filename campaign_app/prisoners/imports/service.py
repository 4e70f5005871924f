"""Imports of prisoner lists: keep the upload, preview its plan, commit it all or nothing.

The uploaded file is a row (PrisonerImport) between the preview and the commit, so that any
node serves either step. The commit re-reads the file and re-plans against the database as it
is then; every change carries the import's source.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select

from campaign_app.accounts.models import User
from campaign_app.audit.service import record
from campaign_app.campaigns.models import Campaign
from campaign_app.db import utcnow
from campaign_app.errors import CampaignError
from campaign_app.extensions import db
from campaign_app.institutions.models import Institution
from campaign_app.institutions.service import apply_institution
from campaign_app.prisoners.imports.csvfile import FileRefused, read_table
from campaign_app.prisoners.imports.entries import InstitutionEntry, Plan, PrisonerEntry
from campaign_app.prisoners.imports.models import PrisonerImport
from campaign_app.prisoners.imports.plan import build_plan
from campaign_app.prisoners.models import Prisoner, PrisonerStatus, PrisonerTransfer

log = logging.getLogger(__name__)

KEEP_UPLOADS = timedelta(days=1)

__all__ = ["FileRefused", "ImportRefused", "commit_import", "plan_file", "save_upload"]


class ImportRefused(CampaignError):
    """The import cannot be committed: errors in the file, or possible duplicates not
    confirmed as different people. ``plan`` says which."""

    def __init__(self, plan: Plan, reason: str) -> None:
        super().__init__(reason)
        self.plan = plan
        self.reason = reason


@dataclass(frozen=True)
class Committed:
    summary: dict[str, int]


def plan_file(campaign: Campaign, content: bytes, source: str) -> Plan:
    """The plan of ``content`` against the database (raises FileRefused); stores nothing."""
    return build_plan(campaign, read_table(content), source)


def save_upload(
    campaign: Campaign, file_name: str, content: bytes, source: str, user: User | None
) -> PrisonerImport:
    """Keep an uploaded file for its preview and commit (commits); raises FileRefused without
    storing anything when the file cannot be read as a list. Uploads never imported are
    deleted after a day."""
    read_table(content)
    db.session.execute(
        delete(PrisonerImport).where(
            PrisonerImport.committed_at.is_(None),
            PrisonerImport.created_at < utcnow() - KEEP_UPLOADS,
        )
    )
    upload = PrisonerImport(
        campaign_id=campaign.id,
        file_name=file_name[:200],
        source=source,
        content=content,
        created_by_id=user.id if user is not None else None,
    )
    db.session.add(upload)
    db.session.commit()
    return upload


def get_upload(campaign: Campaign, import_id: int) -> PrisonerImport | None:
    """An upload of ``campaign`` (committed ones have no content left)."""
    return db.session.scalar(
        select(PrisonerImport).where(
            PrisonerImport.id == import_id, PrisonerImport.campaign_id == campaign.id
        )
    )


def commit_import(
    campaign: Campaign,
    content: bytes,
    source: str,
    *,
    file_name: str,
    accept_similar: bool = False,
    expected_digest: str | None = None,
    upload: PrisonerImport | None = None,
    via: str = "web",
    on_progress: Callable[[int], None] | None = None,
) -> Committed:
    """Apply the file's plan in one transaction (all or nothing); commits.

    Raises ImportRefused (nothing stored) when the plan has errors, possible duplicates and
    ``accept_similar`` is false, or differs from the one previewed (``expected_digest``).
    """
    plan = plan_file(campaign, content, source)
    if expected_digest is not None and expected_digest != plan.digest():
        raise ImportRefused(plan, "changed")
    if plan.errors:
        raise ImportRefused(plan, "errors")
    if plan.similar and not accept_similar:
        raise ImportRefused(plan, "similar")
    try:
        rows = _apply(campaign, plan, source, on_progress)
        if upload is not None:
            upload.committed_at = utcnow()
            upload.content = b""
        summary = plan.summary()
        record(
            "prisoners.imported",
            via=via,
            campaign_id=campaign.id,
            target=f"file {file_name[:100]}",
            rows=rows,
            details={"source": source[:300], "file": file_name[:200], **summary},
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    log.info("Import into campaign %s: %s", campaign.id, summary)
    return Committed(summary)


def _apply(
    campaign: Campaign, plan: Plan, source: str, on_progress: Callable[[int], None] | None
) -> int:
    made: dict[int, Institution] = {}
    for entry in plan.institutions:
        if entry.existing is None or entry.changes:
            institution, _changed = apply_institution(entry.existing, entry.data)
            made[id(entry)] = institution
    db.session.flush()
    count = 0
    for person in plan.prisoners:
        _apply_prisoner(campaign, person, made, source)
        count += 1
        if on_progress is not None:
            on_progress(1)
    db.session.flush()
    return count


def _target(entry: PrisonerEntry, made: dict[int, Institution]) -> Institution | None:
    if entry.transfer is None:
        return None
    to = entry.transfer.to
    if isinstance(to, InstitutionEntry):
        return made.get(id(to)) or to.existing
    return to


def _apply_prisoner(
    campaign: Campaign, entry: PrisonerEntry, made: dict[int, Institution], source: str
) -> None:
    values = {k: v for k, v in entry.values.items() if not k.startswith("_")}
    prisoner = entry.existing
    if prisoner is None:
        prisoner = Prisoner(campaign_id=campaign.id, slug=entry.slug, **values)
        db.session.add(prisoner)
    else:
        for change in entry.changes:
            setattr(prisoner, change.field, values[change.field])
        if entry.is_released:
            prisoner.status = PrisonerStatus.RELEASED
            prisoner.released_on = entry.released_on
    if entry.is_released and prisoner.institution_id is not None:
        # A released prisoner has no prison address; the transfers keep where they were.
        prisoner.institution = None
        prisoner.unit_ru = prisoner.unit_be = prisoner.unit_latin = ""
    target = _target(entry, made)
    if target is not None and entry.transfer is not None:
        move = entry.transfer
        prisoner.transfers.append(
            PrisonerTransfer(
                transferred_on=move.on,
                from_institution=prisoner.institution,
                to_institution=target,
                unit_ru=move.unit_ru,
                unit_be=move.unit_be,
                unit_latin=move.unit_latin,
                source=source,
            )
        )
        prisoner.institution = target
        prisoner.unit_ru, prisoner.unit_be, prisoner.unit_latin = (
            move.unit_ru,
            move.unit_be,
            move.unit_latin,
        )
        prisoner.placed_on = move.on
        prisoner.placement_source = source
        if prisoner.status is PrisonerStatus.UNKNOWN:
            prisoner.status = PrisonerStatus.IMPRISONED
