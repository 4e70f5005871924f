"""News use cases: write and edit an update, send a test, approve (which starts the sending),
finish, withdraw consent; and the read queries of the pages.

Each public function is one use case and commits at most once. Recipient counts go to the
audit log and the organiser's progress bar, never to a public page.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from flask import current_app
from sqlalchemy import Integer, Table, and_, func, literal, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.elements import ColumnElement

from campaign_app.accounts.models import User
from campaign_app.audit import service as audit
from campaign_app.db import UTCDateTime, utcnow
from campaign_app.errors import CampaignError
from campaign_app.extensions import db
from campaign_app.markdown import render_markdown
from campaign_app.news.models import NewsDelivery, NewsUpdate, NewsUpdateText, UpdateState
from campaign_app.news.tokens import signature_id_from
from campaign_app.petitions.models import Petition, Signature, SignatureState
from campaign_app.queue import enqueue

log = logging.getLogger(__name__)

_S = cast(Table, Signature.__table__).c
_D = cast(Table, NewsDelivery.__table__)

# Updates that count towards the limit and are public: approved ones.
APPROVED_STATES = (UpdateState.SENDING, UpdateState.SENT)


class UpdateLimitReached(CampaignError):
    """The petition has sent as many updates as NEWS_MAX_UPDATES_PER_PETITION allows."""


class UpdateNotDraft(CampaignError):
    """The update was approved already: it can no longer change."""


class TestNeeded(CampaignError):
    """No test was sent since the texts last changed."""


class ApprovalRefused(CampaignError):
    """Only an admin approves an update."""


class PetitionAnonymised(CampaignError):
    """The petition's signers were anonymised: nobody can be written to."""


@dataclass(frozen=True)
class TextInput:
    subject: str
    neutral_subject: str
    body: str


@dataclass(frozen=True)
class UpdateInput:
    """What the update form holds, shape-checked: the texts of each language written."""

    is_subject_neutral: bool
    texts: dict[str, TextInput]


@dataclass(frozen=True)
class Progress:
    total: int  # deliveries created at approval
    sent: int  # accepted by the mail server
    waiting: int  # still due

    @property
    def done(self) -> int:
        return self.total - self.waiting

    @property
    def percent(self) -> int:
        return 100 if not self.total else self.done * 100 // self.total


@dataclass(frozen=True)
class PublicUpdate:
    """An approved update as a public page shows it, in one language."""

    id: int
    locale: str
    subject: str
    body_html: str
    published_at: datetime


# Reading ------------------------------------------------------------------------------


def petition_languages(petition: Petition) -> list[str]:
    """The languages the petition is written in: its own first, then its translations."""
    others = sorted(t.locale for t in petition.translations if t.locale != petition.language)
    return [petition.language, *others]


def max_updates() -> int:
    return int(current_app.config["NEWS_MAX_UPDATES_PER_PETITION"])


def approved_count(petition_id: int) -> int:
    return int(
        db.session.scalar(
            select(func.count(NewsUpdate.id)).where(
                NewsUpdate.petition_id == petition_id, NewsUpdate.state.in_(APPROVED_STATES)
            )
        )
        or 0
    )


def may_write_more(petition_id: int) -> bool:
    return approved_count(petition_id) < max_updates()


def list_updates(petition_id: int) -> list[NewsUpdate]:
    """Every update of the petition, newest first (organiser pages)."""
    return list(
        db.session.scalars(
            select(NewsUpdate)
            .where(NewsUpdate.petition_id == petition_id)
            .order_by(NewsUpdate.created_at.desc(), NewsUpdate.id.desc())
        )
    )


def progress(update_id: int) -> Progress:
    total, sent, waiting = db.session.execute(
        select(
            func.count(),
            func.count(_D.c.sent_at),
            func.count(_D.c.due_at),
        ).where(_D.c.update_id == update_id)
    ).one()
    return Progress(int(total or 0), int(sent or 0), int(waiting or 0))


def _public(update: NewsUpdate, petition: Petition, locale: str) -> PublicUpdate | None:
    text = update.text_in(locale, petition.language)
    if text is None or update.approved_at is None:
        return None
    return PublicUpdate(
        update.id, text.locale, text.subject, str(render_markdown(text.body)), update.approved_at
    )


