"""JSON endpoints: petitions and their counts, cacheable by browsers and proxies."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from importlib.resources import files
from typing import Any

import yaml
from flask import abort, current_app, jsonify, request
from flask.typing import ResponseReturnValue

from campaign_app.api import bp
from campaign_app.db import utcnow
from campaign_app.petitions import service
from campaign_app.petitions.counting import Counts
from campaign_app.petitions.models import Petition


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
        "opens_at": _iso(petition.opens_at),
        "closes_at": _iso(petition.closes_at),
        "url": f"{str(current_app.config['BASE_URL']).rstrip('/')}/petitions/{petition.slug}",
    }


def _cached(payload: Any, max_age: int) -> ResponseReturnValue:
    response = jsonify(payload)
    response.cache_control.public = True
    response.cache_control.max_age = max_age
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/petitions")
def petitions() -> ResponseReturnValue:
    items = [petition_summary(p, service.get_counts(p)) for p in service.list_public_petitions()]
    return _cached({"petitions": items}, current_app.config["COUNT_CACHE_SECONDS"])


@bp.get("/petitions/<slug>")
def petition(slug: str) -> ResponseReturnValue:
    found = service.get_public_petition(slug) or abort(404)
    counts = service.get_counts(found)
    payload = petition_summary(found, counts) | {
        "counts_by_country": dict(sorted(counts.by_country.items())),
    }
    return _cached(payload, current_app.config["COUNT_CACHE_SECONDS"])


@cache
def _openapi_document() -> dict[str, Any]:
    text = files("campaign_app.api").joinpath("openapi.yaml").read_text(encoding="utf-8")
    document: dict[str, Any] = yaml.safe_load(text)
    return document


@bp.get("/openapi.json")
def openapi() -> ResponseReturnValue:
    return _cached(_openapi_document(), 3600)
