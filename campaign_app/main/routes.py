"""Home page, privacy note and the health check used by load balancers."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, render_template, session
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from sqlalchemy import text

from campaign_app.appeals import service as appeals
from campaign_app.db import utcnow
from campaign_app.extensions import db
from campaign_app.letters import calendar
from campaign_app.letters import service as letters
from campaign_app.letters.models import OccasionKind
from campaign_app.main import bp
from campaign_app.microcache import microcache
from campaign_app.petitions import service as petitions
from campaign_app.petitions.texts import petition_text
from campaign_app.prisoners import service as prisoners

# Birthdays shown on the home page: soon enough to post a card in time.
BIRTHDAYS_AHEAD_DAYS = 60
# The home page shows a few birthdays and prisoners; the calendar and the registry hold all.
BIRTHDAYS_SHOWN = 6
PRISONERS_SHOWN = 6


@bp.get("/")
def home() -> ResponseReturnValue:
    """Open petitions, the coming birthdays, the prisoners written to least, the officials to
    appeal to. The same for every visitor in a language: kept in the micro-cache a few
    seconds (a visitor with a message waiting gets a fresh one)."""
    locale = str(get_locale())
    if session.get("_flashes"):
        return _home_page(locale)
    key = ("home", locale, utcnow().date())
    html: str | None = microcache().get(key)
    if html is None:
        html = _home_page(locale)
        microcache().set(key, html)
    return html


def _home_page(locale: str) -> str:
    today = utcnow().date()
    open_petitions = [p for p in petitions.list_public_petitions() if p.is_open_at(utcnow())]
    birthdays = calendar.upcoming_events(
        today,
        locale=locale,
        until=today + timedelta(days=BIRTHDAYS_AHEAD_DAYS),
        kinds=(calendar.EventKind.BIRTHDAY,),
    ).events[:BIRTHDAYS_SHOWN]
    birthday_occasion = next(
        (o.slug for o in letters.list_active_occasions() if o.kind is OccasionKind.BIRTHDAY), None
    )
    return render_template(
        "main/home.html",
        birthday_occasion=birthday_occasion,
        petitions=[
            (p, petition_text(p, locale), petitions.get_counts(p).total) for p in open_petitions
        ],
        birthdays=birthdays,
        appeal_targets=appeals.list_public_targets(),
        # The fewest cards first: one query gives them and the registry's count.
        registry=prisoners.search_registry(
            prisoners.RegistryFilters(sort=prisoners.RegistrySort.FEWEST_CARDS),
            1,
            PRISONERS_SHOWN,
            locale,
            with_addresses=False,
        ),
    )


@bp.get("/privacy")
def privacy() -> ResponseReturnValue:
    return render_template("main/privacy.html")


@bp.get("/favicon.ico")
def favicon() -> ResponseReturnValue:
    """The icon where browsers and feed readers look for it without reading a page."""
    return current_app.send_static_file("favicon.ico")


@bp.get("/healthz")
def health() -> ResponseReturnValue:
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}, 200, {"Cache-Control": "no-store"}
