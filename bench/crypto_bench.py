"""What encrypting signer data costs, in CPU time per operation, in this process.

    .venv/bin/python -m bench.crypto_bench [--values 200000] [--rounds 5] [--no-write]

Times campaign_app.crypto's Keyring (the code the app runs: AES-256-GCM with padding and the
key-id header, HMAC-SHA-256 blind indexes) on realistic values: Latin and Cyrillic names,
e-mail addresses, an empty or short city. CPU time (time.process_time), best of ``--rounds``
rounds (other programs can only slow a round down), divided by the values. From those, the
work added to one signature (encrypting first name, last name, e-mail and city; hashing the
address and its domain) and to one row of a delivery export (decrypting first name, last
name and city), and for comparison the same with Fernet, the other format considered.
Replaces the "crypto-bench" section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Sequence

from cryptography.fernet import Fernet, MultiFernet

from bench.common import RESULTS, replace_section, section
from campaign_app.crypto import Keyring

METHOD = (
    "`.venv/bin/python -m bench.crypto_bench` (bench/crypto_bench.py; its docstring has the "
    "method): CPU time per operation of campaign_app.crypto in one process, best of the "
    "rounds; what one signature and one export row add."
)
FIRST = ["Anna", "Aliaksandra", "Алесь", "Святлана", "Jan", "Marie-Claire"]
LAST = ["Bialiatskaya", "Шарко", "de Vries", "Kavalenka-Pietrasheuskaja", "Li"]


def best(rounds: int, work: Callable[[], object], count: int) -> float:
    """Microseconds of CPU per item: the best of ``rounds`` runs of ``work`` over ``count``."""
    times = []
    for _ in range(rounds):
        started = time.process_time()
        work()
        times.append(time.process_time() - started)
    return min(times) / count * 1e6


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--values", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    n, rounds = args.values, args.rounds
    ring = Keyring([os.urandom(32), os.urandom(32)], os.urandom(32))
    names = [f"{FIRST[i % len(FIRST)]}{i % 97}" for i in range(n)]
    emails = [f"{LAST[i % len(LAST)].lower()}.{i}@example.org" for i in range(n)]
    purpose = b"signature.first_name"
    sealed = [ring.encrypt(name, purpose) for name in names]
    fernet = MultiFernet([Fernet(Fernet.generate_key()), Fernet(Fernet.generate_key())])
    fernet_sealed = [fernet.encrypt(name.encode()) for name in names]

    encrypt = best(rounds, lambda: [ring.encrypt(name, purpose) for name in names], n)
    decrypt = best(rounds, lambda: [ring.decrypt(value, purpose) for value in sealed], n)
    index = best(rounds, lambda: [ring.blind_index(email, "e") for email in emails], n)
    fernet_encrypt = best(rounds, lambda: [fernet.encrypt(name.encode()) for name in names], n)
    fernet_decrypt = best(rounds, lambda: [fernet.decrypt(value) for value in fernet_sealed], n)
    per_signature = 4 * encrypt + 2 * index
    per_row = 3 * decrypt
    rows = [
        "| operation | AES-256-GCM (campaign_app.crypto) | Fernet (for comparison) |",
        "|---|---:|---:|",
        f"| encrypt one value | {encrypt:.2f} µs | {fernet_encrypt:.2f} µs |",
        f"| decrypt one value | {decrypt:.2f} µs | {fernet_decrypt:.2f} µs |",
        f"| blind index (HMAC-SHA-256) of one address | {index:.2f} µs | |",
        f"| stored size of a short name | {len(sealed[0])} bytes | {len(fernet_sealed[0])} bytes |",
        f"| **one signature**: 4 encryptions + 2 blind indexes | **{per_signature:.1f} µs** | "
        f"{4 * fernet_encrypt + 2 * index:.1f} µs |",
        f"| **one export row**: 3 decryptions (names, city) | **{per_row:.1f} µs** | "
        f"{3 * fernet_decrypt:.1f} µs |",
        f"| 1,000,000 export rows | {per_row:.1f} s | {3 * fernet_decrypt:.1f} s |",
        "",
        f"{n:,} values, best of {rounds} rounds. Load average (1, 5, 15 min) at the end: "
        + ", ".join(f"{value:.1f}" for value in os.getloadavg())
        + ".",
    ]
    print("\n".join(rows))
    if not args.no_write:
        text = section("crypto-bench", "Signer data encryption (CPU per operation)", METHOD, rows)
        replace_section(RESULTS, "crypto-bench", text)
        print(f"wrote the crypto-bench section of {RESULTS}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
