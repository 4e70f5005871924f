"""Words for the states of things, as shown to people (in their language)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# Petitions and campaigns, export jobs, invalidation batches, signatures.
STATE_LABELS = {
    "draft": _l("draft"),
    "upcoming": _l("upcoming"),
    "open": _l("open"),
    "closed": _l("closed"),
    "archived": _l("archived"),
    "queued": _l("queued"),
    "running": _l("running"),
    "done": _l("done"),
    "failed": _l("failed"),
    "expired": _l("expired"),
    "restoring": _l("restoring"),
    "restored": _l("restored"),
    "pending": _l("pending"),
    "confirmed": _l("confirmed"),
    "invalidated": _l("invalidated"),
}


def state_label(value: str) -> str:
    """The translated word for a state value; an unknown value is shown as it is."""
    label = STATE_LABELS.get(str(value))
    return str(label) if label is not None else str(value)
