"""Share redirects, the Mastodon form, the share image, the embeddable counter and its snippet."""

from __future__ import annotations

from flask import Response, abort, current_app, g, redirect, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import force_locale, format_number, get_locale, ngettext
from flask_babel import gettext as _

from campaign_app.accounts.access import organiser_required, petition_or_403
from campaign_app.db import utcnow
from campaign_app.i18n import offered_languages
from campaign_app.microcache import microcache
from campaign_app.petitions.models import Petition
from campaign_app.security import csp_overrides
from campaign_app.sharing import bp, service
from campaign_app.sharing.forms import MastodonForm

bp.record_once(lambda state: service.init_image_cache(state.app))


@bp.app_template_global()
def petition_share(petition: Petition) -> dict[str, object]:
    """What the petition page needs for its share links and OpenGraph tags (worked out once
    per request: the page's head and its share box both ask)."""
    key = (petition.id, str(get_locale()))
    shares: dict[tuple[int, str], dict[str, object]] = g.setdefault("_petition_shares", {})
    if key not in shares:
        shares[key] = _petition_share(petition)
    return shares[key]


def _petition_share(petition: Petition) -> dict[str, object]:
    return {
        "url": service.petition_url(petition),
        # The image is in the page's language, and its URL says which: a link preview shows
        # the words of the page it was shared from, and caches keep one image per language.
        "image_url": service.absolute_url(
            "sharing.image_in", slug=petition.slug, language=str(get_locale())
        ),
        "image_width": 1200,
        "image_height": 630,
        "links": service.share_links(petition),
    }


def _public_petition_or_404(slug: str) -> Petition:
    petition = service.public_petition(slug)
    if petition is None:
        abort(404)
    return petition


@bp.get("/share/<any(telegram, x, facebook):network>/<slug>")
def share(network: str, slug: str) -> ResponseReturnValue:
    """Send the visitor on to the network's share page (the petition page links only to us)."""
    petition = _public_petition_or_404(slug)
    response = redirect(service.network_share_url(network, petition), code=303)
    response.cache_control.public = True
    response.cache_control.max_age = 300
    response.vary.update(("Accept-Language", "Cookie"))  # the text shared is the reader's
    return response


# The form is sent to this site, which redirects to the server named: browsers apply
# form-action to that redirect too, so this page alone allows https: targets.
@bp.get("/share/mastodon")
@csp_overrides(form_action="'self' https:")
def mastodon() -> ResponseReturnValue:
    petition = _public_petition_or_404(request.args.get("petition", ""))
    form = MastodonForm(formdata=request.args if "instance" in request.args else None)
    form.petition.data = petition.slug
    if "instance" in request.args and form.validate():
        try:
            host = service.mastodon_instance(form.instance.data)
        except service.InvalidInstance:
            form.instance.errors = [
                _("Please enter just the server's name, like mastodon.social or mstdn.io.")
            ]
        else:
            return redirect(service.mastodon_share_url(host, petition), code=303)
    status = 400 if form.errors else 200
    return render_template("sharing/mastodon.html", petition=petition, form=form), status


def _count_line(total: int) -> str:
    return str(
        ngettext("%(count)s signature", "%(count)s signatures", total, count=format_number(total))
    )


@bp.get("/petitions/<slug>/share/<language>.png")
def image_in(slug: str, language: str) -> ResponseReturnValue:
    """The OpenGraph image in ``language``: title, confirmed count and campaign, 1200 x 630."""
    if language not in offered_languages():
        abort(404)
    with force_locale(language):
        response = _image_response(slug, language)
    return response


@bp.get("/petitions/<slug>/share.png")
def image(slug: str) -> ResponseReturnValue:
    """The share image in the request's language (links shared before it had its own)."""
    response = _image_response(slug, str(get_locale()))
    response.vary.update(("Accept-Language", "Cookie"))
    return response


def _image_response(slug: str, language: str) -> Response:
    key = ("share-image", slug, language)
    png: service.SharePng | None = microcache().get(key)
    if png is None:
        petition = _public_petition_or_404(slug)
        total = service.confirmed_total(petition)
        png = service.share_image(petition, _count_line(total), total, language)
        microcache().set(key, png)
    response = current_app.response_class(png.data, mimetype="image/png")
    response.cache_control.public = True
    response.cache_control.max_age = service.IMAGE_SECONDS
    response.set_etag(png.etag)
    response.make_conditional(request)
    return response


@bp.get("/embed/petitions/<slug>")
@csp_overrides(frame_ancestors="*")
def embed(slug: str) -> ResponseReturnValue:
    """The counter other sites frame: no site chrome, no cookies, no scripts."""
    key = ("embed", slug, str(get_locale()))
    page: tuple[str, int] | None = microcache().get(key)
    if page is None:
        petition = service.public_petition(slug)
        if petition is None:  # not cached: made-up slugs must not push real pages out
            page = (render_template("sharing/embed_missing.html"), 404)
        else:
            html = render_template(
                "sharing/embed.html",
                petition=petition,
                total=service.confirmed_total(petition),
                petition_url=service.petition_url(petition),
                is_open=petition.is_open_at(utcnow()),
            )
            page = (html, 200)
            microcache().set(key, page)
    response = current_app.response_class(page[0], status=page[1], mimetype="text/html")
    response.cache_control.public = True
    response.cache_control.max_age = int(current_app.config["COUNT_CACHE_SECONDS"])
    response.vary.update(("Accept-Language", "Cookie"))
    return response


@bp.get("/organise/petitions/<int:petition_id>/embed")
@organiser_required
def embed_snippet(petition_id: int) -> ResponseReturnValue:
    """The snippets an organiser pastes into their site, with a live preview."""
    petition = petition_or_403(petition_id)
    iframe, script = service.embed_snippets(petition)
    return render_template(
        "sharing/embed_snippet.html",
        petition=petition,
        iframe_snippet=iframe,
        script_snippet=script,
        is_public=service.public_petition(petition.slug) is not None,
    )
