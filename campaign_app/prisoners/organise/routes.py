"""Prisoner pages of the organiser area: a campaign's prisoners, records, address history."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _

from campaign_app.accounts.access import campaign_or_403, organiser_required, prisoner_or_403
from campaign_app.campaigns.models import Campaign
from campaign_app.db import utcnow
from campaign_app.field_errors import InvalidFields, form_status, show_errors
from campaign_app.institutions import service as institutions_service
from campaign_app.prisoners.forms import parse_page
from campaign_app.prisoners.models import Prisoner
from campaign_app.prisoners.organise import service, transfers
from campaign_app.prisoners.organise.forms import (
    AddressForm,
    CampaignPrisonersForm,
    PrisonerForm,
    TransferForm,
)
from campaign_app.prisoners.service import RegistryFilters
from campaign_app.security import form_keeps_entries

bp = Blueprint("prisoners_organise", __name__, url_prefix="/organise")
# An organiser's list: long enough to scan, short enough to load fast with 1,500 prisoners.
ORGANISER_PER_PAGE = 50


@bp.get("/campaigns/<int:campaign_id>/prisoners")
@organiser_required
def prisoners(campaign_id: int) -> ResponseReturnValue:
    """The campaign's prisoners, a page at a time, with the registry's search and filters."""
    campaign = campaign_or_403(campaign_id)
    form = CampaignPrisonersForm(request.args)
    page = parse_page(request.args.get("page"))
    valid = form.validate() and page is not None
    filters = form.to_filters() if valid else RegistryFilters()
    result = service.search_prisoners(
        campaign, filters, page if valid and page else 1, ORGANISER_PER_PAGE, str(get_locale())
    )
    return render_template(
        "prisoners/organise/list.html",
        campaign=campaign,
        form=form,
        filters=filters,
        result=result,
        bad_page=page is None,
        today=utcnow().date(),
    ), (200 if valid else 400)


def _render_form(
    form: PrisonerForm, campaign: Campaign, prisoner: Prisoner | None
) -> ResponseReturnValue:
    return render_template(
        "prisoners/organise/form.html",
        form=form,
        campaign=campaign,
        prisoner=prisoner,
        today=utcnow().date(),
    ), form_status(form)


@bp.route("/campaigns/<int:campaign_id>/prisoners/new", methods=["GET", "POST"])
@form_keeps_entries
@organiser_required
def new_prisoner(campaign_id: int) -> ResponseReturnValue:
    campaign = campaign_or_403(campaign_id)
    form = PrisonerForm()
    if form.validate_on_submit():
        try:
            prisoner = service.create_prisoner(campaign, form.to_input())
        except InvalidFields as error:
            show_errors(form, error)
        else:
            flash(
                _("%(name)s added. Now add the address.", name=prisoner.name_in(str(get_locale()))),
                "success",
            )
            return redirect(url_for(".new_address", prisoner_id=prisoner.id))
    return _render_form(form, campaign, None)


@bp.route("/prisoners/<int:prisoner_id>/edit", methods=["GET", "POST"])
@form_keeps_entries
@organiser_required
def edit_prisoner(prisoner_id: int) -> ResponseReturnValue:
    prisoner = prisoner_or_403(prisoner_id)
    form = PrisonerForm()
    if request.method == "GET":
        form.fill(prisoner)
    elif form.validate_on_submit():
        try:
            changed = service.update_prisoner(prisoner, form.to_input())
        except InvalidFields as error:
            show_errors(form, error)
        else:
            if changed:
                flash(_("%(name)s saved.", name=prisoner.name_in(str(get_locale()))), "success")
            else:
                flash(_("Nothing changed."), "info")
            return redirect(url_for(".edit_prisoner", prisoner_id=prisoner.id))
    return _render_form(form, prisoner.campaign, prisoner)


@bp.route("/prisoners/<int:prisoner_id>/addresses/new", methods=["GET", "POST"])
@form_keeps_entries
@organiser_required
def new_address(prisoner_id: int) -> ResponseReturnValue:
    prisoner = prisoner_or_403(prisoner_id)
    form = AddressForm()
    if form.validate_on_submit():
        try:
            address = service.add_address(prisoner, form.to_input())
        except InvalidFields as error:
            show_errors(form, error)
        else:
            if prisoner.latest_address is address:
                flash(_("Address added: it is now the current address."), "success")
            else:
                flash(
                    _(
                        "Address added to the history. It is older than the current address,"
                        " which stays current."
                    ),
                    "info",
                )
            return redirect(url_for(".edit_prisoner", prisoner_id=prisoner.id) + "#addresses")
    elif request.method == "GET" and prisoner.latest_address is not None:
        # Start from the current address: most changes are a transfer or a new unit.
        current = prisoner.latest_address
        form.lines_ru.data = current.lines_ru
        form.lines_be.data = current.lines_be
        form.lines_latin.data = current.lines_latin
        form.country_line.data = current.country_line
    return render_template(
        "prisoners/organise/address_form.html",
        form=form,
        prisoner=prisoner,
        today=utcnow().date(),
    ), form_status(form)


@bp.route("/prisoners/<int:prisoner_id>/transfers/new", methods=["GET", "POST"])
@form_keeps_entries
@organiser_required
def new_transfer(prisoner_id: int) -> ResponseReturnValue:
    prisoner = prisoner_or_403(prisoner_id)
    form = TransferForm()
    form.institution_id.choices = [
        (institution.id, f"{institution.code} · {institution.name_ru}")
        for institution, _held in institutions_service.list_institutions()
    ]
    if request.method == "GET":
        form.transferred_on.data = utcnow().date()
    if form.validate_on_submit():
        try:
            transfers.transfer_prisoner(prisoner, form.to_input())
        except InvalidFields as error:
            show_errors(form, error)
        else:
            flash(_("Transfer recorded: cards now print the new address."), "success")
            return redirect(url_for(".edit_prisoner", prisoner_id=prisoner.id) + "#transfers")
    return render_template(
        "prisoners/organise/transfer_form.html", form=form, prisoner=prisoner
    ), form_status(form)
