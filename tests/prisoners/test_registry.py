"""The public registry (/prisoners/): search by any spelling, filters, order, pages, bad input."""

from __future__ import annotations

import re
from datetime import date

import pytest

from campaign_app.campaigns.models import CampaignState
from campaign_app.extensions import db
from campaign_app.prisoners.models import Prisoner, PrisonerStatus
from campaign_app.prisoners.organise.inputs import PrisonerInput
from campaign_app.prisoners.organise.service import update_prisoner
from campaign_app.prisoners.tallies import recount_cards_sent
from tests.factories import make_bialiatski, make_campaign, make_card_sent, make_prisoner
from tests.support.web import text_of


def make_others():
    """Three more prisoners whose names share letters with Bialiatski's."""
    make_prisoner(
        slug="maria-kalesnikava",
        given_name_latin="Maria",
        surname_latin="Kalesnikava",
        given_name_ru="Мария",
        surname_ru="Колесникова",
        given_name_be="Марыя",
        surname_be="Калеснікава",
        birth_date=date(1982, 4, 24),
    )
    make_prisoner(
        slug="alena-bialyk",
        given_name_latin="Alena",
        surname_latin="Bialyk",
        given_name_ru="Елена",
        surname_ru="Белик",
        birth_date=date(1970, 9, 2),
    )
    make_prisoner(
        slug="ihar-losik",
        given_name_latin="Ihar",
        surname_latin="Losik",
        given_name_ru="Игорь",
        surname_ru="Лосик",
        birth_date=date(1992, 3, 1),
    )


def listed_slugs(response) -> list[str]:
    """The prisoners' links on the page, in order."""
    html = response.get_data(as_text=True)
    section = html.split('class="cards registry-list"', 1)[-1] if "registry-list" in html else ""
    return re.findall(r'<h3><a href="/prisoners/([a-z0-9-]+)">', section)


SPELLINGS = [
    "Bialiatski",
    "Беляцкий",
    "Бяляцкі",
    "Byalyatsky",
    "Bialiacki",
    "bialiatski",
    "BIAŁIACKI",
    "Bjaljazki",
    "Bial",  # the beginning of the surname
    "Беляц",
    "Ales Bialiatski",
    "Алесь Бяляцкі",
    "Алесь",
    "Aleś",
    "Bialiatski Ales",
    "Віктаравіч",
    "  Бяляцкі  ",
]


@pytest.mark.parametrize("query", SPELLINGS)
def test_any_spelling_finds_the_prisoner(client, query):
    make_bialiatski()
    make_others()
    response = client.get("/prisoners/", query_string={"q": query})
    assert response.status_code == 200
    assert listed_slugs(response)[0] == "ales-bialiatski", query
    assert "maria-kalesnikava" not in listed_slugs(response)


@pytest.mark.parametrize("query", ["Kalesnikava", "Колесникова", "Kolesnikova", "Марыя"])
def test_other_names_do_not_find_him(client, query):
    make_bialiatski()
    make_others()
    slugs = listed_slugs(client.get("/prisoners/", query_string={"q": query}))
    assert slugs == ["maria-kalesnikava"]


def test_the_spelling_as_typed_comes_first(client):
    make_bialiatski()
    make_others()
    # "Bial" is the beginning of Bialyk and of Bialiatski, and (as a skeleton) of Белик.
    response = client.get("/prisoners/", query_string={"q": "Bialy"})
    assert listed_slugs(response)[0] == "alena-bialyk"


def test_nothing_found_says_so_and_suggests_what_to_try(client):
    make_bialiatski()
    response = client.get("/prisoners/", query_string={"q": "Zzyzx"})
    assert response.status_code == 200
    text = text_of(response)
    assert "No prisoner matches." in text
    assert "Try another spelling" in text
    assert listed_slugs(response) == []


def test_renamed_prisoner_is_found_by_the_new_name_only(app, client):
    prisoner = make_bialiatski()
    prisoner.surname_latin = "Kowalski"
    prisoner.surname_ru = "Ковальский"
    prisoner.surname_be = "Кавальскі"
    db.session.flush()
    assert listed_slugs(client.get("/prisoners/?q=Kovalsky")) == ["ales-bialiatski"]
    assert listed_slugs(client.get("/prisoners/?q=Bialiatski")) == []


def test_an_organisers_edit_updates_the_search(app, client):
    prisoner = make_bialiatski()
    data = {
        name: getattr(prisoner, name)
        for name in PrisonerInput.__dataclass_fields__
        if name != "translations"
    }
    update_prisoner(
        prisoner, PrisonerInput(**(data | {"surname_be": "Бяляцкі-Новы"}), translations={})
    )
    assert listed_slugs(client.get("/prisoners/?q=Novy")) == ["ales-bialiatski"]


