"""Latency of a petition's statistics page with a million confirmed signatures.

    .venv/bin/python -m bench.stats_bench [--signatures 1000000] [--days 60] [--requests 60]
        [--database-url postgresql://postgres@127.0.0.1:5432/campaign_stats_bench]

Builds a scratch database by the migrations (SQLite in bench/.work/, or the PostgreSQL
database named, created and dropped here) with bench/data.py's bulk writer: one petition of
N confirmed signatures spread evenly over ``--days`` days and 30 countries, its sharded
counters by country and its hourly counter rows as confirmations would have left them; then
ANALYZE (PostgreSQL) or a WAL checkpoint (SQLite), as a live database would have had.
An admin account signs in through the real login form of the Flask test client, which then
GETs /organise/petitions/<id>/statistics (the last 72 hours) and ?day=<busiest day> (that
day's 24 hours) ``--warmup`` times unmeasured and ``--requests`` times measured each,
alternating, one request at a time: the whole Flask request (routing, sign-in check, the
queries, the three SVG charts, the templates), no network. Each answer must be a 200 that
shows the total. Prints a table and replaces this database's "Statistics page" section of
bench/RESULTS.md (between its markers; the rest is not touched).
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.common import (
    DATABASE_NAMES,
    RESULTS,
    load_average,
    new_work_dir,
    replace_section,
    say,
    scratch_database,
    section,
    server_env,
)

MEDIAN_TARGET_MS = 300.0
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
METHOD = (
    "`.venv/bin/python -m bench.stats_bench` (bench/stats_bench.py; its docstring has "
    "the method). One request at a time through the Flask test client, signed in as an "
    "admin: the whole request without the network. The page reads the sharded counters "
    "(by country, by hour) and counts pending and invalidated rows through the "
    "(petition_id, state, confirmed_at) index; it never groups the signature table."
)


@dataclass(frozen=True)
class Timing:
    """Latencies of one URL, in milliseconds."""

    label: str
    samples: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def prepare(app: Any, signatures: int, days: int) -> int:
    """Migrate, write the petition and its signatures, check the counters; the petition id."""
    from bench import data
    from campaign_app.extensions import db

    say("Migrating the database ...")
    data.migrate_schema(app)
    petitions = data.create_petitions(app)
    started = time.monotonic()
    say(f"Writing {signatures:,} confirmed signatures over {days} days ...")
    data.load_signatures(app, petitions.big_id, signatures, days=days)
    say(f"  done in {time.monotonic() - started:.0f} s")
    data.check_counts(app, {petitions.big_id: signatures})
    data.settle(app)
    with app.app_context():
        db.session.remove()
    return petitions.big_id


def sign_in_admin(app: Any) -> Any:
    """A test client signed in as a new admin, through the login form."""
    from werkzeug.security import generate_password_hash

    from campaign_app.accounts.models import Role, User
    from campaign_app.extensions import db

    password = secrets.token_urlsafe(16)
    with app.app_context():
        db.session.add(
            User(
                email="bench-admin@example.org",
                name="Bench admin",
                password_hash=generate_password_hash(password),
                role=Role.ADMIN,
            )
        )
        db.session.commit()
        db.session.remove()
    client = app.test_client()
    page = client.get("/account/login").get_data(as_text=True)
    match = CSRF.search(page)
    if not match:
        raise RuntimeError("the login page has no CSRF token")
    response = client.post(
        "/account/login",
        data={"email": "bench-admin@example.org", "password": password, "csrf_token": match[1]},
    )
    if response.status_code != 302:
        raise RuntimeError(f"signing in failed with {response.status_code}")
    return client


def busiest_day(app: Any, petition_id: int) -> str:
    from collections import Counter

    from campaign_app.extensions import db
    from campaign_app.petitions import counting

    with app.app_context():
        days: Counter[str] = Counter()
        for hour, n in counting.read_hourly(db.session, petition_id).items():
            days[hour.date().isoformat()] += n
        db.session.remove()
    return days.most_common(1)[0][0]


def measure(
    client: Any, urls: dict[str, str], expected: str, warmup: int, requests: int
) -> list[Timing]:
    """GET each URL in turn; the wall time of each request in ms."""
    samples: dict[str, list[float]] = {label: [] for label in urls}
    for round_number in range(warmup + requests):
        for label, url in urls.items():
            started = time.perf_counter()
            response = client.get(url)
            body = response.get_data(as_text=True)
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200 or expected not in body:
                raise RuntimeError(f"{url} answered {response.status_code} without the total")
            if round_number >= warmup:
                samples[label].append(elapsed)
    return [Timing(label, values) for label, values in samples.items()]


def report(timings: list[Timing], signatures: int, days: int, server: str, load: str) -> list[str]:
    rows = [
        "| request | median | p95 | min | max | requests | target: median < 300 ms |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for timing in timings:
        verdict = "PASS" if timing.median < MEDIAN_TARGET_MS else "FAIL"
        rows.append(
            f"| {timing.label} | {timing.median:.1f} ms | {timing.p95:.1f} ms | "
            f"{min(timing.samples):.1f} ms | {max(timing.samples):.1f} ms | "
            f"{len(timing.samples)} | {verdict} |"
        )
    rows.append(
        f"\n{signatures:,} confirmed signatures over {days} days from 30 countries, one petition; "
        f"{server}. Load average (1, 5, 15 min) {load}: other programs share the CPUs, "
        "and a busy machine slows every request."
    )
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--signatures", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=60, help="days the signatures spread over")
    parser.add_argument("--requests", type=int, default=60, help="measured requests per URL")
    parser.add_argument("--warmup", type=int, default=5, help="unmeasured requests per URL")
    parser.add_argument("--database-url", default="", help="PostgreSQL; SQLite when empty")
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)

    work = new_work_dir("stats")
    instance = work / "instance"
    database_url = args.database_url or f"sqlite:///{instance / 'campaign.sqlite3'}"
    backend = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    os.environ.update(server_env(instance, database_url))
    load_before = os.getloadavg()
    from campaign_app import create_app
    from campaign_app.extensions import db

    try:
        with scratch_database(database_url, args.keep):
            app = create_app()
            petition_id = prepare(app, args.signatures, args.days)
            client = sign_in_admin(app)
            page = f"/organise/petitions/{petition_id}/statistics"
            day = busiest_day(app, petition_id)
            urls = {
                "statistics page (last 72 hours)": page,
                f"?day={day} (24 hours)": f"{page}?day={day}",
            }
            say(f"Measuring {len(urls)} URLs x ({args.warmup} + {args.requests}) requests ...")
            timings = measure(client, urls, f"{args.signatures:,}", args.warmup, args.requests)
            with app.app_context():
                version = ".".join(
                    str(part) for part in db.engine.dialect.server_version_info or ()
                )
                server = f"{db.engine.dialect.name} {version}"
                db.session.remove()
                db.engine.dispose()
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    load = f"{load_average(load_before)} / {load_average(os.getloadavg())} (before / after)"
    rows = report(timings, args.signatures, args.days, server, load)
    print("\n".join(rows))
    if not args.no_write:
        name = f"stats-bench-{backend}"
        heading = f"Statistics page ({DATABASE_NAMES[backend]})"
        replace_section(args.results, name, section(name, heading, METHOD, rows))
        say(f"wrote the {backend} statistics section of {args.results}")
    failed = any("FAIL" in row for row in rows)
    return 1 if failed and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
