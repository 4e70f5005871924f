"""What waits for someone in the organiser area, listed first on its dashboard.

Features register a source (a function of the signed-in user returning the items waiting for
them: an update to approve, ...) from their init_app, so the organiser area imports none of
them. A source answers with one cheap query and only what the user may act on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from flask import Flask, current_app

if TYPE_CHECKING:
    from campaign_app.accounts.models import User

_SOURCES = "campaign_waiting_sources"


@dataclass(frozen=True)
class WaitingItem:
    """One thing to do: what it is (in the reader's language), where to do it, since when."""

    label: str
    url: str
    since: datetime | None = None


WaitingSource = Callable[["User"], list[WaitingItem]]


def register_waiting_source(app: Flask, source: WaitingSource) -> None:
    app.extensions.setdefault(_SOURCES, []).append(source)


def waiting_for(user: User) -> list[WaitingItem]:
    """Everything waiting for ``user``, the oldest first."""
    sources: list[WaitingSource] = current_app.extensions.get(_SOURCES, [])
    items = [item for source in sources for item in source(user)]
    return sorted(items, key=lambda item: (item.since is None, item.since or datetime.min))
