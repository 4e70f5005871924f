"""Uploads that cannot be a photo of a hand-in: a message next to the field (400), nothing
stored, never a 500."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from campaign_app.deliveries.models import DeliveryPhoto
from campaign_app.extensions import db
from tests.deliveries.test_hand_ins import upload
from tests.factories import make_petition, make_user
from tests.support.deliveries import make_delivery, phone_jpeg, png_bomb
from tests.support.web import log_in

FULL = phone_jpeg((800, 600))


def photo_count() -> int:
    return int(db.session.scalar(select(func.count()).select_from(DeliveryPhoto)) or 0)


def photo_error(response) -> str:
    match = re.search(r'<p class="error" id="photo-error">([^<]*)</p>', response.text)
    assert match, response.text[:3000]
    return match.group(1)


@pytest.fixture
def signed_in(app, client):
    petition = make_petition()
    delivery = make_delivery(petition)
    log_in(client, make_user(campaigns=(petition.campaign,)))
    return delivery


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"Not an image at all, just text.", "photo.jpg", "This file is not a photo"),
        (FULL[: len(FULL) * 2 // 3], "cut.jpg", "The image is damaged or incomplete"),
        (png_bomb(), "bomb.png", "The image has too many pixels"),
        (png_bomb(9_000, 9_000), "huge.png", "The image has too many pixels"),
    ],
    ids=["renamed-text", "truncated", "decompression-bomb", "too-many-pixels"],
)
def test_a_file_that_is_no_usable_photo_is_refused(client, signed_in, data, name, message):
    response = upload(client, signed_in.id, data, name)
    assert response.status_code == 400
    assert photo_error(response).startswith(message)
    assert photo_count() == 0


def test_a_file_just_over_the_limit_is_refused(app, client, signed_in, monkeypatch):
    monkeypatch.setitem(app.config, "DELIVERY_PHOTO_MAX_BYTES", 1024 * 1024)
    response = upload(client, signed_in.id, b"\xff\xd8" + b"\x00" * (1024 * 1024 + 10))
    assert response.status_code == 400
    assert photo_error(response) == "The photo is larger than 1 MB: please send a smaller one."
    assert photo_count() == 0


def test_a_file_far_over_the_limit_is_refused_before_it_is_read(
    app, client, signed_in, monkeypatch
):
    monkeypatch.setitem(app.config, "DELIVERY_PHOTO_MAX_BYTES", 1024 * 1024)
    response = upload(client, signed_in.id, b"\xff\xd8" + b"\x00" * (3 * 1024 * 1024))
    assert response.status_code == 400
    assert photo_error(response) == "The photo is larger than 1 MB: please send a smaller one."
    assert photo_count() == 0


def test_no_file_and_no_description(client, signed_in):
    response = upload(client, signed_in.id, b"", name="", alt_text="")
    assert response.status_code == 400
    assert photo_error(response) == "Please choose a photo."
    assert 'id="alt_text-error"' in response.text
    assert photo_count() == 0


def test_no_more_photos_than_allowed(app, client, signed_in, monkeypatch):
    monkeypatch.setitem(app.config, "DELIVERY_MAX_PHOTOS", 2)
    assert upload(client, signed_in.id, phone_jpeg()).status_code == 302
    assert upload(client, signed_in.id, phone_jpeg()).status_code == 302
    third = upload(client, signed_in.id, phone_jpeg())
    assert third.status_code == 400
    assert "This hand-in has 2 photos, the most allowed: delete one first." in third.text
    assert photo_count() == 2


def test_a_file_where_no_file_is_expected_is_refused(client, signed_in):
    """Every other organiser form refuses a file part (the upload limit is the photo's only)."""
    response = upload(client, signed_in.id, phone_jpeg())
    assert response.status_code == 302
    url = f"/organise/hand-ins/{signed_in.id}"
    sneaky = client.post(
        url, data={"photo": (io.BytesIO(b"x"), "a.jpg")}, content_type="multipart/form-data"
    )
    assert sneaky.status_code == 400
