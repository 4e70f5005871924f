"""Share links on the petition page: built on the server from BASE_URL, correctly encoded."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from campaign_app.campaigns.models import CampaignState
from campaign_app.petitions.models import PetitionState
from tests.factories import make_campaign, make_petition
from tests.support.sharing import share_links

TITLE = "Свабоду Алесю! Free Ales & co: 100% #solidarity?"


@pytest.fixture
def petition(app):
    return make_petition(title=TITLE, summary="Write to him & sign — «сёння».")


def canonical(petition) -> str:
    return f"http://campaign.test/petitions/{petition.slug}"


def test_petition_page_lists_every_way_to_share(client, petition):
    html = client.get(f"/petitions/{petition.slug}").get_data(as_text=True)
    links = share_links(html)
    assert list(links) == ["email", "mastodon", "telegram", "x", "facebook"]
    for link in links.values():
        assert link["rel"] == "noopener noreferrer"
        assert link["aria-label"].startswith("Share ")
        assert "target" not in link  # opens normally, no pop-up
    assert "Share this petition" in html
    assert f'value="{canonical(petition)}" readonly' in html  # the copy-link field


def test_email_link_carries_title_summary_and_url(client, petition):
    link = share_links(client.get(f"/petitions/{petition.slug}").get_data(as_text=True))["email"]
    parts = urlsplit(link["href"])
    assert parts.scheme == "mailto"
    query = parse_qs(parts.query)
    assert query["subject"] == [TITLE]
    assert query["body"] == [f"Write to him & sign — «сёння».\n\n{canonical(petition)}"]
    assert "+" not in parts.query  # mail clients read + literally: spaces are %20


@pytest.mark.parametrize(
    ("network", "host", "path", "expected"),
    [
        ("telegram", "t.me", "/share/url", {"url": "URL", "text": TITLE}),
        ("x", "twitter.com", "/intent/tweet", {"text": TITLE, "url": "URL"}),
        ("facebook", "www.facebook.com", "/sharer/sharer.php", {"u": "URL"}),
    ],
)
def test_network_links_lead_to_the_networks_share_page(
    client, petition, network, host, path, expected
):
    href = share_links(client.get(f"/petitions/{petition.slug}").get_data(as_text=True))[network][
        "href"
    ]
    # The page itself names no other host; the URL says the language (the redirect is cached).
    assert href == f"/share/{network}/{petition.slug}?lang=en"

    response = client.get(href)

    assert response.status_code == 303
    target = urlsplit(response.headers["Location"])
    assert (target.scheme, target.hostname, target.path) == ("https", host, path)
    wanted = {
        key: [canonical(petition) if value == "URL" else value] for key, value in expected.items()
    }
    assert parse_qs(target.query) == wanted


def test_shared_url_comes_from_base_url_never_the_host_header(client, petition):
    page = client.get(f"/petitions/{petition.slug}", base_url="http://evil.example")
    html = page.get_data(as_text=True)
    assert "evil.example" not in html
    response = client.get(f"/share/telegram/{petition.slug}", base_url="http://evil.example")
    assert parse_qs(urlsplit(response.headers["Location"]).query)["url"] == [canonical(petition)]


def test_mastodon_link_goes_to_our_form(client, petition):
    href = share_links(client.get(f"/petitions/{petition.slug}").get_data(as_text=True))[
        "mastodon"
    ]["href"]
    assert urlsplit(href).path == "/share/mastodon"
    assert parse_qs(urlsplit(href).query) == {"petition": [petition.slug]}
    assert client.get(href).status_code == 200


def test_closed_petitions_can_be_shared_too(client, app):
    petition = make_petition(state=PetitionState.CLOSED)
    html = client.get(f"/petitions/{petition.slug}").get_data(as_text=True)
    assert len(share_links(html)) == 5
    assert client.get(f"/share/x/{petition.slug}").status_code == 303


def test_share_redirects_refuse_unknown_networks_and_hidden_petitions(client, app):
    draft = make_petition(state=PetitionState.DRAFT)
    hidden = make_petition(campaign=make_campaign(state=CampaignState.ARCHIVED))
    public = make_petition()
    assert client.get(f"/share/x/{draft.slug}").status_code == 404
    assert client.get(f"/share/facebook/{hidden.slug}").status_code == 404
    assert client.get("/share/x/no-such-petition").status_code == 404
    assert client.get(f"/share/myspace/{public.slug}").status_code == 404
    assert client.get(f"/share/javascript:alert(1)/{public.slug}").status_code == 404
