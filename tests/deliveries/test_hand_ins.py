"""Hand-ins in the browser: an organiser records one with a photo, publishes it; the public
page and the API show it (drafts never); another campaign's organiser gets 403."""

from __future__ import annotations

import io
import re
from datetime import timedelta

from PIL import Image
from sqlalchemy import func, select

from campaign_app.db import utcnow
from campaign_app.deliveries.models import Delivery, DeliveryOutcome, DeliveryPhoto
from campaign_app.extensions import db
from campaign_app.petitions.models import SignatureState
from tests.factories import make_campaign, make_petition, make_signature, make_user
from tests.support.deliveries import has_gps, make_delivery, phone_jpeg
from tests.support.organise import audit_events, field_value, page_token
from tests.support.web import csrf_token, log_in, post_form, text_of

HAND_IN = {
    "delivered_on": "2012-09-25",
    "place": "Embassy of the Republic of Belarus, Berlin",
    "recipient": "",
    "outcome": "left_in_mailbox",
    "signatures_online": "3",
    "signatures_on_paper": "120",
    "note": "Nobody opened the door; the open letter went **into the mailbox**.",
}
PHOTO_SRC = re.compile(r'<img src="(/hand-ins/photos/[^"]+)" alt="([^"]*)"')


def upload(client, delivery_id: int, data: bytes, name: str = "IMG_0001.jpg", **fields):
    page = f"/organise/hand-ins/{delivery_id}"
    form = {
        "photo": (io.BytesIO(data), name),
        "alt_text": "Supporters with boxes of signatures at the embassy door",
        "caption": "",
        **fields,
        "csrf_token": csrf_token(client, page),
    }
    return client.post(f"{page}/photos", data=form, content_type="multipart/form-data")


def photo_count() -> int:
    return int(db.session.scalar(select(func.count()).select_from(DeliveryPhoto)) or 0)


def test_an_organiser_records_a_hand_in_with_a_photo_and_publishes_it(app, client):
    petition = make_petition(title="Free Ales Bialiatski")
    for _ in range(3):
        make_signature(petition)
    make_signature(petition, state=SignatureState.PENDING)  # not counted
    log_in(client, make_user(campaigns=(petition.campaign,)))

    hub = client.get(f"/organise/petitions/{petition.id}")
    assert f"/organise/petitions/{petition.id}/hand-ins" in hub.get_data(as_text=True)
    new_url = f"/organise/petitions/{petition.id}/hand-ins/new"
    blank = client.get(new_url)
    assert blank.status_code == 200
    assert field_value(blank, "signatures_online") == "3"  # the confirmed count now
    assert field_value(blank, "signatures_on_paper") == "0"

    created = post_form(client, new_url, HAND_IN)
    assert created.status_code == 302
    delivery = db.session.scalars(select(Delivery)).one()
    assert delivery.outcome is DeliveryOutcome.LEFT_IN_MAILBOX
    assert (delivery.signatures_online, delivery.signatures_on_paper) == (3, 120)
    assert not delivery.is_published

    added = upload(client, delivery.id, phone_jpeg((400, 200)))
    assert added.status_code == 302, text_of(added)[:2000]
    assert photo_count() == 1

    # A draft: not on the public page, not in the API, its photo not public.
    public = client.application.test_client()
    page = public.get(f"/petitions/{petition.slug}")
    assert "Embassy of the Republic of Belarus, Berlin" not in text_of(page)
    assert public.get(f"/api/v1/petitions/{petition.slug}").json["deliveries"] == []
    edit_page = client.get(f"/organise/hand-ins/{delivery.id}").get_data(as_text=True)
    src, _alt = PHOTO_SRC.findall(edit_page)[0]  # in the list and in the preview
    assert public.get(src).status_code == 404
    assert client.get(src).headers["Cache-Control"] == "private, no-cache"

    published = post_form(
        client,
        f"/organise/hand-ins/{delivery.id}/publish",
        {"action": "publish"},
        page_url=f"/organise/hand-ins/{delivery.id}",
    )
    assert published.status_code == 302

    page = public.get(f"/petitions/{petition.slug}")
    text = text_of(page)
    assert "Hand-in" in text
    assert "September 25, 2012 · Embassy of the Republic of Belarus, Berlin" in text
    assert "Left in the mailbox" in text
    assert "3 online + 120 on paper" in text
    assert "<strong>into the mailbox</strong>" in page.get_data(as_text=True)
    [(src, alt)] = PHOTO_SRC.findall(page.get_data(as_text=True))
    assert alt == "Supporters with boxes of signatures at the embassy door"
    # Shown small in the grid, it opens at full size.
    assert f'<a href="{src}"><img src="{src}"' in page.get_data(as_text=True)

    served = public.get(src)
    assert served.status_code == 200
    assert served.mimetype == "image/jpeg"
    assert "max-age=31536000" in served.headers["Cache-Control"]
    assert "public" in served.headers["Cache-Control"]
    assert public.get(src, headers={"If-None-Match": served.headers["ETag"]}).status_code == 304
    with Image.open(io.BytesIO(served.data)) as image:
        assert image.size == (200, 400)  # upright: the EXIF orientation was applied
        assert not image.getexif()
        top = image.getpixel((100, 20))
        assert top[0] > 180 and top[2] < 80
    assert not has_gps(served.data)
    assert b"PhoneMaker" not in served.data

    api = public.get(f"/api/v1/petitions/{petition.slug}").json
    [item] = api["deliveries"]
    assert item["delivered_on"] == "2012-09-25"
    assert item["place"] == "Embassy of the Republic of Belarus, Berlin"
    assert item["outcome"] == "left_in_mailbox"
    assert (item["signatures_online"], item["signatures_on_paper"]) == (3, 120)
    [photo] = item["photos"]
    assert photo["url"] == "http://campaign.test" + src
    assert (photo["width"], photo["height"], photo["content_type"]) == (200, 400, "image/jpeg")

    assert len(audit_events("delivery.created")) == 1
    assert len(audit_events("delivery.photo_added")) == 1
    [event] = audit_events("delivery.published")
    assert event.petition_id == petition.id and event.target == f"hand-in {delivery.id}"

    # Back to a draft: gone from the page again.
    post_form(
        client,
        f"/organise/hand-ins/{delivery.id}/publish",
        {"action": "unpublish"},
        page_url=f"/organise/hand-ins/{delivery.id}",
    )
    assert "Left in the mailbox" not in text_of(public.get(f"/petitions/{petition.slug}"))
    assert public.get(src).status_code == 404
    assert len(audit_events("delivery.unpublished")) == 1


