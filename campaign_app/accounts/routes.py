"""Sign-in, sign-out, password reset, and the organiser's own settings (password, TOTP).

The admin's pages for other accounts are ``accounts.users.routes``.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlsplit

from flask import (
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user as signed_in
from flask_login import login_user, logout_user
from markupsafe import Markup

from campaign_app.accounts import SIGN_IN_KEY, bp, forms, service, sign_ins
from campaign_app.accounts.access import current_user, organiser_required
from campaign_app.accounts.models import User
from campaign_app.accounts.passwords import WeakPassword
from campaign_app.extensions import limiter
from campaign_app.ratelimits import config_limit
from campaign_app.security import form_keeps_entries


def _login_failed() -> str:
    """One answer for every failed sign-in: nobody learns which part was wrong."""
    return str(
        _(
            "The e-mail address, password or code is wrong,"
            " or the account is locked for a while after too many tries."
        )
    )


_PENDING_SECONDS = 300


_login_limit = config_limit("LOGIN_RATE_LIMIT_PER_IP")


@bp.before_app_request
def _end_stale_session() -> None:
    """Sign out after ORGANISER_IDLE_MINUTES without a request, or ORGANISER_SESSION_HOURS."""
    if "_user_id" not in session:
        return
    now = time.time()
    idle = int(current_app.config["ORGANISER_IDLE_MINUTES"]) * 60
    longest = int(current_app.config["ORGANISER_SESSION_HOURS"]) * 3600
    seen = float(session.get("seen_at", 0))
    started = float(session.get("signed_in_at", 0))
    if now - seen > idle or now - started > longest:
        logout_user()
        _clear_session()
        flash(_("You were signed out after a time without activity. Please sign in again."), "info")
        return
    if now - seen > 30:  # refresh at most twice a minute: fewer cookie rewrites
        session["seen_at"] = now


def _safe_next(target: str | None) -> str:
    """Only a path on this site, never another host (open redirect)."""
    return target if target and is_local_path(target) else url_for("organisers.dashboard")


def is_local_path(target: str) -> bool:
    """A relative path of this site: one leading slash, no host, no scheme, and nothing a
    browser would drop or turn into a slash (backslashes, whitespace, control characters)."""
    if not target.startswith("/") or target.startswith("//"):
        return False
    if any(char == "\\" or char.isspace() or not char.isprintable() for char in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def _clear_session() -> None:
    """Forget everything in the session, including this request's cached CSRF token."""
    session.clear()
    g.pop("csrf_token", None)


def _start_session(user: User) -> None:
    next_page = session.get("next_page")
    sign_ins.end(session.get(SIGN_IN_KEY))
    _clear_session()  # new session contents on sign-in (no fixation)
    session[SIGN_IN_KEY] = sign_ins.start(user)
    login_user(user)
    session.permanent = True
    session["signed_in_at"] = session["seen_at"] = time.time()
    if next_page:
        session["next_page"] = next_page


@bp.route("/account/login", methods=["GET", "POST"])
@form_keeps_entries
@limiter.limit(_login_limit, methods=["POST"])
def login() -> ResponseReturnValue:
    if signed_in.is_authenticated:
        return redirect(url_for("organisers.dashboard"))
    form = forms.LoginForm()
    if request.method == "GET" and request.args.get("next"):
        session["next_page"] = _safe_next(request.args.get("next"))
    if not form.validate_on_submit():
        return render_template("accounts/login.html", form=form), 400 if form.errors else 200
    try:
        step = service.check_password(form.email.data, form.password.data)
    except service.LoginFailed:
        form.password.errors = [_login_failed()]
        return render_template("accounts/login.html", form=form), 400
    if step.needs_code:
        session["pending_login"] = {"user": step.user.id, "at": time.time()}
        return redirect(url_for(".login_code"))
    _start_session(step.user)
    return redirect(_safe_next(session.pop("next_page", None)))


@bp.route("/account/login/code", methods=["GET", "POST"])
@form_keeps_entries
@limiter.limit(_login_limit, methods=["POST"])
def login_code() -> ResponseReturnValue:
    pending: dict[str, Any] | None = session.get("pending_login")
    if not pending or time.time() - float(pending.get("at", 0)) > _PENDING_SECONDS:
        session.pop("pending_login", None)
        flash(_("Please sign in again."), "info")
        return redirect(url_for(".login"))
    form = forms.CodeForm()
    if not form.validate_on_submit():
        return render_template("accounts/code.html", form=form), 400 if form.errors else 200
    try:
        user = service.check_code(int(pending["user"]), form.code.data)
    except service.LoginFailed:
        form.code.errors = [_login_failed()]
        return render_template("accounts/code.html", form=form), 400
    _start_session(user)
    return redirect(_safe_next(session.pop("next_page", None)))


