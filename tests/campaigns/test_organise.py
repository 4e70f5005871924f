"""Campaigns in the browser: who may do what, creating, editing, state changes, the audit log."""

from __future__ import annotations

import re

import pytest
from flask import g
from sqlalchemy import select

from campaign_app.accounts.models import Role
from campaign_app.campaigns.models import Campaign, CampaignState
from campaign_app.extensions import db
from tests.factories import make_campaign, make_petition, make_prisoner, make_user
from tests.support.organise import audit_events, field_value, page_token
from tests.support.web import csrf_token, log_in, post_form, text_of

CAMPAIGN_FORM = {
    "slug": "free-ales",
    "name": "Freedom for Ales Bialiatski",
    "organisation": "Viasna",
    "description": "Ales is **innocent**.",
}


def campaign_routes(campaign_id: int) -> list[tuple[str, str]]:
    base = f"/organise/campaigns/{campaign_id}"
    return [
        ("GET", base),
        ("GET", f"{base}/edit"),
        ("POST", f"{base}/edit"),
        ("POST", f"{base}/state"),
        ("GET", f"{base}/petitions/new"),
        ("POST", f"{base}/petitions/new"),
    ]


# Who may do what ----------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(app, client):
    campaign = make_campaign()
    token = csrf_token(client, "/account/login")
    for method, url in [*campaign_routes(campaign.id), ("GET", "/organise/campaigns/new")]:
        response = client.open(url, method=method, data={"csrf_token": token, "action": "open"})
        assert response.status_code == 302, url
        assert "/account/login" in response.headers["Location"], url
    db.session.expire_all()
    assert db.session.get(Campaign, campaign.id).state is CampaignState.OPEN


def test_organisers_of_another_campaign_get_403(app, client):
    campaign = make_campaign(name="Not yours")
    log_in(client, make_user(campaigns=(make_campaign(),)))
    token = page_token(client)
    for method, url in campaign_routes(campaign.id):
        response = client.open(url, method=method, data={"csrf_token": token, "action": "close"})
        assert response.status_code == 403, url
        assert "Not yours" not in text_of(response)
    assert client.get("/organise/campaigns/999999").status_code == 403  # missing looks the same
    db.session.expire_all()
    assert db.session.get(Campaign, campaign.id).state is CampaignState.OPEN


def test_only_admins_create_campaigns(app, client):
    log_in(client, make_user(campaigns=(make_campaign(),)))
    assert client.get("/organise/campaigns/new").status_code == 403
    token = page_token(client)
    response = client.post("/organise/campaigns/new", data={**CAMPAIGN_FORM, "csrf_token": token})
    assert response.status_code == 403
    assert db.session.scalar(select(Campaign).where(Campaign.slug == "free-ales")) is None


def test_the_campaigns_organiser_sees_its_pages(app, client):
    campaign = make_campaign(name="Ours")
    log_in(client, make_user(campaigns=(campaign,)))
    for url in [f"/organise/campaigns/{campaign.id}", f"/organise/campaigns/{campaign.id}/edit"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Ours" in text_of(response)


# Creating and editing -----------------------------------------------------------------


def test_admin_creates_a_draft_campaign_and_it_is_audited(app, client):
    admin = make_user(Role.ADMIN)
    log_in(client, admin)
    assert client.get("/organise/campaigns/new").status_code == 200
    response = post_form(client, "/organise/campaigns/new", CAMPAIGN_FORM)
    assert response.status_code == 302
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == "free-ales"))
    assert response.headers["Location"].endswith(f"/organise/campaigns/{campaign.id}")
    assert (campaign.name, campaign.organisation) == ("Freedom for Ales Bialiatski", "Viasna")
    assert campaign.state is CampaignState.DRAFT
    [event] = audit_events("campaign.created")
    assert (event.campaign_id, event.actor_id) == (campaign.id, admin.id)
    page = client.get(response.headers["Location"])
    assert "<strong>innocent</strong>" in page.get_data(as_text=True)
    assert "draft" in text_of(page)


