"""JSON endpoints: petitions and their counts, the prisoner registry; cacheable by browsers
and proxies."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import datetime
from functools import cache
from importlib.resources import files
from typing import Any
from urllib.parse import urlencode

from flask import abort, current_app, request
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import MultiDict

from campaign_app.api import bp
from campaign_app.db import utcnow
from campaign_app.deliveries import service as deliveries_service
from campaign_app.deliveries.models import Delivery
from campaign_app.extensions import db
from campaign_app.institutions.models import Region
from campaign_app.microcache import keep_whole_response, microcache
from campaign_app.petitions import service
from campaign_app.petitions.counting import Counts
from campaign_app.petitions.models import Petition, SignatureSource
from campaign_app.petitions.page import PageState, kept, read_page
from campaign_app.prisoners import forms as registry_forms
from campaign_app.prisoners import registry_cache
from campaign_app.prisoners import service as prisoners_service
from campaign_app.prisoners.models import Prisoner

SOURCES = tuple(SignatureSource)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment else None


def _fixed_part(petition: Petition) -> dict[str, Any]:
    """What a petition's resource holds that only an organiser's edit changes."""
    return {
        "slug": petition.slug,
        "title": petition.title,
        "target": petition.target,
        "goal": petition.goal,
        "opens_at": _iso(petition.opens_at),
        "closes_at": _iso(petition.closes_at),
        "url": f"{str(current_app.config['BASE_URL']).rstrip('/')}/petitions/{petition.slug}",
    }


def _summary(fixed: dict[str, Any], state: str, counts: Counts) -> dict[str, Any]:
    """A petition's resource: its fixed part, the state the public sees now, the counts."""
    return {
        "slug": fixed["slug"],
        "title": fixed["title"],
        "target": fixed["target"],
        "state": state,
        "goal": fixed["goal"],
        "signature_count": counts.total,
        # Every source, also those with none yet: online + paper + import = signature_count.
        "counts_by_source": {
            source.value: counts.by_source.get(source.value, 0) for source in SOURCES
        },
        "opens_at": fixed["opens_at"],
        "closes_at": fixed["closes_at"],
        "url": fixed["url"],
    }


def petition_summary(petition: Petition, counts: Counts) -> dict[str, Any]:
    return _summary(_fixed_part(petition), petition.public_state(utcnow()), counts)


def _translations(translations: dict[str, dict[str, str]] | None, **names: str) -> Any:
    """A row's translations by language, under the names the resource gives the fields
    (``names``: resource name -> column), languages and fields in a stable order."""
    found = {}
    for locale, texts in sorted((translations or {}).items()):
        kept = {name: texts[column] for name, column in names.items() if texts.get(column)}
        if kept:
            found[locale] = kept
    return found


def delivery_resource(delivery: Delivery) -> dict[str, Any]:
    """A published hand-in: what, where, how many, and its photos' addresses; its texts also
    in the languages the organisers translated them into."""
    base = str(current_app.config["BASE_URL"]).rstrip("/")
    return {
        "delivered_on": delivery.delivered_on.isoformat(),
        "place": delivery.place,
        "recipient": delivery.recipient,
        "outcome": delivery.outcome.value,
        "signatures_online": delivery.signatures_online,
        "signatures_on_paper": delivery.signatures_on_paper,
        "note": delivery.note,
        "translations": _translations(
            delivery.translations, place="place", recipient="recipient", note="note"
        ),
        "published_at": _iso(delivery.published_at),
        "photos": [
            {
                "url": f"{base}/hand-ins/photos/{photo.id}/{photo.file_name}",
                "alt": photo.alt_text,
                "caption": photo.caption,
                "translations": _translations(
                    photo.translations, alt="alt_text", caption="caption"
                ),
                "width": photo.width,
                "height": photo.height,
                "content_type": photo.content_type,
            }
            for photo in delivery.photos
        ],
    }


def _json_response(body: bytes, etag: str, max_age: int) -> ResponseReturnValue:
    """The JSON with its cache headers, or 304 when the client has it (If-None-Match).

    Headers written directly: werkzeug's cache_control, set_etag and make_conditional parse
    and rebuild them, which cost more than the rest of a micro-cached answer."""
    headers = {"Cache-Control": f"public, max-age={max_age}", "ETag": f'"{etag}"'}
    if "If-None-Match" in request.headers and request.if_none_match.contains(etag):
        return current_app.response_class(status=304, headers=headers)
    return current_app.response_class(body, mimetype="application/json", headers=headers)


