"""Reports: the IP hashes and e-mail domains with most signatures lately (floods stand out)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from campaign_app.db import utcnow
from campaign_app.extensions import db
from campaign_app.petitions.models import Petition, Signature

REPORT_ROWS = 10


@dataclass(frozen=True)
class Busiest:
    """One line of a report: an IP hash or e-mail domain and its signatures."""

    value: str
    count: int


@dataclass(frozen=True)
class Report:
    since: datetime
    ip_hashes: list[Busiest]
    domains: list[Busiest]


def busiest(petition: Petition, hours: int) -> Report:
    """The IP hashes and e-mail domains with most signatures in the last ``hours``."""
    since = utcnow() - timedelta(hours=hours)
    recent = (Signature.petition_id == petition.id, Signature.created_at >= since)
    n = func.count().label("n")
    ip_rows = db.session.execute(
        select(Signature.ip_hash, n)
        .where(*recent, Signature.ip_hash.is_not(None), Signature.ip_hash != "")
        .group_by(Signature.ip_hash)
        .order_by(n.desc(), Signature.ip_hash)
        .limit(REPORT_ROWS)
    ).all()
    domain = _domain_of(Signature.email_normalized).label("domain")
    domain_rows = db.session.execute(
        select(domain, n)
        .where(*recent, Signature.email_normalized.contains("@"))
        .group_by(domain)
        .order_by(n.desc(), domain)
        .limit(REPORT_ROWS)
    ).all()
    return Report(
        since=since,
        ip_hashes=[Busiest(value=str(value), count=int(count)) for value, count in ip_rows],
        domains=[Busiest(value=str(value), count=int(count)) for value, count in domain_rows],
    )


def _domain_of(column: Any) -> Any:
    if db.session.get_bind().dialect.name == "postgresql":
        return func.split_part(column, "@", 2)
    return func.substr(column, func.instr(column, "@") + 1)
