"""/api/v1/prisoners: the registry's search, filters and pages as JSON, as documented."""

from __future__ import annotations

from datetime import date

import pytest

from campaign_app.extensions import db
from campaign_app.prisoners.models import CardLanguages, Prisoner, PrisonerStatus
from tests import factories
from tests.api.test_api import _required_and_properties, _resolve, _response_schema
from tests.factories import make_campaign, make_card_sent, make_prisoner

API = "/api/v1/prisoners"


def make_bialiatski(**overrides):
    return factories.make_bialiatski(**({"card_languages": CardLanguages.BOTH} | overrides))


def slugs(response) -> list[str]:
    return [item["slug"] for item in response.json["prisoners"]]


def test_an_entry_holds_the_public_facts_only(client):
    prisoner = make_bialiatski(is_mail_getting_through=True, mail_note_as_of=date(2025, 1, 10))
    make_card_sent(prisoner, count=3)

    response = client.get(API)

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.json["total"] == 1
    [entry] = response.json["prisoners"]
    assert entry == {
        "slug": "ales-bialiatski",
        "name": "Ales Bialiatski",
        "names": {
            "latin": {"given": "Ales", "surname": "Bialiatski"},
            "ru": {"given": "Алесь", "patronymic": "Викторович", "surname": "Беляцкий"},
            "be": {"given": "Алесь", "patronymic": "Віктаравіч", "surname": "Бяляцкі"},
        },
        "birth_date": "1962-09-25",
        "status": "imprisoned",
        "can_receive_mail": True,
        "mail_getting_through": True,
        "mail_note_as_of": "2025-01-10",
        "card_languages": ["ru", "be"],
        "cards_sent": 3,
        "institution": None,
        "url": "http://campaign.test/prisoners/ales-bialiatski",
    }
    assert "full_name_dative" not in response.get_data(as_text=True)  # the address line


@pytest.mark.parametrize("query", ["Bialiatski", "Беляцкий", "Бяляцкі", "Byalyatsky", "Алесь Б"])
def test_search_finds_any_spelling(client, query):
    make_bialiatski()
    make_prisoner(slug="someone-else", given_name_latin="Maria", surname_latin="Kalesnikava")
    response = client.get(API, query_string={"q": query})
    assert response.status_code == 200
    assert slugs(response) == ["ales-bialiatski"]


def test_filters_and_fewest_cards_order(client):
    ales = make_bialiatski()
    maria = make_prisoner(slug="maria", surname_latin="Kalesnikava", birth_date=date(1982, 4, 24))
    ihar = make_prisoner(slug="ihar", surname_latin="Losik", birth_date=date(1992, 9, 1))
    ihar.status = PrisonerStatus.RELEASED
    db.session.flush()
    make_card_sent(ales, count=10)
    make_card_sent(maria, count=2)

    assert slugs(client.get(f"{API}?month=9")) == ["ales-bialiatski", "ihar"]
    assert slugs(client.get(f"{API}?status=released")) == ["ihar"]
    assert slugs(client.get(f"{API}?mail=yes&sort=fewest-cards")) == ["maria", "ales-bialiatski"]
    assert slugs(client.get(f"{API}?sort=fewest-cards")) == ["ihar", "maria", "ales-bialiatski"]


def test_pages_with_next_and_previous_links(client):
    campaign = make_campaign()
    for n in range(7):
        make_prisoner(campaign=campaign, slug=f"p-{n}", surname_latin=f"Surname{n}")

    first = client.get(f"{API}?per_page=3&month=9").json
    second = client.get(f"{API}?per_page=3&month=9&page=2").json
    third = client.get(f"{API}?per_page=3&month=9&page=3").json

    assert (first["total"], first["pages"], first["per_page"]) == (7, 3, 3)
    assert [len(page["prisoners"]) for page in (first, second, third)] == [3, 3, 1]
    listed = [p["slug"] for page in (first, second, third) for p in page["prisoners"]]
    assert listed == [f"p-{n}" for n in range(7)]
    assert first["previous"] is None
    assert first["next"] == "http://campaign.test/api/v1/prisoners?month=9&page=2&per_page=3"
    assert second["previous"] == "http://campaign.test/api/v1/prisoners?month=9&page=1&per_page=3"
    assert third["next"] is None


def test_an_empty_registry_is_one_empty_page(client):
    body = client.get(API).json
    assert body == {
        "prisoners": [],
        "total": 0,
        "page": 1,
        "per_page": 24,
        "pages": 1,
        "next": None,
        "previous": None,
    }


