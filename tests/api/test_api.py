"""The read-only JSON API: petitions, counts, caching, the OpenAPI document."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import event

from campaign_app.db import utcnow
from campaign_app.extensions import db
from campaign_app.petitions import counting
from campaign_app.petitions.models import PetitionState, SignatureState
from tests.factories import make_petition, make_signature
from tests.support.web import text_of

# A COUNT over the signature table itself (not over signature_count, the counter shards).
# A count over the signature table (not signature_count): count(signature.x), or a count(...)
# whose FROM is the signature table. The page is one statement holding other counts (of
# translations, addresses...) and a read of the latest signers: only counting rows is refused.
COUNT_OVER_SIGNATURES = re.compile(
    r"count\s*\(\s*(signature\.|[^)]*\)(\s+AS\s+\w+)?\s+FROM\s+signature\b(?!_))", re.I
)
assert COUNT_OVER_SIGNATURES.search("SELECT count(*) AS count_1 FROM signature WHERE x")
assert COUNT_OVER_SIGNATURES.search("SELECT count(signature.id) FROM signature")
assert not COUNT_OVER_SIGNATURES.search("SELECT count(*) FROM signature_count")
assert not COUNT_OVER_SIGNATURES.search(
    "(SELECT count(*) FROM petition_translation), (SELECT signature.first_name FROM signature)"
)


def test_list_shows_open_then_closed_without_drafts_or_archived(app, client):
    now = utcnow()
    closed_new = make_petition(
        title="Closed recently", state=PetitionState.CLOSED, opens_at=now - timedelta(days=2)
    )
    open_old = make_petition(title="Open old", opens_at=now - timedelta(days=30))
    open_new = make_petition(title="Open new", opens_at=now - timedelta(days=3))
    make_petition(title="A draft", state=PetitionState.DRAFT)
    make_petition(title="Archived", state=PetitionState.ARCHIVED)

    response = client.get("/api/v1/petitions")

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    listed = [(p["slug"], p["state"]) for p in response.json["petitions"]]
    assert listed == [
        (open_new.slug, "open"),
        (open_old.slug, "open"),
        (closed_new.slug, "closed"),
    ]


def test_list_is_empty_without_public_petitions(app, client):
    make_petition(state=PetitionState.DRAFT)
    assert client.get("/api/v1/petitions").json == {"petitions": []}


def test_petition_gives_counts_dates_and_details(app, client):
    petition = make_petition(
        slug="free-ales",
        title="Free Ales Bialiatski",
        goal=5000,
        opens_at=datetime(2011, 11, 24, 9, 30, tzinfo=UTC),
        closes_at=datetime(2099, 8, 4, tzinfo=UTC),
    )
    for country in ["NL", "NL", "BE", "DE", "NL"]:
        make_signature(petition, country=country)
    make_signature(petition, country="FR", state=SignatureState.PENDING)
    make_signature(petition, country="FR", state=SignatureState.INVALIDATED)

    response = client.get("/api/v1/petitions/free-ales")

    assert response.status_code == 200
    data = response.json
    assert data["slug"] == "free-ales"
    assert data["title"] == "Free Ales Bialiatski"
    assert data["target"] == "President of the Republic of Belarus"
    assert data["state"] == "open"
    assert data["goal"] == 5000
    assert data["signature_count"] == 5
    assert data["counts_by_country"] == {"BE": 1, "DE": 1, "NL": 3}
    assert data["opens_at"] == "2011-11-24T09:30:00Z"
    assert data["closes_at"] == "2099-08-04T00:00:00Z"
    assert data["url"] == "http://campaign.test/petitions/free-ales"


def test_petition_without_close_date_and_signatures(app, client):
    petition = make_petition()
    data = client.get(f"/api/v1/petitions/{petition.slug}").json
    assert data["closes_at"] is None
    assert data["signature_count"] == 0
    assert data["counts_by_country"] == {}


def test_closed_and_archived_petitions_are_still_readable(app, client):
    closed = make_petition(state=PetitionState.CLOSED)
    make_signature(closed, country="NL")
    data = client.get(f"/api/v1/petitions/{closed.slug}").json
    assert (data["state"], data["signature_count"]) == ("closed", 1)


def test_unknown_slug_is_a_json_404(app, client):
    response = client.get("/api/v1/petitions/no-such-petition")
    assert response.status_code == 404
    assert response.mimetype == "application/json"
    assert response.json == {"error": {"status": 404, "message": "Page not found"}}


def test_draft_petition_is_a_404(app, client):
    draft = make_petition(state=PetitionState.DRAFT, title="Secret draft")
    response = client.get(f"/api/v1/petitions/{draft.slug}")
    assert response.status_code == 404
    assert "Secret draft" not in response.get_data(as_text=True)
    assert response.json["error"]["status"] == 404


def test_responses_are_cacheable_and_conditional(app, client):
    petition = make_petition()
    make_signature(petition)
    for path in ["/api/v1/petitions", f"/api/v1/petitions/{petition.slug}"]:
        response = client.get(path)
        assert response.status_code == 200
        assert response.cache_control.public
        assert response.cache_control.max_age == app.config["COUNT_CACHE_SECONDS"] == 10
        etag = response.headers["ETag"]
        assert etag

        again = client.get(path, headers={"If-None-Match": etag})
        assert again.status_code == 304
        assert again.get_data() == b""

        stale = client.get(path, headers={"If-None-Match": '"not-the-etag"'})
        assert stale.status_code == 200


def test_etag_changes_when_the_count_changes(app, client):
    petition = make_petition()
    path = f"/api/v1/petitions/{petition.slug}"
    etag = client.get(path).headers["ETag"]
    make_signature(petition)
    response = client.get(path, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert response.json["signature_count"] == 1
    assert response.headers["ETag"] != etag


def test_cache_seconds_follow_the_setting(app, client):
    app.config["COUNT_CACHE_SECONDS"] = 42
    petition = make_petition()
    response = client.get(f"/api/v1/petitions/{petition.slug}")
    assert response.cache_control.max_age == 42


# OpenAPI --------------------------------------------------------------------------------


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """Follow a local $ref such as "#/components/schemas/Petition"."""
    while "$ref" in schema:
        node: Any = document
        for part in schema["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def _required_and_properties(document: dict[str, Any], schema: dict[str, Any]):
    """The required names and the declared properties of a schema, through allOf."""
    schema = _resolve(document, schema)
    required = set(schema.get("required", []))
    properties = set(schema.get("properties", {}))
    for part in schema.get("allOf", []):
        more_required, more_properties = _required_and_properties(document, part)
        required |= more_required
        properties |= more_properties
    return required, properties


def _response_schema(document: dict[str, Any], path: str) -> dict[str, Any]:
    ok = document["paths"][path]["get"]["responses"]["200"]
    return _resolve(document, ok["content"]["application/json"]["schema"])


def test_openapi_document_describes_the_endpoints(app, client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    document = response.json
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"]
    assert {"/petitions", "/petitions/{slug}"} <= set(document["paths"])
    not_found = document["paths"]["/petitions/{slug}"]["get"]["responses"]["404"]
    error_schema = _resolve(document, not_found["content"]["application/json"]["schema"])
    assert error_schema["required"] == ["error"]


def test_every_field_of_a_petition_is_declared_and_required(app, client):
    petition = make_petition(closes_at=utcnow() + timedelta(days=30))
    make_signature(petition, country="BE")
    document = client.get("/api/v1/openapi.json").json

    data = client.get(f"/api/v1/petitions/{petition.slug}").json
    required, properties = _required_and_properties(
        document, _response_schema(document, "/petitions/{slug}")
    )
    assert set(data) == required
    assert set(data) == properties

    listing = client.get("/api/v1/petitions").json
    list_schema = _response_schema(document, "/petitions")
    assert set(listing) == set(list_schema["required"])
    item_required, item_properties = _required_and_properties(
        document, list_schema["properties"]["petitions"]["items"]
    )
    [item] = listing["petitions"]
    assert set(item) == item_required == item_properties


def test_error_body_matches_the_declared_error_schema(app, client):
    document = client.get("/api/v1/openapi.json").json
    not_found = document["paths"]["/petitions/{slug}"]["get"]["responses"]["404"]
    schema = _resolve(document, not_found["content"]["application/json"]["schema"])
    body = client.get("/api/v1/petitions/missing").json
    assert set(body) == set(schema["required"])
    assert set(body["error"]) == set(schema["properties"]["error"]["required"])


# Counting never scans the signatures ----------------------------------------------------


@contextmanager
def recorded_statements() -> Iterator[list[str]]:
    """Every SQL statement sent to the database while the block runs."""
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def test_the_detector_sees_a_count_over_signatures(app):
    """Guard for the test below: a real COUNT over the signature rows is caught."""
    petition = make_petition()
    make_signature(petition)
    with recorded_statements() as statements:
        assert counting.count_rows(db.session, petition.id).total == 1
    assert any(COUNT_OVER_SIGNATURES.search(s) for s in statements)
    # ... while the shard read that pages use is not mistaken for one.
    with recorded_statements() as statements:
        assert counting.read_counts(db.session, petition.id).total == 1
    assert statements
    assert not any(COUNT_OVER_SIGNATURES.search(s) for s in statements)


def test_page_and_api_never_count_signature_rows(app, client):
    petition = make_petition()
    for country in ["NL", "BE", "NL"]:
        make_signature(petition, country=country)
    slug = petition.slug
    db.session.commit()
    db.session.remove()  # nothing cached in the session: the requests must query

    for path in [f"/petitions/{slug}", f"/api/v1/petitions/{slug}"]:
        with recorded_statements() as statements:
            response = client.get(path)
        assert response.status_code == 200
        assert any("signature_count" in s for s in statements), statements
        offending = [s for s in statements if COUNT_OVER_SIGNATURES.search(s)]
        assert offending == [], path

    assert "3 confirmed signatures" in text_of(client.get(f"/petitions/{slug}"))


def test_state_follows_the_dates(client):
    now = utcnow()
    past = make_petition(opens_at=now - timedelta(days=9), closes_at=now - timedelta(hours=1))
    future = make_petition(opens_at=now + timedelta(days=2))
    assert client.get(f"/api/v1/petitions/{past.slug}").json["state"] == "closed"
    assert client.get(f"/api/v1/petitions/{future.slug}").json["state"] == "upcoming"


def test_an_edit_shows_in_the_next_answer(app, client):
    """The parts of the answer kept between requests follow the organiser's edits."""
    petition = make_petition(title="Free Ales Bialiatski", goal=1000)
    make_signature(petition, country="LT")
    first = client.get(f"/api/v1/petitions/{petition.slug}").json
    assert (first["title"], first["goal"], first["signature_count"]) == (
        "Free Ales Bialiatski",
        1000,
        1,
    )

    petition.title = "Freedom for Ales Bialiatski"
    petition.goal = 5000
    db.session.commit()
    make_signature(petition, country="LT")

    second = client.get(f"/api/v1/petitions/{petition.slug}").json
    assert (second["title"], second["goal"], second["signature_count"]) == (
        "Freedom for Ales Bialiatski",
        5000,
        2,
    )
    assert second["counts_by_country"] == {"LT": 2}