def test_duplicate_slug_is_refused_next_to_the_field_with_entries_kept(app, client):
    make_campaign(slug="free-ales")
    log_in(client, make_user(Role.ADMIN))
    response = post_form(client, "/organise/campaigns/new", CAMPAIGN_FORM)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert re.search(r'id="slug-error">This web address is taken already', html)
    assert field_value(response, "name") == "Freedom for Ales Bialiatski"
    assert field_value(response, "organisation") == "Viasna"
    assert "Ales is **innocent**." in html  # the textarea keeps the typed Markdown
    assert len(list(db.session.scalars(select(Campaign)))) == 1
    assert audit_events("campaign.created") == []


@pytest.mark.parametrize("slug", ["Free Ales", "free_ales", "-free", "free--ales", "фото"])
def test_malformed_slug_is_explained(app, client, slug):
    log_in(client, make_user(Role.ADMIN))
    response = post_form(client, "/organise/campaigns/new", {**CAMPAIGN_FORM, "slug": slug})
    assert response.status_code == 400
    assert "Use lowercase letters a-z, digits and single hyphens" in text_of(response)
    assert field_value(response, "slug") == slug
    assert db.session.scalar(select(Campaign)) is None


def test_organiser_edits_their_campaign_and_the_changed_fields_are_audited(app, client):
    campaign = make_campaign(slug="old-slug", name="Old name")
    log_in(client, make_user(campaigns=(campaign,)))
    url = f"/organise/campaigns/{campaign.id}/edit"
    assert field_value(client.get(url), "name") == "Old name"
    response = post_form(
        client,
        url,
        {"slug": "old-slug", "name": "New name", "organisation": "", "description": "Hello"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    campaign = db.session.get(Campaign, campaign.id)
    assert (campaign.name, campaign.description) == ("New name", "Hello")
    [event] = audit_events("campaign.updated")
    assert event.details == {"fields": ["name", "description"]}


def test_edit_to_a_taken_slug_keeps_the_typed_values(app, client):
    make_campaign(slug="taken")
    campaign = make_campaign(slug="mine", name="Mine")
    log_in(client, make_user(campaigns=(campaign,)))
    url = f"/organise/campaigns/{campaign.id}/edit"
    response = post_form(client, url, {"slug": "taken", "name": "Renamed", "description": "Typed"})
    assert response.status_code == 400
    assert "This web address is taken already" in text_of(response)
    assert field_value(response, "name") == "Renamed"
    db.session.expire_all()
    assert db.session.get(Campaign, campaign.id).name == "Mine"


def test_a_stale_form_keeps_the_entries(app, client):
    campaign = make_campaign(name="Mine")
    log_in(client, make_user(campaigns=(campaign,)))
    url = f"/organise/campaigns/{campaign.id}/edit"
    client.get(url)
    # The tests share one app context, so flask.g keeps "csrf_valid" from the sign-in POST;
    # a real request starts without it.
    g.pop("csrf_valid", None)
    response = client.post(
        url,
        data={"slug": campaign.slug, "name": "Typed before lunch", "csrf_token": "expired"},
    )
    assert response.status_code == 400
    assert "The form had expired. Your entries are kept" in text_of(response)
    assert field_value(response, "name") == "Typed before lunch"
    db.session.expire_all()
    assert db.session.get(Campaign, campaign.id).name == "Mine"


# The campaign page and its states -----------------------------------------------------


def test_campaign_page_lists_its_petitions_and_prisoners(app, client):
    campaign = make_campaign()
    petition = make_petition(campaign=campaign, title="Release him now")
    prisoner = make_prisoner(campaign=campaign, surname_latin="Bialiatski")
    make_petition(title="Someone else's petition")
    log_in(client, make_user(campaigns=(campaign,)))
    response = client.get(f"/organise/campaigns/{campaign.id}")
    html = response.get_data(as_text=True)
    assert "Release him now" in html and "Bialiatski" in html
    assert "Someone else&#39;s petition" not in html and "Someone else's" not in html
    assert f'href="/organise/petitions/{petition.id}/edit"' in html
    assert f'href="/prisoners/{prisoner.slug}"' in html


def test_campaign_page_names_ten_prisoners_and_links_to_all_of_them(app, client):
    campaign = make_campaign()
    for n in range(12):
        make_prisoner(campaign=campaign, surname_latin=f"Name{n:02d}")
    log_in(client, make_user(campaigns=(campaign,)))
    html = client.get(f"/organise/campaigns/{campaign.id}").get_data(as_text=True)
    assert "Name09" in html and "Name10" not in html
    assert "All 12 prisoners of the campaign: search, filters, transfers" in html
    assert f'href="/organise/campaigns/{campaign.id}/prisoners"' in html


def change_state(client, campaign, action: str, confirm: str = ""):
    url = f"/organise/campaigns/{campaign.id}/state"
    data = {"action": action, "confirm": confirm}
    return post_form(client, url, data, page_url=f"/organise/campaigns/{campaign.id}")


def test_open_close_and_reopen_are_audited(app, client):
    campaign = make_campaign(state=CampaignState.DRAFT)
    log_in(client, make_user(campaigns=(campaign,)))
    for action, state in [("open", "open"), ("close", "closed"), ("reopen", "open")]:
        response = change_state(client, campaign, action)
        assert response.status_code == 302, action
        db.session.expire_all()
        assert db.session.get(Campaign, campaign.id).state.value == state
    events = audit_events("campaign.state_changed")
    assert [(e.details["from"], e.details["to"]) for e in events] == [
        ("draft", "open"),
        ("open", "closed"),
        ("closed", "open"),
    ]


def test_a_change_that_the_state_does_not_allow_is_refused(app, client):
    campaign = make_campaign(state=CampaignState.DRAFT)
    log_in(client, make_user(campaigns=(campaign,)))
    response = change_state(client, campaign, "close")
    assert response.status_code == 409
    assert "This is not possible while it is “draft”" in text_of(response)
    db.session.expire_all()
    assert db.session.get(Campaign, campaign.id).state is CampaignState.DRAFT
    assert audit_events("campaign.state_changed") == []


def test_archiving_needs_the_slug_typed_and_hides_the_public_pages(app, client):
    campaign = make_campaign(slug="to-archive")
    petition = make_petition(campaign=campaign)
    prisoner = make_prisoner(campaign=campaign)
    log_in(client, make_user(campaigns=(campaign,)))
    assert client.get(f"/petitions/{petition.slug}").status_code == 200

    response = change_state(client, campaign, "archive", confirm="wrong")
    assert response.status_code == 400
    assert "type the web address exactly as shown" in text_of(response)
    db.session.expire_all()
    assert db.session.get(Campaign, campaign.id).state is CampaignState.OPEN

    assert change_state(client, campaign, "archive", confirm="to-archive").status_code == 302
    db.session.expire_all()
    assert db.session.get(Campaign, campaign.id).state is CampaignState.ARCHIVED
    assert client.get(f"/petitions/{petition.slug}").status_code == 404
    assert client.get(f"/prisoners/{prisoner.slug}").status_code == 404
    assert petition.title not in text_of(client.get("/petitions/"))
    assert prisoner.surname_latin not in text_of(client.get("/prisoners/"))

    assert change_state(client, campaign, "reopen").status_code == 302
    assert client.get(f"/petitions/{petition.slug}").status_code == 200
    assert client.get(f"/prisoners/{prisoner.slug}").status_code == 200


def test_draft_campaigns_are_not_public(app, client):
    campaign = make_campaign(state=CampaignState.DRAFT)
    petition = make_petition(campaign=campaign)
    prisoner = make_prisoner(campaign=campaign)
    assert client.get(f"/petitions/{petition.slug}").status_code == 404
    assert client.get(f"/prisoners/{prisoner.slug}").status_code == 404
    token = csrf_token(client, "/account/login")
    response = client.post(f"/petitions/{petition.slug}", data={"csrf_token": token})
    assert response.status_code == 404  # nobody signs a hidden petition either
