"""Cards reported sent per prisoner, kept on the prisoner row (``Prisoner.cards_sent``).

The registry sorts 1,500 prisoners by "fewest cards first"; summing hundreds of thousands of
"I sent it" reports on every page view would cost more than the rest of the page. So each
report adds its count to its prisoner's ``cards_sent`` in the same transaction as the report
(an ORM event on the letters feature's ``CardSent``, so every way of storing a report counts:
the "I sent it" form, the demo, tests); a deleted report takes it back. Reports written
around the ORM (a bulk load) are counted by ``recount_cards_sent``, which the migration and
``flask prisoners recount`` run.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, select, update
from sqlalchemy.orm import Session, object_session, scoped_session
from sqlalchemy.orm.attributes import instance_state, set_committed_value
from sqlalchemy.orm.util import identity_key

from campaign_app.db import utcnow
from campaign_app.prisoners.models import Prisoner


def _add(connection: Connection, prisoner_id: int, count: int) -> None:
    connection.execute(
        update(Prisoner)
        .where(Prisoner.id == prisoner_id)
        # updated_at stays: a card report is not an edit of the prisoner's record.
        .values(cards_sent=Prisoner.cards_sent + count, updated_at=Prisoner.updated_at)
        .execution_options(synchronize_session=False)
    )


def _in_session(report: Any, count: int) -> None:
    """Tell a prisoner already loaded in the report's session (without marking it changed)."""
    session = object_session(report)
    key = identity_key(Prisoner, report.prisoner_id)
    prisoner = session.identity_map.get(key) if session is not None else None
    if prisoner is not None and "cards_sent" in instance_state(prisoner).dict:
        set_committed_value(prisoner, "cards_sent", prisoner.cards_sent + count)


def _inserted(_mapper: Any, connection: Connection, report: Any) -> None:
    _add(connection, report.prisoner_id, report.count)
    _in_session(report, report.count)


def _deleted(_mapper: Any, connection: Connection, report: Any) -> None:
    _add(connection, report.prisoner_id, -report.count)
    _in_session(report, -report.count)


def listen() -> None:
    """Count every card report stored or deleted through the ORM (once per process)."""
    from sqlalchemy import event

    # Imported here: the letters feature imports the prisoner models at import time.
    from campaign_app.letters.models import CardSent

    if not event.contains(CardSent, "after_insert", _inserted):
        event.listen(CardSent, "after_insert", _inserted)
        event.listen(CardSent, "after_delete", _deleted)


def recount_cards_sent(session: Session | scoped_session[Any]) -> int:
    """Set every prisoner's ``cards_sent`` from the reports; how many prisoners changed.
    Flushes only: the caller commits."""
    from campaign_app.letters.models import CardSent

    totals = dict(
        session.execute(
            select(CardSent.prisoner_id, func.sum(CardSent.count)).group_by(CardSent.prisoner_id)
        ).all()
    )
    changed = 0
    for prisoner_id, stored in session.execute(select(Prisoner.id, Prisoner.cards_sent)).all():
        actual = int(totals.get(prisoner_id) or 0)
        if actual != stored:
            # Dated, unlike a report's count: the registry's content version (which reads
            # the newest report and the newest edit) has no other way to see a correction.
            session.execute(
                update(Prisoner)
                .where(Prisoner.id == prisoner_id)
                .values(cards_sent=actual, updated_at=utcnow())
                .execution_options(synchronize_session=False)
            )
            changed += 1
    session.flush()
    return changed
