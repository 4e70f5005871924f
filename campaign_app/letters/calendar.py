"""Upcoming birthdays and arrest anniversaries, with a "post by" date, and their ICS feed.

The feed's texts are in the request's language (its URL carries ``?lang=``: calendar apps
send no cookie and often no Accept-Language).

The post-by date is the event's date minus the transit time from the sender's country
(``PostalRoute.transit_days``), or DEFAULT_TRANSIT_DAYS when the route is not known. The ICS
feed is written by hand per RFC 5545: CRLF line endings, lines folded at 75 octets, TEXT
values escaped, all-day events as ``VALUE=DATE``, and UIDs stable per prisoner, event and
year so that a calendar app updates an event instead of duplicating it.
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import extract, func, or_, select
from sqlalchemy.orm import lazyload, load_only

from campaign_app.countries import country_name
from campaign_app.extensions import db
from campaign_app.i18n import format_date
from campaign_app.letters.models import PostalRoute
from campaign_app.prisoners.models import MAIL_STATUSES, Prisoner
from campaign_app.prisoners.service import public_prisoners

DEFAULT_TRANSIT_DAYS = 14
HORIZON_DAYS = 365
# The calendar page without a month: the weeks in which a card must be posted; the whole
# year when it holds so few prisoners that it fits on one page anyway.
FIRST_PAGE_DAYS = 42
WHOLE_YEAR_MAX_PRISONERS = 30
MAX_LINE_OCTETS = 75
PRODID = "-//campaign_app//Letters calendar//EN"


class EventKind(enum.StrEnum):
    BIRTHDAY = "birthday"
    ARREST_ANNIVERSARY = "arrest-anniversary"


@dataclass(frozen=True)
class Transit:
    """How long a card takes from the sender's country, and whether mail goes at all."""

    country: str  # "" when the sender did not say
    days: int
    is_known: bool
    is_suspended: bool
    note: str = ""


@dataclass(frozen=True)
class CalendarEvent:
    """One upcoming birthday or arrest anniversary of a prisoner who accepts mail."""

    prisoner_id: int
    prisoner_slug: str
    prisoner_name: str
    kind: EventKind
    on: date
    years: int  # the age reached, or the years since the arrest
    post_by: date
    is_late: bool  # the post-by date has already passed
    # The name in Cyrillic for Russian and Belarusian readers ({"ru": .., "be": ..}).
    local_names: dict[str, str] = field(default_factory=dict, compare=False)

    def name_in(self, language: str) -> str:
        """The prisoner's name as a reader of ``language`` reads it (Latin by default)."""
        return self.local_names.get(language) or self.prisoner_name

    @property
    def occasion_slug(self) -> str:
        """The matching occasion in the composer (the demo data uses these slugs)."""
        return "birthday" if self.kind is EventKind.BIRTHDAY else "arrest-anniversary"


@dataclass(frozen=True)
class Calendar:
    today: date
    transit: Transit
    events: tuple[CalendarEvent, ...]


def normalise_country(value: str | None) -> str:
    """An ISO 3166-1 alpha-2 code in capitals, or "" for anything else."""
    value = (value or "").strip().upper()
    return value if len(value) == 2 and value.isascii() and value.isalpha() else ""


def transit_from(country: str | None, locale: str = "en") -> Transit:
    """The transit time for cards posted from ``country`` (default when unknown); the
    route's note in ``locale``."""
    code = normalise_country(country)
    route = db.session.get(PostalRoute, code) if code else None
    if route is None:
        return Transit(code, DEFAULT_TRANSIT_DAYS, is_known=False, is_suspended=False)
    return Transit(
        code,
        route.transit_days,
        is_known=True,
        is_suspended=route.is_suspended,
        note=route.translated("note", locale),
    )


def next_anniversary(original: date, today: date) -> date:
    """The first anniversary of ``original`` on or after ``today`` (29 Feb -> 28 Feb)."""
    for year in (today.year, today.year + 1):
        try:
            candidate = original.replace(year=year)
        except ValueError:  # 29 February in a common year
            candidate = date(year, 2, 28)
        if candidate >= today:
            return candidate
    raise AssertionError("unreachable: next year's anniversary is always after today")


