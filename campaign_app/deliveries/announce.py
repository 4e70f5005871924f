"""A published hand-in told as the first draft of a news update, in each signer's language."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import force_locale, format_date, format_decimal
from flask_babel import gettext as _

from campaign_app.deliveries.models import Delivery, DeliveryOutcome


@dataclass(frozen=True)
class Announcement:
    subject: str
    body: str  # Markdown
    neutral_subject: str = ""  # the form offers its own


def _outcome_sentence(outcome: DeliveryOutcome) -> str:
    if outcome is DeliveryOutcome.RECEIVED:
        return str(_("They were received."))
    if outcome is DeliveryOutcome.REFUSED:
        return str(_("They refused to receive them."))
    if outcome is DeliveryOutcome.LEFT_IN_MAILBOX:
        return str(_("Nobody would receive them, so we left them in the mailbox."))
    return str(_("We sent them by post."))


def announcement(delivery: Delivery, petition_url: str, locale: str) -> Announcement:
    """The hand-in as an update's subject and Markdown text in ``locale``, for the organiser
    to edit before it is approved (nothing is sent from here). The place and the recipient
    are the hand-in's in ``locale`` where the organisers translated them."""
    place = delivery.translated("place", locale)
    recipient = delivery.translated("recipient", locale)
    with force_locale(locale):
        online = delivery.signatures_online
        paper = delivery.signatures_on_paper
        counts = {
            "total": format_decimal(online + paper),
            "online": format_decimal(online),
            "paper": format_decimal(paper),
        }
        day = format_date(delivery.delivered_on, "long")
        if paper:
            handed = _(
                "On %(day)s we handed in %(total)s signatures (%(online)s online and "
                "%(paper)s on paper) at %(place)s.",
                day=day,
                place=place,
                **counts,
            )
        else:
            handed = _(
                "On %(day)s we handed in %(total)s signatures at %(place)s.",
                day=day,
                place=place,
                total=counts["total"],
            )
        lines = [handed]
        if recipient:
            lines.append(_("They were addressed to %(recipient)s.", recipient=recipient))
        lines.append(_outcome_sentence(delivery.outcome))
        body = " ".join(lines)
        # <…>: a Markdown autolink, so that the page and the HTML e-mail show a link.
        body += "\n\n" + _("Photos and the whole story: %(url)s", url=f"<{petition_url}>")
        body += "\n\n" + _("Thank you for signing.")
        return Announcement(
            subject=_("The signatures were handed in: %(place)s", place=place),
            body=body,
        )