def test_filters_status_mail_and_birthday_month(client):
    make_bialiatski(is_mail_getting_through=False)  # September, mail stopped
    make_others()  # Kalesnikava April; Bialyk September; Losik March
    released = db.session.scalars(db.select(Prisoner).where(Prisoner.slug == "ihar-losik")).one()
    released.status = PrisonerStatus.RELEASED
    db.session.flush()

    def slugs(**args):
        response = client.get("/prisoners/", query_string=args)
        assert response.status_code == 200, args
        return sorted(listed_slugs(response))

    assert slugs(month="9") == ["alena-bialyk", "ales-bialiatski"]
    assert slugs(status="released") == ["ihar-losik"]
    assert slugs(mail="yes") == ["alena-bialyk", "maria-kalesnikava"]
    assert slugs(mail="no") == ["ales-bialiatski", "ihar-losik"]
    assert slugs(month="9", mail="yes") == ["alena-bialyk"]
    assert slugs(month="9", q="Бяляцкі") == ["ales-bialiatski"]
    assert slugs(month="12") == []


def test_the_filter_form_is_labelled_and_keeps_its_state(client):
    make_bialiatski()
    response = client.get("/prisoners/?q=Ales&month=9&mail=yes&sort=fewest-cards")
    html = response.get_data(as_text=True)
    for name in ("q", "status", "mail", "month", "sort"):
        assert re.search(rf'<label for="{name}">', html), name
    assert '<fieldset class="registry-filters">' in html
    assert "<legend>Filters</legend>" in html
    assert 'type="search"' in html and 'value="Ales"' in html
    assert re.search(r'<option selected value="9">September</option>', html)
    assert re.search(r'<option selected value="fewest-cards">', html)
    assert '<h2 id="registry-count" aria-live="polite">' in html
    assert "<title>Prisoners: 1 found</title>" in html


def test_the_month_names_follow_the_readers_language(client):
    html = client.get("/prisoners/?lang=ru").get_data(as_text=True)
    assert '<option value="9">Сентябрь</option>' in html


def test_fewest_cards_first_uses_the_reports(app, client):
    make_bialiatski()
    make_others()
    by_slug = {p.slug: p for p in db.session.scalars(db.select(Prisoner))}
    make_card_sent(by_slug["ales-bialiatski"], count=30)
    make_card_sent(by_slug["maria-kalesnikava"], count=5)
    make_card_sent(by_slug["maria-kalesnikava"], count=2)
    make_card_sent(by_slug["ihar-losik"], count=1)

    response = client.get("/prisoners/?sort=fewest-cards")

    assert listed_slugs(response) == [
        "alena-bialyk",
        "ihar-losik",
        "maria-kalesnikava",
        "ales-bialiatski",
    ]
    assert "7 cards and letters reported sent" in text_of(response)


def test_the_tally_follows_reports_added_and_deleted_and_can_be_recounted(app):
    prisoner = make_bialiatski()
    first = make_card_sent(prisoner, count=3)
    make_card_sent(prisoner, count=4)
    db.session.refresh(prisoner)
    assert prisoner.cards_sent == 7
    db.session.delete(first)
    db.session.flush()
    db.session.refresh(prisoner)
    assert prisoner.cards_sent == 4

    db.session.execute(db.update(Prisoner).values(cards_sent=99))  # drift, as after a bulk load
    assert recount_cards_sent(db.session) == 1
    db.session.refresh(prisoner)
    assert prisoner.cards_sent == 4


def test_refresh_registry_command_rebuilds_keys_and_tallies(app, runner):
    prisoner = make_bialiatski()
    make_card_sent(prisoner, count=2)
    db.session.execute(db.update(Prisoner).values(search_key="", cards_sent=0))
    db.session.expire_all()

    result = runner.invoke(args=["prisoners", "refresh-registry", "--json"])

    assert result.exit_code == 0, result.output
    assert '"search_keys_changed": 1' in result.output
    assert '"tallies_changed": 1' in result.output
    db.session.refresh(prisoner)
    assert " balacki " in prisoner.search_key
    assert prisoner.cards_sent == 2


def test_pages_of_24_in_a_stable_order_with_links_that_keep_the_filters(client):
    campaign = make_campaign()
    for n in range(50):
        make_prisoner(
            campaign=campaign,
            slug=f"p-{n:02d}",
            surname_latin="Same",  # one surname: the order falls back to given name, then id
            given_name_latin="Name",
            given_name_ru="",
            surname_ru="",
            birth_date=date(1980, 5, 1),
        )

    first = client.get("/prisoners/?month=5")
    second = client.get("/prisoners/?month=5&page=2")
    third = client.get("/prisoners/?month=5&page=3")

    pages = [listed_slugs(r) for r in (first, second, third)]
    assert [len(p) for p in pages] == [24, 24, 2]
    assert [slug for page in pages for slug in page] == [f"p-{n:02d}" for n in range(50)]
    assert "25 to 48 of 50 prisoners" in text_of(second)
    html = second.get_data(as_text=True)
    assert 'href="/prisoners/?page=3&amp;month=5" rel="next"' in html
    assert 'href="/prisoners/?page=1&amp;month=5" rel="prev"' in html
    assert re.search(r'aria-current="page"><span class="visually-hidden">Page </span>2<', html)
    assert "<title>Prisoners: 50 found, page 2 of 3</title>" in html


