"""OpenGraph and Twitter card tags, and the share image they point to."""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import pytest
from PIL import Image

from campaign_app.campaigns.models import CampaignState
from campaign_app.fonts import font_folder
from campaign_app.petitions.models import PetitionState
from campaign_app.sharing.image import Fonts, ShareCard, render_share_image
from tests.factories import make_campaign, make_petition, make_signature
from tests.support.sharing import meta_tags


def test_petition_page_has_opengraph_and_twitter_tags(client, app):
    petition = make_petition(title="Свабоду Алесю", summary="Release him now.")
    tags = meta_tags(client.get(f"/petitions/{petition.slug}").get_data(as_text=True))

    assert tags["og:type"] == "website"
    assert tags["og:title"] == "Свабоду Алесю"
    assert tags["og:description"] == "Release him now."
    assert tags["og:url"] == f"http://campaign.test/petitions/{petition.slug}"
    assert tags["og:image"] == f"http://campaign.test/petitions/{petition.slug}/share/en.png"
    assert (tags["og:image:width"], tags["og:image:height"]) == ("1200", "630")
    assert tags["twitter:card"] == "summary_large_image"
    assert tags["twitter:image"] == tags["og:image"]
    for name in ("og:url", "og:image", "twitter:image"):
        parts = urlsplit(tags[name])
        assert parts.scheme == "http" and parts.netloc == "campaign.test", name


def test_og_image_is_a_1200_by_630_png(client, app):
    petition = make_petition(title="Свабоду Алесю Бяляцкаму: " + "вельмі доўгая назва " * 8)
    tags = meta_tags(client.get(f"/petitions/{petition.slug}").get_data(as_text=True))

    response = client.get(urlsplit(tags["og:image"]).path)

    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert response.cache_control.public
    assert response.cache_control.max_age == 300
    image = Image.open(io.BytesIO(response.data))
    image.verify()
    assert (image.format, image.size) == ("PNG", (1200, 630))


def test_the_count_changes_the_image(client, app):
    petition = make_petition()
    before = client.get(f"/petitions/{petition.slug}/share.png").data
    assert client.get(f"/petitions/{petition.slug}/share.png").data == before  # stable
    make_signature(petition)
    after = client.get(f"/petitions/{petition.slug}/share.png").data
    assert after != before


def test_image_answers_if_none_match_with_304(client, app):
    petition = make_petition()
    first = client.get(f"/petitions/{petition.slug}/share.png")
    again = client.get(
        f"/petitions/{petition.slug}/share.png", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304


def test_micro_cache_serves_the_same_image_for_a_while(make_app):
    app = make_app(MICROCACHE_SECONDS=60)
    client = app.test_client()
    with app.app_context():
        petition = make_petition()
        first = client.get(f"/petitions/{petition.slug}/share.png").data
        make_signature(petition)
        assert client.get(f"/petitions/{petition.slug}/share.png").data == first


def test_no_image_for_unknown_or_hidden_petitions(client, app):
    draft = make_petition(state=PetitionState.DRAFT)
    in_draft_campaign = make_petition(campaign=make_campaign(state=CampaignState.DRAFT))
    for slug in ("no-such-petition", draft.slug, in_draft_campaign.slug):
        assert client.get(f"/petitions/{slug}/share.png").status_code == 404, slug


def test_characters_the_font_lacks_are_left_out_not_drawn_as_boxes(client, app):
    campaign = make_campaign(name="Free Ales")
    plain = make_petition(campaign=campaign, title="Free Ales now")
    with_emoji = make_petition(campaign=campaign, title="Free Ales 🕊️ now")
    image = client.get(f"/petitions/{plain.slug}/share.png").data
    assert client.get(f"/petitions/{with_emoji.slug}/share.png").data == image


@pytest.mark.parametrize(
    "title",
    ["A", "Свабоду " * 60, "Бяляцкі" * 40, "Free political prisoners in Belarus now ’ ў і ё"],
)
def test_renderer_fits_any_title(title):
    folder = font_folder()
    fonts = Fonts(folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf")
    card = ShareCard(title, "12,345 signatures", "Campaign " * 20, "petitions.example.org", 0.4)
    image = Image.open(io.BytesIO(render_share_image(card, fonts)))
    assert image.size == (1200, 630)


def test_renderer_draws_the_goal_bar_only_with_a_goal():
    folder = font_folder()
    fonts = Fonts(folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf")
    with_goal = ShareCard("Title", "5 signatures", "Campaign", "site", 0.5)
    without = ShareCard("Title", "5 signatures", "Campaign", "site", None)
    assert render_share_image(with_goal, fonts) != render_share_image(without, fonts)
