"""Delivery export speed and memory on a million signatures, against a plain dump, in one run.

    .venv/bin/python -m bench.export_bench [--signatures 1000000]
        [--database-url postgresql://postgres@127.0.0.1:5432/campaign_export_bench]

Builds a scratch database by the migrations (SQLite in bench/.work/, or the PostgreSQL
database named, created and dropped here) with one petition of N confirmed signatures
(bench/data.py's bulk writer), then runs, each in a fresh subprocess and one after another:
(a) the baseline, a plain dump of the same columns of the same rows to a CSV file with the
``csv`` module, through ``sqlite3`` or, on PostgreSQL, psycopg with a server-side cursor; and
(b) ``flask petitions export SLUG --format F --output FILE`` for csv, xlsx, pdf and json.
Time is the subprocess's wall time, start-up included; memory is its peak RSS (ru_maxrss from
wait4, so each process is measured alone). Prints a table and replaces this database's
"Delivery exports" section of bench/RESULTS.md (between its markers; the rest is not touched).
"""

from __future__ import annotations

import argparse
import base64
import csv
import os
import secrets
import shutil
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.common import (
    DATABASE_NAMES,
    PROJECT_ROOT,
    RESULTS,
    new_work_dir,
    replace_section,
    say,
    section,
    signer_keys,
    verdict,
)

FORMATS = ("csv", "xlsx", "pdf", "json")
RATIO_TARGET, MEMORY_TARGET_MB = 2.0, 150.0
COLUMNS = "id, first_name, last_name, city, country, display, confirmed_at"
METHOD = (
    "`.venv/bin/python -m bench.export_bench` (bench/export_bench.py; its docstring has "
    "the method). Each run is a fresh subprocess, one after another; time is its wall "
    "time with start-up (Python, and for (b) Flask and the app) included; memory is its "
    "own peak RSS. The CSV target compares (b) csv with (a); CPU time (user + sys, from "
    "wait4) is shown too because on a loaded machine wall time mostly measures waiting. "
    "Names and cities are stored encrypted, so (a) decrypts them too (AES-GCM from "
    "`cryptography`, no app code): the least any program must do to write the same list."
)


def _plain_rows(rows: Iterable[Sequence[Any]]) -> Iterator[Sequence[Any]]:
    """The rows with names and city decrypted, as little code as that takes: AES-GCM from
    ``cryptography`` on campaign_app.crypto's stored form (version, key id, nonce, ciphertext;
    padded text), without the app. Rows of anonymous signers are left as stored, as the
    export never shows their names."""
    import hashlib
    import hmac

    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    ciphers = {}
    for text in os.environ["CAMPAIGN_SIGNER_DATA_KEYS"].split(","):
        key = base64.urlsafe_b64decode(text.strip() + "=" * (-len(text.strip()) % 4))
        ident = hmac.new(key, b"campaign_app signer key id", hashlib.sha256).digest()[:4]
        ciphers[ident] = AESGCM(key)
    purposes = (b"signature.first_name", b"signature.last_name", b"signature.city")

    def plain(value: bytes | None, purpose: bytes) -> str:
        if value is None:
            return ""
        opened = ciphers[value[1:5]].decrypt(value[5:17], value[17:], value[:5] + purpose)
        return opened[: opened.rindex(b"\x80")].decode()

    for row in rows:
        if row[5] == "anonymous":
            yield row
            continue
        names = [plain(value, purpose) for value, purpose in zip(row[1:4], purposes, strict=True)]
        yield (row[0], *names, *row[4:])


def baseline(database_url: str, petition_id: int, output: Path) -> int:
    """The plain dump: the same rows and columns, the database driver and csv only, and the
    decryption the stored names need (when CAMPAIGN_SIGNER_DATA_KEYS is set)."""
    query = (
        f"SELECT {COLUMNS} FROM signature WHERE petition_id = {int(petition_id)} "
        "AND state = 'confirmed' ORDER BY id"
    )
    encrypted = bool(os.environ.get("CAMPAIGN_SIGNER_DATA_KEYS"))
    with output.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        if database_url.startswith("sqlite"):
            import sqlite3

            connection = sqlite3.connect(database_url.removeprefix("sqlite:///"))
            rows = connection.execute(query)
            writer.writerows(_plain_rows(rows) if encrypted else rows)
            connection.close()
            return 0
        import psycopg

        url = database_url.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(url) as pg, pg.cursor(name="dump") as cursor:
            cursor.itersize = 2_000
            cursor.execute(query)
            writer.writerows(_plain_rows(cursor) if encrypted else cursor)
    return 0


@dataclass(frozen=True)
class Run:
    kind: str
    seconds: float
    cpu_seconds: float
    peak_rss_mb: float
    size_mb: float


def measure(kind: str, command: list[str], env: dict[str, str], output: Path) -> Run:
    """Run command in a fresh process; its wall and CPU time and its own peak RSS."""
    output.unlink(missing_ok=True)
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    assert process.stderr is not None
    errors = process.stderr.read()  # the progress bar; kept for a failure message
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{kind} failed ({process.returncode}): {errors.decode()[-2000:]}")
    size = output.stat().st_size / 1e6
    cpu = usage.ru_utime + usage.ru_stime
    return Run(kind, seconds, cpu, usage.ru_maxrss / 1024, size)  # Linux: kilobytes


