"""Public news pages: an update's own page, and stopping the news (a page with one button,
and the RFC 8058 one-click POST that mail programs send)."""

from __future__ import annotations

from flask import abort, render_template
from flask.typing import ResponseReturnValue
from flask_babel import get_locale

from campaign_app.news import bp, service
from campaign_app.news.tokens import InvalidUnsubscribeToken, signature_id_from
from campaign_app.petitions import service as petitions_service
from campaign_app.security import signed_link_post


@bp.get("/petitions/<slug>/news/<int:update_id>")
def show(slug: str, update_id: int) -> ResponseReturnValue:
    petition = petitions_service.get_public_petition(slug)
    if petition is None:
        abort(404)
    update = service.public_update(petition, update_id, str(get_locale()))
    if update is None:
        abort(404)
    return render_template("news/show.html", petition=petition, update=update)


# A GET never unsubscribes (link scanners open every link): it shows the button.
@bp.get("/news/unsubscribe/<token>")
def unsubscribe(token: str) -> ResponseReturnValue:
    if token == "test":  # noqa: S105 - the link in an organiser's test e-mail
        return render_template("news/unsubscribe.html", token=token, is_test=True)
    try:
        signature_id_from(token)
    except InvalidUnsubscribeToken:
        return render_template("news/unsubscribe_invalid.html"), 404
    return render_template("news/unsubscribe.html", token=token, is_test=False)


# The button's form and mail programs' one-click POST ("List-Unsubscribe=One-Click"): the
# signed token is the proof, there is no session and no CSRF token to check. No rate limit:
# a big mail provider sends its users' one-click POSTs from a few addresses.
@bp.post("/news/unsubscribe/<token>")
@signed_link_post
def unsubscribe_post(token: str) -> ResponseReturnValue:
    if token == "test":  # noqa: S105
        return render_template("news/unsubscribed.html", is_test=True)
    try:
        service.withdraw_consent(token)
    except InvalidUnsubscribeToken:
        return render_template("news/unsubscribe_invalid.html"), 404
    return render_template("news/unsubscribed.html", is_test=False)
