"""The organiser's page with the embed snippets, a live preview and the share links."""

from __future__ import annotations

from html import unescape

from campaign_app.accounts.models import Role
from campaign_app.petitions.models import PetitionState
from tests.factories import make_campaign, make_petition, make_user
from tests.support.sharing import elements, share_links
from tests.support.web import log_in, text_of


def snippet_url(petition) -> str:
    return f"/organise/petitions/{petition.id}/embed"


def test_anonymous_visitors_are_sent_to_sign_in(client, app):
    petition = make_petition()
    response = client.get(snippet_url(petition))
    assert response.status_code == 302
    assert "/account/login" in response.headers["Location"]


def test_another_campaigns_organiser_is_refused(client, app):
    petition = make_petition()
    log_in(client, make_user(Role.ORGANISER, campaigns=(make_campaign(),)))
    assert client.get(snippet_url(petition)).status_code == 403
    assert client.get("/organise/petitions/999999/embed").status_code == 403


def test_the_campaigns_organiser_gets_both_snippets_and_a_preview(client, app):
    campaign = make_campaign()
    petition = make_petition(campaign=campaign, title='Free "Ales" & <friends>')
    log_in(client, make_user(Role.ORGANISER, campaigns=(campaign,)))

    response = client.get(snippet_url(petition))

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    areas = {area["id"]: area for area in elements(html, "textarea")}
    assert set(areas) == {"script-snippet", "iframe-snippet"}
    assert all("readonly" in area for area in areas.values())
    script = unescape(html.split('id="script-snippet"')[1].split(">", 1)[1].split("</textarea>")[0])
    assert script == (
        '<script src="http://campaign.test/static/js/embed.js" '
        f'data-petition="{petition.slug}" async></script>'
    )
    frame = unescape(html.split('id="iframe-snippet"')[1].split(">", 1)[1].split("</textarea>")[0])
    assert f'src="http://campaign.test/embed/petitions/{petition.slug}"' in frame
    assert 'title="Free &#34;Ales&#34; &amp; &lt;friends&gt;"' in frame
    (preview,) = elements(html, "iframe")
    assert preview["src"] == f"/embed/petitions/{petition.slug}"
    assert preview["title"].startswith("Preview of the counter")
    assert list(share_links(html)) == ["email", "mastodon", "telegram", "x", "facebook"]
    assert 'data-copy="' in html  # copy buttons, switched on by site.js
    assert 'To choose its language add data-lang="ru" (or be , fr , en )' in text_of(response)


def test_admin_sees_it_and_a_draft_is_explained(client, app):
    petition = make_petition(state=PetitionState.DRAFT)
    log_in(client, make_user(Role.ADMIN))
    response = client.get(snippet_url(petition))
    assert response.status_code == 200
    assert "This petition is not public yet" in text_of(response)
    assert share_links(response.get_data(as_text=True)) == {}


def test_petition_overview_links_to_the_snippet_page(client, app):
    campaign = make_campaign()
    petition = make_petition(campaign=campaign)
    log_in(client, make_user(Role.ORGANISER, campaigns=(campaign,)))
    html = client.get(f"/organise/petitions/{petition.id}").get_data(as_text=True)
    assert f'href="{snippet_url(petition)}"' in html
