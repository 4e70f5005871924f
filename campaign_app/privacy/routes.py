"""Privacy pages: admins erase a signer, signers ask for erasure by an e-mailed link,
organisers anonymise a closed petition's signers."""

from __future__ import annotations

from dataclasses import replace

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _

from campaign_app.accounts.access import (
    admin_required,
    current_user,
    organiser_required,
    petition_or_403,
)
from campaign_app.extensions import limiter
from campaign_app.petitions.service import petition_titles
from campaign_app.privacy import bp, forms
from campaign_app.privacy.erasure import InvalidEmailAddress, PetitionMatch
from campaign_app.privacy.retention import PetitionNotClosed, is_closed
from campaign_app.privacy.service import anonymising, erasing, self_service
from campaign_app.ratelimits import config_limit
from campaign_app.security import form_keeps_entries

# Organisers -----------------------------------------------------------------------------


@bp.route("/organise/privacy/erase", methods=["GET", "POST"])
@admin_required
def erase_signer() -> ResponseReturnValue:
    # Always POSTed, never in a URL; the page shows petitions and counts, never names.
    form = forms.EraseSignerForm()
    if not form.validate_on_submit():
        status = 400 if form.errors else 200
        return render_template("privacy/erase_signer.html", form=form, matches=None), status
    try:
        if form.erase.data:
            result = erasing.erase_signer(form.email.data, actor=current_user())
            signatures = ngettext("%(num)d signature", "%(num)d signatures", result.signatures)
            flash(
                ngettext(
                    "Erased %(signatures)s on %(num)d petition. Counts are unchanged.",
                    "Erased %(signatures)s on %(num)d petitions. Counts are unchanged.",
                    result.petitions,
                    signatures=signatures,
                ),
                "success",
            )
            return redirect(url_for(".erase_signer"))
        matches = _in_reader_language(erasing.find_signer(form.email.data))
    except InvalidEmailAddress:
        form.email.errors = [_("Please enter a valid e-mail address, like name@example.org.")]
        return render_template("privacy/erase_signer.html", form=form, matches=None), 400
    return render_template("privacy/erase_signer.html", form=form, matches=matches)


@bp.route("/organise/petitions/<int:petition_id>/anonymise", methods=["GET", "POST"])
@organiser_required
def anonymise_petition(petition_id: int) -> ResponseReturnValue:
    petition = petition_or_403(petition_id)
    form = forms.ConfirmForm()
    closed = is_closed(petition)
    if not closed or petition.anonymised_at is not None:
        status = 409 if form.is_submitted() else 200
        return render_template(
            "privacy/anonymise.html", petition=petition, form=form, is_closed=closed
        ), status
    if not form.validate_on_submit():
        return render_template(
            "privacy/anonymise.html", petition=petition, form=form, is_closed=closed
        ), 400 if form.errors else 200
    try:
        anonymising.start_anonymising(petition, current_user())
    except PetitionNotClosed:  # reopened while the page was open
        return render_template(
            "privacy/anonymise.html", petition=petition, form=form, is_closed=False
        ), 409
    flash(
        "Anonymisation started. The signers' personal data is erased in the background; "
        "the counts stay. The audit log records it when done.",
        "success",
    )
    return redirect(url_for("organisers.petition", petition_id=petition.id))


# Signers --------------------------------------------------------------------------------


@bp.route("/privacy/erase", methods=["GET", "POST"])
@form_keeps_entries
@limiter.limit(config_limit("ERASURE_RATE_LIMIT_PER_IP"), methods=["POST"])
def request_erasure() -> ResponseReturnValue:
    form = forms.ErasureRequestForm()
    if not form.validate_on_submit():
        status = 400 if form.errors else 200
        return render_template("privacy/request_erasure.html", form=form), status
    try:
        self_service.request_erasure(form.email.data, str(get_locale()))
    except InvalidEmailAddress:
        form.email.errors = [_("Please enter a valid e-mail address, like name@example.org.")]
        return render_template("privacy/request_erasure.html", form=form), 400
    # The same answer whether or not we hold anything under the address.
    return render_template("privacy/erasure_requested.html")


@bp.route("/privacy/erase/<token>", methods=["GET", "POST"])
@form_keeps_entries
@limiter.limit(config_limit("CONFIRM_RATE_LIMIT_PER_IP"))
def confirm_erasure(token: str) -> ResponseReturnValue:
    form = forms.ConfirmForm()
    try:
        request = self_service.erasure_request_for(token)
    except self_service.ErasureLinkExpired:
        return render_template("privacy/link_invalid.html", expired=True), 410
    except self_service.ErasureLinkInvalid:
        return render_template("privacy/link_invalid.html", expired=False), 404
    # A GET only shows the button: mail scanners open links, and must not erase anything.
    if not form.validate_on_submit():
        matches = _in_reader_language(self_service.matches_for(request))
        return render_template(
            "privacy/confirm_erasure.html", form=form, token=token, matches=matches
        ), 400 if form.errors else 200
    try:
        result = self_service.confirm_erasure(token)
    except self_service.ErasureLinkExpired:  # expired (or used) while the page was open
        return render_template("privacy/link_invalid.html", expired=True), 410
    except self_service.ErasureLinkInvalid:
        return render_template("privacy/link_invalid.html", expired=False), 404
    return render_template("privacy/erased.html", result=result)


def _in_reader_language(matches: list[PetitionMatch]) -> list[PetitionMatch]:
    """The matches with each petition's title in the reader's language."""
    titles = petition_titles([match.petition_id for match in matches], str(get_locale()))
    return [replace(match, title=titles.get(match.petition_id, match.title)) for match in matches]
