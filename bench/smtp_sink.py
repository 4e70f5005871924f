"""A local SMTP sink for the mail bench: accepts everything, appends each recipient (and the
confirmation link's path, if the message has one) to a file.

    python -m bench.smtp_sink PORT RECIPIENTS_FILE

aiosmtpd on 127.0.0.1, the same server for the plain smtplib loop and for the dispatcher, so
both meet the same ceiling. The file lets the bench count deliveries (and duplicates).
"""

from __future__ import annotations

import contextlib
import re
import signal
import sys
import threading
from typing import Any

from aiosmtpd.controller import Controller

LINK = re.compile(rb"https?://[^/\s]+(/petitions/[^/\s]+/confirm/[A-Za-z0-9_.\-]+)")


class RecordingSink:
    def __init__(self, path: str) -> None:
        self.file = open(path, "a", encoding="utf-8", buffering=1)  # noqa: SIM115 - lives as long as the server

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        link = LINK.search(envelope.content)
        path = link.group(1).decode() if link else "-"
        for recipient in envelope.rcpt_tos:
            self.file.write(f"{recipient} {path}\n")
        return "250 OK"


def main() -> None:
    port, path = int(sys.argv[1]), sys.argv[2]
    controller = Controller(RecordingSink(path), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with contextlib.suppress(KeyboardInterrupt):
        stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
