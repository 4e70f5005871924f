"""Petitions in the browser: create, edit, preview, open/close/archive; roles; the audit log."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from campaign_app.accounts.models import Role
from campaign_app.campaigns.models import CampaignState
from campaign_app.db import utcnow
from campaign_app.extensions import db
from campaign_app.petitions.models import Petition, PetitionState
from tests.factories import make_campaign, make_petition, make_user
from tests.support.organise import audit_events, field_value, page_token
from tests.support.web import log_in, post_form, text_of

PETITION_FORM = {
    "slug": "free-ales-now",
    "title": "Free Ales Bialiatski",
    "summary": "He has done nothing wrong.",
    "target": "President of the Republic of Belarus",
    "body": "Ales is **innocent**.\n\n- release him\n- now\n\n<script>alert(1)</script>",
    "goal": "5000",
    "opens_at": "2030-01-01T09:00",
    "closes_at": "2030-06-01T09:00",
}


def petition_count() -> int:
    return int(db.session.scalar(select(func.count()).select_from(Petition)) or 0)


def fresh(petition: Petition) -> Petition:
    db.session.expire_all()
    found = db.session.get(Petition, petition.id)
    assert found is not None
    return found


def petition_routes(petition_id: int) -> list[tuple[str, str]]:
    base = f"/organise/petitions/{petition_id}"
    return [
        ("GET", f"{base}/edit"),
        ("POST", f"{base}/edit"),
        ("POST", f"{base}/preview"),
        ("POST", f"{base}/state"),
    ]


def change_state(client, petition: Petition, action: str, confirm: str = ""):
    url = f"/organise/petitions/{petition.id}/state"
    page = f"/organise/petitions/{petition.id}/edit"
    return post_form(client, url, {"action": action, "confirm": confirm}, page_url=page)


# Who may do what ----------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(app, client):
    petition = make_petition(state=PetitionState.DRAFT)
    token = page_token(client, "/account/login")
    for method, url in petition_routes(petition.id):
        response = client.open(url, method=method, data={"csrf_token": token, "action": "open"})
        assert response.status_code == 302, url
        assert "/account/login" in response.headers["Location"], url
    assert fresh(petition).state is PetitionState.DRAFT


def test_organisers_of_another_campaign_get_403(app, client):
    petition = make_petition(title="Not your petition")
    log_in(client, make_user(campaigns=(make_campaign(),)))
    token = page_token(client)
    for method, url in petition_routes(petition.id):
        data = {**PETITION_FORM, "csrf_token": token, "action": "close"}
        response = client.open(url, method=method, data=data)
        assert response.status_code == 403, url
        assert "Not your petition" not in text_of(response)
    assert client.get("/organise/petitions/999999/edit").status_code == 403
    petition = fresh(petition)
    assert (petition.state, petition.title) == (PetitionState.OPEN, "Not your petition")


def test_the_right_organiser_and_admins_see_the_edit_page(app, client):
    petition = make_petition(title="Ours to edit")
    for user in [make_user(campaigns=(petition.campaign,)), make_user(Role.ADMIN)]:
        log_in(client, user)
        response = client.get(f"/organise/petitions/{petition.id}/edit")
        assert response.status_code == 200
        assert field_value(response, "title") == "Ours to edit"
        new_page = client.get(f"/organise/campaigns/{petition.campaign_id}/petitions/new")
        assert new_page.status_code == 200
        client.post("/account/logout", data={"csrf_token": page_token(client)})


# Create, open, see it in public -------------------------------------------------------


def test_create_open_and_the_public_page_shows_the_rendered_markdown(app, client):
    campaign = make_campaign()
    log_in(client, make_user(campaigns=(campaign,)))
    new_url = f"/organise/campaigns/{campaign.id}/petitions/new"
    form = {**PETITION_FORM, "opens_at": "2020-01-01T09:00", "closes_at": ""}
    response = post_form(client, new_url, form)
    assert response.status_code == 302
    petition = db.session.scalar(select(Petition).where(Petition.slug == "free-ales-now"))
    assert response.headers["Location"].endswith(f"/organise/petitions/{petition.id}/edit")
    assert (petition.state, petition.goal, petition.closes_at) == (PetitionState.DRAFT, 5000, None)
    assert petition.opens_at.isoformat() == "2020-01-01T09:00:00+00:00"
    assert client.get("/petitions/free-ales-now").status_code == 404  # a draft is not public

    assert change_state(client, petition, "open").status_code == 302
    assert fresh(petition).state is PetitionState.OPEN
    public = client.get("/petitions/free-ales-now")
    assert public.status_code == 200
    html = public.get_data(as_text=True)
    assert "<strong>innocent</strong>" in html
    assert "<li>release him</li>" in html
    assert "<script>alert(1)</script>" not in html
    assert "Free Ales Bialiatski" in text_of(public)

    [created] = audit_events("petition.created")
    assert (created.campaign_id, created.petition_id) == (campaign.id, petition.id)
    [opened] = audit_events("petition.state_changed")
    assert opened.details == {"from": "draft", "to": "open"}


def test_opening_needs_a_target_and_a_text(app, client):
    petition = make_petition(state=PetitionState.DRAFT, target="", body="")
    log_in(client, make_user(campaigns=(petition.campaign,)))
    assert "fill in and save: Addressed to (target), Text of the petition (Markdown)." in text_of(
        client.get(f"/organise/petitions/{petition.id}/edit")
    )
    response = change_state(client, petition, "open")
    assert response.status_code == 409
    assert "the petition needs: Addressed to (target), Text of the petition (Markdown)." in (
        text_of(response)
    )
    assert fresh(petition).state is PetitionState.DRAFT
    assert audit_events("petition.state_changed") == []


def test_close_then_archive_with_the_slug_typed(app, client):
    petition = make_petition(slug="to-close")
    log_in(client, make_user(campaigns=(petition.campaign,)))
    assert change_state(client, petition, "close").status_code == 302
    assert "This petition is closed" in text_of(client.get("/petitions/to-close"))
    refused = change_state(client, petition, "archive", confirm="")
    assert refused.status_code == 400
    assert "type the web address exactly as shown" in text_of(refused)
    assert fresh(petition).state is PetitionState.CLOSED
    assert change_state(client, petition, "archive", confirm="to-close").status_code == 302
    assert fresh(petition).state is PetitionState.ARCHIVED
    assert "to-close" not in client.get("/petitions/").get_data(as_text=True)
    events = audit_events("petition.state_changed")
    assert [e.details["to"] for e in events] == ["closed", "archived"]


def test_archived_campaigns_petition_is_not_found_in_public(app, client):
    campaign = make_campaign(state=CampaignState.ARCHIVED)
    petition = make_petition(campaign=campaign)
    assert client.get(f"/petitions/{petition.slug}").status_code == 404
    assert petition.title not in text_of(client.get("/petitions/"))


# Bad input: errors next to the field, typed values kept, nothing saved -----------------


def test_duplicate_slug_is_an_error_next_to_the_field(app, client):
    make_petition(slug="free-ales-now")
    campaign = make_campaign()
    log_in(client, make_user(campaigns=(campaign,)))
    response = post_form(client, f"/organise/campaigns/{campaign.id}/petitions/new", PETITION_FORM)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert re.search(r'id="slug-error">This web address is taken already', html)
    assert field_value(response, "title") == "Free Ales Bialiatski"
    assert field_value(response, "goal") == "5000"
    assert "Ales is **innocent**." in html
    assert petition_count() == 1


def test_closing_before_opening_is_refused_with_the_values_kept(app, client):
    petition = make_petition(title="Before")
    log_in(client, make_user(campaigns=(petition.campaign,)))
    url = f"/organise/petitions/{petition.id}/edit"
    form = {**PETITION_FORM, "opens_at": "2030-06-01T09:00", "closes_at": "2030-01-01T09:00"}
    response = post_form(client, url, form)
    assert response.status_code == 400
    assert re.search(
        r'id="closes_at-error">The closing time must be after the opening time',
        response.get_data(as_text=True),
    )
    assert field_value(response, "title") == "Free Ales Bialiatski"
    assert field_value(response, "opens_at") == "2030-06-01T09:00"
    assert field_value(response, "closes_at") == "2030-01-01T09:00"
    assert fresh(petition).title == "Before"
    assert audit_events("petition.updated") == []


def test_nonsense_dates_and_goal_are_explained_and_kept(app, client):
    campaign = make_campaign()
    log_in(client, make_user(campaigns=(campaign,)))
    form = {**PETITION_FORM, "opens_at": "next tuesday", "goal": "lots"}
    response = post_form(client, f"/organise/campaigns/{campaign.id}/petitions/new", form)
    assert response.status_code == 400
    assert field_value(response, "opens_at") == "next tuesday"
    assert field_value(response, "goal") == "lots"
    assert 'id="opens_at-error"' in response.get_data(as_text=True)
    assert 'id="goal-error"' in response.get_data(as_text=True)
    assert petition_count() == 0


def test_an_open_petition_keeps_its_target_and_text(app, client):
    petition = make_petition()
    log_in(client, make_user(campaigns=(petition.campaign,)))
    form = {**PETITION_FORM, "slug": petition.slug, "target": "", "body": ""}
    response = post_form(client, f"/organise/petitions/{petition.id}/edit", form)
    assert response.status_code == 400
    assert 'id="target-error">An open petition needs this' in response.get_data(as_text=True)
    assert field_value(response, "title") == "Free Ales Bialiatski"
    assert fresh(petition).target == "President of the Republic of Belarus"


def test_an_opened_petition_keeps_its_web_address(app, client):
    petition = make_petition(slug="shared-far-and-wide", state=PetitionState.CLOSED)
    log_in(client, make_user(campaigns=(petition.campaign,)))
    form = {**PETITION_FORM, "slug": "a-new-address"}
    response = post_form(client, f"/organise/petitions/{petition.id}/edit", form)
    assert response.status_code == 400
    assert 'id="slug-error">The web address cannot change' in response.get_data(as_text=True)
    assert field_value(response, "slug") == "a-new-address"
    assert fresh(petition).slug == "shared-far-and-wide"


# Editing and previewing ---------------------------------------------------------------


def test_edit_saves_and_audits_the_changed_field_names(app, client):
    petition = make_petition(state=PetitionState.DRAFT)
    log_in(client, make_user(campaigns=(petition.campaign,)))
    url = f"/organise/petitions/{petition.id}/edit"
    response = post_form(client, url, {**PETITION_FORM, "slug": petition.slug})
    assert response.status_code == 302
    petition = fresh(petition)
    assert (petition.title, petition.goal) == ("Free Ales Bialiatski", 5000)
    assert petition.closes_at is not None
    assert petition.closes_at - petition.opens_at == timedelta(days=151)
    [event] = audit_events("petition.updated")
    assert event.petition_id == petition.id
    assert event.details == {
        "fields": ["title", "summary", "body", "goal", "opens_at", "closes_at"]
    }


def test_preview_shows_the_rendered_text_and_saves_nothing(app, client):
    petition = make_petition(title="Saved title", body="Saved body")
    log_in(client, make_user(campaigns=(petition.campaign,)))
    edit_url = f"/organise/petitions/{petition.id}/edit"
    form = {**PETITION_FORM, "slug": petition.slug, "title": "Typed title"}
    for url, data in [
        (f"/organise/petitions/{petition.id}/preview", form),
        (edit_url, {**form, "preview": "1"}),  # the Preview button of the edit form
    ]:
        response = post_form(client, url, data, page_url=edit_url)
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert "Preview (not saved yet)" in text_of(response)
        assert "<strong>innocent</strong>" in html
        assert "<script>alert(1)</script>" not in html
        assert field_value(response, "title") == "Typed title"
    petition = fresh(petition)
    assert (petition.title, petition.body) == ("Saved title", "Saved body")
    assert audit_events("petition.updated") == []


def test_preview_of_a_new_petition_creates_nothing(app, client):
    campaign = make_campaign()
    log_in(client, make_user(campaigns=(campaign,)))
    url = f"/organise/campaigns/{campaign.id}/petitions/new"
    response = post_form(client, url, {**PETITION_FORM, "preview": "1"})
    assert response.status_code == 200
    assert "<strong>innocent</strong>" in response.get_data(as_text=True)
    assert petition_count() == 0


def test_new_form_suggests_an_opening_time_in_utc(app, client):
    campaign = make_campaign()
    log_in(client, make_user(campaigns=(campaign,)))
    response = client.get(f"/organise/campaigns/{campaign.id}/petitions/new")
    suggested = field_value(response, "opens_at")
    assert suggested[:10] == utcnow().date().isoformat() or suggested[:10] == (
        (utcnow() + timedelta(minutes=1)).date().isoformat()
    )
    assert "Opens at (UTC)" in text_of(response)
