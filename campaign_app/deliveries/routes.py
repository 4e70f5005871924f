"""The photos of hand-ins: served from the database with long cache headers."""

from __future__ import annotations

from flask import abort, current_app, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from campaign_app.accounts.access import may_manage
from campaign_app.deliveries import bp, service
from campaign_app.deliveries.models import Delivery
from campaign_app.petitions import service as petitions_service

# A photo's URL holds the start of its digest: the URL never shows another image.
PUBLIC_CACHE = "public, max-age=31536000, immutable"


@bp.get("/photos/<int:photo_id>/<file_name>")
def photo(photo_id: int, file_name: str) -> ResponseReturnValue:
    found = service.get_photo_with_data(photo_id)
    if found is None or found.file_name != file_name:
        abort(404)
    if _is_public(found.delivery):
        cache_control = PUBLIC_CACHE
    elif current_user.is_authenticated and may_manage(
        current_user._get_current_object(), found.delivery.petition.campaign_id
    ):
        cache_control = "private, no-cache"  # a draft's photo: its organisers only
    else:
        abort(404)
    headers = {"Cache-Control": cache_control, "ETag": f'"{found.digest}"'}
    if "If-None-Match" in request.headers and request.if_none_match.contains(found.digest):
        return current_app.response_class(status=304, headers=headers)
    return current_app.response_class(found.data, mimetype=found.content_type, headers=headers)


def _is_public(delivery: Delivery) -> bool:
    """Published, of a petition the public may see."""
    return delivery.is_published and (
        petitions_service.get_public_petition(delivery.petition.slug) is not None
    )
