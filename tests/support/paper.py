"""Paper signature test helpers: a petition with its organiser, CSV files, the pages' steps."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from campaign_app.accounts.models import Role, User
from campaign_app.extensions import db
from campaign_app.petitions import counting
from campaign_app.petitions.models import Petition, Signature, SignatureSource
from tests.factories import make_campaign, make_petition, make_user
from tests.support.web import csrf_token, log_in

BATCH = {"event": "Solidarity day stall", "place": "Berlin", "sheet_serials": "p-0001 to p-0004"}
IMPORT_ID = re.compile(r"/paper/import/(\d+)$")


@dataclass
class Setup:
    petition: Petition
    organiser: User

    @property
    def base(self) -> str:
        return f"/organise/petitions/{self.petition.id}/paper"


def setup(**petition: Any) -> Setup:
    campaign = make_campaign()
    return Setup(
        petition=make_petition(campaign=campaign, **petition),
        organiser=make_user(Role.ORGANISER, campaigns=(campaign,)),
    )


def signed_in(client: FlaskClient, s: Setup) -> FlaskClient:
    log_in(client, s.organiser)
    return client


def csv_bytes(lines: list[str], encoding: str = "utf-8") -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def upload(
    client: FlaskClient, s: Setup, data: bytes, name: str = "sheets.csv", **fields: Any
) -> TestResponse:
    """POST the upload form with ``data`` as the file."""
    token = csrf_token(client, f"{s.base}/import")
    form = BATCH | {"country": ""} | fields
    return client.post(
        f"{s.base}/import",
        data={**form, "csrf_token": token, "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def import_id(response: TestResponse) -> int:
    match = IMPORT_ID.search(response.headers["Location"])
    assert match, response.headers.get("Location")
    return int(match.group(1))


def preview_form(page: str) -> dict[str, str]:
    """The hidden fields of the preview's import form (sha256, expected, csrf_token)."""
    fields = {}
    for name in ("csrf_token", "sha256", "expected"):
        match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', page) or re.search(
            rf'value="([^"]*)"[^>]*name="{name}"', page
        )
        assert match, name
        fields[name] = match.group(1)
    return fields


def source_rows(petition: Petition, source: SignatureSource) -> int:
    return int(
        db.session.scalar(
            select(func.count()).where(
                Signature.petition_id == petition.id, Signature.source == source
            )
        )
        or 0
    )


def counts_agree(petition: Petition) -> counting.Counts:
    """The counters equal a count of the rows, by source and country (what recount checks)."""
    db.session.expire_all()
    counted = counting.read_counts(db.session, petition.id)
    assert counting.cell_drift(counted, counting.count_rows(db.session, petition.id)) == {}
    assert counting.read_hourly(db.session, petition.id) == counting.hourly_from_rows(
        db.session, petition.id
    )
    return counted
