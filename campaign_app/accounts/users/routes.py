"""The admin's pages for accounts: list, create, edit, unlock, switch off a second factor.

The views hang off the accounts blueprint, so their endpoints are ``accounts.users`` etc.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from campaign_app.accounts import bp, forms
from campaign_app.accounts.access import admin_required
from campaign_app.accounts.models import Role, User
from campaign_app.accounts.passwords import WeakPassword
from campaign_app.accounts.service import disable_totp
from campaign_app.accounts.users import service
from campaign_app.security import form_keeps_entries


@bp.get("/organise/users/")
@admin_required
def users() -> ResponseReturnValue:
    return render_template("accounts/users.html", users=service.list_users())


def _user_form(user: User | None = None) -> forms.UserForm:
    form = forms.UserForm(obj=None)
    locale = str(get_locale())
    form.campaigns.choices = [
        SelectChoice(c.id, c.translated("name", locale)) for c in service.all_campaigns()
    ]
    if user is not None and request.method == "GET":
        form.email.data = user.email
        form.name.data = user.name
        form.role.data = user.role.value
        form.is_active.data = user.is_active
        form.campaigns.data = [c.id for c in user.campaigns]
    return form


@bp.route("/organise/users/new", methods=["GET", "POST"])
@form_keeps_entries
@admin_required
def new_user() -> ResponseReturnValue:
    form = _user_form()
    if form.validate_on_submit():
        if not form.password.data:
            form.password.errors = [_("Please give a first password (the person changes it).")]
        else:
            try:
                user = service.create_user(
                    form.email.data,
                    form.password.data,
                    role=Role(form.role.data),
                    name=form.name.data or "",
                    campaign_ids=list(form.campaigns.data or []),
                )
            except service.AccountExists as error:
                form.email.errors = [str(error)]
            except WeakPassword as error:
                form.password.errors = [str(error)]
            else:
                flash(_("Account %(email)s created.", email=user.email), "success")
                return redirect(url_for(".users"))
    return render_template("accounts/user_form.html", form=form, user=None), (
        400 if form.errors else 200
    )


def _user_or_404(user_id: int) -> User:
    user = service.get_user(user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/organise/users/<int:user_id>", methods=["GET", "POST"])
@form_keeps_entries
@admin_required
def edit_user(user_id: int) -> ResponseReturnValue:
    user = _user_or_404(user_id)
    form = _user_form(user)
    if request.method == "POST":
        form.email.data = user.email  # the address is the sign-in name: not edited here
        if form.validate_on_submit():
            try:
                service.update_user(
                    user,
                    name=form.name.data or "",
                    role=Role(form.role.data),
                    is_active=bool(form.is_active.data),
                    campaign_ids=list(form.campaigns.data or []),
                )
            except service.LastActiveAdmin:
                form.role.errors = [_("This is the last active admin: make another admin first.")]
            else:
                flash(_("Account %(email)s saved.", email=user.email), "success")
                return redirect(url_for(".users"))
    return render_template("accounts/user_form.html", form=form, user=user), (
        400 if form.errors else 200
    )


@bp.post("/organise/users/<int:user_id>/unlock")
@admin_required
def unlock_user(user_id: int) -> ResponseReturnValue:
    user = _user_or_404(user_id)
    service.unlock(user)
    flash(_("Account %(email)s unlocked.", email=user.email), "success")
    return redirect(url_for(".users"))


@bp.post("/organise/users/<int:user_id>/reset-totp")
@admin_required
def reset_user_totp(user_id: int) -> ResponseReturnValue:
    user = _user_or_404(user_id)
    disable_totp(user)
    flash(
        _("Two-step sign-in of %(email)s is off; they can set it up again.", email=user.email),
        "success",
    )
    return redirect(url_for(".users"))
