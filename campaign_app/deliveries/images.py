"""Uploaded photos re-encoded with Pillow: pure, bytes in, clean bytes out.

Whatever a phone or camera put in the file stays out of what the app stores and serves: the
image is decoded, turned upright (the EXIF orientation applied), converted to sRGB, scaled
down, and its pixels written into a new JPEG (or PNG, when the photo has transparency) with
no EXIF (GPS position, camera serial, time), no ICC profile, no XMP, no comments.

Only JPEG, PNG and WebP are opened (no other decoder of Pillow's ever sees an upload). The
number of pixels is checked from the header before anything is decoded (a small file can
declare a gigapixel image: a decompression bomb); Pillow's own guard, Image.MAX_IMAGE_PIXELS,
stays at its default as a second line and its DecompressionBombError is caught like any
broken file. Pillow is imported with the first photo, not when the app starts.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL.Image import Image

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
JPEG_QUALITY = 85


class ImageRefused(Exception):
    """The upload cannot become a photo; subclasses say why."""


class TooLarge(ImageRefused):
    """More bytes than allowed."""


class NotAnImage(ImageRefused):
    """Not a JPEG, PNG or WebP image (whatever its name says)."""


class TooManyPixels(ImageRefused):
    """Declares more pixels than allowed (a decompression bomb, or a huge scan)."""


class BrokenImage(ImageRefused):
    """Recognised, but cannot be decoded whole (truncated or damaged)."""


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    content_type: str  # image/jpeg or image/png
    width: int
    height: int

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def reencode(data: bytes, *, max_bytes: int, max_pixels: int, max_side: int) -> CleanImage:
    """``data`` as a new upright sRGB JPEG or PNG, at most ``max_side`` pixels wide and high,
    without any metadata. Raises an ImageRefused subclass for what cannot be a photo."""
    if len(data) > max_bytes:
        raise TooLarge()
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
    except Image.DecompressionBombError:
        raise TooManyPixels() from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise NotAnImage() from None
    with image:
        width, height = image.size
        if width < 1 or height < 1 or width * height > max_pixels:
            raise TooManyPixels()
        try:
            return _clean(image, max_side)
        except Image.DecompressionBombError:
            raise TooManyPixels() from None
        except (OSError, SyntaxError, ValueError, EOFError, KeyError, TypeError):
            # Truncated data ("image file is truncated"), a damaged chunk or EXIF block.
            raise BrokenImage() from None


def _clean(image: Image, max_side: int) -> CleanImage:
    from PIL import Image as PILImage
    from PIL import ImageOps

    if image.format == "JPEG":
        # Let the JPEG decoder scale down by 1/2, 1/4 or 1/8 while decoding: a 48-megapixel
        # photo never sits decoded in memory at full size.
        image.draft("RGB", (max_side, max_side))
    image.load()
    upright = ImageOps.exif_transpose(image) or image
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or (
        upright.mode == "P" and "transparency" in upright.info
    )
    mode = "RGBA" if has_alpha else "RGB"
    converted = _to_srgb(upright, mode)
    converted.thumbnail((max_side, max_side), PILImage.Resampling.LANCZOS)
    # The pixels alone in a new image: nothing of the upload's info (EXIF, ICC, XMP, text
    # chunks, comments) can reach the encoder.
    clean = PILImage.frombytes(mode, converted.size, converted.tobytes())
    out = io.BytesIO()
    if has_alpha:
        clean.save(out, "PNG", optimize=True)
        content_type = "image/png"
    else:
        clean.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
        content_type = "image/jpeg"
    return CleanImage(out.getvalue(), content_type, clean.width, clean.height)


def _to_srgb(image: Image, mode: str) -> Image:
    """``image`` in ``mode``, its colours converted from its ICC profile (a phone's Display
    P3, say) to sRGB first, since the profile itself is not kept."""
    profile = image.info.get("icc_profile")
    if profile and image.mode in ("RGB", "RGBA", "CMYK", "L"):
        from PIL import ImageCms

        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            converted = ImageCms.profileToProfile(
                image, source, ImageCms.createProfile("sRGB"), outputMode=mode
            )
        except (ImageCms.PyCMSError, OSError, ValueError):
            converted = None  # an unusable profile: the pixels as they are
        if converted is not None:
            return converted
    return image if image.mode == mode else image.convert(mode)
