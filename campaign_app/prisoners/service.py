"""Prisoner queries."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from campaign_app.extensions import db
from campaign_app.prisoners.models import Prisoner


def get_prisoner(slug: str) -> Prisoner | None:
    return db.session.scalar(
        select(Prisoner).where(Prisoner.slug == slug).options(selectinload(Prisoner.addresses))
    )


def list_prisoners() -> list[Prisoner]:
    return list(db.session.scalars(select(Prisoner).order_by(Prisoner.surname_latin)))