def _entry(build: Callable[[], Any]) -> tuple[bytes, str]:
    """The JSON body of what ``build`` gives, and its ETag."""
    body = json.dumps(build(), ensure_ascii=False, separators=(",", ":")).encode()
    return body, hashlib.sha1(body, usedforsecurity=False).hexdigest()


def _cached(key: str, build: Callable[[], Any], max_age: int) -> ResponseReturnValue:
    """Serve JSON from the per-process micro-cache, building it on a miss; the whole answer
    (headers included) may be reused for plain requests while the entry lasts."""
    entry: tuple[bytes, str] | None = microcache().get(("api", key))
    if entry is None:
        entry = _entry(build)
        microcache().set(("api", key), entry)
    keep_whole_response(("api", key), entry)
    return _json_response(*entry, max_age=max_age)


@bp.get("/petitions")
def petitions() -> ResponseReturnValue:
    def build() -> dict[str, Any]:
        items = service.list_public_petitions()
        return {"petitions": [petition_summary(p, service.get_counts(p)) for p in items]}

    return _cached("petitions", build, current_app.config["COUNT_CACHE_SECONDS"])


@bp.get("/petitions/<slug>")
def petition(slug: str) -> ResponseReturnValue:
    def build() -> dict[str, Any]:
        # The petition page's own statement: the petition, its content version and its
        # counts in one round trip, no ORM object; the rest is kept per content version.
        found = read_page(slug, limit=0) or abort(404)
        state, live = found
        counts = live.counts
        return _summary(fixed := _kept_part(state), state.public_state(utcnow()), counts) | {
            "counts_by_country": dict(sorted(counts.by_country.items())),
            "deliveries": fixed["deliveries"],
        }

    return _cached(f"petition:{slug}", build, current_app.config["COUNT_CACHE_SECONDS"])


def _kept_part(state: PageState) -> dict[str, Any]:
    """The fixed part of a petition's resource with its published hand-ins, built once per
    content version of its page (which moves with every edit of the petition or a hand-in)."""
    parts = kept(current_app, _KEPT_PARTS)
    key = (state.id, state.version)
    part: dict[str, Any] | None = parts.get(key)
    if part is None:
        petition = db.session.get_one(Petition, state.id)
        part = _fixed_part(petition) | {
            "deliveries": [
                delivery_resource(delivery)
                for delivery in deliveries_service.published_deliveries(state.id)
            ]
        }
        parts.set(key, part)
    return part


_KEPT_PARTS = "api_petition_parts"


# Prisoners ------------------------------------------------------------------------------

# What each parameter must be, for the 400 answer (the API speaks English).
_PARAMETER_RULES = {
    "q": f"at most {registry_forms.MAX_QUERY_LENGTH} characters",
    "status": "one of imprisoned, transferred, released, unknown",
    "mail": "yes or no",
    "month": "a month number from 1 to 12",
    "institution": "the code or id of an institution holding a listed prisoner",
    "region": "one of " + ", ".join(region.value for region in Region),
    "sort": "name or fewest-cards",
    "page": f"a whole number from 1 to {registry_forms.MAX_PAGE}",
    "per_page": f"a whole number from 1 to {registry_forms.MAX_PER_PAGE}",
}


def _site_url(path: str) -> str:
    return f"{str(current_app.config['BASE_URL']).rstrip('/')}{path}"


def prisoner_summary(prisoner: Prisoner) -> dict[str, Any]:
    """The public facts of one prisoner, as the prisoner's page shows them."""
    return {
        "slug": prisoner.slug,
        "name": prisoner.name_latin,
        "names": {
            "latin": {"given": prisoner.given_name_latin, "surname": prisoner.surname_latin},
            "ru": {
                "given": prisoner.given_name_ru,
                "patronymic": prisoner.patronymic_ru,
                "surname": prisoner.surname_ru,
            },
            "be": {
                "given": prisoner.given_name_be,
                "patronymic": prisoner.patronymic_be,
                "surname": prisoner.surname_be,
            },
        },
        "birth_date": prisoner.birth_date.isoformat() if prisoner.birth_date else None,
        "status": prisoner.status.value,
        "can_receive_mail": prisoner.can_receive_mail,
        "mail_getting_through": prisoner.is_mail_getting_through,
        "mail_note_as_of": (
            prisoner.mail_note_as_of.isoformat() if prisoner.mail_note_as_of else None
        ),
        "card_languages": [language.value for language in prisoner.card_language_options],
        "cards_sent": prisoner.cards_sent,
        "institution": _institution_summary(prisoner),
        "url": _site_url(f"/prisoners/{prisoner.slug}"),
    }


