"""Every organiser route, tried as anonymous, as an organiser of another campaign, as the right
organiser and as an admin. New routes are covered as soon as they exist: the list comes from
the app's URL map, not from this file."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pytest
from flask import Flask

from campaign_app.accounts.models import Role
from campaign_app.deliveries.models import DeliveryPhoto
from campaign_app.exports.models import ExportJob
from campaign_app.extensions import db
from campaign_app.institutions.models import Institution, InstitutionKind, Region
from campaign_app.moderation.models import InvalidationBatch
from campaign_app.news.models import NewsUpdate, NewsUpdateText
from campaign_app.paper.models import BatchKind, PaperBatch
from campaign_app.paper.service import importing
from campaign_app.paper.service.entering import BatchInput
from campaign_app.prisoners.imports.models import PrisonerImport
from tests.factories import (
    make_appeal_target,
    make_campaign,
    make_occasion,
    make_petition,
    make_phrase,
    make_postal_route,
    make_prisoner,
    make_signature,
    make_user,
)
from tests.support.deliveries import make_delivery
from tests.support.web import csrf_token, log_in

# Routes anybody may use: signing in and resetting a password.
PUBLIC = {
    "accounts.login",
    "accounts.login_code",
    "accounts.logout",
    "accounts.reset_request",
    "accounts.reset_password",
}
# Pages about the whole installation (accounts, shared reference data, erasure across
# campaigns, new campaigns): admins only.
ADMIN_PREFIXES = (
    "/organise/users",
    "/organise/reference",
    "/organise/privacy",
    "/organise/campaigns/new",
)
# Pages about one's own account or a list filtered to one's campaigns: any signed-in account.
ANY_ACCOUNT = ("/account/", "/organise/audit/")
# Actions inside a campaign that only an admin may take (its organisers get 403 too).
ADMIN_ONLY = {"news_organise.approve"}
# URL parameters that name something inside a campaign.
SCOPED = {
    "campaign_id",
    "petition_id",
    "prisoner_id",
    "export_id",
    "batch_id",
    "signature_id",
    "update_id",
    "delivery_id",
    "photo_id",
    "appeal_target_id",
    "appeal_template_id",
    "paper_batch_id",
    "import_id",
    "list_import_id",
}


@dataclass(frozen=True)
class Route:
    endpoint: str
    method: str
    rule: str
    params: frozenset[str]

    def __str__(self) -> str:
        return f"{self.method} {self.rule}"


def organiser_routes(app: Flask) -> list[Route]:
    routes = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC:
            continue
        if not (rule.rule.startswith("/organise") or rule.rule.startswith("/account")):
            continue
        for method in sorted((rule.methods or set()) & {"GET", "POST"}):
            routes.append(Route(rule.endpoint, method, rule.rule, frozenset(rule.arguments)))
    return sorted(routes, key=str)


@pytest.fixture
def world(app):
    """Campaign A with one of everything, and the people who try to reach it."""
    campaign = make_campaign(name="Campaign A")
    petition = make_petition(campaign=campaign)
    signature = make_signature(petition)
    prisoner = make_prisoner(campaign=campaign)
    occasion = make_occasion()
    phrase = make_phrase(occasion=occasion)
    make_postal_route("NL")
    owner = make_user(Role.ORGANISER, campaigns=(campaign,))
    export = ExportJob(petition_id=petition.id, requested_by_id=owner.id, format="csv")
    batch = InvalidationBatch(petition_id=petition.id, created_by_id=owner.id)
    delivery = make_delivery(petition)
    photo = DeliveryPhoto(
        delivery_id=delivery.id, slot=0, content_type="image/jpeg", digest="0" * 64,
        width=1, height=1, size_bytes=1, data=b"x", alt_text="A photo",
    )  # fmt: skip
    news = NewsUpdate(petition_id=petition.id, written_by_id=owner.id)
    news.texts = [NewsUpdateText(locale=petition.language, subject="News", body="Text.")]
    target = make_appeal_target(campaign=campaign)
    paper_batch = PaperBatch(petition_id=petition.id, kind=BatchKind.COUNTS, entered_by_id=owner.id)
    upload = PrisonerImport(
        campaign_id=campaign.id, file_name="list.csv", source="test", content=b"a,b\n"
    )
    institution = Institution(
        code="ИК-2",
        kind=InstitutionKind.COLONY,
        name_ru="Исправительная колония № 2",
        region=Region.MOGILEV,
        lines_ru="ИК-2\n213807, г. Бобруйск",
        postcode="213807",
        country_line="REPUBLIC OF BELARUS",
        address_as_of=date(2025, 1, 1),
        address_source="test",
    )
    db.session.add_all([export, batch, photo, news, paper_batch, upload, institution])
    db.session.commit()
    # An upload waiting for its preview, by the owner (another's upload is gone for anyone).
    kept = importing.upload(
        petition,
        b"first_name,last_name,country\nAnna,Ivanova,BY\n",
        BatchInput("", "", "", ""),
        owner,
    )
    values = {
        "campaign_id": campaign.id,
        "petition_id": petition.id,
        "prisoner_id": prisoner.id,
        "occasion_id": occasion.id,
        "phrase_id": phrase.id,
        "country": "NL",
        "locale": "ru",
        "export_id": export.id,
        "batch_id": batch.id,
        "paper_batch_id": paper_batch.id,
        "import_id": kept.id,
        "signature_id": signature.id,
        "delivery_id": delivery.id,
        "photo_id": photo.id,
        "update_id": news.id,
        "appeal_target_id": target.id,
        "appeal_template_id": target.templates[0].id,
        "list_import_id": upload.id,
        "institution_id": institution.id,
        # Posting empty account forms may deactivate this one: not somebody signing in here.
        "user_id": make_user(Role.ORGANISER).id,
    }
    return {
        "values": values,
        "owner": owner,
        "stranger": make_user(Role.ORGANISER, campaigns=(make_campaign(name="Campaign B"),)),
        "admin": make_user(Role.ADMIN),
    }


def url_of(route: Route, values: dict) -> str:
    missing = route.params - set(values)
    assert not missing, f"{route}: unknown URL parameter(s) {missing}; add them to the world"
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", lambda m: str(values[m.group(1)]), route.rule)


def request(app, route: Route, url: str, user=None) -> int:
    client = app.test_client()
    if user is not None:
        log_in(client, user)
    if route.method == "GET":
        return client.get(url).status_code
    token = csrf_token(client, "/account/login" if user is None else "/account/")
    return client.post(url, data={"csrf_token": token}).status_code


def test_there_are_organiser_routes(app):
    assert len(organiser_routes(app)) >= 15


def test_every_organiser_route_checks_who_asks(app, world):
    problems = []
    for route in organiser_routes(app):
        url = url_of(route, world["values"])
        anonymous = request(app, route, url)
        if anonymous != 302:
            problems.append(f"{route}: anonymous got {anonymous}, not a redirect to sign in")
        owner = request(app, route, url, world["owner"])
        stranger = request(app, route, url, world["stranger"])
        admin = request(app, route, url, world["admin"])
        if route.rule.startswith(ADMIN_PREFIXES) or route.endpoint in ADMIN_ONLY:
            expected_owner, expected_stranger = 403, 403
        elif route.rule.startswith(ANY_ACCOUNT) or not (route.params & SCOPED):
            expected_owner, expected_stranger = None, None
        else:
            expected_owner, expected_stranger = None, 403
        for who, status, expected in (
            ("the campaign's organiser", owner, expected_owner),
            ("another campaign's organiser", stranger, expected_stranger),
            ("an admin", admin, None),
        ):
            if status >= 500:
                problems.append(f"{route}: {who} got {status}")
            elif expected == 403 and status != 403:
                problems.append(f"{route}: {who} got {status}, not 403")
            elif expected is None and status == 403:
                problems.append(f"{route}: {who} was refused (403)")
    assert problems == []


def test_forbidden_and_missing_look_the_same(app, world):
    """An organiser cannot tell another campaign's petition from one that does not exist."""
    client = app.test_client()
    log_in(client, world["stranger"])
    their_path = f"/organise/petitions/{world['values']['petition_id']}"
    theirs = client.get(their_path)
    missing = client.get("/organise/petitions/999999")
    assert theirs.status_code == missing.status_code == 403
    # The same page; only the language switcher's links repeat the path asked for.
    their_page = theirs.get_data(as_text=True).replace(their_path, "PATH")
    assert their_page == missing.get_data(as_text=True).replace(
        "/organise/petitions/999999", "PATH"
    )
