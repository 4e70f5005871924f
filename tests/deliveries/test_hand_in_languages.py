"""A hand-in in every language: organisers translate its place, recipient, note and photo
texts; each reader gets their language (the original where nothing is translated), in the
page, the API and the first draft of the news update."""

from __future__ import annotations

import io
import re
from html import unescape

from sqlalchemy import select

from campaign_app.db import utcnow
from campaign_app.deliveries.models import Delivery, DeliveryPhoto
from campaign_app.extensions import db
from campaign_app.petitions.models import PetitionTranslation
from tests.factories import make_campaign, make_petition, make_user
from tests.support.deliveries import make_delivery, make_photo, phone_jpeg
from tests.support.organise import audit_events
from tests.support.web import csrf_token, log_in, post_form, text_of

PLACE_EN = "Embassy of the Republic of Belarus, Berlin"
PLACE_RU = "Посольство Республики Беларусь, Берлин"
PLACE_BE = "Амбасада Рэспублікі Беларусь, Берлін"
HAND_IN = {
    "delivered_on": "2012-09-25",
    "place": PLACE_EN,
    "recipient": "the duty officer",
    "outcome": "received",
    "signatures_online": "3",
    "signatures_on_paper": "120",
    "note": "The duty officer **signed** a receipt.",
    "translations-ru-place": PLACE_RU,
    "translations-ru-recipient": "дежурный сотрудник",
    "translations-ru-note": "Дежурный сотрудник **расписался** в получении.",
    "translations-be-place": PLACE_BE,
    "translations-be-recipient": "дзяжурны супрацоўнік",
    # No Belarusian note: Belarusian readers get the original one.
}
ALT_EN = "Five supporters with boxes of signatures at the embassy door"
ALT_RU = "Пятеро сторонников с коробками подписей у двери посольства"
ALT_BE = "Пяцёра прыхільнікаў з скрынкамі подпісаў каля дзвярэй амбасады"
IMG = re.compile(r'<img src="(/hand-ins/photos/[^"]+)" alt="([^"]*)"')


def _page(client, slug: str, lang: str) -> tuple[str, str]:
    """The petition page in ``lang``: its visible text and its HTML."""
    response = client.get(f"/petitions/{slug}?lang={lang}")
    assert response.status_code == 200
    return text_of(response), response.get_data(as_text=True)


def _alts(html: str) -> list[str]:
    return [unescape(alt) for _src, alt in IMG.findall(html)]


def _upload(client, delivery_id: int, **fields: str):
    page = f"/organise/hand-ins/{delivery_id}"
    form = {
        "photo": (io.BytesIO(phone_jpeg()), "IMG_0001.jpg"),
        "alt_text": ALT_EN,
        "caption": "",
        **fields,
        "csrf_token": csrf_token(client, page),
    }
    return client.post(f"{page}/photos", data=form, content_type="multipart/form-data")


def _publish(client, delivery_id: int) -> None:
    page = f"/organise/hand-ins/{delivery_id}"
    response = post_form(client, f"{page}/publish", {"action": "publish"}, page_url=page)
    assert response.status_code == 302


def test_each_reader_sees_the_hand_in_in_their_language(client):
    petition = make_petition(title="Free Ales Bialiatski")
    organiser = client.application.test_client()
    log_in(organiser, make_user(campaigns=(petition.campaign,)))
    new = f"/organise/petitions/{petition.id}/hand-ins/new"
    form_page = organiser.get(new).get_data(as_text=True)
    assert "Place, recipient and note in other languages" in form_page
    assert 'name="translations-be-place"' in form_page
    assert post_form(organiser, new, HAND_IN).status_code == 302
    delivery = db.session.scalars(select(Delivery)).one()
    added = _upload(
        organiser,
        delivery.id,
        caption="At the door",
        **{
            "photo_translations-ru-alt_text": ALT_RU,
            "photo_translations-ru-caption": "У двери",
        },
    )
    assert added.status_code == 302, text_of(added)[:2000]
    _publish(organiser, delivery.id)

    text, html = _page(client, petition.slug, "ru")
    assert f"25 сентября 2012 · {PLACE_RU}" in text
    assert "Кому передали дежурный сотрудник" in text
    assert "Дежурный сотрудник <strong>расписался</strong> в получении." in html
    assert PLACE_EN not in text and "duty officer" not in text
    # A blind Russian reader hears the Russian description.
    assert _alts(html) == [ALT_RU]
    assert "У двери" in text and "At the door" not in text

    text, html = _page(client, petition.slug, "be")
    assert PLACE_BE in text and "дзяжурны супрацоўнік" in text
    assert PLACE_EN not in text and PLACE_RU not in text
    assert "The duty officer <strong>signed</strong> a receipt." in html  # no Belarusian note
    assert _alts(html) == [ALT_EN]  # not translated into Belarusian: the original
    assert "At the door" in text

    for lang in ("en", "fr"):  # the original, also where nothing is translated
        text, html = _page(client, petition.slug, lang)
        assert PLACE_EN in text and "the duty officer" in text, lang
        assert PLACE_RU not in text and PLACE_BE not in text, lang
        assert _alts(html) == [ALT_EN], lang

    # The organisers' list and preview follow the organiser's language too.
    listing = text_of(organiser.get(f"/organise/petitions/{petition.id}/hand-ins?lang=be"))
    assert PLACE_BE in listing