def test_editing_and_deleting_a_photo(app, client):
    petition = make_petition()
    delivery = make_delivery(petition)
    log_in(client, make_user(campaigns=(petition.campaign,)))
    assert upload(client, delivery.id, phone_jpeg()).status_code == 302
    photo = db.session.scalars(select(DeliveryPhoto)).one()

    edited = post_form(
        client, f"/organise/hand-ins/{delivery.id}", {**HAND_IN, "outcome": "received"}
    )
    assert edited.status_code == 302
    db.session.expire_all()
    assert db.session.get(Delivery, delivery.id).outcome is DeliveryOutcome.RECEIVED
    [event] = audit_events("delivery.updated")
    assert "outcome" in event.details["fields"]

    deleted = post_form(
        client,
        f"/organise/hand-ins/{delivery.id}/photos/{photo.id}/delete",
        {},
        page_url=f"/organise/hand-ins/{delivery.id}",
    )
    assert deleted.status_code == 302
    assert photo_count() == 0
    assert len(audit_events("delivery.photo_deleted")) == 1


def test_only_published_hand_ins_show_on_the_public_page(app, client):
    petition = make_petition()
    make_delivery(petition, place="Embassy in The Hague", published_at=utcnow())
    make_delivery(petition, place="Embassy in Vilnius (draft)")
    text = text_of(client.get(f"/petitions/{petition.slug}"))
    assert "Embassy in The Hague" in text
    assert "Refused" in text
    assert "100 online + 20 on paper" in text
    assert "Vilnius" not in text
    api = client.get(f"/api/v1/petitions/{petition.slug}").json
    assert [item["place"] for item in api["deliveries"]] == ["Embassy in The Hague"]


def test_a_petition_without_hand_ins_has_no_section(app, client):
    petition = make_petition()
    assert 'id="hand-in-heading"' not in client.get(f"/petitions/{petition.slug}").text


def test_a_date_in_the_future_is_refused_next_to_the_field(app, client):
    petition = make_petition()
    log_in(client, make_user(campaigns=(petition.campaign,)))
    far = (utcnow() + timedelta(days=400)).date().isoformat()
    response = post_form(
        client, f"/organise/petitions/{petition.id}/hand-ins/new", {**HAND_IN, "delivered_on": far}
    )
    assert response.status_code == 400
    assert re.search(r'id="delivered_on-error">Date cannot be in the future', response.text)
    assert db.session.scalar(select(func.count()).select_from(Delivery)) == 0


def test_bad_fields_are_explained_and_nothing_is_stored(app, client):
    petition = make_petition()
    log_in(client, make_user(campaigns=(petition.campaign,)))
    bad = {**HAND_IN, "place": "", "outcome": "exploded", "signatures_on_paper": "-5",
           "delivered_on": "25/09/2012"}  # fmt: skip
    response = post_form(client, f"/organise/petitions/{petition.id}/hand-ins/new", bad)
    assert response.status_code == 400
    for name in ("place", "outcome", "signatures_on_paper", "delivered_on"):
        assert f'id="{name}-error"' in response.text, name
    assert db.session.scalar(select(func.count()).select_from(Delivery)) == 0


# Who may do what ----------------------------------------------------------------------


