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
from datetime import datetime
from typing import Any, cast

from flask_babel import gettext as _
from sqlalchemy import Table, bindparam, select

from campaign_app import mail
from campaign_app.extensions import db
from campaign_app.news import service
from campaign_app.news.messages import NAME, UNSUBSCRIBE, one_click_headers, render_update
from campaign_app.news.models import NewsDelivery, NewsUpdate, UpdateState
from campaign_app.news.tokens import unsubscribe_url
from campaign_app.outbox import Outgoing, nothing_to_send
from campaign_app.outbox_table import TableMailSource
from campaign_app.petitions.models import Petition, Signature, SignatureState

log = logging.getLogger(__name__)

_DELIVERY = cast(Table, NewsDelivery.__table__)
_D = _DELIVERY.c
_S = cast(Table, Signature.__table__).c
_P = cast(Table, Petition.__table__).c
_U = cast(Table, NewsUpdate.__table__).c

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


class NewsMail(TableMailSource):
    name = "News update e-mail"
    item_name = "News delivery"
    logger = log

    @property
    def label(self) -> str:
        return str(_("News updates to signers"))

    def __init__(self) -> None:
        super().__init__(
            _DELIVERY,
            key=_D.id,
            due=_D.due_at,
            lease=_D.lease_until,
            attempts=_D.attempts,
            sent=_D.sent_at,
            refused=_D.refused_at,
            load=_LOAD,
        )
        self._templates: dict[tuple[int, datetime | None, str], mail.MessageTemplate] = {}

    # Claiming and composing ---------------------------------------------------------------

    def claimed(self, now: datetime, count: int, limit: int) -> None:
        if count < limit:
            # Little or nothing left: updates whose last e-mails went are finished.
            service.finish_sent_updates(now)

    def compose(self, key: int, due: datetime, attempts: int, row: Any) -> Outgoing:
        nothing = nothing_to_send(key, due, attempts)
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
