"""Signers' e-mail through the outbox: the confirmation link, or "you have already signed".

Signing sets ``signature.mail_due_at`` in its own INSERT; the dispatcher (campaign_app.outbox)
claims due rows here. Which e-mail a row gets is decided when it is sent, from the row as it
is then: a pending signature gets its link, a confirmed one "already signed", a withdrawn or
erased one nothing. Each petition x language x kind is rendered once per process and filled
in per signer (name and link).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace
from typing import Any, cast
from uuid import uuid4

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import Table, and_, bindparam, select

from campaign_app import mail
from campaign_app.extensions import db
from campaign_app.news.tokens import unsubscribe_url
from campaign_app.outbox import Outgoing, nothing_to_send
from campaign_app.outbox_table import TableMailSource
from campaign_app.petitions.models import (
    Petition,
    PetitionTranslation,
    Signature,
    SignatureState,
)
from campaign_app.petitions.texts import petition_text
from campaign_app.petitions.tokens import make_confirmation_token

log = logging.getLogger(__name__)

_S = cast(Table, Signature.__table__).c
_P = cast(Table, Petition.__table__).c
_T = cast(Table, PetitionTranslation.__table__).c
_SIGNATURE = cast(Table, Signature.__table__)

# The claimed signatures with what their e-mail needs, in one query: the signer's name,
# address, state and language, the petition, and the dates that say whether its texts changed.
_LOAD = (
    select(
        _S.id,
        _S.email,
        _S.first_name,
        _S.state,
        _S.locale,
        _S.erased_at,
        _S.news_consent_at,
        _S.news_withdrawn_at,
        _P.id,
        _P.updated_at,
        _T.updated_at,
    )
    .join_from(_SIGNATURE, Petition.__table__, _P.id == _S.petition_id)
    .outerjoin(
        PetitionTranslation.__table__,
        and_(_T.petition_id == _S.petition_id, _T.locale == _S.locale),
    )
    .where(_S.id.in_(bindparam("ids", expanding=True)))
)

CONFIRM = "confirm_signature"
ALREADY_SIGNED = "already_signed"


@dataclass(frozen=True)
class _Group:
    """Which rendering an e-mail shares with others."""

    petition_id: int
    petition_changed: datetime | None
    translation_changed: datetime | None
    locale: str
    kind: str
    # The signer asked for news: the e-mail says how to stop it.
    news: bool


class SignatureMail(TableMailSource):
    name = "Signature e-mail"
    item_name = "Mail for signature"
    logger = log

    @property
    def label(self) -> str:
        return str(_("Confirmation e-mails to signers"))

    def __init__(self) -> None:
        super().__init__(
            _SIGNATURE,
            key=_S.id,
            due=_S.mail_due_at,
            lease=_S.mail_lease_until,
            attempts=_S.mail_attempts,
            sent=_S.mail_sent_at,
            refused=_S.mail_refused_at,
            load=_LOAD,
        )
        self._templates: dict[_Group, tuple[mail.MessageTemplate, str]] = {}
        self._markers = {
            "name": f"@@name-{uuid4().hex}@@",
            "link": f"@@link-{uuid4().hex}@@",
            "unsubscribe": f"@@unsubscribe-{uuid4().hex}@@",
        }

    # Composing ----------------------------------------------------------------------------

    def compose(self, key: int, due: datetime, attempts: int, row: Any) -> Outgoing:
        nothing = nothing_to_send(key, due, attempts)
        if row is None:
            return nothing
        _id, email, first_name, state, locale, erased_at, news_at, withdrawn_at, *petition = row
        petition_id, changed, t_changed = petition
        if not email or erased_at is not None or state is SignatureState.INVALIDATED:
            log.info("Signature %s gone or withdrawn; no mail sent", key)
            return nothing
        kind = CONFIRM if state is SignatureState.PENDING else ALREADY_SIGNED
        news = news_at is not None and withdrawn_at is None
        template, petition_url = self._template(
            _Group(petition_id, changed, t_changed, locale, kind, news)
        )
        link = petition_url
        if kind == CONFIRM:
            link = f"{petition_url}/confirm/{make_confirmation_token(key)}"
            if current_app.config["MAIL_TRANSPORT"] == "outbox":
                # Local set-ups have no mail server: the link is in the log and the outbox.
                log.info("Confirmation link for signature %s: %s", key, link)
        to = mail.deliverable_address(email)
        values = {self._markers["name"]: first_name or "", self._markers["link"]: link}
        if news:
            values[self._markers["unsubscribe"]] = unsubscribe_url(key)

        def render(eight_bit: bool) -> bytes:
            return template.fill(to, values, eight_bit=eight_bit)

        return Outgoing(key, due, to, render, attempts)

    def _template(self, group: _Group) -> tuple[mail.MessageTemplate, str]:
        found = self._templates.get(group)
        if found is None:
            if len(self._templates) > 500:
                self._templates.clear()
            found = self._templates[group] = self._render(group)
        return found

    def _render(self, group: _Group) -> tuple[mail.MessageTemplate, str]:
        petition = db.session.get(Petition, group.petition_id)
        assert petition is not None  # the signature's foreign key holds it
        base = str(current_app.config["BASE_URL"]).rstrip("/")
        petition_url = f"{base}/petitions/{petition.slug}"
        title = petition_text(petition, group.locale).title
        with current_app.test_request_context(base_url=base), force_locale(group.locale):
            if group.kind == CONFIRM:
                subject = _("Please confirm your signature: %(title)s", title=title)
            else:
                subject = _("You have already signed: %(title)s", title=title)
            context = {
                "signature": SimpleNamespace(first_name=self._markers["name"]),
                "petition": petition,
                "confirm_url": self._markers["link"],
                "petition_url": petition_url,
                "max_age_days": current_app.config["CONFIRM_TOKEN_MAX_AGE"] // 86400,
                "unsubscribe_url": self._markers["unsubscribe"] if group.news else None,
            }
            text = render_template(f"emails/{group.kind}.txt", **context)
            html = render_template(f"emails/{group.kind}.html", **context)
        db.session.commit()
        template = mail.MessageTemplate(current_app.config, subject, text, html)
        return template, petition_url

    # Marking ------------------------------------------------------------------------------

    def mark_sent(self, item: Outgoing, now: datetime) -> None:
        super().mark_sent(item, now)
        if item.recipient is not None:
            log.info("Mail for signature %s accepted by the server", item.key)

    # mark_refused: the signature stays pending (the signer may sign again with another
    # address).
