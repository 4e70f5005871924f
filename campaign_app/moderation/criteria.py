"""Search conditions on a petition's signatures: the record, and the SQL it matches.

Shared by the pages (searching, previewing), the service that records a batch and the job
that runs it. ``Criteria`` is stored as JSON in a batch; personal conditions (e-mail, name)
are never kept there, in audit details, in URLs or in logs.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func

from campaign_app.db import as_utc
from campaign_app.extensions import db
from campaign_app.petitions.models import Signature, SignatureState

ACTIVE_STATES = (SignatureState.PENDING, SignatureState.CONFIRMED)
# Criteria that identify a person: never in audit details, URLs or logs.
PERSONAL = ("email", "name")


@dataclass(frozen=True)
class Criteria:
    """Search conditions; empty strings and None mean "any".

    ``email`` is the normalised address; ``signed_to`` is inclusive to the minute.
    ``signature_id`` and ``up_to_id`` are set by the app (one signature; what the preview
    counted). ``given`` names personal conditions that were used and then dropped.
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

    def is_empty(self) -> bool:
        """True when no condition narrows the petition's signatures.

        The state alone does not count: "every confirmed signature" is the whole petition.
        """
        return not any(
            (
                self.email,
                self.domain,
                self.name,
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
        return replace(self, email="", name="", given=tuple(dict.fromkeys(self.given + used)))

    def for_audit(self) -> dict[str, Any]:
        """Flat audit details: filters, with only the fact that a personal one was used."""
        data = self.without_personal().to_json()
        if "given" in data:
            data["given"] = ", ".join(data["given"])
        return data


def normalise_domain(raw: str) -> str:
    """What an e-mail domain looks like inside ``email_normalized``."""
    domain = raw.strip().lower().lstrip("@")
    return "gmail.com" if domain == "googlemail.com" else domain


def matching(petition_id: int, criteria: Criteria) -> list[ColumnElement[bool]]:
    """The WHERE conditions of the petition's signatures that match ``criteria``."""
    conditions: list[ColumnElement[bool]] = [Signature.petition_id == petition_id]
    if criteria.signature_id is not None:
        conditions.append(Signature.id == criteria.signature_id)
    if criteria.up_to_id is not None:
        conditions.append(Signature.id <= criteria.up_to_id)
    if criteria.email:
        conditions.append(Signature.email_normalized == criteria.email)
    if criteria.domain:
        conditions.append(
            Signature.email_normalized.endswith("@" + criteria.domain, autoescape=True)
        )
    if criteria.name:
        full_name = Signature.first_name + " " + Signature.last_name
        conditions.append(_lower(full_name).contains(criteria.name.lower(), autoescape=True))
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
    """The matching signatures still pending or confirmed: what an invalidation takes."""
    return [*matching(petition_id, criteria), Signature.state.in_(ACTIVE_STATES)]


def _lower(expression: Any) -> Any:
    """Unicode lower-casing in SQL: PostgreSQL's lower(); SQLite's only folds ASCII."""
    connection: Any = db.session.connection()  # the DB-API connection is untyped
    if connection.dialect.name != "sqlite":
        return func.lower(expression)
    # Registered per connection (cheap); deterministic so SQLite may use it freely.
    connection.connection.driver_connection.create_function(
        "moderation_lower", 1, _py_lower, deterministic=True
    )
    return func.moderation_lower(expression)


def _py_lower(value: str | None) -> str | None:
    return None if value is None else value.lower()
