"""The petition page's shell is reused by content version: every change shows on the next
request (the micro-cache is off in the tests), and the counts and signers are always live."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from campaign_app.campaigns.models import Campaign, CampaignState
from campaign_app.db import utcnow
from campaign_app.deliveries.models import DeliveryPhoto
from campaign_app.extensions import db
from campaign_app.news.models import NewsUpdate, NewsUpdateText, UpdateState
from campaign_app.petitions.models import (
    Petition,
    PetitionState,
    PetitionTranslation,
    PublicDisplay,
    SignatureState,
)
from campaign_app.prisoners.models import PrisonerAddress, PrisonerStatus
from tests.factories import make_campaign, make_petition, make_prisoner, make_signature
from tests.support.deliveries import make_delivery
from tests.support.web import text_of


def _page(client, petition: Petition, lang: str = "en") -> str:
    response = client.get(f"/petitions/{petition.slug}?lang={lang}")
    assert response.status_code == 200
    return text_of(response)


def _edited(row: object) -> None:
    """Flush an organiser's change, as their request's commit does."""
    db.session.add(row)
    db.session.flush()


def test_petition_and_translation_edits_show_at_once(client):
    petition = make_petition(title="Free the first prisoner")
    assert "Free the first prisoner" in _page(client, petition)
    petition.title = "Free them all"
    _edited(petition)
    assert "Free them all" in _page(client, petition)
    # A translation added, edited and deleted.
    assert "Free them all" in _page(client, petition, "fr")  # the original, as a fallback
    translation = PetitionTranslation(
        locale="fr", title="Libérez-les", summary="", body="Texte.", target=""
    )
    petition.translations.append(translation)
    _edited(petition)
    assert "Libérez-les" in _page(client, petition, "fr")
    translation.title = "Libérez-les tous"
    _edited(translation)
    assert "Libérez-les tous" in _page(client, petition, "fr")
    petition.translations.remove(translation)
    _edited(petition)
    page = _page(client, petition, "fr")
    assert "Libérez" not in page and "Free them all" in page


def test_campaign_state_and_dates_show_at_once(client):
    campaign = make_campaign(is_example=False)
    petition = make_petition(campaign=campaign)
    assert "Example data." not in _page(client, petition)
    campaign.is_example = True
    _edited(campaign)
    assert "Example data." in _page(client, petition)
    assert "Sign the petition" in _page(client, petition)
    petition.state = PetitionState.CLOSED
    _edited(petition)
    assert "This petition is closed" in _page(client, petition)
    # The closing date passing needs no edit at all.
    petition.state = PetitionState.OPEN
    petition.closes_at = utcnow() + timedelta(days=1)
    _edited(petition)
    assert "Sign the petition" in _page(client, petition)
    db.session.execute(
        Petition.__table__.update()  # type: ignore[attr-defined]
        .where(Petition.__table__.c.id == petition.id)  # type: ignore[attr-defined]
        .values(opens_at=utcnow() - timedelta(days=3), closes_at=utcnow() - timedelta(seconds=1))
    )
    assert "This petition is closed" in _page(client, petition)


def test_archiving_the_campaign_takes_the_page_down(client):
    petition = make_petition()
    assert _page(client, petition)
    campaign = db.session.get(Campaign, petition.campaign_id)
    campaign.state = CampaignState.ARCHIVED
    _edited(campaign)
    assert client.get(f"/petitions/{petition.slug}").status_code == 404


def test_prisoner_edits_and_new_addresses_show_at_once(client):
    campaign = make_campaign()
    petition = make_petition(campaign=campaign)
    prisoner = make_prisoner(campaign=campaign, given_name_latin="Ales", surname_latin="Example")
    assert "Write a card to Ales Example" in _page(client, petition)
    prisoner.given_name_latin = "Alesia"
    _edited(prisoner)
    assert "Write a card to Alesia Example" in _page(client, petition)
    prisoner.status = PrisonerStatus.RELEASED
    _edited(prisoner)
    assert "Write a card to" not in _page(client, petition)
    # A prisoner with no usable address yet gets one: the card link appears.
    other = make_prisoner(campaign=campaign, given_name_latin="Maria", surname_latin="Other")
    other.addresses[0].lines_ru = ""
    _edited(other)
    db.session.expire(other, ["addresses"])
    assert "Write a card to Maria Other" not in _page(client, petition)
    other.addresses.append(
        PrisonerAddress(
            lines_ru="ИК-4\n246035, г. Гомель",
            country_line="REPUBLIC OF BELARUS",
            as_of=date(2013, 1, 1),
            source="test",
        )
    )
    db.session.flush()
    db.session.expire_all()  # as a new request's session would load it
    assert "Write a card to Maria Other" in _page(client, petition)


def test_publishing_a_hand_in_and_its_photos_show_at_once(client):
    petition = make_petition()
    delivery = make_delivery(petition, place="Embassy in Vilnius")
    assert "Embassy in Vilnius" not in _page(client, petition)
    delivery.published_at = utcnow()
    _edited(delivery)
    assert "Embassy in Vilnius" in _page(client, petition)
    delivery.place = "Embassy in Riga"
    _edited(delivery)
    assert "Embassy in Riga" in _page(client, petition)
    photo = DeliveryPhoto(
        slot=0,
        content_type="image/jpeg",
        digest="ab" * 32,
        width=40,
        height=30,
        size_bytes=3,
        data=b"jpg",
        alt_text="The door of the embassy",
    )
    delivery.photos.append(photo)
    _edited(delivery)
    assert 'alt="The door of the embassy"' in client.get(f"/petitions/{petition.slug}").get_data(
        as_text=True
    )
    delivery.photos.remove(photo)
    _edited(delivery)
    assert "The door of the embassy" not in client.get(f"/petitions/{petition.slug}").get_data(
        as_text=True
    )
    delivery.published_at = None
    _edited(delivery)
    assert "Embassy in Riga" not in _page(client, petition)


def test_approving_an_update_shows_at_once(client):
    petition = make_petition()
    update = NewsUpdate(petition_id=petition.id)
    update.texts = [NewsUpdateText(locale="en", subject="We handed it in", body="Thank you.")]
    _edited(update)
    assert "We handed it in" not in _page(client, petition)
    update.state = UpdateState.SENDING
    update.approved_at = utcnow()
    _edited(update)
    assert "We handed it in" in _page(client, petition)


def test_counts_and_signers_are_live_under_a_reused_shell(client):
    petition = make_petition()
    assert "0 confirmed signatures" in _page(client, petition)
    make_signature(petition, first_name="Olga", country="LT")
    page = _page(client, petition)
    assert "1 confirmed signature" in page and "Olga, Lithuania" in page
    make_signature(petition, first_name="Hidden", display=PublicDisplay.ANONYMOUS)
    make_signature(petition, first_name="Pending", state=SignatureState.PENDING)
    page = _page(client, petition)
    assert "2 confirmed signatures" in page and "Hidden" not in page and "Pending" not in page
    # Anonymised petitions list nobody, and still count.
    petition.anonymised_at = utcnow()
    _edited(petition)
    page = _page(client, petition)
    assert "2 confirmed signatures" in page and "Olga" not in page


def test_signers_confirmed_at_the_same_moment_keep_their_own_countries(client):
    """A paper batch typed in at once confirms many rows at the same time."""
    petition = make_petition()
    moment = utcnow()
    signers = {"Olga": "LT", "Jonas": "DE", "Marie": "FR", "Pieter": "NL", "Ewa": "PL"}
    for name, country in signers.items():
        make_signature(petition, first_name=name, country=country, confirmed_at=moment)
    page = _page(client, petition)
    for shown in ("Olga, Lithuania", "Jonas, Germany", "Marie, France", "Pieter, Netherlands"):
        assert shown in page
    assert "Ewa, Poland" in page


# Commits: each request gets its own session on the engine, as in production (on PostgreSQL
# the page then reads without a transaction), and an edit by another request shows at once.
@pytest.mark.commits
def test_the_page_on_committed_data_follows_edits_and_signatures(make_app):
    app = make_app(MICROCACHE_SECONDS=0)
    with app.app_context():
        petition = make_petition(title="Before the edit")
        slug, petition_id = petition.slug, petition.id
        db.session.commit()
    client = app.test_client()
    assert "Before the edit" in text_of(client.get(f"/petitions/{slug}"))
    with app.app_context():
        found = db.session.get(Petition, petition_id)
        assert found is not None
        found.title = "After the edit"
        make_signature(found, first_name="Jonas", country="LT")
        db.session.commit()
    page = text_of(client.get(f"/petitions/{slug}"))
    assert "After the edit" in page and "1 confirmed signature" in page
    assert "Jonas, Lithuania" in page
    # The same request can still write afterwards: the page's reads left no transaction open.
    with app.app_context():
        assert client.get(f"/petitions/{slug}").status_code == 200
        make_signature(db.session.get(Petition, petition_id), first_name="Rasa")
        db.session.commit()
    assert "Rasa" in text_of(client.get(f"/petitions/{slug}"))
