"""Petition translations in the browser: one form per interface language."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from campaign_app.accounts.access import organiser_required, petition_or_403
from campaign_app.i18n import offered_languages
from campaign_app.management import bp, translation_service
from campaign_app.management.translation_forms import TranslationForm
from campaign_app.petitions.models import Petition


def _locale_or_404(petition: Petition, locale: str) -> str:
    if locale not in offered_languages() or locale == petition.language:
        abort(404)
    return locale


@bp.route("/petitions/<int:petition_id>/translations/<locale>", methods=["GET", "POST"])
@organiser_required
def petition_translation(petition_id: int, locale: str) -> ResponseReturnValue:
    petition = petition_or_403(petition_id)
    locale = _locale_or_404(petition, locale)
    existing = translation_service.translation_of(petition, locale)
    form = TranslationForm(obj=existing if request.method == "GET" else None)
    if request.method == "POST" and request.form.get("action") == "delete":
        if translation_service.delete_translation(petition, locale):
            flash(_("The translation is deleted; visitors see the original text."), "success")
        return redirect(url_for("organisers.petition", petition_id=petition.id))
    if form.validate_on_submit():
        translation_service.save_translation(petition, locale, form.to_input())
        flash(_("The translation is saved."), "success")
        return redirect(url_for("organisers.petition", petition_id=petition.id))
    return render_template(
        "manage/petition_translation.html",
        petition=petition,
        locale=locale,
        form=form,
        existing=existing,
    ), 400 if form.errors else 200
