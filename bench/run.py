"""`make bench`: the app's hot paths against a bare Flask app, on SQLite and on PostgreSQL.

    .venv/bin/python -m bench.run [--quick] [--database sqlite] [--database postgresql]
        [--postgres-url postgresql://postgres@127.0.0.1:5432/campaign_bench]

``BENCH_QUICK=1`` in the environment (``make bench BENCH_QUICK=1``) is ``--quick``: a
10,000-signature "big" petition, 5 rounds of 1-second windows. The PostgreSQL server is the
one in ``--postgres-url`` (or ``BENCH_POSTGRES_URL``); the run creates and drops its
database there and a second one, ``<name>_bare``, for the bare app.

The method is report.METHOD (the top of bench/RESULTS.md); ``--help`` lists the knobs.

Per database: prepare the database (migrations, three petitions, the signatures, the pending
signatures whose links get opened), start the servers (``_servers``: the app, the app with
the micro-cache off, the bare app), measure every endpoint (``_endpoints``: each bound to one
of those servers) in interleaved rounds (bench/rounds.py), and judge the targets
(``_targets``). Another server or endpoint joins by adding it there; a bench of another kind
(the mail drain) is a module of its own, run by `make bench`, writing its own section.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from contextlib import ExitStack
from dataclasses import dataclass, replace
from pathlib import Path

import click
import sqlalchemy as sa
from flask import Flask

from bench import bare_app, data, load, report
from bench.common import (
    PROJECT_ROOT,
    RESULTS,
    UNCACHED_ENV,
    WORK_DIR,
    WORKERS,
    git_output,
    new_work_dir,
    quick_run,
    say,
    scratch_database,
    server_env,
)
from bench.rounds import Endpoint, LinkSupply, run_rounds
from bench.server import HOST, Gunicorn

DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/campaign_bench"
# Requests per second the confirmation links are prepared for, from all clients together:
# well above what a bare insert reaches on two cores, so the clients never run out.
LINK_RATE = 3000.0
# Every knob's value in a full run and in a quick one.
FULL = {"signatures": 1_000_000, "rounds": 5, "duration": 2.0, "warmup": 0.5}
QUICK = {"signatures": 10_000, "rounds": 5, "duration": 1.0, "warmup": 0.3}


@dataclass(frozen=True)
class Prepared:
    """The database the servers will run on."""

    app: Flask  # the runner's copy of the app, with the servers' settings
    petitions: data.BenchPetitions
    confirm_id: int
    confirm_links: list[str]
    plans: dict[str, str]
    server_version: str
    # petition id: (countries, counter rows, counter rows before the fold)
    shape: dict[int, tuple[int, int, int]]


def _prepare(signatures: int, links: int) -> Prepared:
    """Migrate, add the petitions, their signatures and the pending ones with their links
    (made here, with the servers' SECRET_KEY); check; close every connection."""
    from campaign_app import create_app
    from campaign_app.extensions import db

    app = create_app()
    say("Migrating the database (flask db upgrade) ...")
    data.migrate_schema(app)
    petitions = data.create_petitions(app)
    data.load_signatures(app, petitions.small_id, 10)
    started = time.monotonic()
    with click.progressbar(
        length=signatures,
        label=f"Writing {signatures:,} confirmed signatures",
        file=sys.stderr,
        show_pos=True,
    ) as bar:
        data.load_signatures(app, petitions.big_id, signatures, progress=bar.update)
    say(f"  done in {time.monotonic() - started:.0f} s; {links:,} pending signatures to confirm")
    confirm_id, pending = data.create_confirm_petition(app, 10, links)
    confirm_links = data.confirmation_paths(app, data.CONFIRM_SLUG, pending)
    say("  checking the counters against the rows")
    expected = {petitions.small_id: 10, petitions.big_id: signatures, confirm_id: 10}
    surge_shape = data.check_counts(app, expected)
    say("  folding the counters' shards, as the worker does every minute, and checking again")
    data.fold(app)
    shape = {
        petition_id: (countries, rows, surge_shape[petition_id][1])
        for petition_id, (countries, rows) in data.check_counts(app, expected).items()
    }
    plans = data.query_plans(app, petitions.big_id)
    version = data.settle(app)
    with app.app_context():
        db.engine.dispose()
    return Prepared(app, petitions, confirm_id, confirm_links, plans, version, shape)


def _endpoints(
    prepared: Prepared, big: int, servers: dict[str, Gunicorn], link_rate: float
) -> list[Endpoint]:
    """Every endpoint measured, bound to its server, in the order of a round."""
    petitions = prepared.petitions
    small_page = f"/petitions/{petitions.small_slug}"
    big_page = f"/petitions/{petitions.big_slug}"
    many = f"{big:,}"

    def page(key: str, label: str, path: str) -> load.Target:
        return load.Target(key, label, "GET", path, 200)

    count_small = f"/api/v1/petitions/{petitions.small_slug}"
    count_big = f"/api/v1/petitions/{petitions.big_slug}"
    app, bare = servers["app"], servers["bare"]
    # Endpoints a target compares stand side by side in a round (hello, the pages and the
    # counts at 10 and at a million; the bare insert, signing and the confirmation link),
    # so a change in the machine's load during a round moves both sides of a ratio alike.
    endpoints = [
        Endpoint(page("hello", "bare hello", "/hello"), bare),
        Endpoint(page("page_small", "page, 10 signatures", small_page), app),
        Endpoint(page("page_big", f"page, {many} signatures", big_page), app),
        Endpoint(page("count_small", "count API, 10 signatures", count_small), app),
        Endpoint(page("count_big", f"count API, {many} signatures", count_big), app),
        Endpoint(load.Target("insert", "bare insert", "POST", "/insert", 201), bare),
        Endpoint(
            load.Target("sign_small", "signing POST", "POST", small_page, 302, small_page), app
        ),
        Endpoint(
            page("confirm", "opening the confirmation link", prepared.confirm_links[0]),
            app,
            LinkSupply(prepared.confirm_links, link_rate),
        ),
    ]
    if "uncached" in servers:
        uncached = [e for e in endpoints if e.target.key.startswith(("page_", "count_"))]
        endpoints += [
            Endpoint(
                replace(
                    e.target,
                    key=f"{e.target.key}_uncached",
                    label=f"{e.target.label}, micro-cache off",
                ),
                servers["uncached"],
            )
            for e in uncached
        ]
    return endpoints


def _targets(big: int) -> list[report.Target]:
    many, same = f"{big:,}", report.SAME_SPEED
    return [
        report.Target("signing POST / bare insert", "sign_small", "insert", 0.5),
        report.Target("opening the confirmation link / bare insert", "confirm", "insert", 0.4),
        report.Target("page, micro-cache off / hello", "page_small_uncached", "hello", 0.2),
        report.Target("page (micro-cache on) / hello", "page_small", "hello", 0.5),
        report.Target("count API / hello", "count_small", "hello", 0.8),
        report.Target(f"page as fast at {many} as at 10", "page_big", "page_small", same),
        report.Target(f"count API as fast at {many} as at 10", "count_big", "count_small", same),
        report.Target(
            f"page as fast at {many} as at 10, micro-cache off",
            "page_big_uncached",
            "page_small_uncached",
            same,
        ),
        report.Target(
            f"count API as fast at {many} as at 10, micro-cache off",
            "count_big_uncached",
            "count_small_uncached",
            same,
        ),
    ]


def _servers(
    stack: ExitStack, work: Path, env: dict[str, str], bare_url: str, uncached: bool
) -> dict[str, Gunicorn]:
    """The app, the app with the micro-cache off, the bare app: same gunicorn options."""
    base = os.environ | env | {"PYTHONPATH": str(PROJECT_ROOT)}
    specs: dict[str, tuple[dict[str, str], str, str]] = {"app": ({}, "wsgi:app", "/healthz")}
    if uncached:
        specs["uncached"] = (UNCACHED_ENV, "wsgi:app", "/healthz")
    specs["bare"] = ({"BARE_DATABASE_URL": bare_url}, "bench.bare_app:create_app()", "/hello")
    servers = {}
    for name, (extra, app, probe) in specs.items():
        server = Gunicorn(
            PROJECT_ROOT, base | extra, work / f"gunicorn-{name}.log", WORKERS, app=app, probe=probe
        )
        servers[name] = stack.enter_context(server)
    return servers


def _code_version() -> str:
    """The commit measured, and whether the checkout had changes."""
    commit = git_output("rev-parse", "--short", "HEAD")
    changes = git_output("status", "--porcelain", "--", "campaign_app", "templates", "migrations")
    if commit is None or changes is None:
        return "unknown (not a git checkout)"
    return f"commit {commit}" + (" with uncommitted changes to the app" if changes else "")


def _notes(
    prepared: Prepared, signatures: int, results: dict[str, report.EndpointResult]
) -> list[str]:
    petitions, notes = prepared.petitions, []
    for label, petition_id in (("10", petitions.small_id), (f"{signatures:,}", petitions.big_id)):
        countries, rows, unfolded = prepared.shape[petition_id]
        notes.append(
            f"Petition with {label} signatures: signers from {countries} countries; its page "
            f"and count API sum {rows} counter rows and list the countries (the counters as "
            f"the worker's fold leaves them every minute; loaded as a surge leaves them, "
            f"{unfolded} rows)."
        )
    confirmed = results["confirm"].answered
    notes.append(
        f"Confirmation link: {len(prepared.confirm_links):,} pending signatures prepared, "
        f"{confirmed:,} links opened (warm-ups included), each once; the petition's rows and "
        f"counters grew by {confirmed:,}"
        + (" (checked)." if not results["confirm"].errors else " - or not: see the errors.")
    )
    notes += [
        f"Plan for the page's {name} query: `{plan}`" for name, plan in prepared.plans.items()
    ]
    for result in results.values():
        notes += [f"Error on {result.label}: `{sample[:200]}`" for sample in result.error_samples]
    return notes


def _check_confirmations(prepared: Prepared, result: report.EndpointResult) -> None:
    """Every confirmation request must have confirmed a signature of its own: the petition's
    confirmed rows, its counter and its hourly counter must have grown by exactly the number
    of 200s the clients got. Else the run counts as failed (an error on that endpoint)."""
    expected = {prepared.confirm_id: 10 + result.answered}
    try:
        data.check_counts(prepared.app, expected)
    except RuntimeError as error:
        result.errors += 1
        result.error_samples.append(f"{result.answered:,} links answered 200, but: {error}")
    with prepared.app.app_context():
        from campaign_app.extensions import db

        db.engine.dispose()


@dataclass(frozen=True)
class Options:
    signatures: int
    clients: int
    duration: float
    warmup: float
    rounds: int
    uncached: bool
    keep: bool


def run_database(
    kind: str, url: str, base_env: dict[str, str], options: Options
) -> report.DatabaseRun:
    """Prepare one database, serve it three ways, measure, judge."""
    work = new_work_dir(f"run-{kind}")
    instance = work / "instance"
    env = base_env | {"CAMPAIGN_INSTANCE_PATH": str(instance), "DATABASE_URL": url}
    os.environ.update(env)
    bare_url = f"sqlite:///{instance / 'bare.sqlite3'}"
    if url:
        bare_url = str(
            sa.engine.make_url(url).set(database=f"{sa.engine.make_url(url).database}_bare")
        )
    windows = options.rounds * (options.warmup + options.duration + 0.3) + 0.8
    links = LinkSupply.needed(LINK_RATE, windows)
    name = "PostgreSQL" if url else "SQLite"
    say(f"=== {name} ===")
    started = time.monotonic()
    try:
        with scratch_database(url, options.keep), scratch_database(bare_url, options.keep):
            prepared = _prepare(options.signatures, links)
            bare_app.create_table(bare_url)
            prepared_at = time.monotonic()
            say(f"  {name} prepared in {prepared_at - started:.0f} s")
            load_before = os.getloadavg()
            with ExitStack() as stack:
                servers = _servers(stack, work, env, bare_url, options.uncached)
                endpoints = _endpoints(prepared, options.signatures, servers, LINK_RATE)
                per_window = options.warmup + options.duration + 0.4
                say(
                    f"Measuring {len(endpoints)} endpoints x {options.rounds} rounds "
                    f"(about {len(endpoints) * (options.rounds * per_window + 0.9):.0f} s) ..."
                )
                measured = run_rounds(
                    endpoints,
                    clients=options.clients,
                    warmup=options.warmup,
                    duration=options.duration,
                    rounds=options.rounds,
                    progress=say,
                )
            load_after = os.getloadavg()
            measured_at = time.monotonic()
            _check_confirmations(prepared, measured.results["confirm"])
    finally:
        if not options.keep:
            shutil.rmtree(instance, ignore_errors=True)
    results = measured.results
    version = f"{name} {prepared.server_version}".strip() if url else f"SQLite {sqlite_version()}"
    return report.DatabaseRun(
        name=name,
        version=version,
        load_before=load_before,
        load_after=load_after,
        load_during=measured.load_averages,
        results=results,
        verdicts=report.judge(_targets(options.signatures), results),
        notes=_notes(prepared, options.signatures, results),
        seconds={"preparing": prepared_at - started, "measuring": measured_at - prepared_at},
    )


def sqlite_version() -> str:
    import sqlite3

    return sqlite3.sqlite_version


def _postgres_reachable(url: str) -> str:
    """'' when the PostgreSQL server in url answers, else why not."""
    engine = sa.create_engine(
        sa.engine.make_url(url).set(drivername="postgresql+psycopg", database="postgres")
    )
    try:
        with engine.connect():
            return ""
    except sa.exc.OperationalError as error:
        return str(error.orig or error).strip().splitlines()[0]
    finally:
        engine.dispose()


@click.command()
@click.option(
    "--database",
    "databases",
    type=click.Choice(["sqlite", "postgresql"]),
    multiple=True,
    help="Which databases to run on (repeat it; default: both).",
)
@click.option(
    "--postgres-url",
    default=lambda: os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL),
    show_default=f"$BENCH_POSTGRES_URL or {DEFAULT_POSTGRES_URL}",
    help="A scratch database to create and drop (and <name>_bare beside it).",
)
@click.option(
    "--quick",
    is_flag=True,
    default=quick_run,
    help=f"A short run: {QUICK} (default when BENCH_QUICK=1).",
)
@click.option("--signatures", type=int, help=f"Size of the big petition [{FULL['signatures']:,}].")
@click.option("--clients", default=4, show_default=True, help="Concurrent client processes.")
@click.option("--duration", type=float, help=f"Seconds measured per window [{FULL['duration']}].")
@click.option("--warmup", type=float, help=f"Seconds of warm-up per window [{FULL['warmup']}].")
@click.option("--rounds", type=int, help=f"Interleaved rounds [{FULL['rounds']}].")
@click.option("--output", type=click.Path(path_type=Path), default=RESULTS, show_default=True)
@click.option(
    "--uncached/--no-uncached",
    default=True,
    show_default=True,
    help="Also measure page and count API with the micro-cache off (another server).",
)
@click.option("--keep", is_flag=True, help="Keep the databases after the run.")
@click.option("--check", is_flag=True, help="Exit with status 1 when a target is missed.")
def main(
    databases: tuple[str, ...],
    postgres_url: str,
    quick: bool,
    signatures: int | None,
    clients: int,
    duration: float | None,
    warmup: float | None,
    rounds: int | None,
    output: Path,
    uncached: bool,
    keep: bool,
    check: bool,
) -> None:
    """The app's hot paths against a bare Flask app, under gunicorn, on SQLite and PostgreSQL."""
    preset = QUICK if quick else FULL
    options = Options(
        signatures=signatures if signatures is not None else int(preset["signatures"]),
        clients=clients,
        duration=duration if duration is not None else float(preset["duration"]),
        warmup=warmup if warmup is not None else float(preset["warmup"]),
        rounds=rounds if rounds is not None else int(preset["rounds"]),
        uncached=uncached,
        keep=keep,
    )
    databases = databases or ("sqlite", "postgresql")
    if "postgresql" in databases and (problem := _postgres_reachable(postgres_url)):
        say(
            f"PostgreSQL at {sa.engine.make_url(postgres_url).render_as_string()} does not "
            f"answer ({problem}); start it, set --postgres-url, or run --database sqlite."
        )
        sys.exit(2)
    for old in WORK_DIR.glob("run-*"):
        shutil.rmtree(old, ignore_errors=True)
    started, codes = time.monotonic(), [_code_version()]
    base_env = server_env(Path(), "")  # one SECRET_KEY and signer keys for every server
    runs = []
    for kind in databases:
        url = postgres_url if kind == "postgresql" else ""
        runs.append(run_database(kind, url, base_env, options))
        codes.append(_code_version())  # others may commit while the bench runs
    minutes = (time.monotonic() - started) / 60
    settings = {
        "Code": codes[0] if len(set(codes)) == 1 else " then ".join(dict.fromkeys(codes)),
        "Servers": (
            f"gunicorn, {WORKERS} sync workers each, on {HOST}: the app (wsgi:app)"
            + (", the app with CAMPAIGN_MICROCACHE_SECONDS=0" if uncached else "")
            + ", the bare app (bench.bare_app:create_app())"
        ),
        "Load": (
            f"{options.clients} client processes; {options.rounds} interleaved rounds, each "
            f"endpoint {options.warmup:g} s warm-up + {options.duration:g} s measured per round"
            + (" (quick run)" if quick else "")
        ),
        "Big petition": f"{options.signatures:,} confirmed signatures",
        "Time": f"{minutes:.1f} minutes in all ("
        + "; ".join(
            f"{run.name}: " + ", ".join(f"{what} {sec:.0f} s" for what, sec in run.seconds.items())
            for run in runs
        )
        + ")",
    }
    report.write_results(output, machine=report.describe_machine(), settings=settings, runs=runs)
    for run in runs:
        click.echo("\n".join(["", *report.database_lines(run)]))
    click.echo(f"\nWritten to {output}; server logs in {WORK_DIR}")
    if any(run.errors for run in runs):
        say("Some requests failed (see the notes in the results): the figures are suspect.")
        sys.exit(1)
    if check and not all(v.passed for run in runs for v in run.verdicts):
        sys.exit(1)


if __name__ == "__main__":
    main()
