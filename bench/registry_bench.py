"""`make bench`, the prisoner registry at real scale: list, search, filters and the API with
1,500 prisoners in 60 institutions and hundreds of thousands of card reports, against bare hello.

    .venv/bin/python -m bench.registry_bench [--quick] [--database sqlite] [--database postgresql]
        [--postgres-url postgresql://postgres@127.0.0.1:5432/campaign_registry_bench]
        [--output bench/RESULTS.md]

The method is bench/run.py's (report.METHOD): per database, a scratch database built by the
migrations (bench/registry_data.py loads the prisoners through the ORM and the card reports
with batched inserts, then recounts the tallies), three gunicorns with the same options (the
app, the app with CAMPAIGN_MICROCACHE_SECONDS=0, the bare Flask app of bench/bare_app.py),
4 closed-loop clients, interleaved rounds, medians. Endpoints:

- bare hello (``GET /hello``);
- the registry's first page (``GET /prisoners/``: 24 prisoners of 1,500, by name);
- a search by a Belarusian spelling (``GET /prisoners/?q=Бяляцкі``: 30 matches, page 1);
- a filtered page (birthday month, can receive mail, fewest cards first);
- the API's search (``GET /api/v1/prisoners?q=Byalyatsky``, JSON);

each again on the app with the micro-cache off. Targets (the page targets of bench/run.py):
list and search >= 0.5 x hello with the micro-cache on, >= 0.2 x with it off; the filtered
page and the API the same, for information beside them. Writes the section
``registry-bench`` of bench/RESULTS.md (``--output`` elsewhere for a trial run).
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote

import click
import sqlalchemy as sa

from bench import bare_app, data, load, report
from bench.common import (
    PROJECT_ROOT,
    RESULTS,
    UNCACHED_ENV,
    WORKERS,
    new_work_dir,
    quick_run,
    replace_section,
    say,
    scratch_database,
    section,
    server_env,
)
from bench.registry_data import Registry, load_registry
from bench.rounds import Endpoint, run_rounds
from bench.server import Gunicorn

DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/campaign_registry_bench"
FULL = {"prisoners": 1500, "reports": 300_000, "rounds": 5, "duration": 2.0, "warmup": 0.5}
QUICK = {"prisoners": 1500, "reports": 30_000, "rounds": 5, "duration": 1.0, "warmup": 0.3}
SECTION = "registry-bench"
SEARCH = "/prisoners/?q=" + quote("Бяляцкі")
FILTERED = "/prisoners/?month=9&mail=yes&sort=fewest-cards"
API_SEARCH = "/api/v1/prisoners?q=Byalyatsky"


def _endpoints(servers: dict[str, Gunicorn]) -> list[Endpoint]:
    def get(key: str, label: str, path: str) -> load.Target:
        return load.Target(key, label, "GET", path, 200)

    app = servers["app"]
    endpoints = [
        Endpoint(get("hello", "bare hello", "/hello"), servers["bare"]),
        Endpoint(get("list", "registry, first page", "/prisoners/"), app),
        Endpoint(get("search", "registry, search «Бяляцкі»", SEARCH), app),
        Endpoint(get("filtered", "registry, month + mail + fewest cards", FILTERED), app),
        Endpoint(get("api", "API, search Byalyatsky", API_SEARCH), app),
    ]
    uncached = [
        Endpoint(
            replace(
                e.target, key=f"{e.target.key}_uncached", label=f"{e.target.label}, micro-cache off"
            ),
            servers["uncached"],
        )
        for e in endpoints[1:]
    ]
    return endpoints + uncached


def _targets() -> list[report.Target]:
    targets = []
    for key, name in (
        ("list", "registry list"),
        ("search", "registry search"),
        ("filtered", "filtered registry page"),
        ("api", "registry API search"),
    ):
        targets.append(report.Target(f"{name} (micro-cache on) / hello", key, "hello", 0.5))
        targets.append(
            report.Target(f"{name}, micro-cache off / hello", f"{key}_uncached", "hello", 0.2)
        )
    return targets


def _servers(
    stack: ExitStack, work: Path, env: dict[str, str], bare_url: str
) -> dict[str, Gunicorn]:
    base = os.environ | env | {"PYTHONPATH": str(PROJECT_ROOT)}
    specs = {
        "app": ({}, "wsgi:app", "/healthz"),
        "uncached": (UNCACHED_ENV, "wsgi:app", "/healthz"),
        "bare": ({"BARE_DATABASE_URL": bare_url}, "bench.bare_app:create_app()", "/hello"),
    }
    return {
        name: stack.enter_context(
            Gunicorn(
                PROJECT_ROOT,
                base | extra,
                work / f"gunicorn-{name}.log",
                WORKERS,
                app=app,
                probe=probe,
            )
        )
        for name, (extra, app, probe) in specs.items()
    }


def _prepare(prisoners: int, reports: int) -> tuple[Registry, str]:
    from campaign_app import create_app

    app = create_app()
    say("Migrating the database (flask db upgrade) ...")
    data.migrate_schema(app)
    started = time.monotonic()
    registry = load_registry(app, prisoners, reports, say)
    say(f"  loaded in {time.monotonic() - started:.0f} s")
    return registry, data.settle(app)


def run_database(
    url: str, options: dict[str, float], keep: bool
) -> tuple[report.DatabaseRun, Registry]:
    """Prepare one database, serve it three ways, measure, judge."""
    name = "PostgreSQL" if url else "SQLite"
    work = new_work_dir(f"registry-{name.lower()}")
    instance = work / "instance"
    env = server_env(instance, url)
    os.environ.update(env)
    bare_url = f"sqlite:///{instance / 'bare.sqlite3'}"
    if url:
        parsed = sa.engine.make_url(url)
        bare_url = str(parsed.set(database=f"{parsed.database}_bare"))
    say(f"=== {name} ===")
    started = time.monotonic()
    try:
        with scratch_database(url, keep), scratch_database(bare_url, keep):
            registry, version = _prepare(int(options["prisoners"]), int(options["reports"]))
            bare_app.create_table(bare_url)
            prepared_at = time.monotonic()
            load_before = os.getloadavg()
            with ExitStack() as stack:
                endpoints = _endpoints(_servers(stack, work, env, bare_url))
                measured = run_rounds(
                    endpoints,
                    clients=4,
                    warmup=options["warmup"],
                    duration=options["duration"],
                    rounds=int(options["rounds"]),
                    progress=say,
                )
            load_after = os.getloadavg()
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)
    if not url:
        import sqlite3

        version = sqlite3.sqlite_version
    results = measured.results
    notes = [
        f"{registry.prisoners:,} prisoners in {registry.institutions} institutions (names in "
        f"Latin, Russian and Belarusian; birthdays; one address each), {registry.reports:,} "
        f"card reports of {registry.cards:,} cards, summed into each prisoner's tally.",
    ]
    for result in results.values():
        notes += [f"Error on {result.label}: `{sample[:200]}`" for sample in result.error_samples]
    run = report.DatabaseRun(
        name=name,
        version=f"{name} {version}",
        load_before=load_before,
        load_after=load_after,
        load_during=measured.load_averages,
        results=results,
        verdicts=report.judge(_targets(), results),
        notes=notes,
        seconds={"preparing": prepared_at - started, "measuring": time.monotonic() - prepared_at},
    )
    return run, registry


METHOD = (
    "`.venv/bin/python -m bench.registry_bench` (bench/registry_bench.py; its docstring has "
    "the method, which is bench/run.py's: three gunicorns with 2 sync workers each, the app, "
    "the app with the micro-cache off and the bare Flask app; 4 closed-loop clients; "
    "interleaved rounds; the median round of each endpoint over the bare hello's)."
)


@click.command()
@click.option("--database", "databases", type=click.Choice(["sqlite", "postgresql"]), multiple=True)
@click.option(
    "--postgres-url", default=lambda: os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL)
)
@click.option("--quick", is_flag=True, default=quick_run, help=f"A short run: {QUICK}.")
@click.option("--reports", type=int, help=f"Card reports [{FULL['reports']:,}].")
@click.option("--output", type=click.Path(path_type=Path), default=RESULTS, show_default=True)
@click.option("--keep", is_flag=True, help="Keep the databases after the run.")
@click.option("--check", is_flag=True, help="Exit with status 1 when a target is missed.")
def main(
    databases: tuple[str, ...],
    postgres_url: str,
    quick: bool,
    reports: int | None,
    output: Path,
    keep: bool,
    check: bool,
) -> None:
    """The registry's pages and API at 1,500 prisoners against a bare Flask hello."""
    options = dict(QUICK if quick else FULL)
    if reports is not None:
        options["reports"] = reports
    runs = []
    for kind in databases or ("sqlite", "postgresql"):
        run, _registry = run_database(postgres_url if kind == "postgresql" else "", options, keep)
        runs.append(run)
    body = [
        f"Settings: {int(options['rounds'])} rounds, each endpoint {options['warmup']:g} s warm-up "
        f"+ {options['duration']:g} s measured per round" + (" (quick run)." if quick else "."),
        "",
        *[report.summary(run) for run in runs],
        "",
    ]
    for run in runs:
        body += [*report.database_lines(run), ""]
    replace_section(
        output, SECTION, section(SECTION, "Prisoner registry at 1,500 prisoners", METHOD, body)
    )
    click.echo("\n".join(body))
    click.echo(f"Written to {output}")
    if any(run.errors for run in runs):
        say("Some requests failed (see the notes): the figures are suspect.")
        sys.exit(1)
    if check and not all(v.passed for run in runs for v in run.verdicts):
        sys.exit(1)


if __name__ == "__main__":
    main()
