"""Forms of sign-in, password reset, second factor and account administration."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from campaign_app.accounts.models import Role
from campaign_app.petitions.forms import EmailSyntax
from campaign_app.validators import strip_filter


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"), [DataRequired(), Length(max=254)], [strip_filter])
    password = PasswordField(_l("Password"), [DataRequired(), Length(max=200)])


class CodeForm(FlaskForm):
    code = StringField(
        _l("Code from your authenticator app"), [DataRequired(), Length(max=10)], [strip_filter]
    )


class ResetRequestForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"), [DataRequired(), Length(max=254), EmailSyntax()], [strip_filter]
    )


class NewPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), [DataRequired(), Length(max=200)])
    confirm = PasswordField(
        _l("New password again"),
        [DataRequired(), EqualTo("password", message=_l("The two passwords differ."))],
    )


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField(_l("Current password"), [DataRequired(), Length(max=200)])


class EnableTotpForm(FlaskForm):
    code = StringField(
        _l("Code shown by the app"), [DataRequired(), Length(max=10)], [strip_filter]
    )


class PasswordCheckForm(FlaskForm):
    current = PasswordField(_l("Current password"), [DataRequired(), Length(max=200)])


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class UserForm(FlaskForm):
    """An admin creating or editing an account (the password only when creating)."""

    email = EmailField(
        _l("E-mail address"), [DataRequired(), Length(max=254), EmailSyntax()], [strip_filter]
    )
    name = StringField(_l("Name"), [Optional(), Length(max=120)], [strip_filter])
    role = SelectField(
        _l("Role"),
        choices=[
            SelectChoice(Role.ORGANISER.value, _l("Organiser: the campaigns ticked below")),
            SelectChoice(Role.ADMIN.value, _l("Admin: everything, including accounts")),
        ],
        default=Role.ORGANISER.value,
    )
    campaigns = MultiCheckboxField(_l("Campaigns"), coerce=int, choices=[])
    is_active = BooleanField(_l("Account active"), default=True)
    password = PasswordField(_l("First password"), [Optional(), Length(max=200)])