@bp.post("/account/logout")
def logout() -> ResponseReturnValue:
    sign_ins.end(session.get(SIGN_IN_KEY))
    logout_user()
    _clear_session()
    flash(_("You are signed out."), "info")
    return redirect(url_for(".login"))


@bp.route("/account/reset", methods=["GET", "POST"])
@form_keeps_entries
@limiter.limit(_login_limit, methods=["POST"])
def reset_request() -> ResponseReturnValue:
    form = forms.ResetRequestForm()
    if not form.validate_on_submit():
        return render_template("accounts/reset_request.html", form=form), (
            400 if form.errors else 200
        )
    service.request_password_reset(form.email.data, str(get_locale()))
    # The same answer whether or not the account exists.
    return render_template("accounts/reset_sent.html")


@bp.route("/account/reset/<token>", methods=["GET", "POST"])
@form_keeps_entries
@limiter.limit(_login_limit, methods=["POST"])
def reset_password(token: str) -> ResponseReturnValue:
    try:
        user = service.user_for_reset_token(token)
    except service.InvalidResetLink:
        return render_template("accounts/reset_invalid.html"), 400
    form = forms.NewPasswordForm()
    if form.validate_on_submit():
        try:
            service.set_password(user, form.password.data, via="web")
        except WeakPassword as error:
            form.password.errors = [str(error)]
        else:
            flash(_("Your password is changed. Please sign in with it."), "success")
            return redirect(url_for(".login"))
    return render_template("accounts/reset_password.html", form=form), (400 if form.errors else 200)


@bp.get("/account/")
@organiser_required
def settings() -> ResponseReturnValue:
    return render_template(
        "accounts/settings.html",
        password_form=forms.ChangePasswordForm(),
        check_form=forms.PasswordCheckForm(),
    )


@bp.post("/account/password")
@form_keeps_entries
@organiser_required
def change_password() -> ResponseReturnValue:
    user = current_user()
    form = forms.ChangePasswordForm()
    if form.validate_on_submit():
        try:
            service.change_password(user, form.current.data, form.password.data)
        except service.LoginFailed:
            form.current.errors = [_("The current password is wrong.")]
        except WeakPassword as error:
            form.password.errors = [str(error)]
        else:
            _start_session(user)  # the other sessions ended; this one goes on
            flash(_("Your password is changed. Your other sessions are signed out."), "success")
            return redirect(url_for(".settings"))
    return render_template(
        "accounts/settings.html", password_form=form, check_form=forms.PasswordCheckForm()
    ), 400


@bp.post("/account/sign-out-everywhere")
@organiser_required
def sign_out_everywhere() -> ResponseReturnValue:
    service.sign_out_everywhere(current_user())
    logout_user()
    _clear_session()
    flash(_("All your sessions are signed out, this one too."), "info")
    return redirect(url_for(".login"))


def _qr_svg(uri: str) -> Markup:
    import segno  # only for the TOTP set-up page, not at start

    svg = segno.make(uri, error="m").svg_inline(scale=4, dark="#000", light="#fff")
    return Markup(svg)  # noqa: S704 - generated by segno from our own URI


@bp.route("/account/totp", methods=["GET", "POST"])
@form_keeps_entries
@organiser_required
def enable_totp() -> ResponseReturnValue:
    user = current_user()
    if user.has_totp:
        return redirect(url_for(".settings"))
    secret = sign_ins.pending_totp_secret(session.get(SIGN_IN_KEY))
    form = forms.EnableTotpForm()
    if form.validate_on_submit():
        try:
            service.enable_totp(user, secret, form.code.data)
        except service.LoginFailed:
            form.code.errors = [
                "That code does not match. Check the time on your phone and try the next code."
            ]
        else:
            sign_ins.forget_pending_totp(session.get(SIGN_IN_KEY))
            flash(
                "Two-step sign-in is on. You will be asked for a code at each sign-in.", "success"
            )
            return redirect(url_for(".settings"))
    uri = service.totp_uri(user, secret)
    return render_template(
        "accounts/totp.html", form=form, secret=secret, qr=_qr_svg(uri)
    ), 400 if form.errors else 200


@bp.post("/account/totp/disable")
@organiser_required
def disable_totp() -> ResponseReturnValue:
    user = current_user()
    form = forms.PasswordCheckForm()
    if form.validate_on_submit():
        try:
            service.change_password_check(user, form.current.data)
        except service.LoginFailed:
            form.current.errors = [_("The current password is wrong.")]
        else:
            service.disable_totp(user)
            flash(_("Two-step sign-in is off."), "info")
            return redirect(url_for(".settings"))
    return render_template(
        "accounts/settings.html", password_form=forms.ChangePasswordForm(), check_form=form
    ), 400
