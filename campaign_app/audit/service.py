"""Write and read the audit log. Callers own the transaction: ``record`` only flushes;
``save_and_record`` is the common ending of a use case (flush, record, commit)."""

from __future__ import annotations

import getpass
import logging
from collections.abc import Callable
from typing import Any

from flask_login import current_user
from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError

from campaign_app.accounts.models import User
from campaign_app.audit.models import AuditEvent
from campaign_app.extensions import db

log = logging.getLogger(__name__)

PAGE_SIZE = 50


def _label(actor: User | None, via: str) -> tuple[int | None, str]:
    if actor is not None:
        return actor.id, actor.email
    if via == "cli":
        try:
            who = getpass.getuser()
        except (KeyError, OSError):  # no user name in containers without /etc/passwd entry
            who = "unknown"
        return None, f"command line ({who})"
    if via == "job":
        return None, "scheduled job"
    if current_user and current_user.is_authenticated:
        user: User = current_user._get_current_object()
        return user.id, user.email
    return None, "signer (e-mailed link)" if via == "signer" else "anonymous"


def record(
    action: str,
    *,
    actor: User | None = None,
    via: str = "web",
    campaign_id: int | None = None,
    petition_id: int | None = None,
    target: str = "",
    rows: int | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add one event (flushes; the caller commits with the change it describes).

    ``via`` is "web" (the signed-in organiser unless ``actor`` is given), "cli", "job" or
    "signer". ``details`` must never hold e-mail addresses or names of signers.
    """
    actor_id, label = _label(actor, via)
    event = AuditEvent(
        actor_id=actor_id,
        actor_label=label,
        action=action,
        campaign_id=campaign_id,
        petition_id=petition_id,
        target=target,
        rows=rows,
        details=details or {},
    )
    db.session.add(event)
    db.session.flush()
    log.info("Audit %s: %s %s", event.id, action, target)
    return event


def flush_or_refuse(refused: Callable[[], Exception] | None = None) -> None:
    """Flush the pending changes. If the database refuses one (a unique value another request
    took meanwhile), roll back and raise ``refused()`` instead of the IntegrityError."""
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        if refused is None:
            raise
        raise refused() from None


def save_and_record(
    action: str, *, refused: Callable[[], Exception] | None = None, **event: Any
) -> AuditEvent:
    """Flush the change (see ``flush_or_refuse``), ``record`` the event about it, commit both."""
    flush_or_refuse(refused)
    audit_event = record(action, **event)
    db.session.commit()
    return audit_event


def events_query(
    campaign_ids: list[int] | None, *, action: str = "", petition_id: int | None = None
) -> Select[AuditEvent]:
    """Newest first; ``campaign_ids`` None means every event (admins)."""
    query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if campaign_ids is not None:
        query = query.where(AuditEvent.campaign_id.in_(campaign_ids))
    if action:
        query = query.where(AuditEvent.action.startswith(action))
    if petition_id is not None:
        query = query.where(AuditEvent.petition_id == petition_id)
    return query


def page_of_events(
    campaign_ids: list[int] | None, *, page: int, action: str = ""
) -> tuple[list[AuditEvent], bool]:
    """One page of events and whether there is a next one."""
    query = events_query(campaign_ids, action=action)
    rows = list(db.session.scalars(query.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)))
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE
