"""Occasions, phrasebook and postal routes in the browser: admins only, checked, audited."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from campaign_app.accounts.models import Role
from campaign_app.audit.models import AuditEvent
from campaign_app.db import utcnow
from campaign_app.extensions import db
from campaign_app.letters.models import Occasion, Phrase, PostalRoute
from tests.factories import (
    make_campaign,
    make_occasion,
    make_phrase,
    make_postal_route,
    make_prisoner,
    make_user,
)
from tests.support.web import log_in, post_form, text_of


def phrase_form(**overrides: str) -> dict[str, str]:
    form = {
        "occasion": "general",
        "text_en": "Spring is coming.",
        "text_ru": "Скоро весна.",
        "text_be": "Хутка вясна.",
        "text_fr": "Le printemps arrive.",
        "position": "5",
    }
    return form | overrides


def occasion_form(**overrides: str) -> dict[str, str]:
    form = {
        "name_en": "Spring",
        "slug": "spring",
        "kind": "custom",
        "front_title_ru": "С весной!",
        "front_title_be": "З вясной!",
        "artwork": "flowers",
        "on_date": "",
        "is_active": "y",
        "position": "3",
    }
    return form | overrides


def route_form(**overrides: str) -> dict[str, str]:
    form = {
        "transit_days": "12",
        "postage_note": "International postcard stamp.",
        "note": "",
        "as_of": "2024-03-01",
    }
    return form | overrides


def actions() -> list[str]:
    """Audit actions recorded, oldest first, without the sign-ins."""
    query = select(AuditEvent.action).where(AuditEvent.action != "account.signed_in")
    return list(db.session.scalars(query.order_by(AuditEvent.id)))


def writable_prisoner():
    return make_prisoner(slug="ales", campaign=make_campaign())


# Who may see what -----------------------------------------------------------------------


def reference_paths() -> list[str]:
    occasion = make_occasion()
    phrase = make_phrase()
    make_postal_route("NL")
    return [
        "/organise/reference",
        "/organise/reference/occasions/new",
        f"/organise/reference/occasions/{occasion.id}",
        "/organise/reference/phrases/new",
        f"/organise/reference/phrases/{phrase.id}",
        "/organise/reference/routes/new",
        "/organise/reference/routes/NL",
    ]


def test_anonymous_visitors_are_sent_to_sign_in(app, client):
    for path in reference_paths():
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"].startswith("/account/login"), path
    # Posting a form (with a valid CSRF token) changes nothing and asks to sign in as well.
    response = post_form(client, "/organise/reference/phrases/new", phrase_form(), "/account/login")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login")
    assert db.session.scalar(select(Phrase).where(Phrase.text_en == "Spring is coming.")) is None


def test_organisers_who_are_not_admins_get_403(app, client):
    campaign = make_campaign()
    log_in(client, make_user(Role.ORGANISER, campaigns=(campaign,)))
    for path in reference_paths():
        assert client.get(path).status_code == 403, path
    response = post_form(client, "/organise/reference/phrases/new", phrase_form(), "/account/")
    assert response.status_code == 403
    assert db.session.scalar(select(Phrase).where(Phrase.text_en == "Spring is coming.")) is None


def test_admins_see_every_reference_page(app, client):
    log_in(client, make_user(Role.ADMIN))
    for path in reference_paths():
        assert client.get(path).status_code == 200, path


def test_unknown_reference_objects_are_404_for_admins(app, client):
    log_in(client, make_user(Role.ADMIN))
    assert client.get("/organise/reference/occasions/999").status_code == 404
    assert client.get("/organise/reference/phrases/999").status_code == 404
    assert client.get("/organise/reference/routes/XX").status_code == 404
    assert client.get("/organise/reference/routes/FR").status_code == 404  # no route yet


def test_admin_menu_links_the_reference_page(app, client):
    log_in(client, make_user(Role.ADMIN))
    page = client.get("/organise/reference").get_data(as_text=True)
    assert 'href="/organise/reference" aria-current="page"' in page


def row_text(html: str, row_id: str) -> str:
    """The visible text of the table row with ``id="row_id"``."""
    match = re.search(rf'<tr id="{row_id}">(.*?)</tr>', html, flags=re.S)
    assert match, f"no row {row_id}"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def test_reference_page_lists_review_state_and_missing_translations(app, client):
    reviewed = make_phrase(text_en="Reviewed one", text_fr="")
    draft = make_phrase(text_en="Draft one", text_ru="", text_be="", text_fr="", is_reviewed=False)
    make_postal_route("DE", transit_days=9, is_suspended=True)
    log_in(client, make_user(Role.ADMIN))
    response = client.get("/organise/reference")
    html = response.get_data(as_text=True)
    assert row_text(html, f"phrase-{reviewed.id}").endswith("any occasion yes French")
    assert row_text(html, f"phrase-{draft.id}") == (
        "Draft one – – any occasion not reviewed Russian, Belarusian, French"
    )
    page = text_of(response)
    assert "Germany 9" in page and "suspended" in page


# Phrases --------------------------------------------------------------------------------


def test_new_phrase_is_offered_in_the_composer_only_once_reviewed(app, client):
    prisoner = writable_prisoner()
    make_occasion(slug="any-day")
    log_in(client, make_user(Role.ADMIN))
    response = post_form(client, "/organise/reference/phrases/new", phrase_form())
    assert response.status_code == 302
    phrase = db.session.scalar(select(Phrase).where(Phrase.text_en == "Spring is coming."))
    assert phrase is not None and not phrase.is_reviewed
    assert "Spring is coming." in text_of(client.get(response.headers["Location"]))  # flash
    composer = f"/letters/write/{prisoner.slug}?occasion=any-day&language=en"
    assert "Spring is coming." not in text_of(client.get(composer))

    edit = f"/organise/reference/phrases/{phrase.id}"
    response = post_form(client, edit, phrase_form(is_reviewed="y"))
    assert response.status_code == 302
    assert "Spring is coming." in text_of(client.get(composer))
    assert actions() == ["phrase.created", "phrase.updated"]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "phrase.updated"))
    assert event.details == {"phrase_id": phrase.id, "fields": ["is_reviewed"], "is_reviewed": True}
    assert event.campaign_id is None


def test_phrase_for_one_occasion_is_not_offered_for_another(app, client):
    prisoner = writable_prisoner()
    birthday = make_occasion(slug="birthday", name_en="Birthday")
    make_occasion(slug="new-year", name_en="New Year")
    log_in(client, make_user(Role.ADMIN))
    form = phrase_form(occasion=str(birthday.id), is_reviewed="y", text_en="Many happy returns.")
    assert post_form(client, "/organise/reference/phrases/new", form).status_code == 302
    base = f"/letters/write/{prisoner.slug}?language=en&occasion="
    assert "Many happy returns." in text_of(client.get(base + "birthday"))
    assert "Many happy returns." not in text_of(client.get(base + "new-year"))


def test_phrase_with_a_word_censors_stop_is_refused_with_the_checkers_message(app, client):
    log_in(client, make_user(Role.ADMIN))
    form = phrase_form(text_ru="Желаем вам свободы.", text_en="We wish you freedom.")
    response = post_form(client, "/organise/reference/phrases/new", form)
    assert response.status_code == 400
    page = text_of(response)
    assert "Russian: “свободы”: a word censors stop (politics, freedom, fight...)" in page
    html = response.get_data(as_text=True)
    assert 'value="Желаем вам свободы."' in html  # what was typed is kept
    assert 'value="Хутка вясна."' in html
    assert db.session.scalar(select(Phrase)) is None
    assert actions() == []


def test_phrase_with_latin_words_in_the_belarusian_text_is_refused(app, client):
    log_in(client, make_user(Role.ADMIN))
    form = phrase_form(text_be="Хутка spring.")
    response = post_form(client, "/organise/reference/phrases/new", form)
    assert response.status_code == 400
    assert "Belarusian: “spring”: words in Latin letters" in text_of(response)


def test_phrase_with_characters_the_card_font_lacks_is_refused(app, client):
    log_in(client, make_user(Role.ADMIN))
    form = phrase_form(text_en="Good health 健康")
    response = post_form(client, "/organise/reference/phrases/new", form)
    assert response.status_code == 400
    assert "English: these characters cannot be printed on a card: 健 康" in text_of(response)
    assert db.session.scalar(select(Phrase)) is None


def test_reviewed_phrase_needs_russian_and_belarusian(app, client):
    log_in(client, make_user(Role.ADMIN))
    form = phrase_form(text_be="", is_reviewed="y")
    response = post_form(client, "/organise/reference/phrases/new", form)
    assert response.status_code == 400
    assert "A reviewed phrase needs its Belarusian text" in text_of(response)
    # Unreviewed, the draft may wait for its translation.
    form = phrase_form(text_be="")
    assert post_form(client, "/organise/reference/phrases/new", form).status_code == 302


def test_edit_phrase_with_a_refused_change_keeps_the_stored_phrase(app, client):
    phrase = make_phrase(text_en="Stay strong.", text_ru="Держитесь.")
    log_in(client, make_user(Role.ADMIN))
    form = phrase_form(text_en="Stay strong.", text_ru="Не сдавайтесь в борьбе.", is_reviewed="y")
    response = post_form(client, f"/organise/reference/phrases/{phrase.id}", form)
    assert response.status_code == 400
    assert "Не сдавайтесь в борьбе." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Phrase, phrase.id).text_ru == "Держитесь."


# Occasions ------------------------------------------------------------------------------


def test_new_occasion_appears_in_the_composer(app, client):
    prisoner = writable_prisoner()
    log_in(client, make_user(Role.ADMIN))
    response = post_form(client, "/organise/reference/occasions/new", occasion_form())
    assert response.status_code == 302
    occasion = db.session.scalar(select(Occasion).where(Occasion.slug == "spring"))
    assert occasion.front_title_ru == "С весной!" and occasion.is_active
    assert "Spring" in text_of(client.get(f"/letters/write/{prisoner.slug}?occasion=spring"))
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "occasion.created"))
    assert event.details == {"occasion_id": occasion.id}
    assert event.target == "occasion spring"


def test_hiding_an_occasion_removes_it_from_the_composer(app, client):
    prisoner = writable_prisoner()
    occasion = make_occasion(slug="spring", name_en="Spring")
    log_in(client, make_user(Role.ADMIN))
    form = occasion_form()
    del form["is_active"]
    response = post_form(client, f"/organise/reference/occasions/{occasion.id}", form)
    assert response.status_code == 302
    assert client.get(f"/letters/write/{prisoner.slug}?occasion=spring").status_code == 404
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "occasion.updated"))
    assert "is_active" in event.details["fields"]


def test_occasion_slug_must_be_unique_and_well_formed(app, client):
    make_occasion(slug="spring")
    log_in(client, make_user(Role.ADMIN))
    response = post_form(client, "/organise/reference/occasions/new", occasion_form())
    assert response.status_code == 400
    assert "Another occasion has this short name already." in text_of(response)
    response = post_form(
        client, "/organise/reference/occasions/new", occasion_form(slug="Spring Day")
    )
    assert response.status_code == 400
    assert "Use lower-case letters, digits and hyphens" in text_of(response)
    assert 'value="Spring Day"' in response.get_data(as_text=True)
    assert db.session.scalar(select(Occasion.id).where(Occasion.slug == "spring-day")) is None


def test_occasion_card_title_is_checked_like_a_card(app, client):
    log_in(client, make_user(Role.ADMIN))
    form = occasion_form(front_title_ru="Happy birthday!")
    response = post_form(client, "/organise/reference/occasions/new", form)
    assert response.status_code == 400
    assert "Card title (Russian): “Happy”: words in Latin letters" in text_of(response)


# Postal routes --------------------------------------------------------------------------


def test_suspended_route_shows_its_warning_on_the_prisoner_page(app, client):
    prisoner = writable_prisoner()
    log_in(client, make_user(Role.ADMIN))
    form = route_form(country="LT", is_suspended="y", note="Lithuanian post stopped it.")
    response = post_form(client, "/organise/reference/routes/new", form)
    assert response.status_code == 302
    page = text_of(client.get(f"/prisoners/{prisoner.slug}?country=LT"))
    assert "The post in Lithuania has suspended mail to this country" in page
    assert "Lithuanian post stopped it." in page
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action.like("postal_route.%")))
    assert event.action == "postal_route.created"
    assert event.details == {"country": "LT", "is_suspended": True}


def test_edited_transit_time_is_what_senders_see(app, client):
    prisoner = writable_prisoner()
    make_postal_route("NL", transit_days=14)
    log_in(client, make_user(Role.ADMIN))
    response = post_form(client, "/organise/reference/routes/NL", route_form(transit_days="21"))
    assert response.status_code == 302
    page = text_of(client.get(f"/prisoners/{prisoner.slug}?country=NL"))
    assert "From Netherlands, a card takes about 21 days." in page
    assert "As of March 1, 2024." in page
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "postal_route.updated"))
    assert set(event.details["fields"]) == {"transit_days", "postage_note", "as_of"}


def test_a_second_route_from_the_same_country_is_refused(app, client):
    make_postal_route("NL")
    log_in(client, make_user(Role.ADMIN))
    response = post_form(client, "/organise/reference/routes/new", route_form(country="NL"))
    assert response.status_code == 400
    assert "There is a route from this country already: edit it instead." in text_of(response)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"transit_days": "-1"}, "Number must be between 0 and 120."),
        ({"transit_days": "many"}, "Not a valid integer value."),
        ({"as_of": (utcnow().date() + timedelta(days=2)).isoformat()}, "cannot be in the future"),
        ({"country": "ZZ"}, "Please choose a country from the list."),
    ],
)
def test_bad_route_input_is_refused_next_to_the_field(app, client, overrides, message):
    log_in(client, make_user(Role.ADMIN))
    form = route_form(country="PL", postage_note="Kept note") | overrides
    response = post_form(client, "/organise/reference/routes/new", form)
    assert response.status_code == 400
    assert message in text_of(response)
    assert 'value="Kept note"' in response.get_data(as_text=True)
    assert db.session.scalar(select(PostalRoute)) is None


def test_route_as_of_date_is_shown_in_the_list(app, client):
    make_postal_route("NL", as_of=date(2024, 3, 1))
    log_in(client, make_user(Role.ADMIN))
    assert "Mar 1, 2024" in text_of(client.get("/organise/reference"))