def public_updates(petition: Petition, locale: str) -> list[PublicUpdate]:
    """The petition's approved updates in ``locale`` (or its own language), newest first."""
    updates = db.session.scalars(
        select(NewsUpdate)
        .where(NewsUpdate.petition_id == petition.id, NewsUpdate.state.in_(APPROVED_STATES))
        .order_by(NewsUpdate.approved_at.desc())
    )
    return [found for u in updates if (found := _public(u, petition, locale)) is not None]


def public_update(petition: Petition, update_id: int, locale: str) -> PublicUpdate | None:
    update = db.session.get(NewsUpdate, update_id)
    if update is None or update.petition_id != petition.id or update.state not in APPROVED_STATES:
        return None
    return _public(update, petition, locale)


# Writing ------------------------------------------------------------------------------


def _set_texts(update: NewsUpdate, data: UpdateInput) -> None:
    update.is_subject_neutral = data.is_subject_neutral
    update.texts = [
        NewsUpdateText(
            locale=locale,
            subject=text.subject,
            neutral_subject=text.neutral_subject,
            body=text.body,
        )
        for locale, text in data.texts.items()
    ]


def write_update(petition: Petition, data: UpdateInput, author: User) -> NewsUpdate:
    """A new draft update; refused once the petition has sent its allowed updates."""
    if not may_write_more(petition.id):
        raise UpdateLimitReached()
    if petition.anonymised_at is not None:
        raise PetitionAnonymised()
    now = utcnow()
    update_row = NewsUpdate(
        petition_id=petition.id, written_by_id=author.id, created_at=now, changed_at=now
    )
    _set_texts(update_row, data)
    db.session.add(update_row)
    db.session.flush()
    _record_texts("news.written", update_row, petition, data, author)
    return update_row


def edit_update(
    update_row: NewsUpdate, petition: Petition, data: UpdateInput, author: User
) -> None:
    """Change a draft's texts; a new test is needed before approval."""
    if update_row.state is not UpdateState.DRAFT:
        raise UpdateNotDraft()
    # The old texts go first: the new rows reuse their keys (update, language).
    update_row.texts.clear()
    db.session.flush()
    _set_texts(update_row, data)
    update_row.changed_at = utcnow()
    _record_texts("news.edited", update_row, petition, data, author)


def _record_texts(
    action: str, update_row: NewsUpdate, petition: Petition, data: UpdateInput, author: User
) -> None:
    """Commit a draft's texts with their audit record (which languages, not the texts)."""
    audit.save_and_record(
        action,
        actor=author,
        campaign_id=petition.campaign_id,
        petition_id=petition.id,
        target=f"news update {update_row.id}",
        details={"languages": sorted(data.texts), "neutral_subject": data.is_subject_neutral},
    )


def test_is_current(update_row: NewsUpdate) -> bool:
    """A test went out after the texts last changed."""
    return update_row.test_sent_at is not None and update_row.test_sent_at >= update_row.changed_at


def request_test(update_row: NewsUpdate, user: User) -> bool:
    """Queue the test e-mails to ``user`` (news.jobs.send_test); False if the queue is away."""
    from campaign_app.news.jobs import send_test

    return enqueue(send_test, update_row.id, user.id)


# The recipients: confirmed, not erased, consent given and not withdrawn, on a petition
# not anonymised (anonymising erases every row, which clears the consent too).
def _recipients(petition_id: int) -> list[ColumnElement[bool]]:
    return [
        _S.petition_id == petition_id,
        _S.state == SignatureState.CONFIRMED,
        _S.erased_at.is_(None),
        _S.news_consent_at.is_not(None),
        _S.news_withdrawn_at.is_(None),
    ]


