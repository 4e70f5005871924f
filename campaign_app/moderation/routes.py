"""Moderation pages: search a petition's signatures, invalidate and restore them, reports.

Search conditions never travel in URLs: the form is POSTed, remembered in the session
under a random id, and the results pages carry only that id (and a keyset position).
"""

from __future__ import annotations

import secrets
from typing import Any

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_number, ngettext
from flask_babel import gettext as _

from campaign_app.accounts.access import current_user, organiser_required, petition_or_403
from campaign_app.countries import country_name
from campaign_app.moderation import bp, forms
from campaign_app.moderation.criteria import Criteria, NameSearchTooBroad
from campaign_app.moderation.models import BatchState, InvalidationBatch
from campaign_app.moderation.service import invalidating, reporting, searching
from campaign_app.petitions.models import Petition

_SEARCHES = "moderation_searches"
_SEARCHES_KEPT = 5


# Remembered searches ----------------------------------------------------------------------


def _remember(petition_id: int, criteria: Criteria) -> str:
    """Keep ``criteria`` in the session; the returned id is all a URL carries."""
    token = secrets.token_urlsafe(9)
    saved = [entry for entry in session.get(_SEARCHES, []) if isinstance(entry, list)]
    saved.append([token, petition_id, criteria.to_json()])
    session[_SEARCHES] = saved[-_SEARCHES_KEPT:]
    return token


def _recall(petition_id: int, token: str) -> Criteria | None:
    for entry in session.get(_SEARCHES, []):
        if isinstance(entry, list) and len(entry) == 3 and entry[0] == token:
            if entry[1] != petition_id:
                return None
            try:
                return Criteria.from_json(entry[2])
            except (TypeError, ValueError):
                return None
    return None


def _expired(petition: Petition) -> ResponseReturnValue:
    flash(_("That search is no longer remembered. Please search again."), "info")
    return redirect(url_for(".index", petition_id=petition.id))


# Showing criteria -------------------------------------------------------------------------


def describe(criteria: Criteria) -> list[tuple[str, str]]:
    """The conditions as (label, value) lines for a page (personal ones as typed, or noted)."""
    lines: list[tuple[str, str]] = []
    if criteria.email:
        lines.append((_("E-mail address"), criteria.email))
    if criteria.domain:
        lines.append((_("E-mail domain"), criteria.domain))
    if criteria.name:
        lines.append((_("Name contains"), criteria.name))
    if criteria.sealed_name:
        lines.append((_("Name contains"), _("(kept encrypted until the batch has run)")))
    for key in criteria.given:
        label = _("E-mail address") if key == "email" else _("Name contains")
        lines.append((label, _("(given; not kept)")))
    if criteria.country:
        lines.append((_("Country"), country_name(criteria.country)))
    if criteria.signed_from is not None:
        lines.append((_("Signed from (UTC)"), criteria.signed_from.strftime(forms.SHOWN_FORMAT)))
    if criteria.signed_to is not None:
        lines.append((_("Signed until (UTC)"), criteria.signed_to.strftime(forms.SHOWN_FORMAT)))
    if criteria.ip_hash:
        lines.append((_("IP hash"), criteria.ip_hash))
    if criteria.state:
        lines.append((_("State"), criteria.state))
    if criteria.signature_id is not None and criteria.signature_id >= 0:
        lines.append((_("Signature"), f"#{criteria.signature_id}"))
    if criteria.up_to_id is not None:
        lines.append((_("Signatures up to"), f"#{criteria.up_to_id}"))
    return lines


# Search -----------------------------------------------------------------------------------


def _index_page(
    petition: Petition,
    form: forms.SearchForm,
    criteria: Criteria | None = None,
    token: str = "",
    before: int | None = None,
) -> str:
    page = searching.search(petition, criteria, before) if criteria is not None else None
    return render_template(
        "moderation/index.html",
        petition=petition,
        form=form,
        criteria=criteria,
        token=token,
        before=before,
        page=page,
        conditions=describe(criteria) if criteria is not None else [],
        batches=invalidating.recent_batches(petition),
        search_button=forms.SearchIdForm(formdata=None, data={"search": token}),
        ip_hash_shown=searching.IP_HASH_SHOWN,
    )


