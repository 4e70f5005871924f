"""Every word of a signature sheet in one language: the petition's, or one chosen for it."""

from __future__ import annotations

from flask import current_app, url_for
from flask_babel import force_locale, get_translations

from campaign_app.markdown import markdown_paragraphs
from campaign_app.paper.sheet import SheetTexts
from campaign_app.petitions.models import Petition
from campaign_app.petitions.texts import petition_text


def sheet_languages(petition: Petition) -> list[str]:
    """The languages a sheet can be printed in: the petition's and its translations'."""
    return [petition.language] + [
        t.locale for t in petition.translations if t.locale != petition.language
    ]


def sheet_texts(petition: Petition, language: str) -> SheetTexts:
    """The words of ``petition``'s signature sheet in ``language``."""
    with force_locale(language):
        catalogue = get_translations()

    def _(message: str, **values: object) -> str:
        text: str = catalogue.ugettext(message)
        return text % values if values else text

    text = petition_text(petition, language)
    base = str(current_app.config["BASE_URL"]).rstrip("/")
    address = base + url_for("petitions.show", slug=petition.slug)
    organisation = str(current_app.config.get("ORGANISATION_NAME") or "").strip()
    privacy = _(
        "Your name, city and country are handed in with this petition to its addressee and"
        " kept by the organisers until the campaign ends, then deleted. They are never shown"
        " on the website, never published and never passed to anyone else; the website shows"
        " only how many people signed. Signing is voluntary. To have your signature removed,"
        " contact the organisers."
    )
    if organisation:
        privacy += " " + _("Organisers: %(organisation)s.", organisation=organisation)
    return SheetTexts(
        title=text.title,
        target=_("Addressed to: %(target)s", target=text.target),
        summary=text.summary,
        body=markdown_paragraphs(text.body),
        more=_("Full text: %(address)s", address=address),
        columns=(_("No."), _("Name"), _("City"), _("Country"), _("Signature")),
        privacy_heading=_("Privacy"),
        privacy=privacy,
        serial_label=_("Sheet"),
        serial_prefix=f"{petition.slug}-",
    )
