"""Auditing pages as a browser enforcing the Content-Security-Policy would: inline code, handlers,
styles and the hosts a page would make the browser contact."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

URL_ATTRIBUTES = {"src", "href", "action", "formaction", "poster", "data", "srcset"}


class PageAudit(HTMLParser):
    """Collects what a Content-Security-Policy without 'unsafe-inline' would block."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.inline_scripts: list[str] = []
        self.script_sources: list[str] = []
        self.style_attributes: list[str] = []
        self.style_elements = 0
        self.handlers: list[str] = []
        self.urls: list[str] = []
        self._in_script_without_src = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script":
            if values.get("src"):
                self.script_sources.append(values["src"] or "")
            else:
                self._in_script_without_src = True
                self.inline_scripts.append("")
        if tag == "style":
            self.style_elements += 1
        for name, value in attrs:
            if name == "style":
                self.style_attributes.append(f"<{tag} style={value!r}>")
            if name.startswith("on"):
                self.handlers.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES and value:
                self.urls.extend(part.split()[0] for part in value.split(",") if part.strip())

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script_without_src = False

    def handle_data(self, data: str) -> None:
        if self._in_script_without_src:
            self.inline_scripts[-1] += data


def audit(html: str) -> PageAudit:
    """What the page at ``html`` holds that the CSP would block, or that leaves the site."""
    parser = PageAudit()
    parser.feed(html)
    parser.close()
    return parser


def foreign_urls(urls: list[str], own_host: str = "localhost") -> list[str]:
    """URLs that would make the browser contact another host."""
    found = []
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme in {"", "http", "https"} and not parts.netloc:
            if url.startswith("//"):
                found.append(url)
            continue
        if parts.scheme in {"http", "https"} and parts.hostname == own_host:
            continue
        if parts.scheme == "mailto":
            continue
        found.append(url)
    return found


def csp_directives(header: str) -> dict[str, list[str]]:
    """A Content-Security-Policy header as directive -> its values."""
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives
