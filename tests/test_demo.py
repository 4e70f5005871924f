"""`flask demo load`: the Ales Bialiatski example campaign, loaded once, shown as example data."""

from __future__ import annotations

from sqlalchemy import func, select

from campaign_app.campaigns.models import Campaign
from campaign_app.extensions import db
from campaign_app.petitions.models import Petition
from campaign_app.prisoners.models import Prisoner, PrisonerAddress
from tests.support.web import text_of

EXAMPLE_NOTE = "Example data. This page shows the campaign as it was in 2011-2013"


def row_counts() -> dict[str, int]:
    return {
        model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
        for model in (Campaign, Petition, Prisoner, PrisonerAddress)
    }


def test_demo_load_is_idempotent(app, runner):
    assert row_counts() == {"campaign": 0, "petition": 0, "prisoner": 0, "prisoner_address": 0}

    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    assert "Demo campaign created" in first.output
    assert "/petitions/free-ales-bialiatski" in first.output
    db.session.remove()
    after_first = row_counts()
    assert after_first == {"campaign": 1, "petition": 1, "prisoner": 1, "prisoner_address": 1}

    second = runner.invoke(args=["demo", "load"])
    assert second.exit_code == 0, second.output
    assert "nothing changed" in second.output
    assert "created" not in second.output
    db.session.remove()
    assert row_counts() == after_first


def test_demo_load_completes_a_partial_demo(app, runner):
    """If the prisoner was deleted, loading again adds it back and keeps the rest."""
    # Without the example history: a prisoner with cards reported cannot simply be deleted.
    runner.invoke(args=["demo", "load", "--no-history"])
    db.session.remove()
    prisoner = db.session.scalar(select(Prisoner))
    db.session.delete(prisoner)
    db.session.commit()

    again = runner.invoke(args=["demo", "load", "--no-history"])

    assert again.exit_code == 0, again.output
    assert "Demo campaign created" in again.output
    db.session.remove()
    assert row_counts() == {"campaign": 1, "petition": 1, "prisoner": 1, "prisoner_address": 1}


def test_demo_petition_page(app, runner, client):
    runner.invoke(args=["demo", "load"])

    response = client.get("/petitions/free-ales-bialiatski")

    assert response.status_code == 200
    text = text_of(response)
    assert "Free Ales Bialiatski" in text
    assert "Petition to President of the Republic of Belarus" in text
    assert EXAMPLE_NOTE in text
    assert "Sign the petition" in text
    html = response.get_data(as_text=True)
    assert 'action="/petitions/free-ales-bialiatski#sign-heading"' in html
    assert 'name="csrf_token"' in html
    # The example history: a few thousand signatures of 2011-2013.
    assert "3,412 confirmed signatures" in text
    assert "3,412 of 10,000" in text
    assert "Goal: 10,000 signatures (34%)" in text


def test_demo_prisoner_page(app, runner, client):
    runner.invoke(args=["demo", "load"])

    response = client.get("/prisoners/ales-bialiatski")

    assert response.status_code == 200
    text = text_of(response)
    assert EXAMPLE_NOTE in text
    assert "Ales Bialiatski" in text
    assert "Алесь Бяляцкі" in text
    assert "Алесь Викторович Беляцкий" in text
    assert "Birthday 25 September (born 1962" in text
    assert "Arrested August 4, 2011" in text
    assert "Address as of September 1, 2012." in text
    assert "This address is old" in text
    assert "(as of September 1, 2012)" in text  # the mail note
    html = response.get_data(as_text=True)
    envelope = (
        "Беляцкому Алесю Викторовичу\nИК-2, отряд 14\nул. Сикорского, 1\n"
        "213807, г. Бобруйск\nМогилёвская обл.\nREPUBLIC OF BELARUS</pre>"
    )
    assert envelope in html


def test_demo_appears_in_lists_and_api(app, runner, client):
    runner.invoke(args=["demo", "load"])
    assert "Free Ales Bialiatski" in text_of(client.get("/"))
    assert "Ales Bialiatski" in text_of(client.get("/prisoners/"))
    data = client.get("/api/v1/petitions/free-ales-bialiatski").json
    assert data["title"] == "Free Ales Bialiatski"
    assert data["opens_at"] == "2011-11-24T00:00:00Z"
    assert data["goal"] == 10000
