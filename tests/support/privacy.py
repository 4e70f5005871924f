"""The privacy tests' helpers: the erasure link, a fresh look at a signature, the counters."""

from __future__ import annotations

import re

from sqlalchemy import select

from campaign_app.extensions import db
from campaign_app.petitions import counting
from campaign_app.petitions.models import Signature

ERASE_LINK = re.compile(r"http://campaign\.test(/privacy/erase/[A-Za-z0-9_\-]+)")


def erase_link(message) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    match = ERASE_LINK.search(body)
    assert match, f"no erasure link in: {body}"
    return match.group(1)


def signature(signature_id: int) -> Signature:
    db.session.expire_all()
    row = db.session.get(Signature, signature_id)
    assert row is not None
    return row


def counts_of(petition_id: int) -> tuple[int, dict[str, int], dict]:
    return (
        counting.read_counts(db.session, petition_id).total,
        counting.read_counts(db.session, petition_id).by_country,
        counting.read_hourly(db.session, petition_id),
    )


def all_emails() -> list[str]:
    return list(db.session.scalars(select(Signature.email)))
