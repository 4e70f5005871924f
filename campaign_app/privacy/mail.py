"""Queue jobs of privacy operations: the erasure link e-mail, anonymising, the daily purge."""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app, render_template
from sqlalchemy import select

from campaign_app import mail
from campaign_app.accounts.models import User
from campaign_app.db import utcnow
from campaign_app.extensions import db
from campaign_app.petitions.models import Signature
from campaign_app.privacy import service
from campaign_app.privacy.models import ErasureRequest
from campaign_app.queue import enqueue

log = logging.getLogger(__name__)

# A link mail still unsent after this long was lost (the queue was down when it was asked for).
LOST_AFTER = timedelta(minutes=10)


def send_erasure_link(request_id: int) -> None:
    """Mail the signer a link to erase their signatures.

    The token is made here, in the worker, and only its hash is stored: the queue never
    holds a working link. A retry makes a new token, so only the delivered link works.
    """
    request = db.session.get(ErasureRequest, request_id)
    if request is None or request.mail_sent_at is not None or request.expires_at <= utcnow():
        log.info("Erasure request %s gone, sent or expired; no mail", request_id)
        return
    matches = service.matches_for(request)
    if not matches:
        log.info("Erasure request %s: nothing left to erase; no mail", request_id)
        return
    # Send to the address as the signer typed it when signing (it reached them before).
    first = db.session.get(Signature, matches[0].signature_ids[0])
    to = (first.email if first is not None else "") or request.email_normalized
    token = service.new_link_token(request)
    base = str(current_app.config["BASE_URL"]).rstrip("/")
    context = {
        "link": f"{base}/privacy/erase/{token}",
        "petitions": len(matches),
        "hours": int(current_app.config["ERASURE_LINK_MAX_AGE"]) // 3600,
    }
    with current_app.test_request_context(base_url=base):
        text = render_template("emails/erasure_link.txt", **context)
        html = render_template("emails/erasure_link.html", **context)
    mail.send(mail.build_message(to, "Erasing your signatures", text, html))
    service.mark_link_sent(request)
    log.info("Erasure link for request %s delivered to the transport", request_id)


def anonymise_petition(petition_id: int, actor_id: int | None = None) -> None:
    """Anonymise one closed petition's signers (an organiser's button, run as a job)."""
    actor = db.session.get(User, actor_id) if actor_id is not None else None
    try:
        service.anonymise_petition(petition_id, actor=actor, via="job")
    except service.PetitionNotClosed:
        log.info("Petition %s is not closed (any more); not anonymised", petition_id)


def purge_if_due() -> None:
    """Run the retention purge at most once a day (checked every minute by the worker)."""
    if service.purge_ran_recently():
        return
    service.purge(via="job")


def resend_lost_erasure_links() -> int:
    """Periodic job: mail the erasure links whose job the queue lost (it was down)."""
    stale = db.session.scalars(
        select(ErasureRequest.id).where(
            ErasureRequest.mail_sent_at.is_(None),
            ErasureRequest.created_at < utcnow() - LOST_AFTER,
            ErasureRequest.expires_at > utcnow(),
        )
    ).all()
    for request_id in stale:
        enqueue(send_erasure_link, request_id)
    if stale:
        log.warning("Queued %s erasure-link mails again that had waited too long", len(stale))
    return len(stale)