def _institution_summary(prisoner: Prisoner) -> dict[str, Any] | None:
    """Where the prisoner is held (names and region; the address is on the prisoner's page)."""
    institution = prisoner.institution
    if institution is None:
        return None
    return {
        "id": institution.id,
        "code": institution.code,
        "names": {
            "ru": institution.name_ru,
            "be": institution.name_be,
            "latin": institution.name_latin,
        },
        "region": institution.region.value,
    }


def _bad_parameters(fields: dict[str, str]) -> dict[str, Any]:
    """The body of the 400 answer naming the invalid parameters."""
    names = ", ".join(sorted(fields))
    return {"error": {"status": 400, "message": f"Invalid parameters: {names}", "fields": fields}}


# The parameters of the API's pages beside the registry's filters.
_PAGING = ("page", "per_page")


@bp.get("/prisoners")
def prisoners() -> ResponseReturnValue:
    """The public registry: the page's search, filters and order, page by page.

    An answer depends only on the parameters and the registry's rows: it is kept per
    registry version (prisoners.registry_cache), and a few seconds in the micro-cache,
    whose whole answer a plain request may get."""
    key = ("api", "prisoners?" + urlencode(registry_forms.registry_args(request.args, *_PAGING)))
    entry: tuple[bytes, str] | None = microcache().get(key)
    if entry is None:
        answer = registry_cache.kept(
            (*key, current_app.config["BASE_URL"]), lambda: _prisoners_answer(request.args)
        )
        if isinstance(answer, dict):
            return answer, 400
        entry = answer
        microcache().set(key, entry)
    keep_whole_response(key, entry, with_query=True)
    return _json_response(*entry, max_age=current_app.config["COUNT_CACHE_SECONDS"])


def _prisoners_answer(args: MultiDict[str, str]) -> tuple[bytes, str] | dict[str, Any]:
    """The JSON of one page of the registry and its ETag, or the body of the 400 answer."""
    form = registry_forms.RegistryForm(args)
    page = registry_forms.parse_page(args.get("page"))
    per_page = registry_forms.parse_per_page(args.get("per_page"))
    invalid = {name: _PARAMETER_RULES[name] for name in form.errors} if not form.validate() else {}
    if page is None:
        invalid["page"] = _PARAMETER_RULES["page"]
    if per_page is None:
        invalid["per_page"] = _PARAMETER_RULES["per_page"]
    if invalid or page is None or per_page is None:
        return _bad_parameters(invalid)
    filters = form.to_filters()
    query = filters.query_args()

    def link(number: int) -> str:
        linked = query | {"page": str(number)}
        if per_page != registry_forms.PER_PAGE:
            linked["per_page"] = str(per_page)
        return _site_url(f"/api/v1/prisoners?{urlencode(linked)}")

    result = prisoners_service.search_registry(filters, page, per_page, "en", with_addresses=False)
    if result.is_past_the_end:
        abort(404)
    return _entry(
        lambda: {
            "prisoners": [prisoner_summary(prisoner) for prisoner in result.prisoners],
            "total": result.total,
            "page": result.page,
            "per_page": result.per_page,
            "pages": result.pages,
            "next": link(page + 1) if page < result.pages else None,
            "previous": link(page - 1) if page > 1 else None,
        }
    )


@cache
def _openapi_document() -> dict[str, Any]:
    import yaml  # only for the OpenAPI document, not at start

    text = files("campaign_app.api").joinpath("openapi.yaml").read_text(encoding="utf-8")
    document: dict[str, Any] = yaml.safe_load(text)
    return document


@bp.get("/openapi.json")
def openapi() -> ResponseReturnValue:
    return _cached("openapi", _openapi_document, 3600)
