"""Hand-in pages of the organiser area: list, record, edit, publish, photos."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from campaign_app.accounts.access import organiser_required, petition_or_403
from campaign_app.db import utcnow
from campaign_app.deliveries import service
from campaign_app.deliveries.models import Delivery, DeliveryPhoto
from campaign_app.deliveries.organise.forms import DeliveryForm, PhotoForm, PhotoTextsForm
from campaign_app.errors import handle_http_error
from campaign_app.field_errors import InvalidFields, form_status, show_errors
from campaign_app.microcache import microcache
from campaign_app.petitions.models import Petition
from campaign_app.security import accepts_upload_of, form_keeps_entries

bp = Blueprint("deliveries_organise", __name__, url_prefix="/organise")


def _delivery_or_403(delivery_id: int) -> tuple[Delivery, Petition]:
    """The hand-in and its petition; 403 for a missing one and another campaign's alike."""
    delivery = service.get_delivery(delivery_id)
    if delivery is None:
        abort(403)
    return delivery, petition_or_403(delivery.petition_id)


def _forget_public_pages() -> None:
    """This worker shows the change at once (others within MICROCACHE_SECONDS)."""
    microcache().clear()


@bp.get("/petitions/<int:petition_id>/hand-ins")
@organiser_required
def index(petition_id: int) -> ResponseReturnValue:
    petition = petition_or_403(petition_id)
    return render_template(
        "deliveries/organise/list.html",
        petition=petition,
        deliveries=service.petition_deliveries(petition),
    )


@bp.route("/petitions/<int:petition_id>/hand-ins/new", methods=["GET", "POST"])
@form_keeps_entries
@organiser_required
def new(petition_id: int) -> ResponseReturnValue:
    petition = petition_or_403(petition_id)
    form = DeliveryForm()
    if request.method == "GET":
        counts = service.prefilled_counts(petition)
        form.delivered_on.data = utcnow().date()
        form.signatures_online.data = counts.online
        form.signatures_on_paper.data = counts.on_paper
    if form.validate_on_submit():
        try:
            delivery = service.create_delivery(petition, form.to_input())
        except InvalidFields as invalid:
            show_errors(form, invalid)
        else:
            flash(_("The hand-in is saved as a draft. Add photos, then publish it."), "success")
            return redirect(url_for(".edit", delivery_id=delivery.id))
    return render_template(
        "deliveries/organise/form.html", petition=petition, delivery=None, form=form
    ), form_status(form)


