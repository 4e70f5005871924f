"""Public petition pages: show, sign, check e-mail, confirm, resend."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import (
    abort,
    current_app,
    flash,
    get_template_attribute,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup

from campaign_app.db import utcnow
from campaign_app.deliveries import service as deliveries_service
from campaign_app.extensions import limiter
from campaign_app.i18n import locale_code
from campaign_app.letters import calendar
from campaign_app.letters.service import can_write
from campaign_app.microcache import MicroCache, microcache
from campaign_app.petitions import bp, page, service
from campaign_app.petitions.forms import ResendForm, SignForm, quick_signature_input
from campaign_app.petitions.limits import email_key
from campaign_app.petitions.live import Live
from campaign_app.petitions.models import Petition
from campaign_app.petitions.texts import petition_text
from campaign_app.petitions.tokens import ExpiredToken, InvalidToken
from campaign_app.prisoners import service as prisoners_service
from campaign_app.ratelimits import config_limit
from campaign_app.security import client_ip_hash, csrf_token, form_keeps_entries


def _petition_or_404(slug: str) -> Petition:
    petition = service.get_public_petition(slug)
    if petition is None:
        abort(404)
    return petition


def _page_or_404(slug: str) -> tuple[page.PageState, Live]:
    found = page.read_page(slug, current_app.config["LATEST_SIGNERS_SHOWN"])
    if found is None:
        abort(404)
    return found


def _render_petition(
    slug: str, form: SignForm | None, status: int = 200
) -> tuple[tuple[bytes, ...], int]:
    """The petition page, cut where the visitor's CSRF token goes (see ``_with_token``):
    with ``form=None`` the blank signing form, whose token is left to fill in.

    Its shell (everything but the counts and the latest signers) is rendered once per
    petition, language and content version (see petitions.page) and reused; a page with a
    filled-in form or a message for the visitor is rendered whole."""
    state, live = _page_or_404(slug)
    now = utcnow()
    is_open, has_opened = state.is_open_at(now), state.has_opened_by(now)
    language = locale_code()
    if form is None and not session.get("_flashes"):  # a message for this visitor: fresh
        # What its links and the footer's depend on (request.host_url, built from these).
        where = (request.scheme, request.host, request.script_root)
        key = (slug, language, where, state.version, is_open, has_opened)
        shells = page.shells(current_app)
        frame: page.Frame | None = shells.get(key)
        if frame is None:
            frame = page.Frame.cut(_render_shell(slug, None, is_open, has_opened))
            shells.set(key, frame)
    else:
        frame = page.Frame.cut(_render_shell(slug, form, is_open, has_opened))
    live_key = (language, is_open, state.goal, live.key)
    kept = page.live_parts(current_app)
    parts: tuple[bytes, bytes, bytes] | None = kept.get(live_key)
    if parts is None:
        macros: Any = current_app.jinja_env.get_template("petitions/_live.html").module
        parts = (
            str(macros.progress_box(state, live.counts, is_open)).encode(),
            str(macros.countries(live.counts)).encode(),
            str(macros.latest_signers(live.signers)).encode(),
        )
        kept.set(live_key, parts)
    return frame.fill(parts), status


def _page_response(page_parts: tuple[bytes, ...], status: int) -> tuple[bytes, int]:
    return _with_token(page_parts), status


def _with_token(page_parts: tuple[bytes, ...]) -> bytes:
    """The page with this visitor's CSRF token in its slots (a new visitor gets a session)."""
    if len(page_parts) == 1:
        return page_parts[0]
    return csrf_token().encode().join(page_parts)


def _render_shell(slug: str, form: SignForm | None, is_open: bool, has_opened: bool) -> str:
    petition = _petition_or_404(slug)
    return render_template(
        "petitions/show.html",
        petition=petition,
        text=petition_text(petition, locale_code()),
        form=form,
        blank_form=_blank_form(petition.slug) if form is None else None,
        is_open=is_open,
        has_opened=has_opened,
        live=page.SLOTS,
        prisoners=prisoners_service.list_campaign_prisoners(petition.campaign_id),
        deliveries=deliveries_service.published_deliveries(petition.id),
    )


_BLANK_FORMS = "petitions_blank_forms"


def _blank_form(slug: str) -> Markup:
    """The signing form as a first visit shows it, rendered once per petition and language
    (it was a fifth of the page's cost); its CSRF token is page.TOKEN_SLOT."""
    key = (slug, locale_code())
    forms: MicroCache | None = current_app.extensions.get(_BLANK_FORMS)
    if forms is None:  # it depends on nothing that changes while the app runs: keep a day
        forms = current_app.extensions[_BLANK_FORMS] = MicroCache(86400, maxsize=512)
    html: Markup | None = forms.get(key)
    if html is None:
        macro = get_template_attribute("petitions/_sign_form.html", "sign_form")
        html = Markup(str(macro(SignForm(), slug)).replace(csrf_token(), page.TOKEN_SLOT))  # noqa: S704 - our own rendering
        forms.set(key, html)
    return html


@bp.get("/")
def index() -> ResponseReturnValue:
    return render_template("petitions/index.html", petitions=service.list_public_petitions())


# Birthdays and anniversaries shown after signing, soonest first.
NEXT_DATES_SHOWN = 3


