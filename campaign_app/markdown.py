"""Markdown for texts organisers write (petition bodies, campaign descriptions), sanitised.

markdown-it-py renders CommonMark with raw HTML switched off; nh3 then keeps only a short
list of tags and attributes, so whatever an organiser (or a stolen organiser account) types,
the public page gets no scripts, event handlers, styles or foreign link schemes.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from markupsafe import Markup

if TYPE_CHECKING:  # markdown-it and nh3 load with the first text rendered, not at start
    from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote",
        "h2", "h3", "h4", "code", "pre", "hr",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# The page title is the h1; a "# Heading" in the text becomes h2, and h5/h6 become h4.
_HEADING_TAGS = {"h1": "h2", "h5": "h4", "h6": "h4"}


def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False})


def render_markdown(text: str | None) -> Markup:
    """``text`` as safe HTML: CommonMark, no raw HTML, only the allowed tags and links."""
    if not text:
        return Markup("")
    return _render(text)


# A petition's text is rendered on every uncached page view; it changes rarely. The cache
# holds only petition texts (public, no personal data) and is bounded.
@functools.lru_cache(maxsize=256)
def _render(text: str) -> Markup:
    import nh3

    parser = _parser()
    tokens = parser.parse(text)
    for token in tokens:
        if token.type in ("heading_open", "heading_close") and token.tag in _HEADING_TAGS:
            token.tag = _HEADING_TAGS[token.tag]
        for child in token.children or ():
            if child.type == "image":  # no images from elsewhere: keep their alt text
                child.type, child.tag, child.children = "text", "", None
    html = parser.renderer.render(tokens, parser.options, {})
    cleaned = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="nofollow noopener",
        strip_comments=True,
    )
    return Markup(cleaned)  # noqa: S704 - sanitised by nh3 just above


def markdown_paragraphs(text: str | None) -> tuple[str, ...]:
    """``text`` as plain paragraphs for print: markup dropped, list items marked with "–",
    links shown by their text, headings as paragraphs of their own."""
    if not text:
        return ()
    paragraphs: list[str] = []
    prefix = ""
    for token in _parser().parse(text):
        if token.type == "list_item_open":
            prefix = "– "
        elif token.type == "inline":
            parts = []
            for child in token.children or ():
                if child.type in ("text", "code_inline"):
                    parts.append(child.content)
                elif child.type == "softbreak":
                    parts.append(" ")
                elif child.type == "hardbreak":
                    parts.append("\n")
            line = "".join(parts).strip()
            if line:
                paragraphs.append(prefix + line)
            prefix = ""
        elif token.type in ("fence", "code_block") and token.content.strip():
            paragraphs.append(token.content.strip())
    return tuple(paragraphs)
