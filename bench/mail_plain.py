"""The mail bench's baseline: a plain smtplib loop over one connection, in its own process.

    python -m bench.mail_plain PORT COUNT

Builds each message the obvious way (an EmailMessage with a plain-text body of the size of a
confirmation e-mail) and sends it; prints {"sent": n, "seconds": s} for the loop alone.
"""

from __future__ import annotations

import json
import smtplib
import sys
import time
from email.message import EmailMessage

BODY = (
    "Hello Ales,\n\nThank you for signing “Free Ales Bialiatski”.\n"
    "Please open this link to confirm your signature. Until then it does not count:\n\n"
    "http://127.0.0.1:5000/petitions/free-ales-bialiatski/confirm/{token}\n\n"
    "The link works for 7 days.\n"
    "If you did not sign, ignore this e-mail: nothing will be published and your details will "
    "be deleted.\n"
)


def main() -> None:
    port, count = int(sys.argv[1]), int(sys.argv[2])
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        started = time.perf_counter()
        for number in range(count):
            message = EmailMessage()
            message["From"] = "Campaign <campaign@example.org>"
            message["To"] = f"plain-{number}@example.org"
            message["Subject"] = "Please confirm your signature: Free Ales Bialiatski"
            message.set_content(BODY.format(token=f"{number:040d}"))
            smtp.send_message(message)
        seconds = time.perf_counter() - started
    print(json.dumps({"sent": count, "seconds": seconds}))


if __name__ == "__main__":
    main()
