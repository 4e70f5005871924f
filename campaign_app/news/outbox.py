"""Updates' e-mail through the outbox: one news_delivery row per recipient, inserted at
approval; the dispatchers (campaign_app.outbox) claim them with a lease and send each in the
signer's language.

Whether a delivery is still wanted is decided when it is sent, from the signature as it is
then: withdrawn consent, an erased or invalidated signature, or an anonymised petition mean
no e-mail (the row is done, not counted as sent). Each update x language is rendered once
per process and filled in per signer (name and unsubscribe link).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any, cast

from flask_babel import gettext as _
from sqlalchemy import Table, and_, bindparam, func, or_, select, update

from campaign_app import mail
from campaign_app.db import commit_without_waiting_for_disk
from campaign_app.extensions import db
from campaign_app.news import service
from campaign_app.news.messages import NAME, UNSUBSCRIBE, one_click_headers, render_update
from campaign_app.news.models import NewsDelivery, NewsUpdate, UpdateState
from campaign_app.news.tokens import unsubscribe_url
from campaign_app.outbox import Backlog, MailSource, Outgoing
from campaign_app.petitions.models import Petition, Signature, SignatureState

log = logging.getLogger(__name__)

_DELIVERY = cast(Table, NewsDelivery.__table__)
_D = _DELIVERY.c
_S = cast(Table, Signature.__table__).c
_P = cast(Table, Petition.__table__).c
_U = cast(Table, NewsUpdate.__table__).c

_DUE = and_(
    _D.due_at.is_not(None),
    _D.due_at <= bindparam("now"),
    or_(_D.lease_until.is_(None), _D.lease_until < bindparam("now")),
)
_CLAIM = (
    update(_DELIVERY)
    .where(
        _D.id.in_(
            select(_D.id)
            .where(_DUE)
            .order_by(_D.due_at)
            .limit(bindparam("size"))
            .with_for_update(skip_locked=True)
        )
    )
    .values(lease_until=bindparam("lease_until"))
    .returning(_D.id, _D.due_at, _D.attempts)
)
# The claimed deliveries with what their e-mail needs, in one query.
_LOAD = (
    select(
        _D.id,
        _D.update_id,
        _D.signature_id,
        _S.email,
        _S.first_name,
        _S.state,
        _S.locale,
        _S.erased_at,
        _S.news_consent_at,
        _S.news_withdrawn_at,
        _P.anonymised_at,
        _U.state,
        _U.approved_at,
    )
    .join_from(_DELIVERY, Signature.__table__, _S.id == _D.signature_id)
    .join(NewsUpdate.__table__, _U.id == _D.update_id)
    .join(Petition.__table__, _P.id == _U.petition_id)
    .where(_D.id.in_(bindparam("ids", expanding=True)))
)
_CLAIMED = and_(_D.id == bindparam("key"), _D.due_at == bindparam("claimed_due"))
_SENT = (
    update(_DELIVERY).where(_CLAIMED).values(due_at=None, lease_until=None, sent_at=bindparam("at"))
)
_REFUSED = (
    update(_DELIVERY)
    .where(_CLAIMED)
    .values(due_at=None, lease_until=None, refused_at=bindparam("at"))
)
_POSTPONED = (
    update(_DELIVERY)
    .where(_CLAIMED)
    .values(due_at=bindparam("retry_at"), lease_until=None, attempts=_D.attempts + 1)
)
_GIVEN_UP = (
    update(_DELIVERY)
    .where(_CLAIMED)
    .values(due_at=None, lease_until=None, attempts=_D.attempts + 1)
)
_DROPPED = update(_DELIVERY).where(_CLAIMED).values(due_at=None, lease_until=None)
_RELEASED = update(_DELIVERY).where(_CLAIMED).values(lease_until=None)


class NewsMail(MailSource):
    name = "News update e-mail"

    @property
    def label(self) -> str:
        return str(_("News updates to signers"))

    def __init__(self) -> None:
        self._templates: dict[tuple[int, datetime | None, str], mail.MessageTemplate] = {}

    # Claiming and composing ---------------------------------------------------------------

    def claim(self, now: datetime, lease_until: datetime, limit: int) -> list[Outgoing]:
        claimed = db.session.execute(
            _CLAIM, {"now": now, "lease_until": lease_until, "size": limit}
        ).all()
        db.session.commit()
        if len(claimed) < limit:
            # Little or nothing left: updates whose last e-mails went are finished.
            service.finish_sent_updates(now)
        if not claimed:
            return []
        rows = {row[0]: row for row in db.session.execute(_LOAD, {"ids": [c[0] for c in claimed]})}
        db.session.commit()
        return [self._compose(key, due, attempts, rows.get(key)) for key, due, attempts in claimed]

    def _compose(self, key: int, due: datetime, attempts: int, row: Any) -> Outgoing:
        nothing = Outgoing(key, due, None, _nothing, attempts)
        if row is None:
            return nothing
        (_id, update_id, signature_id, email, first_name, state, locale, erased_at) = row[:8]
        consent_at, withdrawn_at, anonymised_at, update_state, approved_at = row[8:]
        if (
            not email
            or erased_at is not None
            or state is not SignatureState.CONFIRMED
            or consent_at is None
            or withdrawn_at is not None
            or anonymised_at is not None
            or update_state is not UpdateState.SENDING
        ):
            log.info("News delivery %s no longer wanted; no mail sent", key)
            return nothing
        template = self._template(update_id, approved_at, locale or "")
        to = mail.deliverable_address(email)
        link = unsubscribe_url(signature_id)
        values = {NAME: first_name or "", UNSUBSCRIBE: link}
        headers = one_click_headers(link)

        def render(eight_bit: bool) -> bytes:
            return template.fill(to, values, eight_bit=eight_bit, headers=headers)

        return Outgoing(key, due, to, render, attempts)

    def _template(
        self, update_id: int, approved_at: datetime | None, locale: str
    ) -> mail.MessageTemplate:
        # An approved update never changes: its renderings are kept for the process (the
        # approval time tells apart an update from an earlier one with the same id that was
        # rolled back, as SQLite may reuse ids).
        key = (update_id, approved_at, locale)
        found = self._templates.get(key)
        if found is None:
            if len(self._templates) > 200:
                self._templates.clear()
            update_row = db.session.get(NewsUpdate, update_id)
            assert update_row is not None  # the delivery's foreign key holds it
            petition = db.session.get(Petition, update_row.petition_id)
            assert petition is not None
            found = self._templates[key] = render_update(update_row, petition, locale).template()
            db.session.commit()
        return found

    # Marking ------------------------------------------------------------------------------

    def mark_sent(self, item: Outgoing, now: datetime) -> None:
        if item.recipient is None:
            self._mark(_DROPPED, item)
            return
        self._mark(_SENT, item, at=now)

    def mark_refused(self, item: Outgoing, now: datetime) -> None:
        self._mark(_REFUSED, item, at=now)

    def postpone(self, item: Outgoing, until: datetime | None) -> None:
        if until is None:
            log.warning("News delivery %s failed too often; given up", item.key)
            self._mark(_GIVEN_UP, item)
        else:
            self._mark(_POSTPONED, item, retry_at=until)

    def release(self, items: list[Outgoing]) -> None:
        if items:
            db.session.execute(
                _RELEASED, [{"key": i.key, "claimed_due": i.claimed_due} for i in items]
            )
            db.session.commit()

    def _mark(self, statement: Any, item: Outgoing, **values: Any) -> None:
        db.session.execute(statement, {"key": item.key, "claimed_due": item.claimed_due, **values})
        # A mark lost in a database crash means one e-mail sent twice, never one lost.
        commit_without_waiting_for_disk(db.session)

    # Watching -----------------------------------------------------------------------------

    def backlog(self, now: datetime) -> Backlog:
        due = _D.due_at.is_not(None)
        leased = and_(due, _D.lease_until.is_not(None), _D.lease_until >= now)
        waiting, sending, oldest = db.session.execute(
            select(func.count(), func.count().filter(leased), func.min(_D.due_at)).where(due)
        ).one()
        sent = db.session.scalar(select(func.count()).where(_D.sent_at >= now - timedelta(hours=1)))
        refused = db.session.scalar(select(func.count()).where(_D.refused_at.is_not(None)))
        return Backlog(self.label, waiting - sending, sending, oldest, sent or 0, refused or 0)


def _nothing(eight_bit: bool) -> bytes:
    return b""
