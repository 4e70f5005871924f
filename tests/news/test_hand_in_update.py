"""A published hand-in offers the organiser an update that tells it, in each language."""

from __future__ import annotations

from campaign_app.db import utcnow
from campaign_app.extensions import db
from campaign_app.petitions.models import PetitionTranslation
from tests.factories import make_petition, make_user
from tests.support.deliveries import make_delivery
from tests.support.web import log_in, text_of


def test_a_published_hand_in_is_the_first_draft_of_an_update_in_each_language(client):
    petition = make_petition(title="Free Ales", language="en")
    db.session.add(PetitionTranslation(petition_id=petition.id, locale="ru", title="Свободу Алесю"))
    delivery = make_delivery(petition, published_at=utcnow())
    log_in(client, make_user(campaigns=(petition.campaign,)))

    page = client.get(f"/organise/hand-ins/{delivery.id}")
    assert page.status_code == 200
    assert "Tell the signers who asked for news" in text_of(page)

    form = client.get(f"/organise/petitions/{petition.id}/news/new?delivery={delivery.id}")
    html = form.get_data(as_text=True)
    assert form.status_code == 200
    assert "The signatures were handed in: Embassy of the Republic of Belarus, The Hague" in html
    assert "we handed in 120 signatures (100 online and 20 on paper)" in html
    assert "They refused to receive them." in html
    # The Russian text of the same update is in Russian.
    assert "Подписи переданы" in html
    # The link to the photos is a Markdown autolink to the hand-in on the petition's page, so
    # that the update's page and the HTML e-mail show it as a link.
    link = f"http://localhost/petitions/{petition.slug}#hand-in-{delivery.id}"
    assert f"Photos and the whole story: &lt;{link}&gt;" in html
    from campaign_app.markdown import render_markdown

    assert f'<a href="{link}"' in render_markdown(f"Photos: <{link}>")


def test_a_draft_hand_in_or_another_petitions_prefills_nothing(client):
    petition = make_petition(title="Free Ales", language="en")
    other = make_petition(title="Other", language="en")
    draft = make_delivery(petition)
    foreign = make_delivery(other, published_at=utcnow())
    log_in(client, make_user(campaigns=(petition.campaign,)))
    for delivery in (draft, foreign):
        form = client.get(f"/organise/petitions/{petition.id}/news/new?delivery={delivery.id}")
        assert form.status_code == 200
        assert "handed in" not in form.get_data(as_text=True)
