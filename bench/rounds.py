"""Interleaved rounds: every endpoint, on whichever server answers it, once per round.

An endpoint is a load.Target bound to a running server (the app, the app with the
micro-cache off, the bare Flask app, or whatever a later bench adds). Each round measures
every endpoint once, one after the other, in the order given (reversed every other round, so
no endpoint always follows the same one); the figure of an endpoint is the median over its
rounds. A slow minute on the shared machine then lands on every endpoint of that round
instead of on one endpoint's whole measurement.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from multiprocessing.pool import Pool

from bench import load
from bench.report import EndpointResult
from bench.server import HOST, Gunicorn, machine_busy_seconds

# Seconds between starting the clients and the first request, and slack for once-only links.
START_DELAY = 0.3


class LinkSupply:
    """Once-only paths (confirmation links), handed out in slices: one per client and window,
    big enough for ``rate`` requests per second from all clients together. Unused paths of a
    slice are dropped, never handed out again."""

    def __init__(self, paths: Sequence[str], rate: float):
        self.paths = list(paths)
        self.rate = rate
        self.handed_out = 0

    @staticmethod
    def needed(rate: float, windows_seconds: float) -> int:
        """How many paths windows adding up to ``windows_seconds`` (warm-ups included) use."""
        return math.ceil(rate * windows_seconds) + 1

    def take(self, clients: int, seconds: float) -> list[tuple[str, ...]]:
        each = math.ceil(self.rate * seconds / clients)
        slices = []
        for _ in range(clients):
            start = self.handed_out
            self.handed_out = min(len(self.paths), start + each)
            slices.append(tuple(self.paths[start : self.handed_out]))
        return slices


@dataclass(frozen=True)
class Endpoint:
    """A target and the server that answers it (and its once-only paths, if any)."""

    target: load.Target
    server: Gunicorn
    links: LinkSupply | None = None


@dataclass
class Rounds:
    """What a series of rounds measured, and how busy the machine was meanwhile."""

    results: dict[str, EndpointResult]
    load_averages: list[float] = field(default_factory=list)  # 1-minute, at each round's start


def _measure(
    pool: Pool,
    endpoint: Endpoint,
    *,
    clients: int,
    warmup: float,
    duration: float,
    run_tag: str,
) -> tuple[list[load.ClientResult], float, float]:
    """One window on one endpoint: the clients' results, the server's and the machine's CPU."""
    server, target = endpoint.server, endpoint.target
    start_at = time.monotonic() + START_DELAY
    paths: list[tuple[str, ...]] = [()] * clients
    if endpoint.links is not None:
        paths = endpoint.links.take(clients, warmup + duration + START_DELAY)
    jobs = [
        load.Job(
            HOST,
            server.port,
            target,
            start_at,
            warmup,
            duration,
            f"{run_tag}c{index}",
            paths=paths[index],
        )
        for index in range(clients)
    ]
    pending = pool.map_async(load.run_client, jobs, chunksize=1)
    time.sleep(max(0.0, start_at + warmup - time.monotonic()))
    cpu_before, busy_before = server.cpu_seconds(), machine_busy_seconds()
    time.sleep(max(0.0, start_at + warmup + duration - time.monotonic()))
    cpu_after, busy_after = server.cpu_seconds(), machine_busy_seconds()
    results = pending.get(timeout=warmup + duration + 120)
    return results, cpu_after - cpu_before, busy_after - busy_before


def run_rounds(
    endpoints: Sequence[Endpoint],
    *,
    clients: int,
    warmup: float,
    duration: float,
    rounds: int,
    progress: Callable[[str], None],
) -> Rounds:
    """Warm every endpoint up, then measure them all, round after round."""
    measured = Rounds(
        {e.target.key: EndpointResult(e.target.key, e.target.label) for e in endpoints}
    )
    run_tag = secrets.token_hex(4)
    with multiprocessing.get_context("spawn").Pool(clients) as pool:
        # Both workers of each server load templates, translations and country names on first use.
        progress("  warming every server up on every endpoint")
        for endpoint in endpoints:
            warm, _, _ = _measure(
                pool, endpoint, clients=clients, warmup=0.0, duration=0.5, run_tag=run_tag
            )
            measured.results[endpoint.target.key].answered += sum(c.answered for c in warm)
        for number in range(1, rounds + 1):
            measured.load_averages.append(os.getloadavg()[0])
            for endpoint in endpoints if number % 2 else endpoints[::-1]:
                client_results, server_cpu, machine_cpu = _measure(
                    pool,
                    endpoint,
                    clients=clients,
                    warmup=warmup,
                    duration=duration,
                    run_tag=f"{run_tag}r{number}",
                )
                result = measured.results[endpoint.target.key]
                record(result, client_results, server_cpu, machine_cpu, duration)
                errors = f"  ({result.errors} errors so far)" if result.errors else ""
                progress(
                    f"  round {number}/{rounds}  {endpoint.target.label:<48} "
                    f"{result.rounds_rps[-1]:>8,.0f} req/s{errors}"
                )
    return measured


def record(
    result: EndpointResult,
    client_results: list[load.ClientResult],
    server_cpu: float,
    machine_cpu: float,
    duration: float,
) -> None:
    """Add one window's figures to the endpoint's."""
    completed = sum(client.completed for client in client_results)
    client_cpu = sum(client.cpu_seconds for client in client_results)
    result.other_cpu += max(0.0, machine_cpu - server_cpu - client_cpu)
    result.rounds_rps.append(completed / duration)
    result.completed += completed
    result.answered += sum(client.answered for client in client_results)
    result.seconds += duration
    result.server_cpu += server_cpu
    result.client_cpu += client_cpu
    for client in client_results:
        result.errors += client.errors
        result.latencies.extend(client.latencies)
        room = load.ERROR_SAMPLES_KEPT - len(result.error_samples)
        result.error_samples.extend(client.error_samples[: max(room, 0)])
        if client.ran_out:
            result.errors += 1
            if len(result.error_samples) < load.ERROR_SAMPLES_KEPT:
                result.error_samples.append(
                    "a client used up its once-only links before the window ended "
                    "(the figure is too low: raise LINK_RATE in bench/run.py)"
                )