def prepare(database_url: str, signatures: int, existing: bool) -> str:
    """Create (PostgreSQL) and migrate the database, write the petition's signatures; return
    "id slug" of the petition. Closes every connection. ``existing``: it is all there."""
    from bench import data
    from campaign_app import create_app
    from campaign_app.extensions import db

    if existing:
        import sqlalchemy as sa

        from campaign_app.petitions.models import Petition

        app = create_app()
        with app.app_context():
            found = db.session.scalar(sa.select(Petition.id).filter_by(slug=data.BIG_SLUG))
            db.engine.dispose()
        return f"{found} {data.BIG_SLUG}"
    if not database_url.startswith("sqlite"):
        data.create_postgres_database(database_url)
    app = create_app()
    say("Migrating the database ...")
    data.migrate_schema(app)
    petitions = data.create_petitions(app)
    started = time.monotonic()
    say(f"Writing {signatures:,} confirmed signatures ...")
    data.load_signatures(app, petitions.big_id, signatures)
    say(f"  done in {time.monotonic() - started:.0f} s")
    data.settle(app)
    with app.app_context():
        db.engine.dispose()
    return f"{petitions.big_id} {petitions.big_slug}"


def report(runs: dict[str, Run], signatures: int) -> list[str]:
    base = runs["baseline"]
    rows = [
        "| run | wall time | vs baseline | CPU time | vs baseline | peak RSS | file | targets |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
        f"| (a) baseline: driver + csv module (+ AES-GCM for the stored names), same columns "
        f"and rows | {base.seconds:.2f} s "
        f"| 1.00 x | {base.cpu_seconds:.2f} s | 1.00 x | {base.peak_rss_mb:.0f} MB "
        f"| {base.size_mb:.0f} MB | |",
    ]
    for fmt in FORMATS:
        run = runs.get(fmt)
        if run is None:
            continue
        ratio = run.seconds / base.seconds
        cpu_ratio = run.cpu_seconds / base.cpu_seconds
        checks = [f"RSS < {MEMORY_TARGET_MB:g} MB {verdict(run.peak_rss_mb < MEMORY_TARGET_MB)}"]
        if fmt == "csv":
            checks.insert(0, f"wall <= {RATIO_TARGET:g} x {verdict(ratio <= RATIO_TARGET)}")
            checks.insert(1, f"CPU <= {RATIO_TARGET:g} x {verdict(cpu_ratio <= RATIO_TARGET)}")
        rows.append(
            f"| (b) flask petitions export --format {fmt} | {run.seconds:.2f} s | "
            f"{ratio:.2f} x | {run.cpu_seconds:.2f} s | {cpu_ratio:.2f} x | "
            f"{run.peak_rss_mb:.0f} MB | {run.size_mb:.0f} MB | {'; '.join(checks)} |"
        )
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    rows.append(
        f"\n{signatures:,} confirmed signatures, one petition. Load average (1, 5, 15 min) at "
        f"the end: {load} (other programs share the CPUs and slow every run)."
    )
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--signatures", type=int, default=1_000_000)
    parser.add_argument("--database-url", default="", help="PostgreSQL; SQLite when empty")
    parser.add_argument("--formats", nargs="*", default=list(FORMATS), choices=FORMATS)
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument(
        "--existing",
        action="store_true",
        help="--database-url already holds the bench petition (a --keep run): reuse it",
    )
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--child-baseline", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--child-prepare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--child-drop", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_baseline:
        url, petition_id, output = args.child_baseline
        return baseline(url, int(petition_id), Path(output))
    if args.child_prepare:
        print(prepare(os.environ["DATABASE_URL"], args.signatures, args.existing))
        return 0
    if args.child_drop:
        from bench import data

        data.drop_postgres_database(os.environ["DATABASE_URL"])
        return 0

    work = new_work_dir("export")
    instance = work / "instance"
    database_url = args.database_url or f"sqlite:///{instance / 'campaign.sqlite3'}"
    backend = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    env: dict[str, Any] = signer_keys() | {
        "CAMPAIGN_SECRET_KEY": secrets.token_hex(32),
        "CAMPAIGN_INSTANCE_PATH": str(instance),
        "DATABASE_URL": database_url,
    }
    child_env = os.environ | env
    me = [sys.executable, "-m", "bench.export_bench"]
    try:
        # In a subprocess, so that this process stays small: a child's peak RSS counts the
        # parent's pages it was forked with.
        prepared = subprocess.run(
            [*me, "--child-prepare", "--signatures", str(args.signatures)]
            + (["--existing"] if args.existing else []),
            cwd=PROJECT_ROOT,
            env=child_env,
            stdout=subprocess.PIPE,
            check=True,
        )
        petition_id, slug = prepared.stdout.decode().split()[-2:]
        runs: dict[str, Run] = {}
        output = work / "baseline.csv"
        runs["baseline"] = measure(
            "baseline",
            [*me, "--child-baseline", database_url, petition_id, str(output)],
            child_env,
            output,
        )
        say(f"baseline: {runs['baseline']}")
        flask = [sys.executable, "-m", "flask", "--app", "wsgi", "petitions", "export"]
        for fmt in args.formats:
            output = work / f"export.{fmt}"
            options = [slug, "--format", fmt, "--output", str(output)]
            runs[fmt] = measure(fmt, [*flask, *options], child_env, output)
            say(f"{fmt}: {runs[fmt]}")
    finally:
        if backend == "postgresql" and not (args.keep or args.existing):
            subprocess.run([*me, "--child-drop"], cwd=PROJECT_ROOT, env=child_env, check=True)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    rows = report(runs, args.signatures)
    print("\n".join(rows))
    if not args.no_write:
        name = f"export-bench-{backend}"
        heading = f"Delivery exports ({DATABASE_NAMES[backend]})"
        replace_section(args.results, name, section(name, heading, METHOD, rows))
        say(f"wrote the {backend} delivery-export section of {args.results}")
    failed = any("FAIL" in row for row in rows)
    return 1 if failed and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
