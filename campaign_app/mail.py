"""Outgoing e-mail: building messages and handing them to a transport (outbox or SMTP)."""

from __future__ import annotations

import logging
import os
import smtplib
import ssl
import uuid
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import SMTPUTF8
from email.utils import formatdate, make_msgid

from email_validator import EmailNotValidError, validate_email
from flask import current_app

log = logging.getLogger(__name__)


class MailDeliveryError(Exception):
    """The transport could not deliver; the queue retries the job."""


class MailRefused(MailDeliveryError):
    """The server refused the message for good (a 5xx answer): retrying cannot help."""


def deliverable_address(address: str) -> str:
    """``address`` with an international domain in its ASCII (IDNA) form, for the envelope
    and the To header; the part before the @ stays as it is (it needs SMTPUTF8 if not ASCII)."""
    try:
        info = validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        return address  # the forms refuse such addresses; let the server answer for old rows
    return f"{info.local_part}@{info.ascii_domain}"


def build_message(to: str, subject: str, text: str, html: str | None = None) -> EmailMessage:
    """A plain-text (plus optional HTML) UTF-8 message from the configured sender."""
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_SENDER"]
    message["To"] = deliverable_address(to)
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
        # utf8=True writes a non-ASCII address as it is, as an SMTPUTF8 server would get it.
        handle.write(message.as_bytes(policy=SMTPUTF8))
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
            if not str(message["To"]).isascii() and not config["MAIL_SMTPUTF8"]:
                raise MailRefused("the address needs SMTPUTF8, which is switched off")
            # smtplib asks for SMTPUTF8 itself when an address is not ASCII.
            smtp.send_message(message)
    except MailRefused:
        raise
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _ in error.recipients.values()]
        kind = MailRefused if codes and min(codes) >= 500 else MailDeliveryError
        raise kind(f"SMTP server {host}:{port} refused the recipient ({codes})") from None
    except (smtplib.SMTPDataError, smtplib.SMTPNotSupportedError) as error:
        code = getattr(error, "smtp_code", 500)
        kind = MailRefused if code >= 500 else MailDeliveryError
        raise kind(f"SMTP server {host}:{port} refused the message ({code})") from None
    except (OSError, smtplib.SMTPException) as error:
        # No recipient in the log: only the kind of failure.
        raise MailDeliveryError(
            f"SMTP delivery to {host}:{port} failed: {type(error).__name__}"
        ) from None
