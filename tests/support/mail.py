"""The real SMTP server on loopback that the tests' mail goes to, and its mailbox."""

from __future__ import annotations

import asyncio
import socket
import uuid
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any


class Mailbox:
    """Collects what the real SMTP server on loopback received."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.raw: list[bytes] = []  # as the server received them
        # The client's (host, port) of each message: one per connection it came over.
        self.peers: list[tuple[str, int]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        self.messages.append(message)  # type: ignore[arg-type]
        self.raw.append(envelope.original_content)
        self.peers.append(session.peer)
        return "250 Message accepted for delivery"

    @property
    def connections(self) -> int:
        return len(set(self.peers))

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


class SlowMailbox(Mailbox):
    """A server that takes ``delay`` seconds per message (a slow or distant mail server)."""

    def __init__(self, delay: float) -> None:
        super().__init__()
        self.delay = delay

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await asyncio.sleep(self.delay)
        return await super().handle_DATA(server, session, envelope)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (now)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def unique_email(domain: str = "example.org") -> str:
    """An address no other test uses."""
    return f"signer-{uuid.uuid4().hex[:10]}@{domain}"
