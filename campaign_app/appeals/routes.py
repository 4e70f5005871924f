"""Public appeal pages: the officials to write to, the composer (preview, PDF letter,
envelope, mailto link) and "I sent it".

What the supporter types (name, town) is never stored, logged or put into a URL of this site:
the composer is posted, and each answer is built from the form and marked not to be cached.
"""

from __future__ import annotations

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _

from campaign_app.appeals import bp, service
from campaign_app.appeals.forms import AppealForm, AppealSentForm
from campaign_app.appeals.models import AppealTarget, SentBy
from campaign_app.extensions import limiter
from campaign_app.letters.downloads import pdf_response
from campaign_app.prisoners.names import local_name
from campaign_app.ratelimits import config_limit
from campaign_app.security import form_keeps_entries

ACTIONS = ("preview", "letter", "envelope")


def _target_or_404(slug: str) -> AppealTarget:
    target = service.get_public_target(slug)
    if target is None:
        abort(404)
    return target


def _page_language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else "en"


def _form(target: AppealTarget, **kwargs: object) -> AppealForm:
    """The composer's form; for a campaign of a registry's size, only the prisoner asked for
    (``prisoner=`` of a link, or the form's own on a post) is offered, when it is one."""
    form = AppealForm(**kwargs)
    languages = service.languages_of(target)
    if service.offers_every_prisoner(target):
        form.set_choices(service.list_prisoners(target), languages, local_name)
    else:
        chosen = service.find_prisoner(target, str(form.prisoner.data or ""))
        form.set_choices([chosen] if chosen else [], languages, local_name, every=False)
    return form


def _render(
    target: AppealTarget,
    form: AppealForm,
    appeal: service.Appeal | None = None,
    *,
    sent_form: AppealSentForm | None = None,
    pdf_error: str = "",
    bad_link: bool = False,
    status: int = 200,
) -> ResponseReturnValue:
    chosen = service.find_prisoner(target, str(form.prisoner.data or ""))
    response = make_response(
        render_template(
            "appeals/compose.html",
            target=target,
            form=form,
            appeal=appeal,
            prisoner=chosen,
            names_prisoner=service.names_prisoner(target),
            bad_link=bad_link,
            sent_form=sent_form or AppealSentForm(formdata=None),
            sent_total=service.sent_total(target),
            pdf_error=pdf_error,
        ),
        status,
    )
    if request.method == "POST":
        response.headers["Cache-Control"] = "no-store"  # the page shows the supporter's name
    return response


@bp.get("/")
def index() -> ResponseReturnValue:
    targets = service.list_public_targets()
    return render_template(
        "appeals/index.html",
        targets=targets,
        counts=service.sent_counts(target.id for target in targets),
        prisoner_slug=request.args.get("prisoner", "")[:80],
    )


@bp.get("/<slug>")
def compose_form(slug: str) -> ResponseReturnValue:
    target = _target_or_404(slug)
    wanted = request.args.get("prisoner", "")
    language = request.args.get("language", "")
    if language not in service.languages_of(target):
        language = service.default_language(target, _page_language())
    form = _form(target, formdata=None, prisoner=wanted, language=language)
    offered = [str(choice.value) for choice in form.prisoner.choices or () if choice.value]
    if not wanted and form.lists_every_prisoner and len(offered) == 1:
        form.prisoner.data = offered[0]  # a campaign for one prisoner: it is about them
    bad_link = bool(wanted) and wanted not in offered
    if bad_link:
        form.prisoner.data = ""
    return _render(target, form, bad_link=bad_link, status=400 if bad_link else 200)


@bp.post("/<slug>")
@form_keeps_entries
@limiter.limit(config_limit("APPEAL_PDF_RATE_LIMIT_PER_IP"))
def compose(slug: str) -> ResponseReturnValue:
    target = _target_or_404(slug)
    form = _form(target)
    action = request.form.get("action", "preview")
    if action not in ACTIONS:
        abort(400)
    if not form.validate_on_submit():
        return _render(target, form, status=400)
    try:
        appeal = service.compose(target, form.to_input())
    except service.NoTemplate:
        form.language.errors = [_("There is no appeal in this language: please choose another.")]
    except service.PrisonerNeeded:
        form.prisoner.errors = [_("This appeal is about a prisoner: please choose whom.")]
    except service.PrisonerNameMissing:
        form.prisoner.errors = [
            _(
                "This prisoner's name is not on record in this language: please choose"
                " another language."
            )
        ]
    except service.UnsupportedCharacters as error:
        _character_error(form, error)
    else:
        if action == "preview":
            return _render(target, form, appeal)
        try:
            if action == "letter":
                data = service.appeal_pdf(appeal)
            else:
                data = service.envelope_pdf(appeal, form.envelope_size.data or "DL")
        except service.UnsupportedCharacters as error:
            _character_error(form, error)
        except service.AppealTooLong:
            message = _(
                "This appeal is too long for one printed page. Please send it by e-mail, or"
                " copy the text into a letter of your own."
            )
            return _render(target, form, appeal, pdf_error=message, status=400)
        else:
            return pdf_response(data, f"appeal-{action}-{target.slug}.pdf")
    return _render(target, form, status=400)


def _character_error(form: AppealForm, error: service.UnsupportedCharacters) -> None:
    message = _(
        "These characters cannot be printed: %(chars)s. Please remove them.",
        chars=" ".join(error.characters),
    )
    field = form.city if error.field == "city" else form.name
    field.errors = [message]


@bp.post("/<slug>/sent")
@form_keeps_entries
@limiter.limit(config_limit("APPEAL_SENT_RATE_LIMIT_PER_IP"))
def sent(slug: str) -> ResponseReturnValue:
    target = _target_or_404(slug)
    form = AppealSentForm()
    if not form.validate_on_submit():
        language = service.default_language(target, _page_language())
        compose_form = _form(target, formdata=None, language=language)
        return _render(target, compose_form, sent_form=form, status=400)
    count = int(form.count.data or 1)
    service.record_appeal_sent(target, count, SentBy(form.sent_by.data), form.country.data or None)
    flash(
        ngettext(
            "Thank you: %(num)d appeal is now counted.",
            "Thank you: %(num)d appeals are now counted.",
            count,
        ),
        "success",
    )
    # To the thanks at the top of the content (the form's own #appeal-sent-heading would
    # carry over to a redirect without a fragment of its own, out of sight of the thanks).
    return redirect(url_for(".compose_form", slug=target.slug, _anchor="main"), 303)
