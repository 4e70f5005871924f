"""A signer erases their own signatures: asks by address, confirms by the e-mailed link.

The answer to "erase me" is the same whether or not anything is held under the address.
The link mail is queued after the request is committed; if the queue is down, the request
waits unsent and ``jobs.resend_lost_erasure_links`` queues it again.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select

from campaign_app.db import utcnow
from campaign_app.errors import CampaignError
from campaign_app.extensions import db
from campaign_app.privacy import jobs
from campaign_app.privacy.erasure import (
    ErasureResult,
    PetitionMatch,
    address_hash,
    erase_matches,
    find_signatures,
)
from campaign_app.privacy.models import ErasureRequest
from campaign_app.privacy.tokens import hash_token, new_token
from campaign_app.queue import enqueue

log = logging.getLogger(__name__)


class ErasureLinkInvalid(CampaignError):
    """The erasure link is unknown or was already used."""


class ErasureLinkExpired(CampaignError):
    """The erasure link is older than ERASURE_LINK_MAX_AGE."""


def request_erasure(email: str, locale: str = "en") -> None:
    """Record an "erase me" request and queue its link mail, if this address signed anything.

    Nothing is recorded when nothing is held under the address, or when a link was asked for
    within CONFIRM_RESEND_INTERVAL (so nobody can flood a mailbox); the caller answers the
    same in every case. The token is made and mailed by ``jobs.send_erasure_link``, in
    ``locale`` (the language of the page the request came from).
    Raises InvalidEmailAddress.
    """
    hashed = address_hash(email)
    if not find_signatures(hashed):
        return
    now = utcnow()
    interval = timedelta(seconds=int(current_app.config["CONFIRM_RESEND_INTERVAL"]))
    recent = db.session.scalar(
        select(ErasureRequest.id)
        .where(
            ErasureRequest.email_hash == hashed,
            ErasureRequest.created_at > now - interval,
        )
        .limit(1)
    )
    if recent is not None:
        log.info("Erasure request %s is recent; no new link mailed", recent)
        return
    request = ErasureRequest(
        # Replaced by the mail job's token: until then no link works.
        token_hash=new_token()[1],
        email_hash=hashed,
        locale=locale,
        created_at=now,
        expires_at=now + timedelta(seconds=int(current_app.config["ERASURE_LINK_MAX_AGE"])),
    )
    db.session.add(request)
    db.session.commit()
    log.info("Erasure request %s recorded", request.id)
    enqueue(jobs.send_erasure_link, request.id)  # if the queue is down, the request waits


def erasure_request_for(token: str) -> ErasureRequest:
    """The live request behind a link's token, or ErasureLinkInvalid/ErasureLinkExpired."""
    if not token or len(token) > 100:
        raise ErasureLinkInvalid()
    request = db.session.scalar(
        select(ErasureRequest).where(ErasureRequest.token_hash == hash_token(token))
    )
    if request is None:
        raise ErasureLinkInvalid()
    if request.expires_at <= utcnow():
        raise ErasureLinkExpired()
    return request


def matches_for(request: ErasureRequest) -> list[PetitionMatch]:
    """What the request would erase: the address's signatures, by petition."""
    return find_signatures(request.email_hash)


def confirm_erasure(token: str) -> ErasureResult:
    """Carry out a signer's request (POST only): erase, then forget the request."""
    request = erasure_request_for(token)
    matches = find_signatures(request.email_hash)
    db.session.execute(
        delete(ErasureRequest)
        .where(ErasureRequest.email_hash == request.email_hash)
        .execution_options(synchronize_session=False)
    )
    return erase_matches(matches, actor=None, via="signer")
