"""Share links, share image and embed snippets of a public petition; all URLs from BASE_URL."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from flask import current_app, url_for
from flask.sansio.app import App
from flask_babel import get_locale
from markupsafe import escape

from campaign_app.fonts import BOLD, FONT_FILES, REGULAR, font_folder, missing_glyphs
from campaign_app.microcache import MicroCache
from campaign_app.petitions import service as petitions
from campaign_app.petitions.models import Petition
from campaign_app.petitions.texts import PetitionText, petition_text

# Networks reached through /share/<network>/<slug>, which redirects to their share page.
NETWORKS = ("telegram", "x", "facebook")
# How long a rendered share image is kept per process (and cached by browsers and proxies).
IMAGE_SECONDS = 300
EMBED_WIDTH, EMBED_HEIGHT = 400, 220

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


class InvalidInstance(ValueError):
    """What was typed is not the host name of a Mastodon server."""


@dataclass(frozen=True)
class ShareLink:
    """One way to share: ``href`` is what the page links to (on this site, or mailto:)."""

    network: str
    href: str


@dataclass(frozen=True)
class SharePng:
    data: bytes
    etag: str


def init_image_cache(app: App) -> None:
    """One bounded cache of rendered images per process (keyed by what they show)."""
    app.extensions["sharing_images"] = MicroCache(IMAGE_SECONDS, maxsize=256)


def _base_url() -> str:
    return str(current_app.config["BASE_URL"]).rstrip("/")


def absolute_url(endpoint: str, **values: Any) -> str:
    """The public URL of an endpoint: BASE_URL and the path, never the request's Host header."""
    return _base_url() + url_for(endpoint, **values)


def site_name() -> str:
    return urlsplit(_base_url()).netloc


def petition_url(petition: Petition) -> str:
    """The canonical URL of the petition page, the one every share link carries."""
    return absolute_url("petitions.show", slug=petition.slug)


def _reader_text(petition: Petition) -> PetitionText:
    return petition_text(petition, str(get_locale()))


def share_links(petition: Petition) -> list[ShareLink]:
    """E-mail, Mastodon (asks for the server), Telegram, X and Facebook, in that order; the
    texts they carry are in the reader's language."""
    url = petition_url(petition)
    reader = _reader_text(petition)
    body = f"{reader.summary or reader.title}\n\n{url}"
    mail = f"mailto:?subject={quote(reader.title, safe='')}&body={quote(body, safe='')}"
    links = [
        ShareLink("email", mail),
        ShareLink("mastodon", url_for("sharing.mastodon", petition=petition.slug)),
    ]
    # The redirects are cached by browsers and proxies: the URL says the language.
    language = str(get_locale())
    links += [
        ShareLink(
            network,
            url_for("sharing.share", network=network, slug=petition.slug, lang=language),
        )
        for network in NETWORKS
    ]
    return links


def network_share_url(network: str, petition: Petition) -> str:
    """The share page of a network (one of NETWORKS) for the petition."""
    url = petition_url(petition)
    title = _reader_text(petition).title
    if network == "telegram":
        return "https://t.me/share/url?" + urlencode({"url": url, "text": title})
    if network == "x":
        return "https://twitter.com/intent/tweet?" + urlencode({"text": title, "url": url})
    if network == "facebook":
        return "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url})
    raise ValueError(f"unknown network {network!r}")


def mastodon_instance(typed: str) -> str:
    """The host name in what someone typed for their Mastodon server.

    Accepts "mastodon.social", "https://mastodon.social/", "@me@mastodon.social"; refuses
    anything that is not a plain public host name (no scheme but https, no port, no path,
    no IP address, no "localhost").
    """
    text = typed.strip().lower().removeprefix("https://").rstrip("/")
    if "@" in text and "/" not in text:
        text = text.rsplit("@", 1)[1]
    text = text.rstrip(".")
    try:
        host = text.encode("idna").decode("ascii")
    except UnicodeError:
        raise InvalidInstance(typed) from None
    labels = host.split(".")
    if (
        len(host) > 253
        or len(labels) < 2
        or not all(_LABEL.match(label) for label in labels)
        or labels[-1].isdigit()
    ):
        raise InvalidInstance(typed)
    return host


def mastodon_share_url(host: str, petition: Petition) -> str:
    """The share page of the Mastodon server ``host`` (already checked by mastodon_instance)."""
    text = f"{_reader_text(petition).title} {petition_url(petition)}"
    return f"https://{host}/share?" + urlencode({"text": text})


def embed_snippets(petition: Petition) -> tuple[str, str]:
    """The HTML organisers paste: an iframe, and the script that inserts one."""
    frame_url = absolute_url("sharing.embed", slug=petition.slug)
    script_url = absolute_url("static", filename="js/embed.js")
    title = escape(petition.title)
    iframe = (
        f'<iframe src="{frame_url}" title="{title}" width="{EMBED_WIDTH}" '
        f'height="{EMBED_HEIGHT}" loading="lazy" referrerpolicy="no-referrer"></iframe>'
    )
    script = f'<script src="{script_url}" data-petition="{petition.slug}" async></script>'
    return iframe, script


def _drawable(text: str) -> str:
    """The text without the characters the font has no glyph for (they would be boxes), nor
    the invisible joiners and variation selectors that went with them (emoji sequences)."""
    text = unicodedata.normalize("NFC", text)
    missing = set(missing_glyphs(text, BOLD))
    kept = (
        ch
        for ch in text
        if ch not in missing and unicodedata.category(ch) != "Cf" and not _is_selector(ch)
    )
    return " ".join("".join(kept).split())


def _is_selector(ch: str) -> bool:
    code = ord(ch)
    return 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


def share_image(petition: Petition, count_line: str, total: int, language: str) -> SharePng:
    """The share image of the petition in ``language`` (its title and campaign's name
    translated; ``count_line`` already is): rendered once per text, count and language."""
    campaign = petition.campaign.translated("name", language)
    title = petition_text(petition, language).title
    progress = min(1.0, total / petition.goal) if petition.goal else None
    key = (petition.id, language, title, campaign, count_line, progress)
    cache: MicroCache = current_app.extensions["sharing_images"]
    found: SharePng | None = cache.get(key)
    if found is None:
        # Pillow loads with the first image a worker draws, not when the app starts.
        from campaign_app.sharing.image import Fonts, ShareCard, render_share_image

        card = ShareCard(
            title=_drawable(title),
            count_line=_drawable(count_line),
            campaign=_drawable(campaign),
            site=site_name(),
            progress=progress,
        )
        folder = font_folder()
        fonts = Fonts(folder / FONT_FILES[REGULAR], folder / FONT_FILES[BOLD])
        data = render_share_image(card, fonts)
        found = SharePng(data, hashlib.sha1(data, usedforsecurity=False).hexdigest())
        cache.set(key, found)
    return found


def public_petition(slug: str) -> Petition | None:
    """A petition anyone may see (no drafts, no archived campaigns)."""
    return petitions.get_public_petition(slug)


def confirmed_total(petition: Petition) -> int:
    return petitions.get_counts(petition).total
