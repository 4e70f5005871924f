"""Queue job: the organiser's test of an update, through the signers' own templates."""

from __future__ import annotations

import logging

from flask import current_app

from campaign_app import mail
from campaign_app.accounts.models import User
from campaign_app.audit import service as audit
from campaign_app.db import utcnow
from campaign_app.extensions import db
from campaign_app.news.messages import NAME, UNSUBSCRIBE, one_click_headers, render_update
from campaign_app.news.models import NewsUpdate
from campaign_app.petitions.models import Petition

log = logging.getLogger(__name__)


def send_test(update_id: int, user_id: int) -> None:
    """One e-mail per language of the update to the organiser who asked, marked as a test;
    its unsubscribe link goes to a page that changes nothing."""
    update_row = db.session.get(NewsUpdate, update_id)
    user = db.session.get(User, user_id)
    if update_row is None or user is None or not user.is_active:
        return
    petition = db.session.get(Petition, update_row.petition_id)
    assert petition is not None
    base = str(current_app.config["BASE_URL"]).rstrip("/")
    link = f"{base}/news/unsubscribe/test"
    languages = [text.locale for text in update_row.texts]
    with mail.open_transport() as transport:
        for locale in languages:
            template = render_update(update_row, petition, locale, test=True).template()
            to = mail.deliverable_address(user.email)
            data = template.fill(
                to,
                {NAME: user.name or user.email, UNSUBSCRIBE: link},
                eight_bit=transport.eight_bit,
                headers=one_click_headers(link),
            )
            transport.send(to, data)
    # Recorded once sent: approval needs a test sent after the texts last changed.
    update_row.test_sent_at = utcnow()
    audit.save_and_record(
        "news.test_sent",
        actor=user,
        via="job",
        campaign_id=petition.campaign_id,
        petition_id=petition.id,
        target=f"news update {update_id}",
        rows=len(languages),
        details={"languages": languages},
    )
    log.info("Test of news update %s sent to account %s", update_id, user_id)
