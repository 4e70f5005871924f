"""Read queries behind the statistics pages: counters and small groups, never a scan.

A petition's figures come from the sharded counters (``counting.read_counts`` by country,
``counting.read_hourly`` by UTC hour); the only query on the signature table counts the
pending and invalidated rows through the (petition_id, state, confirmed_at) index, which
touches those rows alone and none of the confirmed ones.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from campaign_app.campaigns.models import Campaign
from campaign_app.db import as_utc, utcnow
from campaign_app.extensions import db
from campaign_app.letters.models import CardSent, Occasion
from campaign_app.petitions import counting
from campaign_app.petitions.models import Petition, Signature, SignatureState
from campaign_app.prisoners.models import Prisoner

RECENT_HOURS = 72
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class BadDay(ValueError):
    """The chosen day is not a date (YYYY-MM-DD) inside the range the page can show."""

    def __init__(self, first: date, last: date) -> None:
        super().__init__(f"expected a day from {first} to {last}")
        self.first = first
        self.last = last


@dataclass(frozen=True)
class PetitionStatistics:
    """Everything the petition statistics page shows."""

    confirmed: int
    pending: int
    invalidated: int
    by_country: list[tuple[str, int]]  # most signatures first, then by code
    per_day: list[tuple[date, int]]  # every UTC day of the last DAYS_SHOWN days of its life
    per_month: list[tuple[date, int]]  # every month of its life (the 1st stands for the month)
    per_hour: list[tuple[datetime, int]]  # every UTC hour of the window shown
    day: date | None  # the day the hours belong to, or None for the last RECENT_HOURS
    first_day: date
    last_day: date
    on_paper: int = 0  # of ``confirmed``: entered from paper sheets or files (no hours)

    @property
    def confirmation_rate(self) -> float | None:
        """Confirmed online / (that + pending); None while nobody has signed online."""
        online = self.confirmed - self.on_paper
        asked = online + self.pending
        return online / asked if asked else None


# The per-day chart covers at most this many days (a page stays light for a petition open for
# years); the per-month chart covers the whole life.
DAYS_SHOWN = 92


def _utc_day(moment: datetime) -> date:
    return as_utc(moment).date()


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def day_range(petition: Petition, hourly: dict[datetime, int], now: datetime) -> tuple[date, date]:
    """The UTC days the petition has lived: opening (or first count) to today or closing."""
    first = min(_utc_day(petition.opens_at), _utc_day(now))
    last = _utc_day(now)
    if petition.closes_at is not None:
        last = max(first, min(last, _utc_day(petition.closes_at)))
    if hourly:
        first = min(first, _utc_day(min(hourly)))
        last = max(last, _utc_day(max(hourly)))
    return first, last


def parse_day(text: str, first: date, last: date) -> date:
    """The day in ``text`` (YYYY-MM-DD) when it lies from ``first`` to ``last``; else BadDay."""
    if not _DAY.fullmatch(text.strip()):
        raise BadDay(first, last)
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise BadDay(first, last) from None
    if not first <= day <= last:
        raise BadDay(first, last)
    return day


def _state_counts(petition_id: int) -> Counter[SignatureState]:
    rows = db.session.execute(
        select(Signature.state, func.count())
        .where(
            Signature.petition_id == petition_id,
            Signature.state.in_([SignatureState.PENDING, SignatureState.INVALIDATED]),
        )
        .group_by(Signature.state)
    ).all()
    return Counter({SignatureState(state): int(n) for state, n in rows})


def petition_statistics(
    petition: Petition, day_text: str | None = None, now: datetime | None = None
) -> PetitionStatistics:
    """The petition's counts, per day, per hour (last 72 hours or ``day_text``), by country.

    Raises BadDay when ``day_text`` is given and is not a day of the petition's life.
    """
    now = as_utc(now or utcnow())
    hourly = counting.read_hourly(db.session, petition.id)
    first, last = day_range(petition, hourly, now)
    day = parse_day(day_text, first, last) if day_text else None

    days: Counter[date] = Counter()
    for hour, n in hourly.items():
        days[_utc_day(hour)] += n
    shown_from = max(first, last - timedelta(days=DAYS_SHOWN - 1))
    per_day = [
        (shown_from + timedelta(days=i), days[shown_from + timedelta(days=i)])
        for i in range((last - shown_from).days + 1)
    ]
    months: Counter[date] = Counter()
    for day_of, n in days.items():
        months[day_of.replace(day=1)] += n
    per_month = []
    month = first.replace(day=1)
    while month <= last:
        per_month.append((month, months[month]))
        month = (month + timedelta(days=32)).replace(day=1)

    if day is None:
        end = counting.hour_of(now) + timedelta(hours=1)
        start = end - timedelta(hours=RECENT_HOURS)
    else:
        start = _midnight(day)
        end = start + timedelta(days=1)
    hours = int((end - start) / timedelta(hours=1))
    per_hour = [
        (start + timedelta(hours=i), hourly.get(start + timedelta(hours=i), 0))
        for i in range(hours)
    ]

    counts = counting.read_counts(db.session, petition.id)
    states = _state_counts(petition.id)
    by_country = sorted(counts.by_country.items(), key=lambda item: (-item[1], item[0]))
    return PetitionStatistics(
        confirmed=counts.total,
        pending=states[SignatureState.PENDING],
        invalidated=states[SignatureState.INVALIDATED],
        by_country=by_country,
        per_day=per_day,
        per_month=per_month,
        per_hour=per_hour,
        day=day,
        first_day=first,
        last_day=last,
        on_paper=counts.on_paper,
    )


# Per prisoner, the page shows the most written-to; the organiser's prisoner list sorts all of
# them by the fewest cards (a campaign may hold 1,500 prisoners).
PRISONERS_SHOWN = 20


@dataclass(frozen=True)
class CampaignStatistics:
    """Each petition's confirmed total and the cards reported sent, per prisoner and occasion."""

    petitions: list[tuple[Petition, int]]
    per_prisoner: list[tuple[Prisoner, int]]  # every prisoner of the campaign, most cards first
    per_occasion: list[tuple[Occasion | None, int]]  # None: reported without an occasion
    cells: dict[tuple[int, int | None], int]  # (prisoner id, occasion id): cards

    @property
    def cards(self) -> int:
        return sum(n for _, n in self.per_prisoner)

    @property
    def top_prisoners(self) -> list[tuple[Prisoner, int]]:
        """The prisoners the page's tables and chart show: those with the most cards."""
        return self.per_prisoner[:PRISONERS_SHOWN]

    @property
    def prisoners_without_cards(self) -> int:
        return sum(1 for _, n in self.per_prisoner if n == 0)

    @property
    def signatures(self) -> int:
        return sum(n for _, n in self.petitions)


