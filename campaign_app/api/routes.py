"""JSON endpoints: petitions and their counts, cacheable by browsers and proxies."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import datetime
from functools import cache
from importlib.resources import files
from typing import Any

from flask import abort, current_app, request
from flask.typing import ResponseReturnValue

from campaign_app.api import bp
from campaign_app.db import utcnow
from campaign_app.deliveries import service as deliveries_service
from campaign_app.deliveries.models import Delivery
from campaign_app.microcache import keep_whole_response, microcache
from campaign_app.petitions import service
from campaign_app.petitions.counting import Counts
from campaign_app.petitions.models import Petition, SignatureSource

SOURCES = tuple(SignatureSource)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment else None


def petition_summary(petition: Petition, counts: Counts) -> dict[str, Any]:
    return {
        "slug": petition.slug,
        "title": petition.title,
        "target": petition.target,
        "state": petition.public_state(utcnow()),
        "goal": petition.goal,
        "signature_count": counts.total,
        # Every source, also those with none yet: online + paper + import = signature_count.
        "counts_by_source": {
            source.value: counts.by_source.get(source.value, 0) for source in SOURCES
        },
        "opens_at": _iso(petition.opens_at),
        "closes_at": _iso(petition.closes_at),
        "url": f"{str(current_app.config['BASE_URL']).rstrip('/')}/petitions/{petition.slug}",
    }


def delivery_resource(delivery: Delivery) -> dict[str, Any]:
    """A published hand-in: what, where, how many, and its photos' addresses."""
    base = str(current_app.config["BASE_URL"]).rstrip("/")
    return {
        "delivered_on": delivery.delivered_on.isoformat(),
        "place": delivery.place,
        "recipient": delivery.recipient,
        "outcome": delivery.outcome.value,
        "signatures_online": delivery.signatures_online,
        "signatures_on_paper": delivery.signatures_on_paper,
        "note": delivery.note,
        "published_at": _iso(delivery.published_at),
        "photos": [
            {
                "url": f"{base}/hand-ins/photos/{photo.id}/{photo.file_name}",
                "alt": photo.alt_text,
                "caption": photo.caption,
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


def _cached(key: str, build: Callable[[], Any], max_age: int) -> ResponseReturnValue:
    """Serve JSON from the per-process micro-cache, building it on a miss; the whole answer
    (headers included) may be reused for plain requests while the entry lasts."""
    entry: tuple[bytes, str] | None = microcache().get(("api", key))
    if entry is None:
        body = json.dumps(build(), ensure_ascii=False, separators=(",", ":")).encode()
        entry = (body, hashlib.sha1(body, usedforsecurity=False).hexdigest())
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
        found = service.get_public_petition(slug) or abort(404)
        counts = service.get_counts(found)
        return petition_summary(found, counts) | {
            "counts_by_country": dict(sorted(counts.by_country.items())),
            "deliveries": [
                delivery_resource(delivery)
                for delivery in deliveries_service.published_deliveries(found.id)
            ],
        }

    return _cached(f"petition:{slug}", build, current_app.config["COUNT_CACHE_SECONDS"])


@cache
def _openapi_document() -> dict[str, Any]:
    import yaml  # only for the OpenAPI document, not at start

    text = files("campaign_app.api").joinpath("openapi.yaml").read_text(encoding="utf-8")
    document: dict[str, Any] = yaml.safe_load(text)
    return document


@bp.get("/openapi.json")
def openapi() -> ResponseReturnValue:
    return _cached("openapi", _openapi_document, 3600)
