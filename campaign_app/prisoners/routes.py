"""Public prisoner pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import abort, current_app, render_template, request, session
from flask.typing import ResponseReturnValue
from flask_babel import get_locale

from campaign_app.db import utcnow
from campaign_app.i18n import locale_code
from campaign_app.microcache import keep_whole_response, microcache
from campaign_app.petitions import service as petitions_service
from campaign_app.petitions.texts import petition_text
from campaign_app.prisoners import bp, listing, registry_cache, service
from campaign_app.prisoners.forms import PER_PAGE, RegistryForm, parse_page, registry_args
from campaign_app.prisoners.models import Prisoner

if TYPE_CHECKING:
    from campaign_app.letters.forms import SentForm


@bp.get("/")
def index() -> ResponseReturnValue:
    """The registry: search by any spelling, filters, pages; all in the query string.

    A page depends only on its parameters, the language and the registry's rows: it is
    kept per registry version (registry_cache), and a few seconds in the micro-cache, whose
    whole answer a plain request may get (keep_whole_response)."""
    locale = locale_code()
    if session.get("_flashes"):  # a message waits for this visitor: render it fresh
        return _render(locale)
    args = registry_args(request.args, "page")
    key = ("registry-page", locale, args)
    page: tuple[str, int] | None = microcache().get(key)
    if page is None:
        page = registry_cache.kept(
            ("page", locale, request.script_root, current_app.config["LANGUAGES"], args),
            lambda: _render(locale),
        )
        microcache().set(key, page)
    keep_whole_response(key, page, with_query=True)
    return page


def _render(locale: str) -> tuple[str, int]:
    form = RegistryForm(request.args)
    page = parse_page(request.args.get("page"))
    if not form.validate() or page is None:
        html = render_template(
            "prisoners/index.html", form=form, result=None, filters=None, bad_page=page is None
        )
        return html, 400
    filters = form.to_filters()
    result = service.search_registry(filters, page, PER_PAGE, locale)
    html = render_template(
        "prisoners/index.html",
        form=form,
        search_form=listing.search_form(form, filters, locale),
        result=result,
        entries=listing.entries(result.prisoners, locale),
        filters=filters,
        bad_page=False,
    )
    # Past the last page (a shared link to a list that has since shrunk): 404, with links.
    return html, 404 if result.is_past_the_end else 200


def render_prisoner_page(
    prisoner: Prisoner, sent_form: SentForm | None = None, status: int = 200
) -> ResponseReturnValue:
    """The prisoner page, with cards sent, postal advice and the "I sent it" form."""
    # Imported here: the letters package imports the prisoner models at import time.
    from campaign_app.letters import calendar
    from campaign_app.letters import service as letters_service
    from campaign_app.letters.forms import PostingCountryForm, make_sent_form

    posting = PostingCountryForm(request.args)
    country = posting.country.data if posting.validate() else ""
    occasions = letters_service.list_active_occasions()
    locale = str(get_locale())
    today = utcnow().date()
    petitions = [
        (
            petition,
            petition_text(petition, locale),
            petitions_service.get_counts(petition).total,
        )
        for petition in petitions_service.list_public_petitions(prisoner.campaign_id)
    ]
    return (
        render_template(
            "prisoners/show.html",
            prisoner=prisoner,
            today=today,
            can_write=letters_service.current_address(prisoner) is not None,
            cards=letters_service.count_cards_sent(prisoner),
            posting=posting,
            country=country,
            route=letters_service.get_postal_route(country or ""),
            sent_form=sent_form or make_sent_form(occasions, formdata=None),
            petitions=petitions,
            events=calendar.upcoming_events(
                today, locale=locale, prisoner_ids=[prisoner.id]
            ).events,
        ),
        status,
    )


@bp.get("/<slug>")
def show(slug: str) -> ResponseReturnValue:
    prisoner = service.get_prisoner(slug) or abort(404)
    return render_prisoner_page(prisoner)
