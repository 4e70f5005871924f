"""Search conditions on a petition's signatures: the record, the SQL it matches, and the
name check that runs on decrypted rows.

Shared by the pages (searching, previewing), the service that records a batch and the job
that runs it. ``Criteria`` is stored as JSON in a batch; personal conditions (e-mail, name)
are never kept there in the clear, nor in audit details, URLs or logs.

Names and addresses are stored encrypted (campaign_app.crypto), so the database compares
only keyed hashes: an address by the hash of its normalised form, a domain by the hash of
the domain (blind indexes written at signing). A name is not indexed at all: the rows that
the other conditions select are read and their decrypted names compared, up to
MODERATION_NAME_SCAN_LIMIT rows at once (a search page goes on from where it stopped; a
count or a bulk invalidation asks for narrower conditions first).
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import ColumnElement, Select, func, select

from campaign_app.crypto import keyring
from campaign_app.db import as_utc
from campaign_app.errors import CampaignError
from campaign_app.extensions import db
from campaign_app.petitions.blind_index import domain_hash, email_hash
from campaign_app.petitions.models import Signature, SignatureSource, SignatureState

ACTIVE_STATES = (SignatureState.PENDING, SignatureState.CONFIRMED)
# Criteria that identify a person: never in audit details, URLs or logs.
PERSONAL = ("email", "name")
# The associated data of a name kept encrypted in a batch record while its job runs.
_SEALED_NAME = b"invalidation_batch.criteria.name"
SCAN_BATCH = 1_000


class NameSearchTooBroad(CampaignError):
    """A name condition would read more rows than MODERATION_NAME_SCAN_LIMIT at once."""

    def __init__(self, rows: int, limit: int) -> None:
        super().__init__(rows, limit)
        self.rows = rows
        self.limit = limit


@dataclass(frozen=True)
class Criteria:
    """Search conditions; empty strings and None mean "any".

    ``email`` is the normalised address; ``signed_to`` is inclusive to the minute.
    ``signature_id`` and ``up_to_id`` are set by the app (one signature; what the preview
    counted). ``given`` names personal conditions that were used and then dropped.
    ``sealed_name`` is ``name`` encrypted, as a batch record keeps it while its job runs.
    """

    email: str = ""
    domain: str = ""
    name: str = ""
    country: str = ""
    signed_from: datetime | None = None
    signed_to: datetime | None = None
    ip_hash: str = ""
    state: str = ""
    signature_id: int | None = None
    up_to_id: int | None = None
    given: tuple[str, ...] = field(default=())
    sealed_name: str = ""

    def is_empty(self) -> bool:
        """True when no condition narrows the petition's signatures.

        The state alone does not count: "every confirmed signature" is the whole petition.
        """
        return not any(
            (
                self.email,
                self.domain,
                self.name,
                self.sealed_name,
                self.country,
                self.signed_from,
                self.signed_to,
                self.ip_hash,
                self.signature_id is not None,
            )
        )

    def to_json(self) -> dict[str, Any]:
        """The conditions that are set, JSON-able (datetimes as ISO strings)."""
        data: dict[str, Any] = {}
        for key, value in asdict(self).items():
            if value in ("", None, (), []):
                continue
            if isinstance(value, datetime):
                value = as_utc(value).isoformat()
            elif isinstance(value, tuple):
                value = list(value)
            data[key] = value
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Criteria:
        values: dict[str, Any] = {}
        for key in cls.__dataclass_fields__:
            if key not in data:
                continue
            value = data[key]
            if key in ("signed_from", "signed_to"):
                value = as_utc(datetime.fromisoformat(value))
            elif key in ("signature_id", "up_to_id"):
                value = int(value)
            elif key == "given":
                value = tuple(str(item) for item in value)
            else:
                value = str(value)
            values[key] = value
        return cls(**values)

    def without_personal(self) -> Criteria:
        """The same record with names and e-mails dropped and noted in ``given``."""
        used = tuple(key for key in PERSONAL if getattr(self, key))
        if self.sealed_name:
            used += ("name",)
        return replace(
            self,
            email="",
            name="",
            sealed_name="",
            given=tuple(dict.fromkeys(self.given + used)),
        )

    def sealed(self) -> Criteria:
        """The record as a batch keeps it: a name condition encrypted (a dump shows none)."""
        if not self.name:
            return self
        stored = keyring().encrypt(self.name, _SEALED_NAME)
        return replace(self, name="", sealed_name=base64.b64encode(stored).decode())

    def unsealed(self) -> Criteria:
        """The record with a sealed name condition readable again (for the job)."""
        if not self.sealed_name:
            return self
        name = keyring().decrypt(base64.b64decode(self.sealed_name), _SEALED_NAME)
        return replace(self, name=name, sealed_name="")

    def for_audit(self) -> dict[str, Any]:
        """Flat audit details: filters, with only the fact that a personal one was used."""
        data = self.without_personal().to_json()
        if "given" in data:
            data["given"] = ", ".join(data["given"])
        return data


def normalise_domain(raw: str) -> str:
    """An e-mail domain as the normalised address holds it (and its blind index hashes)."""
    domain = raw.strip().lower().lstrip("@")
    return "gmail.com" if domain == "googlemail.com" else domain


def matching(petition_id: int, criteria: Criteria) -> list[ColumnElement[bool]]:
    """The WHERE conditions of the petition's signatures that match ``criteria``, except the
    name, which the database cannot compare (see ``name_matches`` and ``count_where``).

    Online signatures only: a paper batch typed in within minutes is no surge of online
    signing, and it is invalidated and restored as a whole (campaign_app.paper), never by
    a time window or a country that happens to cover it.
    """
    conditions: list[ColumnElement[bool]] = [
        Signature.petition_id == petition_id,
        Signature.source == SignatureSource.ONLINE,
    ]
    if criteria.signature_id is not None:
        conditions.append(Signature.id == criteria.signature_id)
    if criteria.up_to_id is not None:
        conditions.append(Signature.id <= criteria.up_to_id)
    if criteria.email:
        conditions.append(Signature.email_hash == email_hash(criteria.email))
    if criteria.domain:
        conditions.append(Signature.email_domain_hash == domain_hash(criteria.domain))
    if criteria.country:
        conditions.append(Signature.country == criteria.country)
    if criteria.signed_from is not None:
        conditions.append(Signature.created_at >= criteria.signed_from)
    if criteria.signed_to is not None:
        conditions.append(Signature.created_at < criteria.signed_to + timedelta(minutes=1))
    if criteria.ip_hash:
        conditions.append(Signature.ip_hash == criteria.ip_hash)
    if criteria.state:
        conditions.append(Signature.state == SignatureState(criteria.state))
    return conditions


def active(petition_id: int, criteria: Criteria) -> list[ColumnElement[bool]]:
    """The matching signatures still pending or confirmed: what an invalidation takes (except
    the name condition, as for ``matching``)."""
    return [*matching(petition_id, criteria), Signature.state.in_(ACTIVE_STATES)]


def name_matches(needle: str, first_name: str, last_name: str) -> bool:
    """Whether "first last" contains ``needle``, ignoring case (Unicode case folding)."""
    return needle.casefold() in f"{first_name} {last_name}".casefold()


def name_scan_limit() -> int:
    """The most rows a name condition reads at once (MODERATION_NAME_SCAN_LIMIT)."""
    return int(current_app.config["MODERATION_NAME_SCAN_LIMIT"])


def check_name_scan(conditions: list[ColumnElement[bool]], criteria: Criteria) -> None:
    """NameSearchTooBroad if a name condition would read more than the limit of rows."""
    if not criteria.name:
        return
    limit = name_scan_limit()
    rows = int(db.session.scalar(select(func.count()).where(*conditions)) or 0)
    if rows > limit:
        raise NameSearchTooBroad(rows, limit)


def count_where(conditions: list[ColumnElement[bool]], criteria: Criteria) -> int:
    """How many rows match ``conditions`` and the name condition (NameSearchTooBroad if the
    name would need too many rows read)."""
    if not criteria.name:
        return int(db.session.scalar(select(func.count()).where(*conditions)) or 0)
    check_name_scan(conditions, criteria)
    query = select(Signature.id, Signature.first_name, Signature.last_name).where(*conditions)
    found = 0
    for _row in named_rows(query, criteria.name):
        found += 1
    return found


def named_rows(query: Select[*tuple[Any, ...]], needle: str) -> Iterator[Any]:
    """The rows of ``query`` (which selects first_name and last_name) whose name matches,
    read in batches and decrypted as they come; the caller bounds how many it reads."""
    result = db.session.execute(query.execution_options(yield_per=SCAN_BATCH))
    try:
        for row in result:
            if name_matches(needle, row.first_name, row.last_name):
                yield row
    finally:
        result.close()
