"""Queue jobs of privacy: the erasure-link mail, anonymising a petition, the daily purge,
and the periodic re-queue of the work the queue lost (it was down when asked).

Jobs receive ids and re-read the rows; they import the building blocks, never the service
modules that queue them.
"""

from __future__ import annotations

import logging

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from campaign_app import mail, queue
from campaign_app.accounts.models import User
from campaign_app.audit.models import AuditEvent
from campaign_app.db import utcnow
from campaign_app.extensions import db
from campaign_app.petitions.models import Petition, Signature
from campaign_app.privacy import retention
from campaign_app.privacy.erasure import find_signatures
from campaign_app.privacy.models import ErasureRequest
from campaign_app.privacy.tokens import new_token

log = logging.getLogger(__name__)


def send_erasure_link(request_id: int) -> None:
    """Mail the signer a link to erase their signatures.

    The token is made here, in the worker, and only its hash is stored: the queue never
    holds a working link. A retry makes a new token, so only the delivered link works.
    """
    request = db.session.get(ErasureRequest, request_id)
    if request is None or request.mail_sent_at is not None or request.expires_at <= utcnow():
        log.info("Erasure request %s gone, sent or expired; no mail", request_id)
        return
    matches = find_signatures(request.email_hash)
    if not matches:
        log.info("Erasure request %s: nothing left to erase; no mail", request_id)
        return
    # Send to the address as the signer typed it when signing (it reached them before);
    # the request holds only the address's hash.
    first = db.session.get(Signature, matches[0].signature_ids[0])
    to = first.email if first is not None else ""
    if not to:
        log.info("Erasure request %s: its signature is gone; no mail", request_id)
        return
    token, request.token_hash = new_token()
    db.session.commit()
    base = str(current_app.config["BASE_URL"]).rstrip("/")
    context = {
        "link": f"{base}/privacy/erase/{token}",
        "petitions": len(matches),
        "hours": int(current_app.config["ERASURE_LINK_MAX_AGE"]) // 3600,
    }
    with current_app.test_request_context(base_url=base), force_locale(request.locale or "en"):
        text = render_template("emails/erasure_link.txt", **context)
        html = render_template("emails/erasure_link.html", **context)
        subject = _("Erasing your signatures")
    mail.send(mail.build_message(to, subject, text, html))
    request.mail_sent_at = utcnow()
    db.session.commit()
    log.info("Erasure link for request %s delivered to the transport", request_id)


def resend_lost_erasure_links() -> int:
    """Periodic job: mail the erasure links whose job the queue lost (it was down)."""
    lost = db.session.scalars(
        select(ErasureRequest.id).where(
            ErasureRequest.mail_sent_at.is_(None),
            ErasureRequest.created_at < queue.lost_before(),
            ErasureRequest.expires_at > utcnow(),
        )
    ).all()
    return queue.requeue_lost(send_erasure_link, lost, "erasure-link mails")


def anonymise_petition(request_id: int) -> None:
    """Anonymise the petition an organiser asked for (``request_id``: their audit event).

    The request is marked "started" first, so the periodic re-queue leaves it alone; a retry
    of this job goes on regardless (anonymising finishes what a stopped run left).
    """
    request = db.session.get(AuditEvent, request_id)
    if request is None or request.action != retention.ANONYMISE_REQUESTED:
        log.info("Anonymising request %s not found; nothing to do", request_id)
        return
    petition_id = request.petition_id
    actor = db.session.get(User, request.actor_id) if request.actor_id is not None else None
    _mark(request, retention.REQUEST_STARTED)
    if petition_id is None:  # the petition was deleted meanwhile
        return
    try:
        retention.anonymise_petition(petition_id, actor=actor, via="job")
    except retention.PetitionNotClosed:
        log.info("Petition %s is not closed (any more); not anonymised", petition_id)
        _mark(request, retention.REQUEST_REFUSED)
        return
    _mark(request, retention.REQUEST_DONE)


def requeue_lost_anonymising() -> int:
    """Periodic job: queue again the anonymising requests the queue lost (it was down)."""
    waiting = db.session.execute(
        select(AuditEvent.id, AuditEvent.details)
        .join(Petition, Petition.id == AuditEvent.petition_id)
        .where(
            AuditEvent.action == retention.ANONYMISE_REQUESTED,
            AuditEvent.at < queue.lost_before(),
            Petition.anonymised_at.is_(None),
        )
    ).all()
    # Few rows (requests of petitions not anonymised yet); the state is in the JSON details.
    lost = [row.id for row in waiting if row.details.get("state") == retention.REQUEST_QUEUED]
    return queue.requeue_lost(anonymise_petition, lost, "anonymising requests")


def _mark(request: AuditEvent, state: str) -> None:
    request.details = {**request.details, "state": state}
    db.session.commit()


def purge_if_due() -> None:
    """Run the retention purge at most once a day (checked every minute by every worker;
    with several workers, on several nodes, only one runs it)."""
    if retention.purge_ran_recently():
        return
    with queue.exclusive("privacy.purge") as mine:
        if mine and not retention.purge_ran_recently():
            retention.purge(via="job")
