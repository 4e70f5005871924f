"""News to signers in tests: signers who asked for news, an update written, tested and
approved through the organiser pages, as people would."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from campaign_app.db import utcnow
from campaign_app.extensions import db
from campaign_app.news.models import NewsUpdate
from campaign_app.petitions.models import Petition, Signature
from tests.factories import make_signature
from tests.support.web import csrf_token

UNSUBSCRIBE_LINK = re.compile(r"http://campaign\.test(/news/unsubscribe/[A-Za-z0-9_.\-]+)")


def news_signer(petition: Petition, **overrides: Any) -> Signature:
    """A confirmed signature whose signer asked for news."""
    # Imported here: the forms module builds queries at import, which need every model.
    from campaign_app.petitions.forms import NEWS_CONSENT_VERSION

    values = {"news_consent_at": utcnow(), "news_consent_version": NEWS_CONSENT_VERSION}
    return make_signature(petition, **(values | overrides))


def update_form(texts: dict[str, tuple[str, str]], *, neutral: bool = False) -> dict[str, str]:
    """The update form's fields: {locale: (subject, body)}."""
    data: dict[str, str] = {}
    for locale, (subject, body) in texts.items():
        data[f"texts-{locale}-subject"] = subject
        data[f"texts-{locale}-body"] = body
        data[f"texts-{locale}-neutral_subject"] = "News from the campaign you supported"
    if neutral:
        data["is_subject_neutral"] = "y"
    return data


def write_update(
    client: FlaskClient, petition: Petition, texts: dict[str, tuple[str, str]], **options: Any
) -> TestResponse:
    url = f"/organise/petitions/{petition.id}/news/new"
    return client.post(
        url, data={**update_form(texts, **options), "csrf_token": csrf_token(client, url)}
    )


def latest_update(petition: Petition) -> NewsUpdate:
    db.session.expire_all()
    update = db.session.scalars(
        select(NewsUpdate)
        .where(NewsUpdate.petition_id == petition.id)
        .order_by(NewsUpdate.id.desc())
    ).first()
    assert update is not None
    return update


def post_on_update_page(client: FlaskClient, update_id: int, action: str) -> TestResponse:
    """Press a button of the update's page ("test" or "approve")."""
    page = f"/organise/news/{update_id}"
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get(page).get_data(as_text=True))
    assert token, "no form on the update's page"
    return client.post(f"{page}/{action}", data={"csrf_token": token.group(1)})


def unsubscribe_path(message: Any) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    match = UNSUBSCRIBE_LINK.search(body)
    assert match, f"no unsubscribe link in: {body}"
    return match.group(1)