@cache
def _event_columns() -> tuple[Any, ...]:
    """What an event needs of a prisoner: a few hundred of them per page (no institution, no
    texts). Built on first use: a loader option built at import configures every mapper."""
    return (
        load_only(
            Prisoner.id,
            Prisoner.slug,
            Prisoner.status,
            Prisoner.birth_date,
            Prisoner.arrest_date,
            Prisoner.given_name_ru,
            Prisoner.surname_ru,
            Prisoner.given_name_be,
            Prisoner.surname_be,
            Prisoner.given_name_latin,
            Prisoner.surname_latin,
        ),
        lazyload(Prisoner.institution),
    )


def upcoming_events(
    today: date,
    sender_country: str | None = None,
    locale: str = "en",
    *,
    prisoner_ids: Collection[int] | None = None,
    since: date | None = None,
    until: date | None = None,
    kinds: Collection[EventKind] = (EventKind.BIRTHDAY, EventKind.ARREST_ANNIVERSARY),
) -> Calendar:
    """Birthdays and arrest anniversaries in the next HORIZON_DAYS days, soonest first;
    prisoners named as a reader of ``locale`` writes them.

    With ``prisoner_ids``, only theirs (the prisoners of one campaign); with ``since`` and
    ``until``, only the events on those days or between them (a month of the calendar, the
    home page's next weeks): the database then returns only the prisoners born or arrested
    in those months, not the whole registry. ``kinds`` narrows to birthdays (the home page)
    or anniversaries.
    """
    transit = transit_from(sender_country, locale)
    first = max(today, since or today)
    last = min(today + timedelta(days=HORIZON_DAYS), until or date.max)
    query = public_prisoners().where(Prisoner.status.in_(MAIL_STATUSES))
    if prisoner_ids is not None:
        query = query.where(Prisoner.id.in_(prisoner_ids))
    months = _months_between(first, last)
    if len(months) < 12:
        dates = {
            EventKind.BIRTHDAY: Prisoner.birth_date,
            EventKind.ARREST_ANNIVERSARY: Prisoner.arrest_date,
        }
        query = query.where(or_(*(extract("month", dates[kind]).in_(months) for kind in kinds)))
    prisoners = db.session.scalars(query.options(*_event_columns()).order_by(Prisoner.id))
    events = [
        event
        for prisoner in prisoners
        if prisoner.accepts_mail
        for event in _events_of(prisoner, today, transit, locale)
        if first <= event.on <= last and event.kind in kinds
    ]
    events.sort(key=lambda event: (event.on, event.prisoner_name, event.kind.value))
    return Calendar(today=today, transit=transit, events=tuple(events))


def fits_one_page() -> bool:
    """Whether the whole year's events fit on one page (a campaign for a few prisoners)."""
    held = public_prisoners().where(Prisoner.status.in_(MAIL_STATUSES))
    count = db.session.scalar(select(func.count()).select_from(held.subquery()))
    return int(count or 0) <= WHOLE_YEAR_MAX_PRISONERS


def months_ahead(today: date) -> list[date]:
    """The first days of the months the calendar covers: this one and the next twelve."""
    firsts, year, month = [], today.year, today.month
    for _month in range(13):
        firsts.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return firsts


def month_end(first: date) -> date:
    """The last day of the month that starts on ``first``."""
    following = (
        date(first.year + 1, 1, 1) if first.month == 12 else first.replace(month=first.month + 1)
    )
    return following - timedelta(days=1)


