"""The form for a petition's translation."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from campaign_app.management.translation_service import TranslationInput
from campaign_app.validators import strip_filter


class TranslationForm(FlaskForm):
    title = StringField(_l("Title"), [DataRequired(), Length(max=200)], [strip_filter])
    summary = TextAreaField(_l("Summary"), [Optional(), Length(max=500)], [strip_filter])
    body = TextAreaField(_l("Text (Markdown)"), [Optional(), Length(max=20000)], [strip_filter])

    def to_input(self) -> TranslationInput:
        return TranslationInput(
            title=self.title.data, summary=self.summary.data or "", body=self.body.data or ""
        )
