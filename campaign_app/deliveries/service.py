"""Hand-ins: record, edit, publish, add and delete photos (organisers, audited); read the
published ones (public page, API).

Each public write function is one use case and commits once, with its audit event. Audit
details name the changed fields, never their values.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload, undefer

from campaign_app.audit.service import save_and_record
from campaign_app.db import apply_changes, utcnow
from campaign_app.deliveries import images
from campaign_app.deliveries.models import Delivery, DeliveryOutcome, DeliveryPhoto
from campaign_app.errors import CampaignError
from campaign_app.extensions import db
from campaign_app.field_errors import FieldErrors
from campaign_app.petitions import service as petitions_service
from campaign_app.petitions.models import Petition

log = logging.getLogger(__name__)

# A hand-in dated tomorrow (UTC) is still "today" somewhere east of Greenwich.
DATE_SLACK = timedelta(days=1)


class PhotoRefused(CampaignError):
    """The uploaded file cannot become a photo of the hand-in; ``message`` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TooManyPhotos(PhotoRefused):
    """Every photo slot of the hand-in is taken."""


class PublishRefused(CampaignError):
    """The hand-in cannot go public as it is; ``message`` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class DeliveryInput:
    delivered_on: date
    place: str
    recipient: str
    outcome: DeliveryOutcome
    signatures_online: int
    signatures_on_paper: int
    note: str
    # {"ru": {"place": "…", "recipient": "…", "note": "…"}, …}: what readers of other
    # languages see (campaign_app.translated).
    translations: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class PhotoTexts:
    alt_text: str
    caption: str
    translations: dict[str, dict[str, str]] = field(default_factory=dict)  # alt_text, caption


@dataclass(frozen=True)
class PhotoInput:
    data: bytes
    texts: PhotoTexts


@dataclass(frozen=True)
class SignatureCounts:
    online: int
    on_paper: int


def prefilled_counts(petition: Petition) -> SignatureCounts:
    """What a new hand-in's counts start from: the petition's confirmed signatures online
    and on paper (entered or imported) now; the organiser edits both."""
    counts = petitions_service.get_counts(petition)
    return SignatureCounts(online=counts.online, on_paper=counts.on_paper)


# Reading ------------------------------------------------------------------------------


def petition_deliveries(petition: Petition) -> list[Delivery]:
    """Every hand-in of ``petition``, drafts included, newest first (organisers)."""
    return list(
        db.session.scalars(
            select(Delivery)
            .where(Delivery.petition_id == petition.id)
            .options(selectinload(Delivery.photos))
            .order_by(Delivery.delivered_on.desc(), Delivery.id.desc())
        )
    )


def published_deliveries(petition_id: int) -> list[Delivery]:
    """The published hand-ins of a petition with their photos, newest first (public)."""
    return list(
        db.session.scalars(
            select(Delivery)
            .where(Delivery.petition_id == petition_id, Delivery.published_at.is_not(None))
            .options(selectinload(Delivery.photos))
            .order_by(Delivery.delivered_on.desc(), Delivery.id.desc())
        )
    )


def get_delivery(delivery_id: int) -> Delivery | None:
    return db.session.get(Delivery, delivery_id)


def get_photo_with_data(photo_id: int) -> DeliveryPhoto | None:
    """A photo with its bytes and its hand-in (to serve it)."""
    return db.session.scalar(
        select(DeliveryPhoto)
        .where(DeliveryPhoto.id == photo_id)
        .options(undefer(DeliveryPhoto.data), selectinload(DeliveryPhoto.delivery))
    )


# Checks -------------------------------------------------------------------------------


def _check(data: DeliveryInput) -> None:
    errors = FieldErrors()
    if data.delivered_on > utcnow().date() + DATE_SLACK:
        errors.add("delivered_on", _("%(field)s cannot be in the future.", field=_("Date")))
    errors.raise_if_any()


def _record(delivery: Delivery, petition: Petition, action: str, **details: object) -> None:
    save_and_record(
        action,
        campaign_id=petition.campaign_id,
        petition_id=petition.id,
        target=f"hand-in {delivery.id}",
        details=dict(details),
    )


# Writing ------------------------------------------------------------------------------


def create_delivery(petition: Petition, data: DeliveryInput) -> Delivery:
    """A new hand-in of ``petition``, as a draft."""
    _check(data)
    delivery = Delivery(petition_id=petition.id)
    apply_changes(delivery, data)
    db.session.add(delivery)
    db.session.flush()
    _record(delivery, petition, "delivery.created", outcome=data.outcome.value)
    log.info("Hand-in %s recorded for petition %s", delivery.id, petition.id)
    return delivery


def update_delivery(delivery: Delivery, petition: Petition, data: DeliveryInput) -> list[str]:
    """Save the edited fields; the names of those that changed."""
    _check(data)
    changed = apply_changes(delivery, data)
    if changed:
        _record(delivery, petition, "delivery.updated", fields=changed)
    return changed


def publish_delivery(delivery: Delivery, petition: Petition) -> bool:
    """Show the hand-in on the public page and in the API; False if it was already."""
    if delivery.is_published:
        return False
    if delivery.delivered_on > utcnow().date() + DATE_SLACK:
        raise PublishRefused(_("A hand-in dated in the future cannot be published."))
    delivery.published_at = utcnow()
    _record(delivery, petition, "delivery.published")
    return True


def unpublish_delivery(delivery: Delivery, petition: Petition) -> bool:
    """Make the hand-in a draft again; False if it was one."""
    if not delivery.is_published:
        return False
    delivery.published_at = None
    _record(delivery, petition, "delivery.unpublished")
    return True


def add_photo(delivery: Delivery, petition: Petition, data: PhotoInput) -> DeliveryPhoto:
    """Re-encode the upload (no metadata kept) and store it in a free slot."""
    config = current_app.config
    max_photos = int(config["DELIVERY_MAX_PHOTOS"])
    taken = {photo.slot for photo in delivery.photos}
    free = [slot for slot in range(max_photos) if slot not in taken]
    if not free:
        raise TooManyPhotos(
            _(
                "This hand-in has %(count)s photos, the most allowed: delete one first.",
                count=max_photos,
            )
        )
    max_bytes = int(config["DELIVERY_PHOTO_MAX_BYTES"])
    try:
        clean = images.reencode(
            data.data,
            max_bytes=max_bytes,
            max_pixels=int(config["DELIVERY_PHOTO_MAX_PIXELS"]),
            max_side=int(config["DELIVERY_PHOTO_MAX_SIDE"]),
        )
    except images.ImageRefused as refusal:
        raise PhotoRefused(photo_refusal_message(refusal, max_bytes)) from None
    photo = DeliveryPhoto(
        slot=free[0],
        content_type=clean.content_type,
        digest=clean.digest,
        width=clean.width,
        height=clean.height,
        size_bytes=len(clean.data),
        data=clean.data,
    )
    apply_changes(photo, data.texts)
    delivery.photos.append(photo)
    save_and_record(
        "delivery.photo_added",
        refused=lambda: TooManyPhotos(_("Another photo was added meanwhile: please try again.")),
        campaign_id=petition.campaign_id,
        petition_id=petition.id,
        target=f"hand-in {delivery.id}",
        details={"bytes": len(clean.data), "type": clean.content_type},
    )
    log.info("Photo %s added to hand-in %s", photo.id, delivery.id)
    return photo


def too_large_message(max_bytes: int) -> str:
    megabytes = max(1, max_bytes // (1024 * 1024))
    return str(
        _("The photo is larger than %(size)s MB: please send a smaller one.", size=megabytes)
    )


def photo_refusal_message(refusal: images.ImageRefused, max_bytes: int) -> str:
    """What the organiser reads next to the photo field."""
    if isinstance(refusal, images.TooLarge):
        return too_large_message(max_bytes)
    if isinstance(refusal, images.TooManyPixels):
        return str(_("The image has too many pixels: please send a smaller photo."))
    if isinstance(refusal, images.BrokenImage):
        return str(_("The image is damaged or incomplete: please send it again."))
    return str(_("This file is not a photo: please send a JPEG, PNG or WebP image."))


def update_photo_texts(
    delivery: Delivery, petition: Petition, photo: DeliveryPhoto, texts: PhotoTexts
) -> list[str]:
    """Save a photo's description, caption and their translations; the names of those that
    changed."""
    changed = apply_changes(photo, texts)
    if changed:
        # The petition page's content version reads the hand-ins' updated_at, not the photos'.
        delivery.updated_at = utcnow()
        _record(delivery, petition, "delivery.photo_updated", photo=photo.id, fields=changed)
    return changed


def delete_photo(delivery: Delivery, petition: Petition, photo: DeliveryPhoto) -> None:
    """Remove one photo of the hand-in."""
    photo_id = photo.id
    delivery.photos.remove(photo)  # delete-orphan removes the row
    _record(delivery, petition, "delivery.photo_deleted", photo=photo_id)
