"""Outgoing e-mail: building messages and handing them to a transport (outbox or SMTP).

Two ways in:

* :func:`send` delivers one message over a connection of its own (password resets, erasure
  links: a few an hour, sent by queue jobs);
* :func:`open_transport` gives a transport that stays open for many messages, and
  :class:`MessageTemplate` a message rendered once and filled in per recipient: the mail
  dispatcher (campaign_app.outbox) sends thousands of confirmation e-mails a minute with them.
"""

from __future__ import annotations

import logging
import os
import smtplib
import ssl
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import SMTP, SMTPUTF8
from email.utils import formatdate, make_msgid, parseaddr
from types import TracebackType
from typing import Any

from flask import current_app
from markupsafe import escape

log = logging.getLogger(__name__)


class MailDeliveryError(Exception):
    """The transport could not deliver now; try again later."""


class MailRefused(MailDeliveryError):
    """The server refused the message for good (a 5xx answer): retrying cannot help."""


def deliverable_address(address: str) -> str:
    """``address`` with an international domain in its ASCII (IDNA) form, for the envelope
    and the To header; the part before the @ stays as it is (it needs SMTPUTF8 if not ASCII).
    An ASCII address, as signing stored it, is already in that form."""
    if address.isascii():
        return address
    from email_validator import EmailNotValidError, validate_email  # loaded on first use

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
    message["Message-ID"] = make_msgid(domain=_sender_domain(current_app.config))
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    return message


def _sender_domain(config: Mapping[str, Any]) -> str:
    sender = str(config["MAIL_SENDER"])
    return sender.rsplit("@", 1)[-1].strip("> ") or "localhost"


def send(message: EmailMessage) -> None:
    """Deliver ``message`` through the configured transport (call from queue jobs only)."""
    with open_transport() as transport:
        transport.send(str(message["To"]), message.as_bytes(policy=SMTPUTF8))


# Transports ---------------------------------------------------------------------------


class Transport:
    """Where messages go; open for as many messages as the caller has, then closed."""

    #: The far end takes 8-bit bodies (SMTP 8BITMIME); else messages must be 7-bit.
    eight_bit = True

    def send(self, recipient: str, data: bytes) -> None:
        """Deliver one serialised message (CRLF lines) to ``recipient``."""
        raise NotImplementedError

    def close(self) -> None:
        """Release the connection, if any."""

    def __enter__(self) -> Transport:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: object, trace: TracebackType | None
    ) -> None:
        self.close()


def open_transport() -> Transport:
    """The configured transport: SMTP (one connection, reused) or the outbox folder."""
    config = current_app.config
    kind = config["MAIL_TRANSPORT"]
    if kind == "outbox":
        return FolderTransport(os.path.join(current_app.instance_path, "outbox"))
    if kind == "smtp":
        return SmtpTransport(config)
    raise RuntimeError(f"Unknown CAMPAIGN_MAIL_TRANSPORT {kind!r} (outbox or smtp).")