def test_a_page_past_the_end_is_a_json_404(client):
    make_bialiatski()
    response = client.get(f"{API}?page=2")
    assert response.status_code == 404
    assert response.json["error"]["status"] == 404


def test_cache_headers_and_conditional_requests(app, client):
    make_bialiatski()
    response = client.get(f"{API}?q=Ales")
    assert response.cache_control.public
    assert response.cache_control.max_age == app.config["COUNT_CACHE_SECONDS"]
    again = client.get(f"{API}?q=Ales", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


BAD = [
    ("q=" + "x" * 201, "q", "at most 200 characters"),
    ("status=jailed", "status", "one of imprisoned, transferred, released, unknown"),
    ("mail=maybe", "mail", "yes or no"),
    ("month=13", "month", "a month number from 1 to 12"),
    ("month=September", "month", "a month number from 1 to 12"),
    ("sort=random", "sort", "name or fewest-cards"),
    ("page=0", "page", "a whole number from 1 to 10000"),
    ("page=-3", "page", "a whole number from 1 to 10000"),
    ("page=1.5", "page", "a whole number from 1 to 10000"),
    ("page=10001", "page", "a whole number from 1 to 10000"),
    ("per_page=101", "per_page", "a whole number from 1 to 100"),
    ("per_page=0", "per_page", "a whole number from 1 to 100"),
]


@pytest.mark.parametrize(("query", "field", "rule"), BAD)
def test_bad_parameters_are_a_400_that_says_which_and_why(client, query, field, rule):
    response = client.get(f"{API}?{query}")
    assert response.status_code == 400
    error = response.json["error"]
    assert error["status"] == 400
    assert error["fields"] == {field: rule}
    assert field in error["message"]


def test_several_bad_parameters_are_named_together(client):
    error = client.get(f"{API}?month=0&page=x&sort=up").json["error"]
    assert sorted(error["fields"]) == ["month", "page", "sort"]


def test_a_search_of_10000_characters_is_refused_not_run(client):
    response = client.get(API, query_string={"q": "Бяляцкі " * 1250})
    assert response.status_code == 400
    assert response.json["error"]["fields"] == {"q": "at most 200 characters"}


@pytest.mark.parametrize("query", ["q=Ales%00", "q=%01", "status=imprisoned%0A"])
def test_control_characters_are_refused(client, query):
    response = client.get(f"{API}?{query}")
    assert response.status_code == 400
    assert response.json["error"]["status"] == 400


# OpenAPI --------------------------------------------------------------------------------


def test_the_document_describes_the_endpoint_and_its_parameters(client):
    document = client.get("/api/v1/openapi.json").json
    operation = document["paths"]["/prisoners"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert names == {
        "q",
        "status",
        "mail",
        "month",
        "institution",
        "region",
        "sort",
        "page",
        "per_page",
    }
    assert {"200", "400", "404"} <= set(operation["responses"])


def test_every_field_of_an_entry_is_declared_and_required(client):
    make_bialiatski()
    document = client.get("/api/v1/openapi.json").json
    body = client.get(API).json

    schema = _response_schema(document, "/prisoners")
    assert set(body) == set(schema["required"]) == set(schema["properties"])
    item_required, item_properties = _required_and_properties(
        document, schema["properties"]["prisoners"]["items"]
    )
    [entry] = body["prisoners"]
    assert set(entry) == item_required == item_properties
    names = _resolve(document, schema["properties"]["prisoners"]["items"])["properties"]["names"]
    assert set(entry["names"]) == set(names["required"])
    russian = _resolve(document, names["properties"]["ru"])
    assert set(entry["names"]["ru"]) == set(russian["required"])


def test_the_400_body_matches_the_error_schema(client):
    document = client.get("/api/v1/openapi.json").json
    bad = document["paths"]["/prisoners"]["get"]["responses"]["400"]
    schema = _resolve(document, bad["content"]["application/json"]["schema"])
    error = client.get(f"{API}?month=99").json["error"]
    declared = schema["properties"]["error"]
    assert set(declared["required"]) <= set(error) <= set(declared["properties"])


def test_released_and_draft_campaign_prisoners(client):
    from campaign_app.campaigns.models import CampaignState

    make_bialiatski(status=PrisonerStatus.RELEASED)
    make_prisoner(slug="hidden", campaign=make_campaign(state=CampaignState.DRAFT))
    [entry] = client.get(API).json["prisoners"]
    assert (entry["slug"], entry["can_receive_mail"]) == ("ales-bialiatski", False)
    assert db.session.scalar(db.select(db.func.count(Prisoner.id))) == 2
