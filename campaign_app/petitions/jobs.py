"""Queue jobs that e-mail signers (run by the worker, never inside a request)."""

from __future__ import annotations

import logging

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select, update

from campaign_app import mail
from campaign_app.db import utcnow
from campaign_app.extensions import db
from campaign_app.petitions.models import Signature, SignatureState
from campaign_app.petitions.texts import petition_text
from campaign_app.petitions.tokens import make_confirmation_token

log = logging.getLogger(__name__)


def send_signature_mail(signature_id: int) -> None:
    """E-mail a signer their confirmation link, or "you have already signed".

    Which one is decided here, from the row as it is now, so a person who signed twice
    gets the right message and an erased signer gets nothing.
    """
    signature = db.session.get(Signature, signature_id)
    if signature is None or signature.state is SignatureState.INVALIDATED:
        log.info("Signature %s gone or withdrawn; no mail sent", signature_id)
        return
    petition = signature.petition
    base = str(current_app.config["BASE_URL"]).rstrip("/")
    petition_url = f"{base}/petitions/{petition.slug}"
    # The signer's language: the e-mail and the petition's title (its translation) in it.
    title = petition_text(petition, signature.locale).title
    with current_app.test_request_context(base_url=base), force_locale(signature.locale):
        if signature.state is SignatureState.PENDING:
            token = make_confirmation_token(signature.id)
            confirm_url = f"{petition_url}/confirm/{token}"
            subject = _("Please confirm your signature: %(title)s", title=title)
            template = "emails/confirm_signature"
            if current_app.config["MAIL_TRANSPORT"] == "outbox":
                # Local set-ups have no mail server: the link is in the log and the outbox.
                log.info("Confirmation link for signature %s: %s", signature.id, confirm_url)
        else:
            confirm_url = ""
            subject = _("You have already signed: %(title)s", title=title)
            template = "emails/already_signed"
        context = {
            "signature": signature,
            "petition": petition,
            "confirm_url": confirm_url,
            "petition_url": petition_url,
            "max_age_days": current_app.config["CONFIRM_TOKEN_MAX_AGE"] // 86400,
        }
        text = render_template(f"{template}.txt", **context)
        html = render_template(f"{template}.html", **context)
    try:
        mail.send(mail.build_message(signature.email, subject, text, html))
    except mail.MailRefused:
        # A permanent refusal: retrying for 34 hours cannot help. The signature stays
        # pending (the signer may sign again with another address); the refusal is kept.
        signature.mail_refused_at = utcnow()
        db.session.commit()
        log.warning("Mail for signature %s refused by the server; not retried", signature.id)
        return
    log.info("Mail for signature %s delivered to the transport", signature.id)


def send_unsent_signature_mail(limit: int = 500) -> int:
    """Send the e-mails that never reached the queue (run every minute by the worker).

    Each signature is claimed with a conditional UPDATE first, so two workers never send
    the same e-mail twice. Returns how many were sent.
    """
    ids = db.session.scalars(
        select(Signature.id)
        .where(
            Signature.state == SignatureState.PENDING,
            Signature.confirmation_sent_at.is_(None),
        )
        .order_by(Signature.id)
        .limit(limit)
    ).all()
    sent = 0
    for signature_id in ids:
        claimed = db.session.execute(
            update(Signature)
            .where(Signature.id == signature_id, Signature.confirmation_sent_at.is_(None))
            .values(confirmation_sent_at=utcnow())
            .returning(Signature.id)
            .execution_options(synchronize_session=False)
        ).scalar_one_or_none()
        db.session.commit()
        if claimed is not None:
            send_signature_mail(signature_id)
            sent += 1
    if sent:
        log.info("Mail sweep sent %s e-mail(s) that had missed the queue", sent)
    return sent
