"""`make bench`: prepare the database, start gunicorn, measure every endpoint, write RESULTS.md.

    .venv/bin/python -m bench.run [--database-url postgresql://postgres@127.0.0.1:5432/campaign_bench]

See bench/RESULTS.md for the method; ``--help`` for the knobs.
"""

from __future__ import annotations

import multiprocessing
import os
import secrets
import shutil
import sys
import time
from dataclasses import dataclass, replace
from multiprocessing.pool import Pool
from pathlib import Path

import click

from bench import data, load, report
from bench.common import (
    PROJECT_ROOT,
    RESULTS,
    UNCACHED_ENV,
    WORK_DIR,
    WORKERS,
    git_output,
    load_average,
    new_work_dir,
    say,
    scratch_database,
    server_env,
)
from bench.server import HOST, Gunicorn, machine_busy_seconds


def _endpoints(petitions: data.BenchPetitions, big: int) -> list[load.Target]:
    small_page = f"/petitions/{petitions.small_slug}"
    big_page = f"/petitions/{petitions.big_slug}"
    many = f"{big:,}"
    return [
        load.Target("hello", "hello (ceiling)", "GET", "/_bench/hello", 200),
        load.Target("insert", "bare insert (ceiling)", "POST", "/_bench/insert", 201),
        load.Target("page_small", "page, 10 signatures", "GET", small_page, 200),
        load.Target("page_big", f"page, {many} signatures", "GET", big_page, 200),
        load.Target(
            "count_small",
            "count API, 10 signatures",
            "GET",
            f"/api/v1/petitions/{petitions.small_slug}",
            200,
        ),
        load.Target(
            "count_big",
            f"count API, {many} signatures",
            "GET",
            f"/api/v1/petitions/{petitions.big_slug}",
            200,
        ),
        load.Target("sign_small", "signing, 10 signatures", "POST", small_page, 302, small_page),
        load.Target("sign_big", f"signing, {many} signatures", "POST", big_page, 302, big_page),
    ]


def _targets(big: int) -> list[report.Target]:
    many = f"{big:,}"
    return [
        report.Target("page >= 0.5 x hello", "page_small", "hello", 0.5),
        report.Target("count API >= 0.8 x hello", "count_small", "hello", 0.8),
        report.Target("signing >= 0.5 x bare insert", "sign_small", "insert", 0.5),
        report.Target(
            f"page as fast at {many} as at 10", "page_big", "page_small", report.SAME_SPEED
        ),
        report.Target(
            f"count API as fast at {many} as at 10", "count_big", "count_small", report.SAME_SPEED
        ),
        report.Target(
            f"page as fast at {many} as at 10, micro-cache off",
            "page_big_uncached",
            "page_small_uncached",
            report.SAME_SPEED,
        ),
        report.Target(
            f"count API as fast at {many} as at 10, micro-cache off",
            "count_big_uncached",
            "count_small_uncached",
            report.SAME_SPEED,
        ),
    ]


def _uncached(targets: list[load.Target]) -> list[load.Target]:
    """The page and count endpoints again, as measured with the micro-cache off."""
    return [
        replace(target, key=f"{target.key}_uncached", label=f"{target.label}, micro-cache off")
        for target in targets
        if target.key.startswith(("page_", "count_"))
    ]


@dataclass(frozen=True)
class Prepared:
    """The database the server will run on."""

    petitions: data.BenchPetitions
    plans: dict[str, str]
    server_version: str
    shape: dict[int, tuple[int, int]]  # petition id: (countries, counter rows)


def _prepare(signatures: int) -> Prepared:
    """Migrate, add the petitions and their signatures, check them; close every connection."""
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
    say(f"  done in {time.monotonic() - started:.0f} s; checking the counter against the rows")
    shape = data.check_counts(app, {petitions.small_id: 10, petitions.big_id: signatures})
    plans = data.query_plans(app, petitions.big_id)
    version = data.settle(app)
    with app.app_context():
        db.engine.dispose()
    return Prepared(petitions, plans, version, shape)


def _measure(
    pool: Pool,
    server: Gunicorn,
    target: load.Target,
    *,
    clients: int,
    warmup: float,
    duration: float,
    run_tag: str,
) -> tuple[list[load.ClientResult], float, float]:
    """One window on one endpoint: the clients' results, the server's and the machine's CPU."""
    start_at = time.monotonic() + 0.3
    jobs = [
        load.Job(HOST, server.port, target, start_at, warmup, duration, f"{run_tag}c{index}")
        for index in range(clients)
    ]
    pending = pool.map_async(load.run_client, jobs, chunksize=1)
    time.sleep(max(0.0, start_at + warmup - time.monotonic()))
    cpu_before, busy_before = server.cpu_seconds(), machine_busy_seconds()
    time.sleep(max(0.0, start_at + warmup + duration - time.monotonic()))
    cpu_after, busy_after = server.cpu_seconds(), machine_busy_seconds()
    results = pending.get(timeout=warmup + duration + 120)
    return results, cpu_after - cpu_before, busy_after - busy_before


def _run_rounds(
    server: Gunicorn,
    targets: list[load.Target],
    *,
    clients: int,
    warmup: float,
    duration: float,
    rounds: int,
) -> dict[str, report.EndpointResult]:
    """Warm every endpoint up, then measure them all, round after round."""
    results = {target.key: report.EndpointResult(target.key, target.label) for target in targets}
    run_tag = secrets.token_hex(4)
    with multiprocessing.get_context("spawn").Pool(clients) as pool:
        # Both workers load templates, translations and country names on first use.
        say("  warming the server up on every endpoint")
        for target in targets:
            _measure(
                pool, server, target, clients=clients, warmup=0.0, duration=0.5, run_tag=run_tag
            )
        for round_number in range(1, rounds + 1):
            # Alternate the order, so no endpoint always follows the same one.
            for target in targets if round_number % 2 else targets[::-1]:
                client_results, server_cpu, machine_cpu = _measure(
                    pool,
                    server,
                    target,
                    clients=clients,
                    warmup=warmup,
                    duration=duration,
                    run_tag=f"{run_tag}r{round_number}",
                )
                result = results[target.key]
                _record(result, client_results, server_cpu, machine_cpu, duration)
                errors = f"  ({result.errors} errors so far)" if result.errors else ""
                say(
                    f"  round {round_number}/{rounds}  {target.label:<46} "
                    f"{result.rounds_rps[-1]:>8,.0f} req/s{errors}"
                )
    return results


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
    petitions = prepared.petitions
    notes = []
    for label, petition_id in (("10", petitions.small_id), (f"{signatures:,}", petitions.big_id)):
        countries, rows = prepared.shape[petition_id]
        notes.append(
            f"Petition with {label} signatures: signers from {countries} countries; its page "
            f"and count API sum {rows} counter rows and list the countries."
        )
    notes += [
        f"SQLite plan for the page's {name} query: `{plan}`"
        for name, plan in prepared.plans.items()
    ]
    for result in results.values():
        notes += [f"Error on {result.label}: `{sample[:200]}`" for sample in result.error_samples]
    return notes


