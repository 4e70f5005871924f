"""A prisoner's name in the reader's language (a template helper of the prisoners feature)."""

from __future__ import annotations

from typing import Protocol

from flask_babel import get_locale


class Named(Protocol):
    """A prisoner, or anything that carries a prisoner's names (a calendar event)."""

    def name_in(self, language: str) -> str: ...


def local_name(person: Named) -> str:
    """The name in the script of the page's language: «Алесь Бяляцкі» on a Belarusian page."""
    return person.name_in(str(get_locale() or "en"))