class FolderTransport(Transport):
    """Writes each message as an .eml file (local set-ups without a mail server)."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        os.makedirs(folder, exist_ok=True)

    def send(self, recipient: str, data: bytes) -> None:
        name = f"{datetime.now(UTC):%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:8]}.eml"
        with open(os.path.join(self.folder, name), "wb") as handle:
            handle.write(data.replace(b"\r\n", b"\n"))
        log.info("Mail written to outbox file %s", name)


class SmtpTransport(Transport):
    """One SMTP connection, opened on first use and reused; reopened once if it dropped.

    Failures are classified for the caller: :class:`MailRefused` for a permanent refusal
    (5xx) of this message, :class:`MailDeliveryError` for anything worth retrying later.
    """

    def __init__(self, config: Mapping[str, Any]) -> None:
        self.config = config
        self.where = f"{config['MAIL_SMTP_HOST']}:{int(config['MAIL_SMTP_PORT'])}"
        self.sender = parseaddr(str(config["MAIL_SENDER"]))[1]
        self._smtp: smtplib.SMTP | None = None
        self.eight_bit = True

    def _connect(self) -> smtplib.SMTP:
        config = self.config
        host, port = config["MAIL_SMTP_HOST"], int(config["MAIL_SMTP_PORT"])
        timeout = config["MAIL_SMTP_TIMEOUT"]
        smtp: smtplib.SMTP
        if config["MAIL_SMTP_TLS"] == "ssl":
            context = ssl.create_default_context()
            smtp = smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
        else:
            smtp = smtplib.SMTP(host, port, timeout=timeout)
        try:
            smtp.ehlo()
            if config["MAIL_SMTP_TLS"] == "starttls":
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            if config["MAIL_SMTP_USER"]:
                smtp.login(config["MAIL_SMTP_USER"], config["MAIL_SMTP_PASSWORD"])
        except BaseException:
            smtp.close()
            raise
        self.eight_bit = smtp.has_extn("8bitmime")
        return smtp

    def send(self, recipient: str, data: bytes) -> None:
        utf8 = not recipient.isascii()
        if utf8 and not self.config["MAIL_SMTPUTF8"]:
            raise MailRefused("the address needs SMTPUTF8, which is switched off")
        options = ["SMTPUTF8"] if utf8 else []
        if self.eight_bit and not data.isascii():
            options.append("BODY=8BITMIME")
        try:
            try:
                self._sendmail(recipient, data, options)
            except (smtplib.SMTPServerDisconnected, ConnectionError):
                # The server hung up between messages (idle timeout, message limit): once more.
                self.close()
                self._sendmail(recipient, data, options)
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _ in error.recipients.values()]
            kind = MailRefused if codes and min(codes) >= 500 else MailDeliveryError
            raise kind(f"SMTP server {self.where} refused the recipient ({codes})") from None
        except (
            smtplib.SMTPDataError,
            smtplib.SMTPSenderRefused,
            smtplib.SMTPNotSupportedError,
        ) as error:
            code = getattr(error, "smtp_code", 500)
            kind = MailRefused if code >= 500 else MailDeliveryError
            raise kind(f"SMTP server {self.where} refused the message ({code})") from None
        except (OSError, smtplib.SMTPException) as error:
            self.close()
            # No recipient in the log: only the kind of failure.
            raise MailDeliveryError(
                f"SMTP delivery to {self.where} failed: {type(error).__name__}"
            ) from None

    def _sendmail(self, recipient: str, data: bytes, options: list[str]) -> None:
        if self._smtp is None:
            self._smtp = self._connect()
        self._smtp.sendmail(self.sender, [recipient], data, mail_options=options)

    def close(self) -> None:
        if self._smtp is not None:
            smtp, self._smtp = self._smtp, None
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()


# Messages rendered once, filled in per recipient ---------------------------------------


class MessageTemplate:
    """A text + HTML message for many recipients, rendered once with markers in the places
    that differ per recipient (name, link); :meth:`fill` puts the values in.

    The parts are sent 8-bit (UTF-8 as it is), so filling in is a string replacement, not a
    re-encoding; a server without 8BITMIME, or a line too long for 8-bit, gets the same
    message built the slow way by :func:`build_message` (base64).
    """

    MAX_LINE = 900  # bytes; SMTP allows 998 in an 8-bit part

    def __init__(self, config: Mapping[str, Any], subject: str, text: str, html: str) -> None:
        self.config = config
        self.subject = subject
        self.text = text
        self.html = html
        self.domain = _sender_domain(config)
        boundary = f"=_{uuid.uuid4().hex}"
        # Headers encoded by the email package once (RFC 2047 words for a Cyrillic subject).
        headers = EmailMessage(policy=SMTP)
        headers["From"] = str(config["MAIL_SENDER"])
        headers["Subject"] = subject
        headers["Auto-Submitted"] = "auto-generated"
        headers["MIME-Version"] = "1.0"
        headers["Content-Type"] = f'multipart/alternative; boundary="{boundary}"'
        head = headers.as_bytes().decode("ascii").split("\r\n\r\n", 1)[0] + "\r\n"
        self.head = head
        self.body = (
            f"\r\n--{boundary}\r\n"
            'Content-Type: text/plain; charset="utf-8"\r\n'
            "Content-Transfer-Encoding: 8bit\r\n\r\n"
            f"{_crlf(text)}\r\n--{boundary}\r\n"
            'Content-Type: text/html; charset="utf-8"\r\n'
            "Content-Transfer-Encoding: 8bit\r\n\r\n"
            f"{_crlf(html)}\r\n--{boundary}--\r\n"
        )
        self.html_start = self.body.index('Content-Type: text/html; charset="utf-8"')
        longest = max(len(line.encode()) for line in self.body.split("\r\n"))
        self.eight_bit = longest <= self.MAX_LINE

    def fill(
        self,
        to: str,
        values: Mapping[str, str],
        *,
        eight_bit: bool = True,
        headers: Mapping[str, str] | None = None,
    ) -> bytes:
        """The whole message for ``to`` with each marker replaced by its value, plus this
        recipient's own ``headers`` (ASCII values, such as a List-Unsubscribe link)."""
        if not (eight_bit and self.eight_bit):
            text, html = self.text, self.html
            for marker, value in values.items():
                text = text.replace(marker, value)
                html = html.replace(marker, str(escape(value)))
            message = build_message(to, self.subject, text, html)
            for name, value in (headers or {}).items():
                message[name] = value
            return message.as_bytes(policy=SMTPUTF8 if eight_bit else _SEVEN_BIT)
        text_part, html_part = self.body[: self.html_start], self.body[self.html_start :]
        for marker, value in values.items():
            text_part = text_part.replace(marker, value)
            html_part = html_part.replace(marker, str(escape(value)))
        head_lines = (
            f"To: {to}\r\nDate: {formatdate(localtime=False)}\r\n"
            f"Message-ID: {make_msgid(domain=self.domain)}\r\n"
        )
        for name, value in (headers or {}).items():
            head_lines += f"{name}: {value}\r\n"
        return (head_lines + self.head + text_part + html_part).encode()


# Bodies re-encoded as base64 or quoted-printable, for a server without 8BITMIME.
_SEVEN_BIT = SMTPUTF8.clone(cte_type="7bit")


def _crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")
