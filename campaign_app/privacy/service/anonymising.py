"""An organiser has a closed petition's signers anonymised: asked here, done by a job.

The request is an audit event ("petition.anonymise_requested", who asked, when), committed
before the job is queued: if the queue is down, ``jobs.requeue_lost_anonymising`` finds the
request still "queued" and queues it again.
"""

from __future__ import annotations

import logging

from campaign_app.accounts.models import User
from campaign_app.audit import service as audit
from campaign_app.extensions import db
from campaign_app.petitions.models import Petition
from campaign_app.privacy import jobs
from campaign_app.privacy.retention import (
    ANONYMISE_REQUESTED,
    REQUEST_QUEUED,
    PetitionNotClosed,
    is_closed,
)
from campaign_app.queue import enqueue

log = logging.getLogger(__name__)


def start_anonymising(petition: Petition, user: User) -> None:
    """Record the request and queue the job; PetitionNotClosed unless the petition is closed.

    A petition anonymised already needs nothing more.
    """
    if not is_closed(petition):
        raise PetitionNotClosed()
    if petition.anonymised_at is not None:
        return
    request = audit.record(
        ANONYMISE_REQUESTED,
        actor=user,
        campaign_id=petition.campaign_id,
        petition_id=petition.id,
        target=f"petition {petition.id}",
        details={"state": REQUEST_QUEUED},
    )
    db.session.commit()
    log.info("Anonymising petition %s asked (request %s)", petition.id, request.id)
    enqueue(jobs.anonymise_petition, request.id)  # if the queue is down, the request waits
