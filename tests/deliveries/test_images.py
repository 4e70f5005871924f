"""Re-encoding uploads: upright, no metadata, scaled down; what cannot be a photo is refused."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from campaign_app.deliveries import images
from tests.support.deliveries import has_gps, phone_jpeg, png_bomb, png_with_alpha

FULL = phone_jpeg((800, 600))
TRUNCATED = FULL[: len(FULL) * 2 // 3]
LIMITS = {"max_bytes": 10 * 1024 * 1024, "max_pixels": 50_000_000, "max_side": 1600}


def test_the_guard_sees_gps_in_the_phone_photo():
    assert has_gps(phone_jpeg())


def test_a_phone_photo_comes_out_upright_without_metadata():
    clean = images.reencode(phone_jpeg((400, 200)), **LIMITS)

    assert clean.content_type == "image/jpeg"
    assert (clean.width, clean.height) == (200, 400)  # turned as the EXIF said
    with Image.open(io.BytesIO(clean.data)) as image:
        assert image.format == "JPEG"
        assert image.size == (200, 400)
        assert not image.getexif()
        assert not {"exif", "icc_profile", "xmp", "comment"} & set(image.info)
        top = image.getpixel((100, 20))
        assert top[0] > 180 and top[2] < 80  # the red left half is now on top
    assert b"Exif" not in clean.data
    assert b"PhoneMaker" not in clean.data
    assert not has_gps(clean.data)


def test_a_large_photo_is_scaled_down_to_the_longest_side():
    clean = images.reencode(phone_jpeg((3200, 2000), orientation=1), **LIMITS)
    assert max(clean.width, clean.height) == 1600
    assert (clean.width, clean.height) == (1600, 1000)


def test_a_png_with_transparency_stays_png():
    clean = images.reencode(png_with_alpha(), **LIMITS)
    assert clean.content_type == "image/png"
    with Image.open(io.BytesIO(clean.data)) as image:
        assert image.mode == "RGBA"


@pytest.mark.parametrize(
    ("data", "refusal"),
    [
        (b"Hello, I am a text file called photo.jpg", images.NotAnImage),
        (b"GIF89a" + b"\x00" * 100, images.NotAnImage),
        (TRUNCATED, images.BrokenImage),
        (png_bomb(), images.TooManyPixels),
        (png_bomb(9_000, 9_000), images.TooManyPixels),
        (b"\xff" * (10 * 1024 * 1024 + 1), images.TooLarge),
    ],
    ids=["text", "gif", "truncated", "bomb", "too-many-pixels", "too-large"],
)
def test_what_cannot_be_a_photo_is_refused(data, refusal):
    with pytest.raises(refusal):
        images.reencode(data, **LIMITS)
