"""Replies: record a supporter's "I got a reply"; count cards reported sent against replies.

Nothing about the reply or its reader is stored: the prisoner, the day it arrived and,
optionally, the reader's country. The public sees a count and a month; organisers the day.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from campaign_app.db import utcnow
from campaign_app.extensions import db
from campaign_app.field_errors import FieldErrors, check_not_future
from campaign_app.letters.models import CardSent
from campaign_app.prisoners.models import Prisoner
from campaign_app.replies.models import ReplyReport

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MailSummary:
    """One prisoner's mail as supporters reported it: cards sent, replies, the last reply."""

    cards_reported: int = 0
    replies: int = 0
    last_reply_on: date | None = None

    def review_hint(self, prisoner: Prisoner) -> str:
        """A hint to review the prisoner's "mail is getting through" flag, or "".

        "reply_since": a reply arrived after the flag's date while the flag says no or not
        known. "no_reply": the flag says yes, at least ``QUIET_AFTER_CARDS`` cards were
        reported and no reply arrived since the flag's date.
        """
        as_of = prisoner.mail_note_as_of
        since = self.last_reply_on is not None and (as_of is None or self.last_reply_on > as_of)
        if since and prisoner.is_mail_getting_through is not True:
            return "reply_since"
        replied_after = self.last_reply_on is not None and (
            as_of is None or self.last_reply_on >= as_of
        )
        if (
            prisoner.is_mail_getting_through is True
            and self.cards_reported >= QUIET_AFTER_CARDS
            and not replied_after
        ):
            return "no_reply"
        return ""


# Cards reported sent without a reply before the hint suggests checking the flag.
QUIET_AFTER_CARDS = 20


@dataclass(frozen=True)
class PublicReplies:
    """What the public prisoner page shows: how many replies, and the month of the last one."""

    count: int
    last_month: date | None  # the first of the month, never the day


# Queries --------------------------------------------------------------------------------


def mail_summaries(prisoner_ids: Iterable[int]) -> dict[int, MailSummary]:
    """Cards reported sent, replies and the last reply's date, keyed by prisoner id.

    Every id asked for is in the answer (zeros when nothing was reported). Two grouped
    queries, whatever the number of prisoners; grouping by institution sums these.
    """
    ids = sorted(set(prisoner_ids))
    if not ids:
        return {}
    cards = dict(
        db.session.execute(
            select(CardSent.prisoner_id, func.sum(CardSent.count))
            .where(CardSent.prisoner_id.in_(ids))
            .group_by(CardSent.prisoner_id)
        ).all()
    )
    replies = {
        prisoner_id: (count, last)
        for prisoner_id, count, last in db.session.execute(
            select(
                ReplyReport.prisoner_id,
                func.count(ReplyReport.id),
                func.max(ReplyReport.received_on),
            )
            .where(ReplyReport.prisoner_id.in_(ids))
            .group_by(ReplyReport.prisoner_id)
        ).all()
    }
    summaries = {}
    for prisoner_id in ids:
        count, last = replies.get(prisoner_id, (0, None))
        summaries[prisoner_id] = MailSummary(
            cards_reported=int(cards.get(prisoner_id) or 0),
            replies=int(count or 0),
            last_reply_on=_as_date(last),
        )
    return summaries


def mail_summary(prisoner: Prisoner) -> MailSummary:
    """One prisoner's summary (see ``mail_summaries``)."""
    return mail_summaries([prisoner.id])[prisoner.id]


def public_replies(prisoner: Prisoner) -> PublicReplies:
    """The reply count and the month of the last reply, for the public page."""
    summary = mail_summary(prisoner)
    last = summary.last_reply_on
    return PublicReplies(summary.replies, last.replace(day=1) if last else None)


def _as_date(value: object) -> date | None:
    # SQLite hands MAX() of a DATE column back as text.
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


# Use cases ------------------------------------------------------------------------------


def check_reply(prisoner: Prisoner, received_on: date) -> None:
    """Refuse (InvalidFields) a date in the future or before the prisoner's arrest."""
    errors = FieldErrors()
    check_not_future(errors, "received_on", _("The date of the reply"), received_on)
    if prisoner.arrest_date is not None and received_on < prisoner.arrest_date:
        errors.add(
            "received_on",
            _(
                "The date of the reply cannot be before the arrest (%(date)s).",
                date=prisoner.arrest_date.isoformat(),
            ),
        )
    errors.raise_if_any()


def record_reply(prisoner: Prisoner, received_on: date, sender_country: str | None) -> ReplyReport:
    """Record a supporter's "I got a reply" (no personal data); commits."""
    check_reply(prisoner, received_on)
    report = ReplyReport(
        prisoner_id=prisoner.id,
        received_on=received_on,
        sender_country=sender_country or None,
        created_at=utcnow(),
    )
    db.session.add(report)
    db.session.commit()
    log.info("Reply reported: prisoner %s", prisoner.id)
    return report