def _render_edit(
    delivery: Delivery,
    petition: Petition,
    *,
    form: DeliveryForm | None = None,
    photo_form: PhotoForm | None = None,
    status: int | None = None,
) -> ResponseReturnValue:
    form = form or DeliveryForm(formdata=None, obj=delivery, outcome=delivery.outcome.value)
    photo_form = photo_form or PhotoForm(formdata=None)
    if status is None:
        status = 400 if form.errors or photo_form.errors else 200
    max_photos = int(current_app.config["DELIVERY_MAX_PHOTOS"])
    return render_template(
        "deliveries/organise/form.html",
        petition=petition,
        delivery=delivery,
        form=form,
        photo_form=photo_form,
        max_photos=max_photos,
        max_megabytes=max(1, int(current_app.config["DELIVERY_PHOTO_MAX_BYTES"]) // 2**20),
    ), status


@bp.route("/hand-ins/<int:delivery_id>", methods=["GET", "POST"])
@form_keeps_entries
@organiser_required
def edit(delivery_id: int) -> ResponseReturnValue:
    delivery, petition = _delivery_or_403(delivery_id)
    if request.method == "GET":
        return _render_edit(delivery, petition)
    form = DeliveryForm()
    if form.validate_on_submit():
        try:
            changed = service.update_delivery(delivery, petition, form.to_input())
        except InvalidFields as invalid:
            show_errors(form, invalid)
        else:
            if delivery.is_published:
                _forget_public_pages()
            flash(_("Saved.") if changed else _("Nothing was changed."), "success")
            return redirect(url_for(".edit", delivery_id=delivery.id))
    return _render_edit(delivery, petition, form=form)


@bp.post("/hand-ins/<int:delivery_id>/publish")
@organiser_required
def publish(delivery_id: int) -> ResponseReturnValue:
    delivery, petition = _delivery_or_403(delivery_id)
    action = request.form.get("action", "")
    if action not in ("publish", "unpublish"):
        abort(400)
    try:
        if action == "publish":
            service.publish_delivery(delivery, petition)
            message = _("The hand-in is published on the petition's page.")
        else:
            service.unpublish_delivery(delivery, petition)
            message = _("The hand-in is a draft again: only organisers see it.")
    except service.PublishRefused as refusal:
        flash(refusal.message, "error")
        return _render_edit(delivery, petition, status=409)
    _forget_public_pages()
    flash(message, "success")
    return redirect(url_for(".edit", delivery_id=delivery.id))


@bp.post("/hand-ins/<int:delivery_id>/photos")
@accepts_upload_of("DELIVERY_PHOTO_MAX_BYTES")
@form_keeps_entries
@organiser_required
def add_photo(delivery_id: int) -> ResponseReturnValue:
    delivery, petition = _delivery_or_403(delivery_id)
    photo_form = PhotoForm()
    if photo_form.validate_on_submit():
        max_bytes = int(current_app.config["DELIVERY_PHOTO_MAX_BYTES"])
        try:
            service.add_photo(delivery, petition, photo_form.to_input(max_bytes))
        except service.PhotoRefused as refusal:
            photo_form.photo.errors = [refusal.message]
        else:
            if delivery.is_published:
                _forget_public_pages()
            flash(_("The photo is added."), "success")
            return redirect(url_for(".edit", delivery_id=delivery.id) + "#photos")
    return _render_edit(delivery, petition, photo_form=photo_form)


@bp.errorhandler(RequestEntityTooLarge)
def _upload_too_large(error: RequestEntityTooLarge) -> ResponseReturnValue:
    """A photo far over the limit is refused before it is read: the page says so next to
    the field, as for one just over it."""
    delivery_id = (request.view_args or {}).get("delivery_id")
    if (
        request.endpoint != "deliveries_organise.add_photo"
        or not isinstance(delivery_id, int)
        or not current_user.is_authenticated  # the sign-in check has not run yet
    ):
        return handle_http_error(error)
    delivery, petition = _delivery_or_403(delivery_id)
    photo_form = PhotoForm(formdata=None)
    max_bytes = int(current_app.config["DELIVERY_PHOTO_MAX_BYTES"])
    photo_form.photo.errors = [service.too_large_message(max_bytes)]
    return _render_edit(delivery, petition, photo_form=photo_form, status=400)


def _photo_or_404(delivery: Delivery, photo_id: int) -> DeliveryPhoto:
    photo = next((photo for photo in delivery.photos if photo.id == photo_id), None)
    if photo is None:
        abort(404)
    return photo


@bp.route("/hand-ins/<int:delivery_id>/photos/<int:photo_id>", methods=["GET", "POST"])
@form_keeps_entries
@organiser_required
def edit_photo(delivery_id: int, photo_id: int) -> ResponseReturnValue:
    """A photo's description and caption, and their translations."""
    delivery, petition = _delivery_or_403(delivery_id)
    photo = _photo_or_404(delivery, photo_id)
    form = PhotoTextsForm(obj=photo)
    if form.validate_on_submit():
        changed = service.update_photo_texts(delivery, petition, photo, form.to_texts())
        if changed and delivery.is_published:
            _forget_public_pages()
        flash(_("Saved.") if changed else _("Nothing was changed."), "success")
        return redirect(url_for(".edit", delivery_id=delivery.id) + "#photos")
    return render_template(
        "deliveries/organise/photo_form.html",
        petition=petition,
        delivery=delivery,
        photo=photo,
        form=form,
    ), form_status(form)


@bp.post("/hand-ins/<int:delivery_id>/photos/<int:photo_id>/delete")
@organiser_required
def delete_photo(delivery_id: int, photo_id: int) -> ResponseReturnValue:
    delivery, petition = _delivery_or_403(delivery_id)
    photo = _photo_or_404(delivery, photo_id)
    service.delete_photo(delivery, petition, photo)
    if delivery.is_published:
        _forget_public_pages()
    flash(_("The photo is deleted."), "success")
    return redirect(url_for(".edit", delivery_id=delivery.id) + "#photos")