@bp.get("/petitions/<int:petition_id>/moderation")
@organiser_required
def index(petition_id: int) -> ResponseReturnValue:
    petition = petition_or_403(petition_id)
    token = request.args.get("search", "", type=str)[:40]
    before = request.args.get("before", type=int)
    criteria = _recall(petition.id, token) if token else None
    if token and criteria is None:
        return _expired(petition)
    data = forms.SearchForm.data_of(criteria) if criteria is not None else None
    form = forms.SearchForm(formdata=None, data=data)
    return _index_page(petition, form, criteria, token, before)


@bp.post("/petitions/<int:petition_id>/moderation")
@organiser_required
def search(petition_id: int) -> ResponseReturnValue:
    petition = petition_or_403(petition_id)
    form = forms.SearchForm()
    if not form.validate_on_submit():
        return _index_page(petition, form), 400
    criteria = form.to_criteria(searching.dot_insensitive_domains())
    token = _remember(petition.id, criteria)
    return redirect(url_for(".index", petition_id=petition.id, search=token))


# Bulk invalidation ------------------------------------------------------------------------


def _too_broad(petition: Petition, token: str, error: NameSearchTooBroad) -> ResponseReturnValue:
    flash(
        _(
            "Names are stored encrypted, so a name condition reads them one by one: at most"
            " %(limit)s signatures at once, and the other conditions select %(rows)s. Narrow"
            " them (dates, country, e-mail domain) first.",
            limit=format_number(error.limit),
            rows=format_number(error.rows),
        ),
        "error",
    )
    return redirect(url_for(".index", petition_id=petition.id, search=token))


def _preview_page(
    petition: Petition,
    criteria: Criteria,
    token: str,
    count: int,
    form: forms.InvalidateManyForm | None = None,
    message: str = "",
) -> str:
    if form is None:
        form = forms.InvalidateManyForm(formdata=None, data={"search": token, "expected": count})
    else:
        form.expected.data = count
        form.expected.raw_data = None
    return render_template(
        "moderation/preview.html",
        petition=petition,
        conditions=describe(criteria),
        token=token,
        count=count,
        form=form,
        message=message,
    )


@bp.post("/petitions/<int:petition_id>/moderation/preview")
@organiser_required
def preview(petition_id: int) -> ResponseReturnValue:
    petition = petition_or_403(petition_id)
    form = forms.SearchIdForm()
    token = form.search.data or ""
    criteria = _recall(petition.id, token) if form.validate_on_submit() else None
    if criteria is None:
        return _expired(petition)
    try:
        count = invalidating.preview(petition, criteria)
    except NameSearchTooBroad as error:
        return _too_broad(petition, token, error)
    except invalidating.NoConditions:
        flash(
            _("Choose at least one condition besides the state before invalidating in bulk."),
            "error",
        )
        return redirect(url_for(".index", petition_id=petition.id, search=token))
    return _preview_page(petition, criteria, token, count)


@bp.post("/petitions/<int:petition_id>/moderation/batches")
@organiser_required
def invalidate(petition_id: int) -> ResponseReturnValue:
    petition = petition_or_403(petition_id)
    form = forms.InvalidateManyForm()
    token = form.search.data or ""
    criteria = _recall(petition.id, token)
    if criteria is None:
        return _expired(petition)
    try:
        if not form.validate_on_submit():
            count = invalidating.count_active(petition, criteria)
            return _preview_page(petition, criteria, token, count, form), 400
        batch = invalidating.start_invalidation(
            petition, criteria, form.reason.data or "", form.expected.data or 0, current_user()
        )
    except NameSearchTooBroad as error:
        return _too_broad(petition, token, error)
    except invalidating.NoConditions:
        flash(
            _("Choose at least one condition besides the state before invalidating in bulk."),
            "error",
        )
        return redirect(url_for(".index", petition_id=petition.id, search=token))
    except invalidating.NothingMatches:
        message = _("No pending or confirmed signature matches: nothing was invalidated.")
        return _preview_page(petition, criteria, token, 0, form, message), 400
    except invalidating.CountChanged as changed:
        message = _(
            "The number of matching signatures changed from %(shown)s to %(now)s."
            " Please check it and confirm again.",
            shown=form.expected.data,
            now=changed.count,
        )
        return _preview_page(petition, criteria, token, changed.count, form, message), 409
    flash(
        ngettext(
            "Invalidating %(num)s signature.", "Invalidating %(num)s signatures.", batch.expected
        ),
        "success",
    )
    return redirect(url_for(".batch", petition_id=petition.id, batch_id=batch.id))


# One signature ----------------------------------------------------------------------------


