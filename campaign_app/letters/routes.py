"""The composer, single-card downloads and "I sent it".

What the sender writes is never stored or logged: each download is built from the posted
form and returned at once, marked not to be cached.
"""

from __future__ import annotations

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _

from campaign_app.db import utcnow
from campaign_app.extensions import limiter
from campaign_app.letters import bp, languages, service
from campaign_app.letters.downloads import pdf_response
from campaign_app.letters.forms import (
    LANGUAGE_LABELS,
    ComposeForm,
    OccasionLanguageForm,
    PosterForm,
    card_language_choices,
    make_sent_form,
    occasion_choices,
)
from campaign_app.letters.models import Occasion
from campaign_app.petitions import service as petitions_service
from campaign_app.petitions.models import Petition
from campaign_app.petitions.texts import PetitionText, petition_text
from campaign_app.prisoners import service as prisoners_service
from campaign_app.prisoners.models import Prisoner
from campaign_app.ratelimits import config_limit
from campaign_app.security import form_keeps_entries

DOWNLOADS = ("postcard", "letter", "envelope")


def _prisoner_or_404(slug: str) -> Prisoner:
    prisoner = prisoners_service.get_prisoner(slug)
    if prisoner is None:
        abort(404)
    return prisoner


def _occasion_or_404(slug: str) -> Occasion:
    occasion = service.get_active_occasion(slug)
    if occasion is None:
        abort(404)
    return occasion


def _not_writable(prisoner: Prisoner) -> ResponseReturnValue:
    return render_template("letters/not_writable.html", prisoner=prisoner), 409


def _page_language() -> str:
    """The page's language, which the composer's phrases start in."""
    locale = get_locale()
    code = locale.language if locale is not None else "en"
    return code if code in LANGUAGE_LABELS else "en"


def _compose_form(chosen: Occasion, occasions: list[Occasion], **kwargs: object) -> ComposeForm:
    form = ComposeForm(**kwargs)
    form.set_choices(occasions, service.list_phrases(chosen))
    return form


def _campaign_petitions(prisoner: Prisoner) -> list[tuple[Petition, PetitionText]]:
    """The petitions of the prisoner's campaign, in the reader's language (the composer
    links on to them)."""
    locale = str(get_locale())
    return [
        (petition, petition_text(petition, locale))
        for petition in petitions_service.list_public_petitions(prisoner.campaign_id)
    ]


