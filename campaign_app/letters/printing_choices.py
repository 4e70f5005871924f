"""Whom the printing page offers to choose: for a campaign of a few prisoners, every one a
card can go to, in one list; for a registry (1,500 prisoners), an institution and a region
to print for, and the prisoners a link chose (``?prisoner=``, from a prisoner's page or the
calendar), sorted out from those that cannot be offered."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from campaign_app.extensions import db
from campaign_app.institutions.models import Institution
from campaign_app.letters.printing import why_not_printable
from campaign_app.prisoners.models import MAIL_STATUSES, Prisoner
from campaign_app.prisoners.service import public_prisoners

# Up to this many prisoners who can be written to, the page offers them all in one list; past
# it, an institution and a region to print for, and those chosen by link.
SELECT_MAX = 40
# Prisoners chosen by name in one request (by link or ticked); for more, choose a place.
MAX_CHOSEN = 100


@dataclass(frozen=True)
class ChosenByLink:
    """The prisoners a link chose, sorted out: those a card can go to, those it cannot go to
    now (released, no address), and slugs that name nobody in the public registry."""

    printable: tuple[Prisoner, ...]
    not_printable: tuple[Prisoner, ...]
    unknown: tuple[str, ...]


def _may_be_printable() -> Select[Prisoner]:
    """Public prisoners who accept mail and have an address: printable unless the address or
    the addressee lacks the printed language (checked in Python, prisoner by prisoner)."""
    return public_prisoners().where(
        Prisoner.status.in_(MAIL_STATUSES),
        or_(Prisoner.institution_id.is_not(None), Prisoner.addresses.any()),
    )


def count_printable() -> int:
    """About how many prisoners a card can go to (one count; nobody is loaded): the page
    offers them in one list up to SELECT_MAX, by institution and region past it."""
    query = select(func.count()).select_from(_may_be_printable().subquery())
    return int(db.session.scalar(query) or 0)


def sort_chosen(slugs: Sequence[str]) -> ChosenByLink:
    """The prisoners ``slugs`` name (each once, the first MAX_CHOSEN), sorted out."""
    wanted = list(dict.fromkeys(slug for slug in slugs if slug))[:MAX_CHOSEN]
    found: dict[str, Prisoner] = {}
    if wanted:
        query = (
            public_prisoners()
            .where(Prisoner.slug.in_(wanted))
            .options(selectinload(Prisoner.addresses))
        )
        found = {prisoner.slug: prisoner for prisoner in db.session.scalars(query)}
    chosen = [found[slug] for slug in wanted if slug in found]
    return ChosenByLink(
        printable=tuple(p for p in chosen if why_not_printable(p) is None),
        not_printable=tuple(p for p in chosen if why_not_printable(p) is not None),
        unknown=tuple(slug for slug in wanted if slug not in found),
    )


def printable_among(slugs: Sequence[str]) -> list[Prisoner]:
    """Those of ``slugs`` (the first MAX_CHOSEN) a card can go to now, in the given order."""
    return list(sort_chosen(slugs).printable)


def find_institution(code_or_id: str) -> Institution | None:
    """An institution by its code in any case, as people write it ("ик-2"), or its id."""
    value = code_or_id.strip()
    if value.isdigit():
        return db.session.get(Institution, int(value))
    folded = value.casefold()
    institutions = db.session.scalars(select(Institution).order_by(Institution.id))
    return next((i for i in institutions if i.code.casefold() == folded), None)
