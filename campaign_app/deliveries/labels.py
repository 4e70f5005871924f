"""The words for a hand-in's outcome, as organisers choose them and the public reads them."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from campaign_app.deliveries.models import DeliveryOutcome

OUTCOME_LABELS = {
    DeliveryOutcome.RECEIVED: _l("Received"),
    DeliveryOutcome.REFUSED: _l("Refused"),
    DeliveryOutcome.LEFT_IN_MAILBOX: _l("Left in the mailbox"),
    DeliveryOutcome.SENT_BY_POST: _l("Sent by post"),
}


def outcome_label(outcome: DeliveryOutcome | str) -> str:
    """Template helper: the outcome in the reader's language."""
    return str(OUTCOME_LABELS[DeliveryOutcome(outcome)])
