"""The page a confirmation link opens: light, in the reader's language, and leading on (share
the petition, write to the prisoner, the next dates), with a count that is always fresh."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from campaign_app.campaigns.models import CampaignState
from campaign_app.extensions import db
from campaign_app.petitions.models import PetitionTranslation, Signature, SignatureState
from campaign_app.petitions.tokens import make_confirmation_token
from tests.factories import (
    make_campaign,
    make_occasion,
    make_petition,
    make_prisoner,
    make_signature,
)
from tests.support.web import text_of

TEXTS = {
    "en": {
        "heading": "Thank you: your signature is confirmed",
        "count": "2 people have signed “Free Ales”.",
        "progress": "2 of 10,000",
        "target": "The organisers hand the signatures to the addressee: the President.",
        "share": "Share this petition",
        "card": "Write a card to Ales Bialiatski",
        "dates": "Birthdays and anniversaries",
        "again": "You had already confirmed: it still counts once.",
    },
    "ru": {
        "heading": "Спасибо: ваша подпись подтверждена",
        "count": "Петицию «Свободу Алесю» подписали: 2.",
        "progress": "2 из 10 000",
        "target": "Организаторы передадут подписи адресату: Президенту.",
        "share": "Поделитесь этой петицией",
        "card": "Написать открытку: Алесь Беляцкий",
        "dates": "Дни рождения и годовщины",
        "again": "Вы уже подтвердили подпись: она по-прежнему учитывается один раз.",
    },
    "be": {
        "heading": "Дзякуй: ваш подпіс пацверджаны",
        "count": "Петыцыю «Волю Алесю» падпісалі: 2.",
        "progress": "2 з 10 000",
        "target": "Арганізатары перададуць подпісы адрасату: Прэзідэнту.",
        "share": "Падзяліцеся гэтай петыцыяй",
        "card": "Напісаць паштоўку: Алесь Бяляцкі",
        "dates": "Дні нараджэння і гадавіны",
        "again": "Вы ўжо пацвердзілі подпіс: ён па-ранейшаму ўлічваецца адзін раз.",
    },
}


@pytest.fixture
def petition(app):
    campaign = make_campaign(name="Freedom for Ales")
    petition = make_petition(
        campaign=campaign, slug="free-ales", title="Free Ales", target="the President", goal=10_000
    )
    petition.translations += [
        PetitionTranslation(locale="ru", title="Свободу Алесю", body="Текст", target="Президенту"),
        PetitionTranslation(locale="be", title="Волю Алесю", body="Тэкст", target="Прэзідэнту"),
    ]
    make_prisoner(
        campaign=campaign,
        slug="ales",
        given_name_latin="Ales",
        surname_latin="Bialiatski",
        given_name_ru="Алесь",
        surname_ru="Беляцкий",
        given_name_be="Алесь",
        surname_be="Бяляцкі",
        arrest_date=date(2011, 8, 4),
    )
    make_occasion(slug="birthday", name_en="Birthday")
    make_signature(petition)  # one confirmed already
    db.session.flush()
    return petition


def link_for(petition, **overrides) -> str:
    pending = make_signature(petition, state=SignatureState.PENDING, **overrides)
    return f"/petitions/{petition.slug}/confirm/{make_confirmation_token(pending.id)}"


def hrefs(html: str) -> list[str]:
    return [h.replace("&amp;", "&") for h in re.findall(r'href="([^"]+)"', html)]


@pytest.mark.parametrize("language", ["en", "ru", "be"])
def test_the_page_thanks_counts_and_leads_on_in_the_readers_language(petition, client, language):
    words = TEXTS[language]
    link = link_for(petition)

    response = client.get(f"{link}?lang={language}")

    assert response.status_code == 200
    text = text_of(response)
    for key in ("heading", "count", "progress", "target", "share", "card", "dates"):
        assert words[key] in text, key
    assert words["again"] not in text
    links = hrefs(response.get_data(as_text=True))
    assert f"/share/telegram/free-ales?lang={language}" in links
    assert "/letters/write/ales" in links
    assert "/prisoners/ales" in links
    assert "/letters/calendar" in links
    assert "/petitions/free-ales" in links  # back to the petition

    again = client.get(f"{link}?lang={language}")
    assert again.status_code == 200
    assert words["again"] in text_of(again)
    assert words["count"] in text_of(again)  # counted once


def test_the_count_is_fresh_while_the_shared_parts_are_reused(make_app):
    app = make_app(MICROCACHE_SECONDS=60)
    client = app.test_client()
    with app.app_context():
        petition = make_petition(slug="free-them", title="Free them", goal=100)
        first, second = link_for(petition), link_for(petition)

        assert "1 people have signed “Free them”." in text_of(client.get(first))
        petition.title = "A new title"  # the shared parts wait for the micro-cache to expire
        db.session.flush()
        page = text_of(client.get(second))
        assert "2 people have signed “Free them”." in page
        assert "2 of 100" in page
        ru = text_of(client.get(f"{second}?lang=ru"))  # each language has its own
        assert "Спасибо: ваша подпись подтверждена" in ru and "2 из 100" in ru


def test_a_link_opened_on_another_petitions_page_does_not_work(petition, client):
    other = make_petition(slug="other")
    response = client.get(link_for(petition).replace("/free-ales/", f"/{other.slug}/"))
    assert response.status_code == 404
    assert "This confirmation link does not work" in text_of(response)
    assert (
        db.session.scalar(select(Signature.state).order_by(Signature.id.desc()).limit(1))
        is SignatureState.PENDING
    )


def test_a_link_to_an_archived_campaigns_petition_is_not_found(petition, client):
    link = link_for(petition)
    petition.campaign.state = CampaignState.ARCHIVED
    db.session.flush()
    assert client.get(link).status_code == 404