@click.command()
@click.option(
    "--database-url",
    default="",
    help="PostgreSQL URL of a scratch database to create and drop (default: SQLite).",
)
@click.option("--signatures", default=1_000_000, show_default=True, help="Size of the big one.")
@click.option("--clients", default=4, show_default=True, help="Concurrent client processes.")
@click.option("--duration", default=4.0, show_default=True, help="Seconds measured per window.")
@click.option("--warmup", default=1.0, show_default=True, help="Seconds of warm-up per window.")
@click.option("--rounds", default=5, show_default=True, help="Interleaved rounds per endpoint.")
@click.option("--output", type=click.Path(path_type=Path), default=RESULTS, show_default=True)
@click.option(
    "--uncached/--no-uncached",
    default=True,
    show_default=True,
    help="Also measure page and count API with the micro-cache off (a second server).",
)
@click.option("--keep", is_flag=True, help="Keep the database after the run.")
@click.option("--check", is_flag=True, help="Exit with status 1 when a target is missed.")
def main(
    database_url: str,
    signatures: int,
    clients: int,
    duration: float,
    warmup: float,
    rounds: int,
    output: Path,
    uncached: bool,
    keep: bool,
    check: bool,
) -> None:
    """Throughput of the petition endpoints against their ceilings, under gunicorn."""
    for old in WORK_DIR.glob("run-*"):
        shutil.rmtree(old, ignore_errors=True)
    work = new_work_dir("run")
    instance = work / "instance"
    env = server_env(instance, database_url)
    os.environ.update(env)
    load_before, codes = os.getloadavg(), []
    try:
        with scratch_database(database_url, keep):
            prepared = _prepare(signatures)
            targets = _endpoints(prepared.petitions, signatures)
            phases: list[tuple[str, dict[str, str], list[load.Target]]] = [("", {}, targets)]
            if uncached:
                phases.append(("-uncached", UNCACHED_ENV, _uncached(targets)))
            count = sum(len(phase[2]) for phase in phases)
            total = count * (rounds * (warmup + duration + 0.4) + 1)
            say(f"Measuring {count} endpoints x {rounds} rounds (about {total:.0f} s) ...")
            results: dict[str, report.EndpointResult] = {}
            for suffix, extra_env, phase_targets in phases:
                gunicorn_env = os.environ | env | extra_env | {"PYTHONPATH": str(PROJECT_ROOT)}
                log = work / f"gunicorn{suffix}.log"
                codes.append(_code_version())  # others may commit while the bench runs
                with Gunicorn(PROJECT_ROOT, gunicorn_env, log, WORKERS) as server:
                    if extra_env:
                        assigned = " ".join(f"{name}={value}" for name, value in extra_env.items())
                        say(f"  a new gunicorn with {assigned}")
                    results |= _run_rounds(
                        server,
                        phase_targets,
                        clients=clients,
                        warmup=warmup,
                        duration=duration,
                        rounds=rounds,
                    )
    finally:
        if not keep:
            shutil.rmtree(instance, ignore_errors=True)
    targets_run = [t for t in _targets(signatures) if t.key in results and t.reference in results]
    verdicts = report.judge(targets_run, results)
    machine = report.describe_machine(
        "PostgreSQL" if database_url else "SQLite", prepared.server_version
    )
    settings = {
        "Code": codes[0]
        if len(set(codes)) == 1
        else "; ".join(f"server {n}: {code}" for n, code in enumerate(codes, 1)),
        "Server": f"gunicorn, {WORKERS} sync workers, {HOST}"
        + ("; a second one with CAMPAIGN_MICROCACHE_SECONDS=0 for the rows so marked" * uncached),
        "Load": (
            f"{clients} client processes, {rounds} rounds x ({warmup:g} s warm-up + "
            f"{duration:g} s measured) per endpoint"
        ),
        "Big petition": f"{signatures:,} confirmed signatures",
        "Load average (1, 5, 15 min)": (
            f"{load_average(load_before)} before, {load_average(os.getloadavg())} after"
        ),
    }
    report.write_results(
        output,
        machine=machine,
        settings=settings,
        results=results,
        verdicts=verdicts,
        notes=_notes(prepared, signatures, results),
    )
    click.echo("\n".join(["", *report.results_table(results.values()), ""]))
    click.echo("\n".join([*report.targets_table(verdicts, results), ""]))
    click.echo(f"Written to {output}; server logs in {work}")
    if any(result.errors for result in results.values()):
        say("Some requests failed (see the notes in the results): the figures are suspect.")
        sys.exit(1)
    if check and not all(verdict.passed for verdict in verdicts):
        sys.exit(1)


def _record(
    result: report.EndpointResult,
    client_results: list[load.ClientResult],
    server_cpu: float,
    machine_cpu: float,
    duration: float,
) -> None:
    completed = sum(client.completed for client in client_results)
    client_cpu = sum(client.cpu_seconds for client in client_results)
    result.other_cpu += max(0.0, machine_cpu - server_cpu - client_cpu)
    result.rounds_rps.append(completed / duration)
    result.completed += completed
    result.seconds += duration
    result.server_cpu += server_cpu
    result.client_cpu += client_cpu
    for client in client_results:
        result.errors += client.errors
        result.latencies.extend(client.latencies)
        room = load.ERROR_SAMPLES_KEPT - len(result.error_samples)
        result.error_samples.extend(client.error_samples[: max(room, 0)])


if __name__ == "__main__":
    main()
