"""Photos for hand-in tests, made with Pillow: a phone's JPEG with EXIF and GPS, broken files,
a decompression bomb; and a hand-in row with its photos' rows."""

from __future__ import annotations

import io
import struct
import zlib
from datetime import date
from typing import Any

from PIL import ExifTags, Image

from campaign_app.deliveries.models import Delivery, DeliveryOutcome, DeliveryPhoto
from campaign_app.extensions import db
from campaign_app.petitions.models import Petition

RED = (220, 30, 30)
BLUE = (30, 30, 220)

# EXIF orientation 6: the camera was turned; viewers rotate the stored image 90° clockwise.
ROTATE_CLOCKWISE = 6


def phone_jpeg(size: tuple[int, int] = (400, 200), orientation: int = ROTATE_CLOCKWISE) -> bytes:
    """A JPEG as a phone writes it: the left half red, the right half blue, stored sideways
    (EXIF orientation), with the camera, the time and a GPS position in its EXIF."""
    width, height = size
    image = Image.new("RGB", size, BLUE)
    image.paste(RED, (0, 0, width // 2, height))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Phone 12"
    exif[ExifTags.Base.DateTime] = "2012:09:25 12:00:00"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (52.0, 30.0, 51.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (13.0, 22.0, 4.0)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, exif=exif.tobytes())
    return out.getvalue()


def has_gps(data: bytes) -> bool:
    with Image.open(io.BytesIO(data)) as image:
        return bool(image.getexif().get_ifd(ExifTags.IFD.GPSInfo))


def png_with_alpha(size: tuple[int, int] = (300, 300)) -> bytes:
    image = Image.new("RGBA", size, (0, 128, 0, 128))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def png_bomb(width: int = 100_000, height: int = 100_000) -> bytes:
    """A PNG of a few dozen bytes whose header declares ``width`` x ``height`` pixels."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def make_delivery(petition: Petition, **overrides: Any) -> Delivery:
    """A hand-in of ``petition`` (a draft unless ``published_at`` is given)."""
    values: dict[str, Any] = {
        "petition_id": petition.id,
        "delivered_on": date(2012, 9, 25),
        "place": "Embassy of the Republic of Belarus, The Hague",
        "recipient": "",
        "outcome": DeliveryOutcome.REFUSED,
        "signatures_online": 100,
        "signatures_on_paper": 20,
        "note": "",
    }
    delivery = Delivery(**(values | overrides))
    db.session.add(delivery)
    db.session.flush()
    return delivery


def make_photo(delivery: Delivery, **overrides: Any) -> DeliveryPhoto:
    """A photo row of ``delivery`` in its first free slot (a tiny made-up image)."""
    values: dict[str, Any] = {
        "slot": len(delivery.photos),
        "content_type": "image/jpeg",
        "digest": f"{len(delivery.photos):x}" * 64,
        "width": 4,
        "height": 3,
        "size_bytes": 1,
        "data": b"x",
        "alt_text": "Supporters at the embassy door",
    }
    photo = DeliveryPhoto(**(values | overrides))
    delivery.photos.append(photo)
    db.session.flush()
    return photo