def approve(update_row: NewsUpdate, petition: Petition, approver: User) -> int:
    """An admin approves: the update becomes public and one delivery per recipient is
    inserted (one INSERT .. SELECT, whatever the number of signers); the dispatchers send
    them. Returns the number of recipients (for the audit log and the organiser)."""
    if not approver.is_admin:
        raise ApprovalRefused()
    db.session.refresh(update_row)  # as it is now: a test may have been sent meanwhile
    if update_row.state is not UpdateState.DRAFT:
        raise UpdateNotDraft()
    if not test_is_current(update_row):
        raise TestNeeded()
    if petition.anonymised_at is not None:
        raise PetitionAnonymised()
    if not may_write_more(petition.id):
        raise UpdateLimitReached()
    now = utcnow()
    # Conditional: of two admins approving at once, one starts the sending.
    started = db.session.execute(
        update(NewsUpdate)
        .where(
            NewsUpdate.id == update_row.id,
            NewsUpdate.state == UpdateState.DRAFT,
            # The approved texts are the tested ones, even if an edit came in meanwhile.
            NewsUpdate.test_sent_at >= NewsUpdate.changed_at,
        )
        .values(state=UpdateState.SENDING, approved_by_id=approver.id, approved_at=now)
        .returning(NewsUpdate.id)
        .execution_options(synchronize_session=False)
    ).first()
    if started is None:
        db.session.rollback()
        db.session.refresh(update_row)
        raise UpdateNotDraft() if update_row.state is not UpdateState.DRAFT else TestNeeded()
    chosen = select(
        literal(update_row.id, Integer), _S.id, literal(now, UTCDateTime()), literal(0, Integer)
    ).where(and_(*_recipients(petition.id)))
    try:
        db.session.execute(
            _D.insert().from_select(["update_id", "signature_id", "due_at", "attempts"], chosen)
        )
    except IntegrityError:  # never expected: the state change above lets one approval in
        db.session.rollback()
        raise UpdateNotDraft() from None
    # Counted rather than read from the result's rowcount, which was 0 on PostgreSQL in the
    # tests; the unique index (update, signature) holds just these rows.
    recipients = int(
        db.session.scalar(select(func.count()).where(_D.c.update_id == update_row.id)) or 0
    )
    audit.record(
        "news.approved",
        actor=approver,
        campaign_id=petition.campaign_id,
        petition_id=petition.id,
        target=f"news update {update_row.id}",
        # An admin may approve their own update; the log says so.
        details={"own_update": update_row.written_by_id == approver.id},
    )
    audit.record(
        "news.sending_started",
        actor=approver,
        campaign_id=petition.campaign_id,
        petition_id=petition.id,
        target=f"news update {update_row.id}",
        rows=recipients,
        details={"recipients": recipients},
    )
    db.session.commit()
    db.session.refresh(update_row)
    log.info("News update %s approved: %s deliveries", update_row.id, recipients)
    return recipients


def finish_sent_updates(now: datetime) -> int:
    """Mark updates whose deliveries are all done as sent, with their counts in the audit
    log (called by the mail source when it finds little to send). Commits; how many."""
    sending = list(
        db.session.execute(
            select(NewsUpdate.id, Petition.id, Petition.campaign_id)
            .join(Petition, Petition.id == NewsUpdate.petition_id)
            .where(NewsUpdate.state == UpdateState.SENDING)
        )
    )
    finished = 0
    for update_id, petition_id, campaign_id in sending:
        # One probe of the (update, due) index: the whole count only once nothing is due.
        still_due = db.session.scalar(
            select(_D.c.id).where(_D.c.update_id == update_id, _D.c.due_at.is_not(None)).limit(1)
        )
        if still_due is not None:
            continue
        counts = progress(update_id)
        done = db.session.execute(
            update(NewsUpdate)
            .where(NewsUpdate.id == update_id, NewsUpdate.state == UpdateState.SENDING)
            .values(state=UpdateState.SENT, finished_at=now)
            .returning(NewsUpdate.id)
            .execution_options(synchronize_session=False)
        ).first()
        if done is None:
            continue  # another dispatcher finished it
        refused = int(
            db.session.scalar(
                select(func.count()).where(
                    _D.c.update_id == update_id, _D.c.refused_at.is_not(None)
                )
            )
            or 0
        )
        audit.record(
            "news.finished",
            via="job",
            campaign_id=campaign_id,
            petition_id=petition_id,
            target=f"news update {update_id}",
            rows=counts.sent,
            details={
                "recipients": counts.total,
                "sent": counts.sent,
                "refused": refused,
                "not_sent": counts.total - counts.sent - refused,
            },
        )
        db.session.commit()
        finished += 1
        log.info("News update %s finished: %s of %s sent", update_id, counts.sent, counts.total)
    db.session.commit()
    return finished


# Signers ------------------------------------------------------------------------------


def withdraw_consent(token: str) -> None:
    """The signer wants no more news: the time is recorded, the signature stays.

    Raises InvalidUnsubscribeToken. Asking twice, or after erasure, changes nothing and
    says the same (nobody learns whether the link's signer still exists).
    """
    signature_id = signature_id_from(token)
    db.session.execute(
        update(Signature)
        .where(
            Signature.id == signature_id,
            Signature.news_consent_at.is_not(None),
            Signature.news_withdrawn_at.is_(None),
        )
        .values(news_withdrawn_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    log.info("Signature %s: news consent withdrawn", signature_id)