def _render_write(
    prisoner: Prisoner,
    occasion: Occasion,
    form: ComposeForm,
    composition: service.Composition | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    occasions = service.list_active_occasions()
    sender_language = form.language.data
    if sender_language not in LANGUAGE_LABELS:
        sender_language = _page_language()
    card_language = languages.choose_card_language(
        prisoner, form.card_language.data, sender_language
    )
    accepted = languages.card_languages(prisoner)
    step = OccasionLanguageForm(
        formdata=None,
        occasion=occasion.slug,
        language=sender_language,
        card_language=card_language,
    )
    step.occasion.choices = occasion_choices(occasions)
    step.card_language.choices = card_language_choices(accepted)
    address_language = languages.address_language(prisoner, card_language)
    return (
        render_template(
            "letters/write.html",
            prisoner=prisoner,
            occasion=occasion,
            step=step,
            form=form,
            phrases=service.list_phrases(occasion),
            sender_language=sender_language,
            card_language=card_language,
            accepted_languages=accepted,
            address_language=address_language,
            front_title=languages.front_title(occasion, card_language),
            composition=composition,
            poster_form=PosterForm(),
            address=service.current_address(prisoner),
            today=utcnow().date(),
            language_labels=LANGUAGE_LABELS,
            petitions=_campaign_petitions(prisoner),
        ),
        status,
    )


@bp.get("/write/<prisoner_slug>")
def write(prisoner_slug: str) -> ResponseReturnValue:
    prisoner = _prisoner_or_404(prisoner_slug)
    occasions = service.list_active_occasions()
    slug = request.args.get("occasion") or (occasions[0].slug if occasions else "")
    occasion = _occasion_or_404(slug)
    if service.current_address(prisoner) is None:
        return _not_writable(prisoner)
    language = request.args.get("language", "")
    if language not in LANGUAGE_LABELS:
        language = _page_language()
    form = _compose_form(
        occasion,
        occasions,
        formdata=None,
        occasion=occasion.slug,
        language=language,
        card_language=languages.choose_card_language(
            prisoner, request.args.get("card_language"), language
        ),
        design=occasion.artwork.value,
    )
    return _render_write(prisoner, occasion, form)


@bp.post("/write/<prisoner_slug>")
@form_keeps_entries
def compose(prisoner_slug: str) -> ResponseReturnValue:
    prisoner = _prisoner_or_404(prisoner_slug)
    occasion = _occasion_or_404(request.form.get("occasion", ""))
    if service.current_address(prisoner) is None:
        return _not_writable(prisoner)
    form = _compose_form(occasion, service.list_active_occasions())
    action = request.form.get("action", "preview")
    if action not in (*DOWNLOADS, "preview"):
        abort(400)
    is_valid = form.validate_on_submit()
    if action == "envelope":  # the envelope needs no message: only its own fields count
        is_valid = not (
            set(form.errors) & {"csrf_token", "return_address", "envelope_size", "occasion"}
        )
    if not is_valid:
        return _render_write(prisoner, occasion, form, status=400)
    composition = service.compose(prisoner, occasion, form.to_input())
    if action == "preview":
        return _render_write(prisoner, occasion, form, composition)
    try:
        if action == "postcard":
            data = service.postcard_pdf(composition)
        elif action == "letter":
            label = LANGUAGE_LABELS.get(form.language.data or "en", "English")
            data = service.letter_pdf(composition, label)
        else:
            data = service.envelope_pdf(
                prisoner,
                form.envelope_size.data or "DL",
                form.return_address.data or "",
                form.card_language.data or "",
            )
    except service.EmptyMessage:
        form.phrases.errors = [_("Please tick at least one phrase or write a few words.")]
    except service.MessageFlagged:
        form.free_text.errors = [
            _("Your own words hold text that censors stop (see below): please remove it.")
        ]
    except service.UnsupportedCharacters as error:
        _character_error(form, error)
    except service.CardTooLong as error:
        target = form.free_text if composition.findings or form.free_text.data else form.phrases
        target.errors = [
            ngettext(
                "The message is too long for the card: please cut %(num)d character.",
                "The message is too long for the card: please cut %(num)d characters.",
                error.excess_chars,
            )
        ]
    else:
        return pdf_response(data, f"{action}-{prisoner.slug}.pdf")
    return _render_write(prisoner, occasion, form, composition, status=400)


def _character_error(form: ComposeForm, error: service.UnsupportedCharacters) -> None:
    characters = " ".join(error.characters)
    message = _(
        "These characters cannot be printed: %(chars)s. Please remove them.", chars=characters
    )
    candidates = [form.free_text, form.signature, form.return_address]
    for field in candidates:
        if field.name == error.field or any(c in (field.data or "") for c in error.characters):
            field.errors = [message]
            return
    form.free_text.errors = [message]


@bp.post("/poster/<prisoner_slug>")
@form_keeps_entries
def poster(prisoner_slug: str) -> ResponseReturnValue:
    prisoner = _prisoner_or_404(prisoner_slug)
    form = PosterForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        data = service.poster_pdf(prisoner, form.size.data or "A4")
    except service.UnsupportedCharacters:
        abort(409)
    return pdf_response(data, f"poster-{prisoner.slug}-{form.size.data}.pdf")


@bp.post("/sent/<prisoner_slug>")
@form_keeps_entries
@limiter.limit(config_limit("CARD_SENT_RATE_LIMIT_PER_IP"))
def sent(prisoner_slug: str) -> ResponseReturnValue:
    from campaign_app.prisoners.routes import render_prisoner_page

    prisoner = _prisoner_or_404(prisoner_slug)
    if service.current_address(prisoner) is None:
        return _not_writable(prisoner)
    form = make_sent_form(service.list_active_occasions())
    if not form.validate_on_submit():
        return render_prisoner_page(prisoner, sent_form=form, status=400)
    occasion = _occasion_or_404(form.occasion.data) if form.occasion.data else None
    count = int(form.count.data or 1)
    service.record_card_sent(prisoner, occasion, count, form.country.data or None)
    flash(
        ngettext(
            "Thank you: %(num)d card is now counted.",
            "Thank you: %(num)d cards are now counted.",
            count,
        ),
        "success",
    )
    return redirect(url_for("prisoners.show", slug=prisoner.slug), code=303)