def _months_between(first: date, last: date) -> list[int]:
    """The months (1-12) of the days from ``first`` to ``last``."""
    months: list[int] = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month) and len(months) < 12:
        months.append(month)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _events_of(
    prisoner: Prisoner, today: date, transit: Transit, locale: str
) -> Iterator[CalendarEvent]:
    horizon = today + timedelta(days=HORIZON_DAYS)
    for kind, original in (
        (EventKind.BIRTHDAY, prisoner.birth_date),
        (EventKind.ARREST_ANNIVERSARY, prisoner.arrest_date),
    ):
        if original is None:
            continue
        on = next_anniversary(original, today)
        if on > horizon or on.year == original.year:
            continue  # an arrest today is not yet an anniversary
        post_by = on - timedelta(days=transit.days)
        yield CalendarEvent(
            prisoner_id=prisoner.id,
            prisoner_slug=prisoner.slug,
            prisoner_name=prisoner.name_in(locale),
            kind=kind,
            on=on,
            years=on.year - original.year,
            post_by=post_by,
            is_late=post_by < today,
            local_names={language: prisoner.name_in(language) for language in ("ru", "be")},
        )


# ICS (RFC 5545) -------------------------------------------------------------------------


def escape_text(value: str) -> str:
    """Escape a TEXT value: backslash, semicolon, comma and newlines (RFC 5545 3.3.11)."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line into chunks of at most 75 octets, never inside a UTF-8 character."""
    parts: list[str] = []
    current, size, limit = "", 0, MAX_LINE_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            # A continuation line starts with one space, which counts towards its 75 octets.
            current, size, limit = " ", 1, MAX_LINE_OCTETS
        current += char
        size += width
    parts.append(current)
    return "\r\n".join(parts)


def describe(event: CalendarEvent) -> str:
    """'birthday (65)' or '16 years since the arrest', in the request's language."""
    if event.kind is EventKind.BIRTHDAY:
        return str(_("birthday (%(age)s)", age=event.years))
    return str(
        ngettext("%(num)d year since the arrest", "%(num)d years since the arrest", event.years)
    )


def _post_note(event: CalendarEvent, transit: Transit) -> str:
    post_by = format_date(event.post_by, "long")
    if transit.country:
        note = ngettext(
            "Post by %(date)s: %(num)d day in transit from %(country)s.",
            "Post by %(date)s: %(num)d days in transit from %(country)s.",
            transit.days,
            date=post_by,
            country=country_name(transit.country),
        )
    else:
        note = ngettext(
            "Post by %(date)s: %(num)d day in transit (an estimate).",
            "Post by %(date)s: %(num)d days in transit (an estimate).",
            transit.days,
            date=post_by,
        )
    if transit.is_suspended:
        note += " " + _(
            "Mail from %(country)s is reported suspended: check with your post office.",
            country=country_name(transit.country),
        )
    return str(note)


def _vevent(uid: str, stamp: str, day: date, summary: str, description: str, url: str) -> list[str]:
    return [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
        f"DTEND;VALUE=DATE:{day + timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{escape_text(summary)}",
        f"DESCRIPTION:{escape_text(description)}",
        *([f"URL:{url}"] if url else []),
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]


def ics_feed(
    calendar: Calendar,
    *,
    uid_domain: str,
    write_url: Iterable[str] | None = None,
    now: datetime | None = None,
) -> str:
    """The calendar as an iCalendar document: each event, plus a reminder on its post-by date.

    ``write_url`` gives, per event in order, the page where a card can be written.
    """
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    transit = calendar.transit
    name = str(_("Cards to political prisoners"))
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    urls = list(write_url) if write_url is not None else []
    for index, event in enumerate(calendar.events):
        url = urls[index] if index < len(urls) else ""
        uid = f"{event.kind.value}-{event.prisoner_id}-{event.on.year}@{uid_domain}"
        when = format_date(event.on, "long")
        occasion = describe(event)
        post_note = _post_note(event, transit)
        lines += _vevent(uid, stamp, event.on, f"{event.prisoner_name}: {occasion}", post_note, url)
        lines += _vevent(
            uid.replace("@", "-post-by@", 1),
            stamp,
            event.post_by,
            str(
                _(
                    "Post a card for %(date)s: %(name)s, %(occasion)s",
                    date=when,
                    name=event.prisoner_name,
                    occasion=occasion,
                )
            ),
            str(_("For %(date)s.", date=when)) + " " + post_note,
            url,
        )
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def list_routes() -> list[PostalRoute]:
    """The sender countries with a known postal route, for the page's country choice."""
    return list(db.session.scalars(select(PostalRoute).order_by(PostalRoute.sender_country)))
