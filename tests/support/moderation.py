"""Moderation test helpers: a petition with its organiser, and browser-like steps."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from campaign_app.accounts.models import Role, User
from campaign_app.petitions.models import Petition
from tests.factories import make_campaign, make_petition, make_user
from tests.support.web import log_in, post_form

SEARCH_ID = re.compile(r"[?&]search=([A-Za-z0-9_\-]+)")


@dataclass
class Setup:
    petition: Petition
    organiser: User
    outsider: User
    outsider_petition: Petition

    @property
    def base(self) -> str:
        return f"/organise/petitions/{self.petition.id}/moderation"


def setup() -> Setup:
    campaign = make_campaign()
    other = make_campaign()
    return Setup(
        petition=make_petition(campaign=campaign, slug=f"mod-{campaign.id}"),
        organiser=make_user(Role.ORGANISER, campaigns=(campaign,)),
        outsider=make_user(Role.ORGANISER, campaigns=(other,)),
        outsider_petition=make_petition(campaign=other),
    )


def signed_in(client: FlaskClient, s: Setup) -> FlaskClient:
    log_in(client, s.organiser)
    return client


def search(client: FlaskClient, s: Setup, **conditions: Any) -> TestResponse:
    """POST the search form; the answer is a redirect to the results (or the form, 400)."""
    return post_form(client, s.base, conditions)


def search_id(response: TestResponse) -> str:
    match = SEARCH_ID.search(response.headers["Location"])
    assert match, response.headers.get("Location")
    return match.group(1)


def results(client: FlaskClient, s: Setup, **conditions: Any) -> TestResponse:
    response = search(client, s, **conditions)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return client.get(response.headers["Location"])


def preview(client: FlaskClient, s: Setup, token: str) -> TestResponse:
    return post_form(client, f"{s.base}/preview", {"search": token}, page_url=s.base)


def invalidate(
    client: FlaskClient, s: Setup, token: str, expected: int, reason: str = "Spam wave"
) -> TestResponse:
    return post_form(
        client,
        f"{s.base}/batches",
        {"search": token, "expected": str(expected), "reason": reason},
        page_url=s.base,
    )