@bp.route(
    "/petitions/<int:petition_id>/signatures/<int:signature_id>/invalidate",
    methods=["GET", "POST"],
)
@organiser_required
def invalidate_one(petition_id: int, signature_id: int) -> ResponseReturnValue:
    petition = petition_or_403(petition_id)
    signature = searching.get_signature(petition, signature_id)
    if signature is None:
        abort(403)  # the same answer as for other campaigns' objects
    form = forms.InvalidateOneForm()
    if not form.validate_on_submit():
        status = 400 if form.errors else 200
        return render_template(
            "moderation/invalidate_one.html", petition=petition, signature=signature, form=form
        ), status
    try:
        batch = invalidating.invalidate_signature(
            petition, signature.id, form.reason.data or "", current_user()
        )
    except invalidating.AlreadyInvalidated:
        flash(_("That signature is invalidated already."), "info")
        return redirect(url_for(".index", petition_id=petition.id))
    flash(_("Signature #%(id)s invalidated.", id=signature_id), "success")
    return redirect(url_for(".batch", petition_id=petition.id, batch_id=batch.id))


# Batches ----------------------------------------------------------------------------------


def _batch_or_403(petition: Petition, batch_id: int) -> InvalidationBatch:
    batch = invalidating.get_batch(petition, batch_id)
    if batch is None:
        abort(403)
    return batch


def _status_text(batch: InvalidationBatch) -> str:
    done, total = invalidating.progress_of(batch)
    texts = {
        BatchState.QUEUED: _("Waiting for the queue worker…"),
        BatchState.RUNNING: _("%(done)s of %(total)s signatures invalidated…"),
        BatchState.DONE: _("Finished: %(invalidated)s signatures invalidated."),
        BatchState.FAILED: _("Stopped after %(done)s of %(total)s; it will be retried."),
        BatchState.RESTORING: _("%(done)s of %(total)s signatures restored…"),
        BatchState.RESTORED: _("Restored: %(done)s signatures count as before."),
    }
    return str(texts[batch.state]) % {
        "done": done,
        "total": total,
        "invalidated": batch.invalidated,
    }


@bp.get("/petitions/<int:petition_id>/moderation/batches/<int:batch_id>")
@organiser_required
def batch(petition_id: int, batch_id: int) -> ResponseReturnValue:
    petition = petition_or_403(petition_id)
    found = _batch_or_403(petition, batch_id)
    done, total = invalidating.progress_of(found)
    return render_template(
        "moderation/batch.html",
        petition=petition,
        batch=found,
        conditions=describe(Criteria.from_json(found.criteria)),
        done=done,
        total=total,
        busy=invalidating.is_busy(found),
        status_text=_status_text(found),
        restorable=found.state in (BatchState.DONE, BatchState.FAILED),
        restore_form=forms.ButtonForm(formdata=None),
    )


@bp.get("/petitions/<int:petition_id>/moderation/batches/<int:batch_id>/status")
@organiser_required
def batch_status(petition_id: int, batch_id: int) -> ResponseReturnValue:
    petition = petition_or_403(petition_id)
    found = _batch_or_403(petition, batch_id)
    done, total = invalidating.progress_of(found)
    body: dict[str, Any] = {
        "state": found.state.value,
        "done": done,
        "total": total,
        "finished": not invalidating.is_busy(found),
        "text": _status_text(found),
    }
    return body, 200, {"Cache-Control": "no-store"}


@bp.post("/petitions/<int:petition_id>/moderation/batches/<int:batch_id>/restore")
@organiser_required
def restore_batch(petition_id: int, batch_id: int) -> ResponseReturnValue:
    petition = petition_or_403(petition_id)
    found = _batch_or_403(petition, batch_id)
    form = forms.ButtonForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        invalidating.start_restore(found, current_user())
    except invalidating.NotRestorable:
        flash(_("This batch cannot be restored now."), "error")
    else:
        flash(_("Restoring the signatures of this batch."), "success")
    return redirect(url_for(".batch", petition_id=petition.id, batch_id=found.id))


# Reports ----------------------------------------------------------------------------------


@bp.get("/petitions/<int:petition_id>/moderation/reports")
@organiser_required
def reports(petition_id: int) -> ResponseReturnValue:
    petition = petition_or_403(petition_id)
    windows = [
        (_("Last hour"), reporting.busiest(petition, hours=1)),
        (_("Last 24 hours"), reporting.busiest(petition, hours=24)),
    ]
    return render_template(
        "moderation/reports.html",
        petition=petition,
        windows=windows,
        shown_format=forms.SHOWN_FORMAT,
        button=forms.ButtonForm(formdata=None),
    )
