"""The words for paper batches' kinds and states and for signatures' sources, translated."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

KINDS = {
    "counts": _l("counted"),
    "rows": _l("typed in row by row"),
    "import": _l("imported from a file"),
}
STATES = {"active": _l("counted"), "invalidated": _l("invalidated")}


def kind_label(kind: str) -> str:
    return str(KINDS.get(kind, kind))


def state_label(state: str) -> str:
    return str(STATES.get(state, state))
