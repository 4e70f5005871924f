"""Reference-data pages of the organiser area: occasions, phrasebook, postal routes (admins)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from campaign_app.accounts.access import admin_required
from campaign_app.countries import country_name
from campaign_app.field_errors import InvalidFields, form_status, show_errors
from campaign_app.letters.models import Occasion, Phrase, PostalRoute
from campaign_app.letters.reference import service
from campaign_app.letters.reference.forms import (
    NewRouteForm,
    OccasionForm,
    PhraseForm,
    RouteForm,
)
from campaign_app.security import form_keeps_entries

bp = Blueprint("letters_organise", __name__, url_prefix="/organise")


@bp.get("/reference")
@admin_required
def reference() -> ResponseReturnValue:
    return render_template(
        "letters/reference/index.html",
        occasions=service.list_occasions(),
        phrases=service.list_phrases(),
        routes=service.list_routes(),
    )


# Occasions ------------------------------------------------------------------------------


def _occasion_or_404(occasion_id: int) -> Occasion:
    return service.get_occasion(occasion_id) or abort(404)


@bp.route("/reference/occasions/new", methods=["GET", "POST"])
@form_keeps_entries
@admin_required
def new_occasion() -> ResponseReturnValue:
    form = OccasionForm()
    if form.validate_on_submit():
        try:
            occasion = service.create_occasion(form.to_input())
        except InvalidFields as error:
            show_errors(form, error)
        else:
            flash(_("Occasion “%(name)s” added.", name=occasion.name_en), "success")
            return redirect(url_for(".reference"))
    return render_template(
        "letters/reference/occasion_form.html", form=form, occasion=None
    ), form_status(form)


@bp.route("/reference/occasions/<int:occasion_id>", methods=["GET", "POST"])
@form_keeps_entries
@admin_required
def edit_occasion(occasion_id: int) -> ResponseReturnValue:
    occasion = _occasion_or_404(occasion_id)
    form = OccasionForm()
    if request.method == "GET":
        form.fill(occasion)
    elif form.validate_on_submit():
        try:
            changed = service.update_occasion(occasion, form.to_input())
        except InvalidFields as error:
            show_errors(form, error)
        else:
            flash(_saved(changed, occasion.name_en), "success" if changed else "info")
            return redirect(url_for(".reference"))
    return render_template(
        "letters/reference/occasion_form.html", form=form, occasion=occasion
    ), form_status(form)


def _saved(changed: list[str], name: str) -> str:
    if not changed:
        return str(_("Nothing changed in “%(name)s”.", name=name))
    return str(_("“%(name)s” saved.", name=name))


# Phrases --------------------------------------------------------------------------------


def _phrase_form() -> PhraseForm:
    form = PhraseForm()
    form.set_occasions(service.list_occasions())
    return form


@bp.route("/reference/phrases/new", methods=["GET", "POST"])
@form_keeps_entries
@admin_required
def new_phrase() -> ResponseReturnValue:
    form = _phrase_form()
    if form.validate_on_submit():
        try:
            phrase = service.create_phrase(form.to_input())
        except InvalidFields as error:
            show_errors(form, error)
        else:
            flash(_("Phrase “%(text)s” added.", text=phrase.text_en), "success")
            return redirect(url_for(".reference"))
    return render_template(
        "letters/reference/phrase_form.html", form=form, phrase=None
    ), form_status(form)


@bp.route("/reference/phrases/<int:phrase_id>", methods=["GET", "POST"])
@form_keeps_entries
@admin_required
def edit_phrase(phrase_id: int) -> ResponseReturnValue:
    phrase: Phrase = service.get_phrase(phrase_id) or abort(404)
    form = _phrase_form()
    if request.method == "GET":
        form.fill(phrase)
    elif form.validate_on_submit():
        try:
            changed = service.update_phrase(phrase, form.to_input())
        except InvalidFields as error:
            show_errors(form, error)
        else:
            flash(_saved(changed, phrase.text_en), "success" if changed else "info")
            return redirect(url_for(".reference"))
    return render_template(
        "letters/reference/phrase_form.html", form=form, phrase=phrase
    ), form_status(form)


# Postal routes --------------------------------------------------------------------------


@bp.route("/reference/routes/new", methods=["GET", "POST"])
@form_keeps_entries
@admin_required
def new_route() -> ResponseReturnValue:
    form = NewRouteForm()
    if form.validate_on_submit():
        try:
            route = service.create_route(form.country.data, form.to_input())
        except InvalidFields as error:
            show_errors(form, error)
        else:
            name = country_name(route.sender_country)
            flash(_("Postal route from %(country)s added.", country=name), "success")
            return redirect(url_for(".reference"))
    return render_template("letters/reference/route_form.html", form=form, route=None), form_status(
        form
    )


@bp.route("/reference/routes/<country>", methods=["GET", "POST"])
@form_keeps_entries
@admin_required
def edit_route(country: str) -> ResponseReturnValue:
    route: PostalRoute = service.get_route(country) or abort(404)
    form = RouteForm()
    if request.method == "GET":
        form.fill(route)
    elif form.validate_on_submit():
        try:
            changed = service.update_route(route, form.to_input())
        except InvalidFields as error:
            show_errors(form, error)
        else:
            name = country_name(route.sender_country)
            flash(_saved(changed, name), "success" if changed else "info")
            return redirect(url_for(".reference"))
    return render_template(
        "letters/reference/route_form.html", form=form, route=route
    ), form_status(form)
