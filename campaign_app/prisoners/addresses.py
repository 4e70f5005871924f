"""The address a prisoner had on a given day: from the transfers and the institution's
address history, or from the hand-typed addresses (what a card printed that day carried)."""

from __future__ import annotations

from datetime import date

from campaign_app.institutions.models import split_lines, with_unit
from campaign_app.prisoners.models import AddressLanguage, Prisoner


def address_on(
    prisoner: Prisoner, day: date, language: AddressLanguage = AddressLanguage.RUSSIAN
) -> list[str]:
    """The printed lines (without addressee and country) valid on ``day``; [] if none known.

    The newest fact on or before ``day`` wins: a transfer (with the institution's address
    version valid that day) or a hand-typed address.
    """
    transfer = next((t for t in prisoner.transfers if t.transferred_on <= day), None)
    typed = next((a for a in prisoner.addresses if a.as_of <= day), None)
    if transfer is not None and (typed is None or transfer.transferred_on >= typed.as_of):
        versions = transfer.to_institution.addresses
        version = next((v for v in versions if v.as_of <= day), versions[-1] if versions else None)
        if version is None:
            return []
        unit = transfer.unit_be if language is AddressLanguage.BELARUSIAN else transfer.unit_ru
        return with_unit(version.lines(language.value), unit)
    if typed is not None:
        return typed.lines(language)
    return []


__all__ = ["address_on", "split_lines"]
