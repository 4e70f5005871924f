"""The parts of base.html that are the same on every page of one language (the links in the
head, the site's navigation, the footer): rendered once per process and reused.

They were about a tenth of a light page's cost (a dozen url_for and gettext calls each time).
A fragment may depend only on its arguments, the language and the configuration; the footer's
language links carry the page's path, which is put in per request.
"""

from __future__ import annotations

from flask import Flask, current_app, get_template_attribute, request
from flask_babel import get_locale
from markupsafe import Markup, escape

_EXTENSION = "campaign_fragments"
_MACROS = "_macros/chrome.html"
# Stands in for the page's path in a cached footer.
_PATH_SLOT = "\x00page-path\x00"


def _fragment(name: str, *args: str) -> str:
    store: dict[tuple[str, ...], str] = current_app.extensions[_EXTENSION]
    key = (name, str(get_locale()), request.script_root, current_app.config["LANGUAGES"], *args)
    html = store.get(key)
    if html is None:
        html = store[key] = str(get_template_attribute(_MACROS, name)(*args))
    return html


def head_links() -> Markup:
    """The favicon, style sheet and script links."""
    return Markup(_fragment("head_links"))  # noqa: S704 - our own template's output


def public_nav() -> Markup:
    """The site's navigation, the current section marked."""
    endpoint = request.endpoint or ""
    if request.blueprint in ("petitions", "prisoners"):
        section = str(request.blueprint)
    elif endpoint.startswith("letters.calendar"):
        section = "calendar"
    elif endpoint in ("letters.print_form", "letters.print_cards"):
        section = "print"
    else:
        section = ""
    return Markup(_fragment("public_nav", section))  # noqa: S704 - our own template's output


def site_footer() -> Markup:
    """The footer, its language links to this page."""
    html = _fragment("site_footer", _PATH_SLOT)
    return Markup(html.replace(_PATH_SLOT, str(escape(request.path))))  # noqa: S704


def init_app(app: Flask) -> None:
    app.extensions[_EXTENSION] = {}
    app.jinja_env.globals.update(
        head_links=head_links, public_nav=public_nav, site_footer=site_footer
    )