def test_a_page_past_the_end_is_a_404_with_a_way_back(client):
    make_bialiatski()
    response = client.get("/prisoners/?page=7")
    assert response.status_code == 404
    text = text_of(response)
    assert "There is no page 7: the list has 1." in text
    assert "Go to the first page" in text


def test_only_public_campaigns_are_listed(client):
    make_bialiatski()
    make_prisoner(slug="drafted", campaign=make_campaign(state=CampaignState.DRAFT))
    assert listed_slugs(client.get("/prisoners/")) == ["ales-bialiatski"]
    assert "1 prisoner" in text_of(client.get("/prisoners/"))


# Bad input ------------------------------------------------------------------------------

BAD_QUERIES = [
    ({"page": "0"}, "This page number does not exist."),
    ({"page": "-1"}, "This page number does not exist."),
    ({"page": "abc"}, "This page number does not exist."),
    ({"page": "99999999999999999999"}, "This page number does not exist."),
    ({"status": "jailed"}, "Please choose one of the listed options."),
    ({"mail": "maybe"}, "Please choose one of the listed options."),
    ({"month": "13"}, "Please choose one of the listed options."),
    ({"month": "0"}, "Please choose one of the listed options."),
    ({"sort": "random"}, "Please choose one of the listed options."),
    ({"q": "Ales " * 2000}, "Please shorten the name to 200 characters or fewer."),
]


@pytest.mark.parametrize(("args", "message"), BAD_QUERIES)
def test_bad_input_is_a_400_with_a_message(client, args, message):
    make_bialiatski()
    response = client.get("/prisoners/", query_string=args)
    assert response.status_code == 400
    text = text_of(response)
    assert message in text
    assert "Traceback" not in text
    assert listed_slugs(response) == []


@pytest.mark.parametrize("query", ["Ales%00", "Ales%01x", "%7F", "a%0Ab"])
def test_control_characters_in_the_search_are_refused(client, query):
    response = client.get(f"/prisoners/?q={query}")
    assert response.status_code == 400


@pytest.mark.parametrize("query", ["Ales\u200b", "\u202eAles", "Al\u00ades", "Ales\ufeff"])
def test_invisible_characters_are_ignored(client, query):
    make_bialiatski()
    response = client.get("/prisoners/", query_string={"q": query})
    assert response.status_code == 200
    assert listed_slugs(response) == ["ales-bialiatski"]


@pytest.mark.parametrize("query", ["%", "_", "'; DROP TABLE prisoner; --", "!!!", "ь"])
def test_punctuation_finds_nobody_and_breaks_nothing(client, query):
    make_bialiatski()
    response = client.get("/prisoners/", query_string={"q": query})
    assert response.status_code == 200
    assert listed_slugs(response) == []


def test_unknown_parameters_are_ignored(client):
    make_bialiatski()
    response = client.get("/prisoners/?utm_source=x&institution=&q=Ales")
    assert response.status_code == 200
    assert listed_slugs(response) == ["ales-bialiatski"]


def test_a_russian_reader_finds_him_by_the_belarusian_spelling(client):
    make_bialiatski()
    make_others()
    response = client.get("/prisoners/", query_string={"q": "Бяляцкі", "lang": "ru"})
    assert listed_slugs(response) == ["ales-bialiatski"]
    text = text_of(response)
    assert "Алесь Беляцкий" in text  # the name as a Russian reader writes it
    assert "1 заключённый" in text
    assert "<title>Заключённые: найдено 1</title>" in response.get_data(as_text=True)
    assert "Месяц дня рождения" in text


def test_the_micro_cache_keeps_each_search_apart(make_app):
    app = make_app(MICROCACHE_SECONDS=60)
    with app.app_context():
        make_bialiatski()
        make_others()
        client = app.test_client()
        assert listed_slugs(client.get("/prisoners/?q=Ales")) == ["ales-bialiatski"]
        assert listed_slugs(client.get("/prisoners/?q=Maria")) == ["maria-kalesnikava"]
        make_prisoner(slug="ales-two", given_name_latin="Ales", surname_latin="Zzz")
        # Within the cache time the same search gives the same page; another search is fresh.
        assert listed_slugs(client.get("/prisoners/?q=Ales")) == ["ales-bialiatski"]
        assert listed_slugs(client.get("/prisoners/?q=Ales&month=9")) == [
            "ales-bialiatski",
            "ales-two",
        ]
