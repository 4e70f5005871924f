"""Occasion names in the reader's language (a template helper the letters feature registers)."""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

# The usual occasion names, so that they can be shown in the reader's language; a name an
# organiser typed that is not among them is shown as typed.
OCCASION_NAMES = (
    _l("Birthday"),
    _l("New Year"),
    _l("Anniversary of the arrest"),
    _l("General support"),
)


def occasion_name(name_en: str) -> str:
    """An occasion's English name in the reader's language when it is a usual one."""
    return str(gettext(name_en)) if name_en else ""
