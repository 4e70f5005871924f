"""Reading links and meta tags out of pages, as a crawler or a browser would."""

from __future__ import annotations

from html.parser import HTMLParser


class Elements(HTMLParser):
    """Every start tag with its attributes, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def elements(html: str, tag: str) -> list[dict[str, str]]:
    parser = Elements()
    parser.feed(html)
    return [attrs for name, attrs in parser.tags if name == tag]


def meta_tags(html: str) -> dict[str, str]:
    """OpenGraph (property=) and other (name=) meta tags: name -> content."""
    found = {}
    for attrs in elements(html, "meta"):
        key = attrs.get("property") or attrs.get("name")
        if key:
            found[key] = attrs.get("content", "")
    return found


def share_links(html: str) -> dict[str, dict[str, str]]:
    """The share links of a page by network (data-network attribute)."""
    return {a["data-network"]: a for a in elements(html, "a") if "data-network" in a}
