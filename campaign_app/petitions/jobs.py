"""Queue jobs of the petitions feature.

Signers' e-mail no longer goes through the queue: signing records it as due and the mail
dispatcher sends it (campaign_app.petitions.outbox). What is left here is for jobs queued
by a version before the outbox, still waiting in the queue when the site was upgraded.
"""

from __future__ import annotations

from sqlalchemy import update

from campaign_app.db import utcnow
from campaign_app.extensions import db
from campaign_app.petitions.models import Signature


def send_signature_mail(signature_id: int) -> None:
    """Hand a signature's e-mail to the outbox (the dispatcher decides what to send)."""
    db.session.execute(
        update(Signature)
        .where(Signature.id == signature_id, Signature.mail_due_at.is_(None))
        .values(mail_due_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
