"""The Markdown organisers write comes out as a short list of safe tags, and nothing else."""

from __future__ import annotations

from html.parser import HTMLParser

from markupsafe import Markup

from campaign_app.markdown import ALLOWED_TAGS, render_markdown


class _Elements(HTMLParser):
    """Every element and attribute of a piece of HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend((tag, name, value) for name, value in attrs)


def elements(html: str) -> _Elements:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser


def test_markdown_becomes_the_allowed_html():
    html = render_markdown(
        "## Why\n\nAles is **innocent** and *brave*.\n\n- one\n- two\n\n1. first\n\n"
        "> quoted\n\n`code`\n\n    block\n\n---\n\nline  \nbreak"
    )
    assert isinstance(html, Markup)
    found = elements(str(html))
    assert set(found.tags) == {
        "h2", "p", "strong", "em", "ul", "ol", "li", "blockquote", "code", "pre", "hr", "br",
    }  # fmt: skip
    assert "<strong>innocent</strong>" in html


def test_links_get_rel_and_only_safe_schemes():
    html = str(
        render_markdown(
            '[site](https://viasna.org "Viasna") [mail](mailto:a@example.org) '
            "[bad](javascript:alert(1)) [data](data:text/html,x) [vb](vbscript:msgbox(1)) "
            "<javascript:alert(2)>"
        )
    )
    links = [(tag, name, value) for tag, name, value in elements(html).attributes if tag == "a"]
    hrefs = [value for _, name, value in links if name == "href"]
    assert hrefs == ["https://viasna.org", "mailto:a@example.org"]
    assert ("a", "title", "Viasna") in links
    assert [value for _, name, value in links if name == "rel"] == ["nofollow noopener"] * 2
    assert "javascript:" not in html.replace("[bad](javascript:alert(1))", "").replace(
        "&lt;javascript:alert(2)&gt;", ""
    )


def test_scripts_event_handlers_and_raw_html_never_become_elements():
    html = str(
        render_markdown(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n"
            '<a href="https://x.org" onclick="steal()">x</a>\n\n<div style="x">raw</div>\n\n'
            "<iframe src=https://evil.example></iframe>\n\ntext <b onmouseover=alert(1)>b</b>"
        )
    )
    found = elements(html)
    assert set(found.tags) <= {"p"}  # everything else was shown as text, not HTML
    assert not any(name.startswith("on") or name == "style" for _, name, _ in found.attributes)
    assert "<script" not in html and "<img" not in html and "<iframe" not in html


def test_images_leave_only_their_text_and_h1_becomes_h2():
    html = str(
        render_markdown("# Title\n\n![a poster](https://evil.example/track.png)\n\n###### six")
    )
    found = elements(html)
    assert "img" not in found.tags
    assert found.tags == ["h2", "p", "h4"]
    assert "a poster" in html
    assert set(found.tags) <= ALLOWED_TAGS


def test_empty_text_is_empty_markup():
    assert render_markdown("") == Markup("")
    assert render_markdown(None) == Markup("")