@bp.get("/<slug>")
def show(slug: str) -> ResponseReturnValue:
    if session.get("_flashes"):  # a message waits for this visitor: render it fresh
        page_parts, _status = _render_petition(slug, None)
        return _with_token(page_parts)
    key = ("petition-page", slug, locale_code())
    cached: tuple[bytes, ...] | None = microcache().get(key)
    if cached is None:
        cached, _status = _render_petition(slug, None)
        microcache().set(key, cached)
    return _with_token(cached)


@bp.post("/<slug>")
@form_keeps_entries
@limiter.limit(config_limit("SIGN_RATE_LIMIT_PER_IP"))
@limiter.limit(config_limit("SIGN_RATE_LIMIT_PER_EMAIL"), key_func=email_key)
def sign(slug: str) -> ResponseReturnValue:
    # The hot path reads only the petition's id, state and dates (micro-cached: a petition
    # closed by hand stops taking signatures within MICROCACHE_SECONDS; its closing date is
    # exact), and loads the whole petition only to show the form's errors.
    key = ("signing-window", slug)
    window: service.SigningWindow | None = microcache().get(key)
    if window is None:
        window = service.get_signing_window(slug)
        if window is None:
            abort(404)
        microcache().set(key, window)
    data = quick_signature_input(request.form)
    if data is None:  # something to explain: the whole form, with what was typed
        form = SignForm()
        if not form.validate_on_submit():
            return _page_response(*_render_petition(slug, form, 400))
        data = form.to_input()
    try:
        service.sign(window, data, service.Client(ip_hash=client_ip_hash()))
    except service.PetitionNotOpen:
        flash(_("This petition is not accepting signatures now."), "error")
        return _page_response(*_render_petition(slug, SignForm(), 409))
    return redirect(url_for(".check_email", slug=slug))


@dataclass(frozen=True)
class NextSteps:
    """What the pages after signing show that is the same for every reader of one petition
    in one language: rendered once, then reused for MICROCACHE_SECONDS."""

    slug: str
    title: str
    target: str
    goal: int
    # A card can be written to one of the campaign's prisoners.
    writable: bool
    # The example-data note, if any.
    note: Markup
    # Share links, a card to each prisoner, their next dates and the calendar.
    journey: Markup


def _next_steps(slug: str) -> NextSteps:
    """Where the pages after signing lead on to: the petition in the reader's language (to
    share it), the campaign's prisoners (to write them a card) and their next dates."""
    locale = str(get_locale())
    key = ("next-steps", slug, locale)
    steps: NextSteps | None = microcache().get(key)
    if steps is not None:
        return steps
    petition = _petition_or_404(slug)
    prisoners = prisoners_service.list_campaign_prisoners(petition.campaign_id)
    upcoming = calendar.upcoming_events(
        utcnow().date(), locale=locale, prisoner_ids=[prisoner.id for prisoner in prisoners]
    )
    text = petition_text(petition, locale)
    steps = NextSteps(
        slug=petition.slug,
        title=text.title,
        target=text.target,
        goal=petition.goal,
        writable=any(can_write(prisoner) for prisoner in prisoners),
        note=get_template_attribute("_macros/example.html", "example_note")(petition.campaign),
        journey=get_template_attribute("petitions/_next_steps.html", "journey")(
            petition, prisoners, upcoming.events[:NEXT_DATES_SHOWN]
        ),
    )
    microcache().set(key, steps)
    return steps


@bp.get("/<slug>/check-email")
def check_email(slug: str) -> ResponseReturnValue:
    return render_template("petitions/check_email.html", steps=_next_steps(slug))


@bp.get("/<slug>/confirm/<token>")
@limiter.limit(config_limit("CONFIRM_RATE_LIMIT_PER_IP"))
def confirm(slug: str, token: str) -> ResponseReturnValue:
    # The hot path: one query for the signature and its petition, the counters, then a light
    # page whose parts that are the same for every reader come from _next_steps.
    try:
        confirmation = service.confirm(slug, token)
    except ExpiredToken:
        form = ResendForm(token=token)
        petition = _petition_or_404(slug)
        return render_template("petitions/token_expired.html", petition=petition, form=form), 410
    except InvalidToken:
        petition = _petition_or_404(slug)
        return render_template("petitions/token_invalid.html", petition=petition), 404
    except service.PetitionNotOpen:
        petition = _petition_or_404(slug)
        return render_template("petitions/confirm_closed.html", petition=petition), 409
    return render_template(
        "petitions/confirmed.html",
        steps=_next_steps(slug),
        total=confirmation.total,
        is_new=confirmation.is_new,
    )


@bp.post("/<slug>/resend")
@form_keeps_entries
@limiter.limit(config_limit("CONFIRM_RATE_LIMIT_PER_IP"))
def resend(slug: str) -> ResponseReturnValue:
    petition = _petition_or_404(slug)
    form = ResendForm()
    if not form.validate_on_submit():
        return render_template("petitions/token_invalid.html", petition=petition), 400
    try:
        service.resend_confirmation(slug, form.token.data)
    except InvalidToken:
        return render_template("petitions/token_invalid.html", petition=petition), 404
    return redirect(url_for(".check_email", slug=slug))


@bp.app_template_filter("percent_of")
def percent_of(count: int, goal: int) -> str:
    """Progress toward the goal as shown: "<1%" rather than a discouraging "0%"."""
    if count and count * 100 < goal:
        return "<1%"
    return f"{min(100, count * 100 // goal) if goal else 100}%"
