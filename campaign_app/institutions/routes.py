"""Institution pages of the organiser area: the list, a new institution, an edit."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from campaign_app.accounts.access import organiser_required
from campaign_app.field_errors import InvalidFields, form_status, show_errors
from campaign_app.institutions import service
from campaign_app.institutions.forms import InstitutionForm
from campaign_app.institutions.models import Institution
from campaign_app.security import form_keeps_entries

bp = Blueprint("institutions", __name__, url_prefix="/organise/institutions")


@bp.get("/")
@organiser_required
def index() -> ResponseReturnValue:
    return render_template("institutions/index.html", institutions=service.list_institutions())


def _render_form(form: InstitutionForm, institution: Institution | None) -> ResponseReturnValue:
    held, mail = service.mail_summary(institution) if institution else (0, None)
    return render_template(
        "institutions/form.html", form=form, institution=institution, held=held, mail=mail
    ), form_status(form)


@bp.route("/new", methods=["GET", "POST"])
@form_keeps_entries
@organiser_required
def new() -> ResponseReturnValue:
    form = InstitutionForm()
    if form.validate_on_submit():
        try:
            institution = service.create_institution(form.to_input())
        except InvalidFields as error:
            show_errors(form, error)
        else:
            flash(_("%(code)s added.", code=institution.code), "success")
            return redirect(url_for(".index"))
    return _render_form(form, None)


@bp.route("/<int:institution_id>/edit", methods=["GET", "POST"])
@form_keeps_entries
@organiser_required
def edit(institution_id: int) -> ResponseReturnValue:
    institution = service.get_institution(institution_id) or abort(404)
    form = InstitutionForm()
    if request.method == "GET":
        form.fill(institution)
    elif form.validate_on_submit():
        try:
            changed = service.update_institution(institution, form.to_input())
        except InvalidFields as error:
            show_errors(form, error)
        else:
            if changed:
                flash(
                    _(
                        "%(code)s saved: every prisoner held there prints the new details.",
                        code=institution.code,
                    ),
                    "success",
                )
            else:
                flash(_("Nothing changed."), "info")
            return redirect(url_for(".edit", institution_id=institution.id))
    return _render_form(form, institution)
