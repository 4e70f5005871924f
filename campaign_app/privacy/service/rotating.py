"""Key rotation: re-encrypt signers' data under the first key of SIGNER_DATA_KEYS.

After a new key is put first in CAMPAIGN_SIGNER_DATA_KEYS (the old one still listed), every
value encrypted under another key is read and written again under the new one, in batches
of ``BATCH_SIZE`` rows, each batch its own transaction. Rows already under the new key are
never selected (each stored value names its key), so a stopped run goes on where it stopped
and a second run finds nothing to do. When it reports nothing left, the old key can be
removed from the setting. Every encrypted column of every table is covered (found by its
type), so a table that gains one needs no change here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, ColumnElement, Table, and_, bindparam, func, or_, select, update

from campaign_app.audit import service as audit
from campaign_app.crypto import EncryptedText, keyring
from campaign_app.db import Base
from campaign_app.extensions import db

log = logging.getLogger(__name__)

BATCH_SIZE = 1_000


@dataclass(frozen=True)
class RotationReport:
    """Rows written again under the current key, and how many were left to do at the start."""

    rows: int
    to_do: int

    def as_dict(self) -> dict[str, int]:
        return {"rows_reencrypted": self.rows, "rows_to_do_at_start": self.to_do}


def _encrypted_tables() -> list[tuple[Table, list[Column[Any]]]]:
    found = []
    for table in Base.metadata.sorted_tables:
        columns = [column for column in table.columns if isinstance(column.type, EncryptedText)]
        if columns:
            found.append((table, columns))
    return found


def _stale(columns: list[Column[Any]]) -> ColumnElement[bool]:
    """Rows holding a value under another key than the current one (bytes 2-5 name it)."""
    current = keyring().primary_id
    return or_(
        *(
            and_(column.is_not(None), func.substr(column, 2, len(current)) != current)
            for column in columns
        )
    )


def count_stale() -> int:
    """How many rows hold a value encrypted under an older key."""
    total = 0
    for table, columns in _encrypted_tables():
        query = select(func.count()).select_from(table).where(_stale(columns))
        total += int(db.session.scalar(query) or 0)
    return total


def rotate_key(
    *,
    progress: Callable[[int, int], None] | None = None,
    batch_size: int = BATCH_SIZE,
) -> RotationReport:
    """Re-encrypt every value not under the current key; commits each batch, then audits.

    ``progress`` hears (rows done, rows to do) after each batch.
    """
    to_do = count_stale()
    done = 0
    if progress is not None:
        progress(done, to_do)
    for table, columns in _encrypted_tables():
        key = table.c.id
        last = None
        while True:
            # The ORM column types decrypt on reading (any listed key) and encrypt on writing
            # (the current key). The rows are locked until the batch commits, so an erasure
            # running meanwhile waits instead of being undone by this write.
            query = select(key, *columns).where(_stale(columns)).order_by(key).limit(batch_size)
            if last is not None:
                query = query.where(key > last)
            if db.session.get_bind().dialect.name == "postgresql":
                query = query.with_for_update()
            rows = db.session.execute(query).all()
            if not rows:
                db.session.commit()
                break
            statement = update(table).where(key == bindparam("row_id"))
            db.session.execute(
                statement.values({column: bindparam(f"new_{column.name}") for column in columns}),
                [
                    {"row_id": row[0]}
                    | {f"new_{column.name}": row[i] for i, column in enumerate(columns, 1)}
                    for row in rows
                ],
            )
            db.session.commit()
            last = rows[-1][0]
            done += len(rows)
            if progress is not None:
                progress(done, max(to_do, done))
    audit.record(
        "privacy.key_rotated",
        via="cli",
        target="signer data keys",
        rows=done,
        details={"rows": done},
    )
    db.session.commit()
    log.info("Signer data key rotation: %s row(s) re-encrypted", done)
    return RotationReport(rows=done, to_do=to_do)
