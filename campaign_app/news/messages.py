"""An update's e-mail in one language, rendered once and filled in per recipient.

The dispatcher (news.outbox) and the organiser's test (news.jobs) use the same templates, so
the test shows exactly what signers will get.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import uuid4

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from campaign_app import mail
from campaign_app.markdown import render_markdown
from campaign_app.news.models import NewsUpdate
from campaign_app.petitions.models import Petition
from campaign_app.petitions.texts import petition_text

# What differs per recipient: put in by MessageTemplate.fill (random, so no text typed by an
# organiser can hold one).
NAME = f"@@news-name-{uuid4().hex}@@"
UNSUBSCRIBE = f"@@news-unsubscribe-{uuid4().hex}@@"


@dataclass(frozen=True)
class RenderedUpdate:
    locale: str  # the language the e-mail is in
    subject: str
    text: str
    html: str

    def template(self) -> mail.MessageTemplate:
        return mail.MessageTemplate(current_app.config, self.subject, self.text, self.html)


def one_click_headers(unsubscribe_url: str) -> dict[str, str]:
    """RFC 8058: mail programs offer "unsubscribe", and POST to the link without a page."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def render_update(
    update: NewsUpdate, petition: Petition, locale: str, *, test: bool = False
) -> RenderedUpdate:
    """The e-mail for readers of ``locale``: its texts in that language, or in the
    petition's own when the update has none in it (the whole e-mail is then in that one)."""
    text = update.text_in(locale, petition.language)
    if text is None:  # the form requires the petition's own language
        raise LookupError(f"news update {update.id} has no text in {petition.language}")
    base = str(current_app.config["BASE_URL"]).rstrip("/")
    with current_app.test_request_context(base_url=base), force_locale(text.locale):
        subject = (
            text.neutral_subject
            if update.is_subject_neutral and text.neutral_subject
            else text.subject
        )
        if test:
            subject = _("[Test] %(subject)s", subject=subject)
        context = {
            "name": NAME,
            "unsubscribe_url": UNSUBSCRIBE,
            "is_subject_neutral": update.is_subject_neutral,
            "petition_title": petition_text(petition, text.locale).title,
            "subject": text.subject,
            "body": text.body,
            "body_html": render_markdown(text.body),
            "update_url": f"{base}/petitions/{petition.slug}/news/{update.id}",
            "is_test": test,
        }
        plain = render_template("emails/news_update.txt", **context)
        html = render_template("emails/news_update.html", **context)
    return RenderedUpdate(text.locale, subject, plain, html)
