"""The update form: a subject, a neutral subject and a Markdown body per petition language."""

from __future__ import annotations

from typing import Any

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, Form, FormField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from campaign_app.news.service import TextInput, UpdateInput
from campaign_app.validators import PlainText, clean_line, clean_markdown

BODY_MAX = 20_000


class LanguageTexts(Form):
    subject = StringField(
        _l("Subject"),
        filters=[clean_line],
        validators=[Optional(), Length(max=150), PlainText()],
    )
    neutral_subject = StringField(
        _l("Neutral subject"),
        filters=[clean_line],
        validators=[Optional(), Length(max=150), PlainText()],
    )
    body = TextAreaField(
        _l("Text"),
        filters=[clean_markdown],
        validators=[Optional(), Length(max=BODY_MAX), PlainText(single_line=False)],
        render_kw={"rows": 10},
    )


def default_neutral_subject(locale: str) -> str:
    """The neutral subject offered in ``locale``: it does not name the cause."""
    with force_locale(locale):
        return str(_l("News from the campaign you supported"))


class UpdateForm(FlaskForm):
    """Built per petition by :func:`make_update_form` (its languages are fields)."""

    is_subject_neutral = BooleanField(
        _l(
            "Use the neutral subject: it does not name the cause, for signers whose mail may "
            "be read by others"
        )
    )
    languages: list[str]
    texts: Any

    def validate(self, extra_validators: Any = None) -> bool:
        valid = bool(super().validate(extra_validators))
        for index, locale in enumerate(self.languages):
            texts = self.texts[locale]
            subject, body, neutral = texts.subject, texts.body, texts.neutral_subject
            needed = index == 0 or bool(subject.data or body.data)
            if not needed:
                continue
            if not subject.data:
                subject.errors.append(_l("Please enter a subject."))
                valid = False
            if not body.data:
                body.errors.append(_l("Please write the text."))
                valid = False
            if self.is_subject_neutral.data and not neutral.data:
                neutral.errors.append(
                    _l("Please enter a neutral subject, or untick the neutral subject box.")
                )
                valid = False
        return valid

    def to_input(self) -> UpdateInput:
        texts = {}
        for locale in self.languages:
            data = self.texts[locale]
            if data.subject.data and data.body.data:
                texts[locale] = TextInput(
                    subject=data.subject.data,
                    neutral_subject=data.neutral_subject.data or "",
                    body=data.body.data,
                )
        return UpdateInput(is_subject_neutral=bool(self.is_subject_neutral.data), texts=texts)


def make_update_form(languages: list[str], **kwargs: Any) -> UpdateForm:
    """The form for a petition written in ``languages`` (its own language first, required)."""
    texts = type(
        "UpdateTexts",
        (Form,),
        {locale: FormField(LanguageTexts, label=locale) for locale in languages},
    )
    form_class = type("PetitionUpdateForm", (UpdateForm,), {"texts": FormField(texts)})
    form: UpdateForm = form_class(**kwargs)
    form.languages = languages
    return form


def fill_from(form: UpdateForm, texts: dict[str, Any], is_subject_neutral: bool) -> None:
    """Put an update's texts (or the defaults) into a form shown for the first time."""
    form.is_subject_neutral.data = is_subject_neutral
    for locale in form.languages:
        sub = form.texts[locale]
        found = texts.get(locale)
        sub.subject.data = found.subject if found else ""
        sub.body.data = found.body if found else ""
        neutral = found.neutral_subject if found else ""
        sub.neutral_subject.data = neutral or default_neutral_subject(locale)
