"""Reports: the IP hashes and e-mail domains with most signatures lately (floods stand out).

Domains are grouped by their blind index (the keyed hash stored at signing); the name of
each of the busiest is read from one of its rows' decrypted address.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from campaign_app.db import utcnow
from campaign_app.extensions import db
from campaign_app.moderation.criteria import normalise_domain
from campaign_app.petitions.blind_index import domain_of
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
    sample = func.min(Signature.id).label("sample")
    domain_rows = db.session.execute(
        select(Signature.email_domain_hash, n, sample)
        .where(*recent, Signature.email_domain_hash.is_not(None))
        .group_by(Signature.email_domain_hash)
        .order_by(n.desc(), Signature.email_domain_hash)
        .limit(REPORT_ROWS)
    ).all()
    addresses = dict(
        db.session.execute(
            select(Signature.id, Signature.email).where(
                Signature.id.in_([row.sample for row in domain_rows])
            )
        ).all()
    )
    domains = [
        Busiest(value=normalise_domain(domain_of(addresses.get(row.sample, ""))), count=row.n)
        for row in domain_rows
    ]
    return Report(
        since=since,
        ip_hashes=[Busiest(value=str(value), count=int(count)) for value, count in ip_rows],
        domains=sorted(domains, key=lambda busiest: (-busiest.count, busiest.value)),
    )