def _routes(petition_id: int, delivery_id: int, photo_id: int) -> list[tuple[str, str]]:
    return [
        ("GET", f"/organise/petitions/{petition_id}/hand-ins"),
        ("GET", f"/organise/petitions/{petition_id}/hand-ins/new"),
        ("POST", f"/organise/petitions/{petition_id}/hand-ins/new"),
        ("GET", f"/organise/hand-ins/{delivery_id}"),
        ("POST", f"/organise/hand-ins/{delivery_id}"),
        ("POST", f"/organise/hand-ins/{delivery_id}/publish"),
        ("POST", f"/organise/hand-ins/{delivery_id}/photos"),
        ("GET", f"/organise/hand-ins/{delivery_id}/photos/{photo_id}"),
        ("POST", f"/organise/hand-ins/{delivery_id}/photos/{photo_id}"),
        ("POST", f"/organise/hand-ins/{delivery_id}/photos/{photo_id}/delete"),
    ]


def test_another_campaigns_organiser_gets_403_and_changes_nothing(app, client):
    petition = make_petition()
    delivery = make_delivery(petition, place="Not your embassy")
    owner = client.application.test_client()
    log_in(owner, make_user(campaigns=(petition.campaign,)))
    assert upload(owner, delivery.id, phone_jpeg()).status_code == 302
    photo = db.session.scalars(select(DeliveryPhoto)).one()

    log_in(client, make_user(campaigns=(make_campaign(),)))
    token = page_token(client)
    for method, url in _routes(petition.id, delivery.id, photo.id):
        data = {**HAND_IN, "action": "publish", "alt_text": "x", "csrf_token": token}
        response = client.open(url, method=method, data=data)
        assert response.status_code == 403, url
        assert "Not your embassy" not in text_of(response)
    assert client.get("/organise/hand-ins/999999").status_code == 403
    db.session.expire_all()
    assert not db.session.get(Delivery, delivery.id).is_published
    assert photo_count() == 1
    # The draft's photo is not shown to them either.
    edit_page = owner.get(f"/organise/hand-ins/{delivery.id}").get_data(as_text=True)
    src, _alt = PHOTO_SRC.findall(edit_page)[0]  # in the list and in the preview
    assert client.get(src).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(app, client):
    petition = make_petition()
    delivery = make_delivery(petition)
    token = page_token(client, "/account/login")
    for method, url in _routes(petition.id, delivery.id, 1):
        response = client.open(url, method=method, data={"csrf_token": token})
        assert response.status_code == 302, url
        assert "/account/login" in response.headers["Location"], url


def test_a_hand_in_dated_in_the_future_cannot_be_published(app, client):
    petition = make_petition()
    delivery = make_delivery(petition, delivered_on=(utcnow() + timedelta(days=10)).date())
    log_in(client, make_user(campaigns=(petition.campaign,)))
    page = f"/organise/hand-ins/{delivery.id}"
    refused = post_form(client, f"{page}/publish", {"action": "publish"}, page_url=page)
    assert refused.status_code == 409
    assert "A hand-in dated in the future cannot be published." in text_of(refused)
    assert post_form(client, f"{page}/publish", {"action": "x"}, page_url=page).status_code == 400
    db.session.expire_all()
    assert not db.session.get(Delivery, delivery.id).is_published
    assert audit_events("delivery.published") == []


def test_every_field_of_a_hand_in_is_declared_in_the_openapi_document(app, client):
    petition = make_petition()
    delivery = make_delivery(petition, published_at=utcnow())
    db.session.add(
        DeliveryPhoto(
            delivery_id=delivery.id, slot=0, content_type="image/jpeg", digest="a" * 64,
            width=4, height=3, size_bytes=1, data=b"x", alt_text="A photo",
        )
    )  # fmt: skip
    db.session.flush()
    schemas = client.get("/api/v1/openapi.json").json["components"]["schemas"]
    [item] = client.get(f"/api/v1/petitions/{petition.slug}").json["deliveries"]
    assert (
        set(item) == set(schemas["Delivery"]["required"]) == set(schemas["Delivery"]["properties"])
    )
    [photo] = item["photos"]
    photo_schema = schemas["DeliveryPhoto"]
    assert set(photo) == set(photo_schema["required"]) == set(photo_schema["properties"])
    assert item["outcome"] in schemas["Delivery"]["properties"]["outcome"]["enum"]


def test_a_new_hand_in_starts_from_the_counts_online_and_on_paper(client):
    from campaign_app.paper.service.entering import BatchInput, enter_counts

    petition = make_petition(title="Free Ales Bialiatski")
    for _ in range(2):
        make_signature(petition)
    organiser = make_user(campaigns=(petition.campaign,))
    enter_counts(petition, BatchInput("Solidarity day", "Berlin", "DE", ""), 12, organiser)
    log_in(client, organiser)

    blank = client.get(f"/organise/petitions/{petition.id}/hand-ins/new")
    assert field_value(blank, "signatures_online") == "2"
    assert field_value(blank, "signatures_on_paper") == "12"
