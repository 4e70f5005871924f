"""Keyboard only: the signing form is reached with Tab and the focused control is visible."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from campaign_app.extensions import db
from tests.factories import make_petition
from tests.support.browser import LiveServer

# Commits: the live server answers in threads of its own, on connections of their own.
pytestmark = [pytest.mark.browser, pytest.mark.commits]

# The controls of the signing form, in order: the radio group is one Tab stop (its checked
# option); the arrow keys move inside it.
SIGN_FORM_STOPS = ["first_name", "last_name", "email", "country", "city", "display-0", "consent"]

FOCUS_STYLE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {
    id: el.id, tag: el.tagName.toLowerCase(), type: el.type || "",
    text: (el.textContent || "").trim(), inSignForm: !!el.closest("form:has(#consent)"),
    outline: [style.outlineStyle, style.outlineWidth, style.outlineColor].join(" "),
    visibleOutline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
    boxShadow: style.boxShadow,
  };
}"""


def style_unfocused(page: Page, selector: str) -> dict[str, Any]:
    """The same element's outline and shadow when it does not have the focus."""
    result: dict[str, Any] = page.locator(selector).evaluate(
        """el => {
          el.blur();
          const style = getComputedStyle(el);
          return {outline: [style.outlineStyle, style.outlineWidth, style.outlineColor].join(" "),
                  boxShadow: style.boxShadow};
        }"""
    )
    return result


def test_tab_reaches_every_control_with_a_visible_focus(
    live_server: LiveServer, page: Page
) -> None:
    petition = make_petition(title="Free the keyboard-tested prisoner")
    db.session.commit()  # for the live server's threads
    page.goto(f"{live_server.url}/petitions/{petition.slug}")

    page.keyboard.press("Tab")
    skip = page.evaluate(FOCUS_STYLE)
    assert skip["text"] == "Skip to content"
    expect(page.get_by_role("link", name="Skip to content")).to_be_in_viewport()

    reached: dict[str, dict[str, Any]] = {}
    for _ in range(80):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS_STYLE)
        if not focused["inSignForm"] or focused["tag"] == "a":
            continue
        key = "submit" if focused["type"] == "submit" else focused["id"]
        reached[key] = focused
        if key == "submit":
            live_server.screenshot(page, "keyboard-submit")
            break
    assert list(reached) == [*SIGN_FORM_STOPS, "submit"], list(reached)

    for key, focused in reached.items():
        selector = "form:has(#consent) button[type=submit]" if key == "submit" else f"#{key}"
        unfocused = style_unfocused(page, selector)
        assert focused["visibleOutline"] or focused["boxShadow"] != "none", focused
        assert (focused["outline"], focused["boxShadow"]) != (
            unfocused["outline"],
            unfocused["boxShadow"],
        ), (key, focused, unfocused)

    # Inside the radio group the arrow keys choose the other option.
    page.locator("#display-0").focus()
    page.keyboard.press("ArrowDown")
    expect(page.locator("#display-1")).to_be_focused()
    expect(page.locator("#display-1")).to_be_checked()

    # The form can be sent from the keyboard: an empty form comes back with its errors.
    page.locator("form:has(#consent) button[type=submit]").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#first_name-error")).to_be_visible()
