"""A petition read in the visitor's language, or in its original with a note saying so."""

from __future__ import annotations

import pytest
from flask import g
from sqlalchemy import select

from campaign_app.accounts.models import Role
from campaign_app.audit.models import AuditEvent
from campaign_app.extensions import db
from campaign_app.petitions.models import PetitionTranslation
from tests.factories import make_petition, make_user
from tests.support.web import log_in, post_form, text_of

FALLBACK = "has no translation into your language yet"
FALLBACK_FR = "Cette pétition n’est pas encore traduite dans votre langue"


@pytest.fixture
def petition(app):
    petition = make_petition(slug="free-ales", title="Free Ales Bialiatski", body="Release him.")
    db.session.add(
        PetitionTranslation(
            petition_id=petition.id,
            locale="ru",
            title="Свободу Алесю Беляцкому",
            summary="Коротко.",
            body="Освободите **его**.",
        )
    )
    db.session.commit()
    return petition


def test_translation_is_shown_in_its_language(petition, client):
    page = text_of(client.get("/petitions/free-ales?lang=ru"))
    assert "Свободу Алесю Беляцкому" in page
    assert "Освободите" in page
    assert "Release him." not in page
    assert FALLBACK not in page


def test_missing_translation_falls_back_with_a_note(petition, client):
    response = client.get("/petitions/free-ales?lang=fr")
    page = text_of(response)
    assert "Free Ales Bialiatski" in page
    assert FALLBACK_FR in page  # the note itself is in the visitor's language
    # The petition's own text is marked as English; the page around it is French.
    assert '<h1 lang="en">Free Ales Bialiatski</h1>' in response.get_data(as_text=True)


def test_original_language_has_no_note(petition, client):
    page = text_of(client.get("/petitions/free-ales?lang=en"))
    assert "Free Ales Bialiatski" in page
    assert FALLBACK not in page


def test_organiser_adds_and_deletes_a_translation(petition, app):
    client = app.test_client()
    log_in(client, make_user(Role.ORGANISER, campaigns=(petition.campaign,)))
    url = f"/organise/petitions/{petition.id}/translations/fr"
    missing_title = post_form(client, url, {"title": "", "body": "Libérez-le."})
    assert missing_title.status_code == 400
    assert "Libérez-le." in missing_title.get_data(as_text=True)  # what was typed is kept
    saved = post_form(client, url, {"title": "Libérez Ales Bialiatski", "body": "Libérez-le."})
    assert saved.status_code == 302
    assert "Libérez Ales Bialiatski" in text_of(
        app.test_client().get("/petitions/free-ales?lang=fr")
    )
    deleted = post_form(client, url, {"action": "delete"})
    assert deleted.status_code == 302
    assert db.session.get(PetitionTranslation, (petition.id, "fr")) is None
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "petition.translation_added" in actions
    assert "petition.translation_deleted" in actions


def test_deleting_a_translation_needs_the_form_token(petition, app):
    """The delete button checks no form of its own: the organiser pages' CSRF check must."""
    client = app.test_client()
    log_in(client, make_user(Role.ORGANISER, campaigns=(petition.campaign,)))
    g.pop("csrf_valid", None)  # the tests share one app context; a real request starts clean
    url = f"/organise/petitions/{petition.id}/translations/ru"
    assert client.post(url, data={"action": "delete"}).status_code == 400
    assert db.session.get(PetitionTranslation, (petition.id, "ru")) is not None


def test_unknown_or_original_language_page_is_404(petition, app):
    client = app.test_client()
    log_in(client, make_user(Role.ADMIN))
    assert client.get(f"/organise/petitions/{petition.id}/translations/xx").status_code == 404
    assert client.get(f"/organise/petitions/{petition.id}/translations/en").status_code == 404
