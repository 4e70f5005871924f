"""The registry's institution and region filters (page and API), each prisoner's institution
on the list, the replies summed per institution for organisers, and the home page's few."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import event

from campaign_app.campaigns.models import CampaignState
from campaign_app.extensions import db
from campaign_app.institutions.models import Institution, InstitutionKind, Region
from campaign_app.microcache import MicroCache
from campaign_app.replies.models import ReplyReport
from tests.factories import make_campaign, make_card_sent, make_prisoner, make_user
from tests.prisoners.test_registry import listed_slugs
from tests.support.web import log_in, text_of


def make_institution(code: str, region: Region, **overrides: Any) -> Institution:
    values: dict[str, Any] = {
        "code": code,
        "kind": InstitutionKind.COLONY,
        "name_ru": f"Исправительная колония {code}",
        "name_be": f"Папраўчая калонія {code}",
        "name_latin": f"Penal colony {code}",
        "region": region,
        "lines_ru": f"{code}\nул. Сикорского, 1\n213807, г. Бобруйск",
        "postcode": "213807",
        "country_line": "REPUBLIC OF BELARUS",
        "address_as_of": date(2025, 1, 10),
        "address_source": "Viasna",
    }
    institution = Institution(**(values | overrides))
    db.session.add(institution)
    db.session.flush()
    return institution


@pytest.fixture
def held(app):
    """Two prisoners in Babruisk (Mogilev region), one in Hrodna, one with no institution,
    and an institution whose only prisoner is in a draft campaign."""
    ik2 = make_institution("ИК-2", Region.MOGILEV)
    ik11 = make_institution("ИК-11", Region.GRODNO, name_latin="")
    hidden = make_institution("ИК-99", Region.BREST)
    open_campaign = make_campaign(state=CampaignState.OPEN)
    prisoners = {
        "a": make_prisoner(slug="a-one", campaign=open_campaign, institution=ik2),
        "b": make_prisoner(slug="b-two", campaign=open_campaign, institution=ik2),
        "c": make_prisoner(slug="c-three", campaign=open_campaign, institution=ik11),
        "d": make_prisoner(slug="d-four", campaign=open_campaign),
    }
    make_prisoner(
        slug="draft-one", campaign=make_campaign(state=CampaignState.DRAFT), institution=hidden
    )
    return {"ik2": ik2, "ik11": ik11, "hidden": hidden, **prisoners}


def test_filter_by_institution_and_region_on_the_page(client, held):
    by_id = client.get("/prisoners/", query_string={"institution": held["ik2"].id})
    assert by_id.status_code == 200
    assert sorted(listed_slugs(by_id)) == ["a-one", "b-two"]
    by_code = client.get("/prisoners/", query_string={"institution": "ик-11"})
    assert listed_slugs(by_code) == ["c-three"]
    by_region = client.get("/prisoners/", query_string={"region": "grodno"})
    assert listed_slugs(by_region) == ["c-three"]
    both = client.get("/prisoners/", query_string={"region": "grodno", "institution": "ИК-2"})
    assert listed_slugs(both) == []


def test_the_selects_offer_institutions_with_public_prisoners_in_the_readers_language(client, held):
    html = client.get("/prisoners/").get_data(as_text=True)
    assert '<label for="institution"' in html and '<label for="region"' in html
    assert "ИК-2 · Penal colony ИК-2" in html
    assert "ИК-11 · Исправительная колония ИК-11" in html  # no Latin name: Russian
    assert "ИК-99" not in html  # only a draft campaign's prisoner is held there
    assert "Grodno region" in html and "Minsk city" in html
    be = client.get("/prisoners/", headers={"Accept-Language": "be"}).get_data(as_text=True)
    assert "ИК-2 · Папраўчая калонія ИК-2" in be
    selected = client.get("/prisoners/", query_string={"institution": held["ik2"].id})
    assert f'<option selected value="{held["ik2"].id}">' in selected.get_data(as_text=True)


def test_each_entry_shows_its_institution(client, held):
    page = text_of(client.get("/prisoners/"))
    assert "Held in: ИК-2 · Penal colony ИК-2" in page
    ru = text_of(client.get("/prisoners/", headers={"Accept-Language": "ru"}))
    assert "ИК-2 · Исправительная колония ИК-2" in ru


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ({"institution": "ИК-404"}, "institution"),
        ({"institution": "999999"}, "institution"),
        ({"region": "atlantis"}, "region"),
    ],
)
def test_unknown_institution_or_region_is_a_400(client, held, args, field):
    response = client.get("/prisoners/", query_string=args)
    assert response.status_code == 400
    assert "Please choose one of the listed options." in text_of(response)
    api = client.get("/api/v1/prisoners", query_string=args)
    assert api.status_code == 400
    assert list(api.json["error"]["fields"]) == [field]
    assert field in api.json["error"]["message"]


def test_a_draft_campaigns_institution_is_unknown(client, held):
    response = client.get("/api/v1/prisoners", query_string={"institution": "ИК-99"})
    assert response.status_code == 400


def test_the_api_filters_and_names_the_institution(client, held):
    response = client.get("/api/v1/prisoners", query_string={"institution": "ИК-2"})
    assert response.status_code == 200
    assert sorted(item["slug"] for item in response.json["prisoners"]) == ["a-one", "b-two"]
    assert response.json["prisoners"][0]["institution"] == {
        "id": held["ik2"].id,
        "code": "ИК-2",
        "names": {
            "ru": "Исправительная колония ИК-2",
            "be": "Папраўчая калонія ИК-2",
            "latin": "Penal colony ИК-2",
        },
        "region": "mogilev",
    }
    region = client.get("/api/v1/prisoners", query_string={"region": "mogilev"})
    assert region.json["total"] == 2
    none = client.get("/api/v1/prisoners", query_string={"q": "Example"}).json
    assert any(item["institution"] is None for item in none["prisoners"])


def _statements(app, client, url: str) -> int:
    count = 0

    def counter(*_: Any) -> None:
        nonlocal count
        count += 1

    engine = db.engines[None]
    event.listen(engine, "before_cursor_execute", counter)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", counter)
    return count


def test_the_list_costs_the_same_queries_for_3_or_30_held_prisoners(app, client):
    campaign = make_campaign(state=CampaignState.OPEN)
    institutions = [make_institution(f"ИК-{n}", Region.MINSK_REGION) for n in range(1, 4)]
    for n in range(3):
        make_prisoner(campaign=campaign, institution=institutions[n])
    few = _statements(app, client, "/prisoners/")
    more = [make_institution(f"СИЗО-{n}", Region.MINSK_CITY) for n in range(1, 11)]
    for n in range(27):
        make_prisoner(campaign=campaign, institution=more[n % 10])
    assert _statements(app, client, "/prisoners/") == few
    # The institutions offered were read for this registry version already.
    assert _statements(app, client, "/prisoners/?region=minsk-city&page=2") == few - 1


def test_the_institutions_offered_are_read_once_per_registry_version(app, client, held):
    first = _statements(app, client, "/prisoners/?page=1")
    assert _statements(app, client, "/prisoners/?sort=fewest-cards") == first - 1
    assert _statements(app, client, "/prisoners/?region=mogilev") == first - 1
    held["ik11"].name_latin = "Penal colony No. 11"
    db.session.flush()
    assert _statements(app, client, "/prisoners/?status=imprisoned") == first
    page = client.get("/prisoners/?status=imprisoned").get_data(as_text=True)
    assert "ИК-11 · Penal colony No. 11" in page


def test_with_the_micro_cache_a_page_shown_again_costs_no_query(app, client, held, monkeypatch):
    monkeypatch.setitem(app.extensions, "campaign_microcache", MicroCache(60))
    assert _statements(app, client, "/prisoners/?region=mogilev") > 0
    assert _statements(app, client, "/prisoners/?region=mogilev") == 0


# Replies per institution -----------------------------------------------------------------


def test_the_institutions_page_sums_cards_and_replies_of_its_prisoners(client, held):
    make_card_sent(held["a"], count=5)
    make_card_sent(held["b"], count=2)
    make_card_sent(held["c"], count=9)  # another institution
    db.session.add(ReplyReport(prisoner_id=held["a"].id, received_on=date(2025, 3, 1)))
    db.session.add(ReplyReport(prisoner_id=held["b"].id, received_on=date(2025, 4, 2)))
    db.session.add(ReplyReport(prisoner_id=held["c"].id, received_on=date(2025, 6, 9)))
    db.session.flush()
    organiser = make_user(campaigns=(held["a"].campaign,))
    log_in(client, organiser)
    page = text_of(client.get(f"/organise/institutions/{held['ik2'].id}/edit"))
    assert "2 prisoners held here." in page
    assert "7 cards and letters reported sent" in page
    assert "2 replies reported." in page
    assert "Last reply received on April 2, 2025." in page
    quiet = text_of(client.get(f"/organise/institutions/{held['hidden'].id}/edit"))
    assert "0 cards and letters reported sent" in quiet
    assert "No reply reported yet." in quiet


# The home page -----------------------------------------------------------------------------


def test_the_home_page_shows_a_few_prisoners_and_links_to_the_registry(client):
    campaign = make_campaign(state=CampaignState.OPEN)
    prisoners = [make_prisoner(campaign=campaign) for _ in range(10)]
    for prisoner in prisoners[:4]:
        make_card_sent(prisoner, count=3)
    response = client.get("/")
    html = response.get_data(as_text=True)
    section = html.split('id="prisoners-heading"')[1]
    shown = [p.slug for p in prisoners if f'href="/prisoners/{p.slug}"' in section]
    assert shown == [p.slug for p in prisoners[4:]]  # the six with the fewest cards
    assert "All 10 prisoners in the registry" in text_of(response)
    assert 'href="/prisoners/"' in section


def test_the_home_page_lists_a_lone_prisoner_without_an_all_of_one_link(client):
    campaign = make_campaign(state=CampaignState.OPEN)
    prisoner = make_prisoner(campaign=campaign)
    response = client.get("/")
    section = response.get_data(as_text=True).split('id="prisoners-heading"')[1]
    assert f'href="/prisoners/{prisoner.slug}"' in section
    assert "in the registry" not in text_of(response)  # not "All 1 prisoners in the registry"
