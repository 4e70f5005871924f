"""The embeddable counter: framable by any site (that page only), tiny, cookie-free."""

from __future__ import annotations

from campaign_app import PROJECT_ROOT
from campaign_app.campaigns.models import CampaignState
from campaign_app.petitions.models import PetitionState
from tests.factories import make_campaign, make_petition, make_signature, make_user
from tests.support.security import audit, csp_directives
from tests.support.sharing import elements
from tests.support.web import log_in, text_of

STATIC = PROJECT_ROOT / "static"


def test_embed_shows_title_count_goal_and_a_sign_link(client, app):
    petition = make_petition(title="Свабоду Алесю", goal=1000)
    for _ in range(3):
        make_signature(petition)

    response = client.get(f"/embed/petitions/{petition.slug}")

    assert response.status_code == 200
    text = text_of(response)
    assert "Свабоду Алесю" in text
    assert "3 signatures" in text
    assert "Goal: 1,000" in text
    html = response.get_data(as_text=True)
    (progress,) = elements(html, "progress")
    assert (progress["value"], progress["max"]) == ("3", "1000")
    sign = [a for a in elements(html, "a") if "sign" in a.get("class", "")]
    assert sign == [
        {
            "class": "sign",
            "href": f"http://campaign.test/petitions/{petition.slug}",
            "target": "_blank",
            "rel": "noopener noreferrer",
        }
    ]
    assert "Sign the petition" in text


def test_embed_of_a_closed_petition_invites_to_read(client, app):
    petition = make_petition(state=PetitionState.CLOSED)
    text = text_of(client.get(f"/embed/petitions/{petition.slug}"))
    assert "Read the petition" in text
    assert "Sign the petition" not in text


def test_embed_may_be_framed_while_the_petition_page_may_not(client, app):
    petition = make_petition()

    embed = client.get(f"/embed/petitions/{petition.slug}")
    page = client.get(f"/petitions/{petition.slug}")  # same client and app context, after it

    embed_csp = csp_directives(embed.headers["Content-Security-Policy"])
    assert embed_csp["frame-ancestors"] == ["*"]
    assert "X-Frame-Options" not in embed.headers
    assert embed_csp["script-src"] == ["'self'"]  # the rest of the policy stays strict
    assert embed_csp["default-src"] == ["'self'"]
    assert embed.headers["X-Content-Type-Options"] == "nosniff"

    page_csp = csp_directives(page.headers["Content-Security-Policy"])
    assert page_csp["frame-ancestors"] == ["'none'"]
    assert page.headers["X-Frame-Options"] == "DENY"
    image = client.get(f"/petitions/{petition.slug}/share.png")
    assert image.headers["X-Frame-Options"] == "DENY"


def test_embed_sets_no_cookies_and_has_no_chrome_or_scripts(client, app):
    petition = make_petition()
    response = client.get(f"/embed/petitions/{petition.slug}")
    assert "Set-Cookie" not in response.headers
    html = response.get_data(as_text=True)
    page = audit(html)
    assert page.script_sources == [] and page.inline_scripts == []
    assert page.style_attributes == [] and page.handlers == []
    assert "site-header" not in html and "site.css" not in html
    assert [link["href"] for link in elements(html, "link")] == ["/static/css/embed.css"]


def test_embed_is_small(client, app):
    petition = make_petition(title="T" * 200)
    html = client.get(f"/embed/petitions/{petition.slug}").data
    css = client.get("/static/css/embed.css").data
    assert len(html) + len(css) < 10 * 1024


def test_embed_for_an_unknown_or_hidden_petition_is_a_small_not_found_frame(client, app):
    draft = make_petition(state=PetitionState.DRAFT)
    archived = make_petition(campaign=make_campaign(state=CampaignState.ARCHIVED))
    for slug in ("no-such-petition", draft.slug, archived.slug):
        response = client.get(f"/embed/petitions/{slug}")
        assert response.status_code == 404, slug
        assert "Petition not found" in text_of(response)
        assert "site-header" not in response.get_data(as_text=True)
        assert csp_directives(response.headers["Content-Security-Policy"])["frame-ancestors"] == [
            "*"
        ]
        assert "X-Frame-Options" not in response.headers
        assert "Set-Cookie" not in response.headers
    assert draft.title not in text_of(client.get(f"/embed/petitions/{draft.slug}"))


def test_embed_is_cacheable_and_micro_cached(make_app):
    app = make_app(MICROCACHE_SECONDS=60)
    client = app.test_client()
    with app.app_context():
        petition = make_petition()
        first = client.get(f"/embed/petitions/{petition.slug}")
        assert first.cache_control.public
        assert first.cache_control.max_age == app.config["COUNT_CACHE_SECONDS"]
        make_signature(petition)
        assert client.get(f"/embed/petitions/{petition.slug}").data == first.data


def test_a_signed_in_organiser_can_open_the_embed_too(client, app):
    petition = make_petition()
    log_in(client, make_user())
    assert client.get(f"/embed/petitions/{petition.slug}").status_code == 200


def test_embed_script_inserts_a_titled_frame_from_its_own_origin():
    source = (STATIC / "js" / "embed.js").read_text(encoding="utf-8")
    script = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith("//"))
    assert "data-petition" in script
    assert "/embed/petitions/" in script
    assert "new URL(script.src).origin" in script  # no host written into the script
    assert "frame.title" in script
    assert "insertBefore(frame, script.nextSibling)" in script
    assert '"?lang=" + lang' in script and "/^[a-z]{2}$/.test(lang)" in script
    assert "cookie" not in script.lower()
    assert "http" not in script  # names no host: calls none but its own


def test_embed_in_another_language_sets_no_cookie(app, client):
    """embed.js adds ?lang=; a framed counter must still set no cookie on the visitor."""
    petition = make_petition()
    response = client.get(f"/embed/petitions/{petition.slug}?lang=ru")
    assert response.status_code == 200
    assert 'lang="ru"' in response.get_data(as_text=True)
    assert "Set-Cookie" not in response.headers