def test_the_form_keeps_the_translations_and_an_edit_of_one_shows_at_once(client):
    petition = make_petition()
    delivery = make_delivery(petition, place=PLACE_EN, published_at=utcnow())
    organiser = client.application.test_client()
    log_in(organiser, make_user(campaigns=(petition.campaign,)))
    page = f"/organise/hand-ins/{delivery.id}"
    assert PLACE_EN in _page(client, petition.slug, "ru")[0]  # its shell is kept now

    nested = "Handed over:\n\n- a letter\n    - in Russian\n    - in Belarusian"
    edited = post_form(
        organiser, page, {**HAND_IN, "place": PLACE_EN, "translations-ru-note": nested}
    )
    assert edited.status_code == 302
    [event] = audit_events("delivery.updated")
    assert "translations" in event.details["fields"]
    assert PLACE_RU not in str(event.details)  # names of fields, never their values

    text, html = _page(client, petition.slug, "ru")
    assert PLACE_RU in text and PLACE_EN not in text
    # The Markdown note keeps its indents: the list is nested.
    assert re.search(r"<li>a letter\s*<ul>\s*<li>in Russian</li>", html)

    form = organiser.get(page).get_data(as_text=True)
    assert f'name="translations-ru-place" type="text" value="{PLACE_RU}"' in form
    assert "    - in Russian" in unescape(form)

    # A translation emptied: Russian readers get the original again.
    emptied = {**HAND_IN, "place": PLACE_EN, "translations-ru-place": ""}
    assert post_form(organiser, page, emptied).status_code == 302
    db.session.expire_all()
    assert "place" not in db.session.get(Delivery, delivery.id).translations["ru"]
    assert PLACE_EN in _page(client, petition.slug, "ru")[0]


def test_a_translation_too_long_is_refused_next_to_its_field(client):
    petition = make_petition()
    log_in(client, make_user(campaigns=(petition.campaign,)))
    too_long = {**HAND_IN, "translations-be-place": "Б" * 301}
    response = post_form(client, f"/organise/petitions/{petition.id}/hand-ins/new", too_long)
    assert response.status_code == 400
    assert 'id="translations-be-place-error"' in response.text
    # The summary above the form names the field and its language, and leads to it.
    assert (
        '<a href="#translations-be-place">Place (<span lang="be">Беларуская</span>): '
        "Field cannot be longer than 300 characters.</a>"
    ) in response.text
    assert db.session.scalars(select(Delivery)).first() is None


def test_a_photos_description_is_translated_later_and_shows_at_once(client):
    petition = make_petition()
    delivery = make_delivery(petition, published_at=utcnow())
    organiser = client.application.test_client()
    log_in(organiser, make_user(campaigns=(petition.campaign,)))
    assert _upload(organiser, delivery.id).status_code == 302
    photo = db.session.scalars(select(DeliveryPhoto)).one()
    assert _alts(_page(client, petition.slug, "ru")[1]) == [ALT_EN]

    hand_in = organiser.get(f"/organise/hand-ins/{delivery.id}").get_data(as_text=True)
    photo_page = f"/organise/hand-ins/{delivery.id}/photos/{photo.id}"
    assert f'href="{photo_page}"' in hand_in
    shown = organiser.get(photo_page)
    assert shown.status_code == 200
    assert f'value="{ALT_EN}"' in shown.get_data(as_text=True)

    saved = post_form(
        organiser,
        photo_page,
        {
            "alt_text": ALT_EN,
            "caption": "",
            "translations-ru-alt_text": ALT_RU,
            "translations-be-alt_text": ALT_BE,
            "translations-be-caption": "Каля амбасады",
        },
    )
    assert saved.status_code == 302
    [event] = audit_events("delivery.photo_updated")
    assert event.details == {"photo": photo.id, "fields": ["translations"]}

    # The page's shell was kept per language and content version: the edit shows at once.
    assert _alts(_page(client, petition.slug, "ru")[1]) == [ALT_RU]
    text, html = _page(client, petition.slug, "be")
    assert _alts(html) == [ALT_BE] and "Каля амбасады" in text
    assert _alts(_page(client, petition.slug, "en")[1]) == [ALT_EN]

    # An empty description is refused; nothing changes.
    refused = post_form(organiser, photo_page, {"alt_text": "", "caption": ""})
    assert refused.status_code == 400
    assert 'id="alt_text-error"' in refused.text
    db.session.expire_all()
    assert db.session.get(DeliveryPhoto, photo.id).alt_text == ALT_EN


