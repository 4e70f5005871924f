"""Batch printing (/letters/print) and the calendar of birthdays and anniversaries."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, make_response, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _

from campaign_app.countries import country_name
from campaign_app.extensions import limiter
from campaign_app.letters import bp, calendar, printing, printing_choices
from campaign_app.letters.labels import occasion_name
from campaign_app.letters.printing_forms import CHOSEN, PrintForm
from campaign_app.prisoners.models import Prisoner
from campaign_app.prisoners.names import local_name
from campaign_app.ratelimits import config_limit
from campaign_app.security import form_keeps_entries

# A slug from a link is shown back in a message: never more of it than this.
SHOWN_SLUG_MAX = 80


@dataclass
class Offer:
    """Whom the page offers: everyone in one list, or (past printing_choices.SELECT_MAX) those
    chosen by link and the institution and region filters."""

    everyone: bool
    printable: int  # about how many prisoners a card can go to
    chosen: list[Prisoner] = field(default_factory=list)


def _print_form(slugs: list[str] | None = None) -> tuple[PrintForm, Offer]:
    """The form, with the prisoners it offers: every printable prisoner for a small campaign,
    else those of ``slugs`` (the form's own on a post) a card can go to."""
    form = PrintForm()
    printable = printing_choices.count_printable()
    if printable <= printing_choices.SELECT_MAX:
        offer = Offer(True, printable)
        prisoners = printing.list_printable_prisoners()
    else:
        wanted = (form.listed.data or form.prisoners.data) if slugs is None else slugs
        prisoners = printing_choices.printable_among(list(wanted or ()))
        offer = Offer(False, printable, prisoners)
    form.set_choices(prisoners, printing.list_occasions())
    if not offer.everyone:
        form.prisoners.label.text = _("Who gets the cards")
    return form, offer


def _render_print(
    form: PrintForm, offer: Offer, error: str = "", status: int = 200, notes: tuple[str, ...] = ()
) -> ResponseReturnValue:
    return (
        render_template(
            "letters/print.html",
            form=form,
            offer=offer,
            notes=notes,
            error=error,
            max_cards=printing.MAX_CARDS_PER_REQUEST,
        ),
        status,
    )


def _link_notes(chosen: printing_choices.ChosenByLink) -> tuple[str, ...]:
    """What became of the prisoners a link chose that cannot be offered."""
    notes = []
    if chosen.not_printable:
        notes.append(
            _(
                "Cannot receive a card now (released, or no address on record): %(names)s.",
                names=", ".join(local_name(prisoner) for prisoner in chosen.not_printable),
            )
        )
    if chosen.unknown:
        notes.append(
            _(
                "Not found in the registry: %(slugs)s.",
                slugs=", ".join(slug[:SHOWN_SLUG_MAX] for slug in chosen.unknown),
            )
        )
    return tuple(notes)


def _explain(error: printing.PrintingError) -> str:
    """What went wrong, in the reader's language (the command prints the English)."""
    if isinstance(error, printing.NoWritablePrisoners) and error.by_place:
        message = _(
            "Nobody held in the chosen institution or region can receive a card now: please"
            " choose another."
        )
    elif isinstance(error, printing.PrisonersAndPlace):
        message = _("Choose prisoners by name or by institution and region, not both.")
    elif isinstance(error, printing.NoWritablePrisoners):
        message = _(
            "None of the chosen prisoners can receive a card now: they have been released,"
            " or no address is on record."
        )
    elif isinstance(error, printing.NoPhrases):
        message = _(
            "The occasion “%(name)s” has no reviewed phrases to print yet.",
            name=occasion_name(error.occasion),
        )
    elif isinstance(error, printing.CardRefused) and error.characters:
        message = _(
            "A card has characters the font cannot print: %(chars)s. Ask an organiser to"
            " correct the phrase or the address.",
            chars=" ".join(error.characters),
        )
    elif isinstance(error, printing.CardRefused):
        message = _(
            "The occasion's phrases do not fit on a card (about %(num)d characters too many)."
            " Ask an organiser to shorten or unreview a phrase.",
            num=error.excess_chars,
        )
    else:
        message = _("These cards cannot be printed. Please check the form and try again.")
    return str(message)


@bp.get("/print")
def print_form() -> ResponseReturnValue:
    """The form, filled from a link: ``?prisoner=`` (repeatable), ``occasion``, and past
    SELECT_MAX prisoners ``institution`` (id or code) and ``region``."""
    chosen = printing_choices.sort_chosen(request.args.getlist("prisoner"))
    form, offer = _print_form([prisoner.slug for prisoner in chosen.printable])
    form.prisoners.data = [prisoner.slug for prisoner in chosen.printable]
    if offer.chosen:
        form.scope.data = CHOSEN
    if request.args.get("occasion"):
        form.occasion.data = request.args["occasion"]
    # Cards start in the reader's language when it is one of the cards' languages.
    locale = get_locale()
    if locale is not None and locale.language in ("ru", "be"):
        form.language.data = locale.language
    bad_link = bool(chosen.unknown)
    if not offer.everyone and not offer.chosen:
        for place in (form.institution, form.region):
            if request.args.get(place.name):
                place.data = request.args[place.name]
                bad_link = not place.validate(form) or bad_link
    return _render_print(form, offer, notes=_link_notes(chosen), status=400 if bad_link else 200)


# Drawing up to 1,000 cards takes seconds of CPU: a generous limit keeps it from abuse.
@bp.post("/print")
@form_keeps_entries
@limiter.limit(config_limit("PRINT_RATE_LIMIT_PER_IP"))
def print_cards() -> ResponseReturnValue:
    form, offer = _print_form()
    if not form.validate_on_submit():
        return _render_print(form, offer, status=400)
    # The whole PDF is drawn into a temporary file first: the user gets all of it or an error.
    out = tempfile.TemporaryFile()  # noqa: SIM115 - send_file closes it with the response
    try:
        batch = printing.plan_batch(form.to_input())
        printing.write_batch(batch, out)
    except printing.PrintingError as error:
        out.close()
        return _render_print(form, offer, error=_explain(error), status=422)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    response = send_file(
        out,
        mimetype=printing.PDF_MIMETYPE,
        as_attachment=True,
        download_name=batch.filename,
        max_age=0,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _today() -> datetime:
    return datetime.now(UTC)


@bp.get("/calendar")
def calendar_page() -> ResponseReturnValue:
    """The next six weeks, or one month of the coming year (``?month=2027-03``): with a
    registry of 1,500 prisoners, a whole year is thousands of events on one page. A campaign
    for a few prisoners sees its whole year at once."""
    today = _today().date()
    months = calendar.months_ahead(today)
    wanted = request.args.get("month", "")
    month = next((m for m in months if m.isoformat()[:7] == wanted), None)
    bad_month = bool(wanted) and month is None
    whole_year = month is None and calendar.fits_one_page()
    if whole_year:
        since, until = today, None
    elif month is None:
        since, until = today, today + timedelta(days=calendar.FIRST_PAGE_DAYS)
    else:
        since, until = month, calendar.month_end(month)
    upcoming = calendar.upcoming_events(
        today, request.args.get("from"), str(get_locale()), since=since, until=until
    )
    return render_template(
        "letters/calendar.html",
        calendar=upcoming,
        month=month,
        months=months,
        whole_year=whole_year,
        bad_month=bad_month,
        routes=calendar.list_routes(),
        country_name=country_name,
        default_days=calendar.DEFAULT_TRANSIT_DAYS,
    ), (400 if bad_month else 200)


@bp.get("/calendar.ics")
def calendar_ics() -> ResponseReturnValue:
    upcoming = calendar.upcoming_events(
        _today().date(), request.args.get("from"), str(get_locale())
    )
    # Links and UIDs come from BASE_URL, never the Host header (as in e-mails).
    base = str(current_app.config["BASE_URL"]).rstrip("/")
    domain = urlsplit(base).hostname or "localhost"
    # A feed asked for in a language links to the composer in it.
    language: dict[str, Any] = {"lang": request.args["lang"]} if "lang" in request.args else {}
    urls = [
        base
        + url_for(
            "letters.write",
            prisoner_slug=event.prisoner_slug,
            occasion=event.occasion_slug,
            **language,
        )
        for event in upcoming.events
    ]
    body = calendar.ics_feed(upcoming, uid_domain=domain, write_url=urls, now=_today())
    response = make_response(body.encode("utf-8"))
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = 'inline; filename="prisoner-calendar.ics"'
    response.headers["Cache-Control"] = "public, max-age=3600"
    response.vary.update(("Accept-Language", "Cookie"))  # without ?lang= the language varies
    return response