def campaign_statistics(campaign: Campaign) -> CampaignStatistics:
    """Totals of the campaign's petitions (from the counters) and its cards sent."""
    petitions = db.session.scalars(
        select(Petition).where(Petition.campaign_id == campaign.id).order_by(Petition.opens_at)
    ).all()
    totals = [(p, counting.read_counts(db.session, p.id).total) for p in petitions]

    prisoners = db.session.scalars(
        select(Prisoner)
        .where(Prisoner.campaign_id == campaign.id)
        .order_by(Prisoner.surname_latin, Prisoner.given_name_latin)
    ).all()
    rows = db.session.execute(
        select(CardSent.prisoner_id, CardSent.occasion_id, func.sum(CardSent.count))
        .join(Prisoner, Prisoner.id == CardSent.prisoner_id)
        .where(Prisoner.campaign_id == campaign.id)
        .group_by(CardSent.prisoner_id, CardSent.occasion_id)
    ).all()
    cells = {(prisoner_id, occasion_id): int(n) for prisoner_id, occasion_id, n in rows}
    by_prisoner: Counter[int] = Counter()
    by_occasion: Counter[int | None] = Counter()
    for (prisoner_id, occasion_id), n in cells.items():
        by_prisoner[prisoner_id] += n
        by_occasion[occasion_id] += n
    occasion_ids = [i for i in by_occasion if i is not None]
    occasions = {
        o.id: o for o in db.session.scalars(select(Occasion).where(Occasion.id.in_(occasion_ids)))
    }
    per_prisoner = sorted(((p, by_prisoner[p.id]) for p in prisoners), key=lambda item: -item[1])
    per_occasion = sorted(
        ((occasions.get(i) if i is not None else None, n) for i, n in by_occasion.items()),
        key=lambda item: (-item[1], item[0].position if item[0] else 1_000_000),
    )
    return CampaignStatistics(
        petitions=totals, per_prisoner=per_prisoner, per_occasion=per_occasion, cells=cells
    )
