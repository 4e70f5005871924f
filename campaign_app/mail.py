"""Outgoing e-mail: building messages and handing them to a transport (outbox or SMTP)."""

from __future__ import annotations

import logging
import os
import smtplib
import ssl
import uuid
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app

log = logging.getLogger(__name__)


class MailDeliveryError(Exception):
    """The transport could not deliver; the queue retries the job."""


def build_message(to: str, subject: str, text: str, html: str | None = None) -> EmailMessage:
    """A plain-text (plus optional HTML) UTF-8 message from the configured sender."""
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=_sender_domain())
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    return message


def _sender_domain() -> str:
    sender = str(current_app.config["MAIL_SENDER"])
    return sender.rsplit("@", 1)[-1].strip("> ") or "localhost"


def send(message: EmailMessage) -> None:
    """Deliver ``message`` through the configured transport (call from queue jobs only)."""
    transport = current_app.config["MAIL_TRANSPORT"]
    if transport == "outbox":
        _write_to_outbox(message)
    elif transport == "smtp":
        _send_smtp(message)
    else:
        raise RuntimeError(f"Unknown CAMPAIGN_MAIL_TRANSPORT {transport!r} (outbox or smtp).")


def _write_to_outbox(message: EmailMessage) -> None:
    outbox = os.path.join(current_app.instance_path, "outbox")
    os.makedirs(outbox, exist_ok=True)
    name = f"{datetime.now(UTC):%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:8]}.eml"
    path = os.path.join(outbox, name)
    with open(path, "wb") as handle:
        handle.write(message.as_bytes())
    log.info("Mail written to outbox file %s", name)


def _send_smtp(message: EmailMessage) -> None:
    config = current_app.config
    host, port, timeout = (
        config["MAIL_SMTP_HOST"],
        int(config["MAIL_SMTP_PORT"]),
        config["MAIL_SMTP_TIMEOUT"],
    )
    tls = config["MAIL_SMTP_TLS"]
    try:
        smtp: smtplib.SMTP
        if tls == "ssl":
            smtp = smtplib.SMTP_SSL(
                host, port, timeout=timeout, context=ssl.create_default_context()
            )
        else:
            smtp = smtplib.SMTP(host, port, timeout=timeout)
        with smtp:
            if tls == "starttls":
                smtp.starttls(context=ssl.create_default_context())
            if config["MAIL_SMTP_USER"]:
                smtp.login(config["MAIL_SMTP_USER"], config["MAIL_SMTP_PASSWORD"])
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        # No recipient in the log: only the kind of failure.
        raise MailDeliveryError(
            f"SMTP delivery to {host}:{port} failed: {type(error).__name__}"
        ) from None