def test_another_campaigns_organiser_cannot_open_a_photos_page(client):
    petition = make_petition()
    delivery = make_delivery(petition)
    owner = client.application.test_client()
    log_in(owner, make_user(campaigns=(petition.campaign,)))
    assert _upload(owner, delivery.id).status_code == 302
    photo = db.session.scalars(select(DeliveryPhoto)).one()
    log_in(client, make_user(campaigns=(make_campaign(),)))
    page = f"/organise/hand-ins/{delivery.id}/photos/{photo.id}"
    assert client.get(page).status_code == 403
    assert owner.get(f"/organise/hand-ins/{delivery.id}/photos/999999").status_code == 404


def test_the_api_gives_the_translations_of_the_texts(client):
    petition = make_petition()
    delivery = make_delivery(
        petition,
        place=PLACE_EN,
        published_at=utcnow(),
        translations={"ru": {"place": PLACE_RU, "note": "Заметка"}, "be": {"place": PLACE_BE}},
    )
    make_photo(delivery, alt_text=ALT_EN, translations={"ru": {"alt_text": ALT_RU}})
    [item] = client.get(f"/api/v1/petitions/{petition.slug}?lang=ru").json["deliveries"]
    assert item["place"] == PLACE_EN  # the original, whatever the request's language
    assert item["translations"] == {
        "be": {"place": PLACE_BE},
        "ru": {"place": PLACE_RU, "note": "Заметка"},
    }
    [photo] = item["photos"]
    assert photo["alt"] == ALT_EN
    assert photo["translations"] == {"ru": {"alt": ALT_RU}}


def _draft_texts(html: str, locale: str) -> tuple[str, str]:
    subject = re.search(rf'name="texts-{locale}-subject"[^>]*value="([^"]*)"', html)
    body = re.search(rf'name="texts-{locale}-body"[^>]*>(.*?)</textarea>', html, re.S)
    assert subject and body, locale
    return unescape(subject.group(1)), unescape(body.group(1))


def test_the_news_draft_tells_the_hand_in_in_each_language_with_its_place(client):
    petition = make_petition(title="Free Ales", language="en")
    for locale, title in (("ru", "Свободу Алесю"), ("be", "Волю Алесю")):
        db.session.add(PetitionTranslation(petition_id=petition.id, locale=locale, title=title))
    delivery = make_delivery(
        petition,
        place=PLACE_EN,
        recipient="the duty officer",
        published_at=utcnow(),
        translations={
            "ru": {"place": PLACE_RU, "recipient": "дежурный сотрудник"},
            "be": {"place": PLACE_BE},  # no Belarusian recipient: the original one
        },
    )
    log_in(client, make_user(campaigns=(petition.campaign,)))
    form = client.get(f"/organise/petitions/{petition.id}/news/new?delivery={delivery.id}")
    assert form.status_code == 200
    html = form.get_data(as_text=True)

    subject, body = _draft_texts(html, "en")
    assert subject == f"The signatures were handed in: {PLACE_EN}"
    assert f"on paper) at {PLACE_EN}." in body
    assert "They were addressed to the duty officer." in body

    subject, body = _draft_texts(html, "ru")
    assert subject == f"Подписи переданы: {PLACE_RU}"
    assert PLACE_RU in body and "Адресат: дежурный сотрудник." in body
    assert PLACE_EN not in body and "duty officer" not in body

    subject, body = _draft_texts(html, "be")
    assert PLACE_BE in subject and PLACE_BE in body
    assert PLACE_EN not in subject + body and PLACE_RU not in subject + body
    assert "the duty officer" in body
