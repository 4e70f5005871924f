"""Figures, targets and the machine: the console table and bench/RESULTS.md."""

from __future__ import annotations

import os
import platform
import sqlite3
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from bench.common import markers, replace_section

# "As fast with 1,000,000 signatures as with 10": within this fraction, to allow for noise.
SAME_SPEED = 0.9

METHOD = f"""\
# Benchmark results

`make bench` (`python -m bench.run`) measures, in one run and against one server set-up,
the requests per second of:

- two **ceilings**, routes that exist only in `bench/app.py` and go through the same app,
  middleware and database engine as the real endpoints: `GET /_bench/hello` (a few bytes of
  text, no database) and `POST /_bench/insert` (one row into a bench-only table, one commit);
- the **petition page** (`GET /petitions/<slug>`, as a new visitor: no cookie, so the page
  makes a session and a CSRF token), the **count API** (`GET /api/v1/petitions/<slug>`), and
  the **full signing POST** (form with CSRF token, validation, insert, mail job queued in
  Huey's SQLite queue, 302 to "check your e-mail"), each on a petition with 10 confirmed
  signatures and on one with 1,000,000.

**Server.** gunicorn, 2 sync workers, on 127.0.0.1, `bench.app:create_bench_app()`
(campaign_app's factory plus the two ceiling routes). Database made by the Alembic
migrations; SQLite in a fresh instance folder under `bench/.work/` unless `--database-url`
names PostgreSQL. Rate limits off (`CAMPAIGN_RATELIMIT_ENABLED=0`), everything else at its
defaults. The million signatures are confirmed rows written with batched `executemany`, and
the sharded counter holds their exact per-country totals (checked with the app's recount
logic before the run).

**Micro-cache.** The app keeps each rendered petition page (with a fresh CSRF token per
visitor) and API answer for `CAMPAIGN_MICROCACHE_SECONDS` per worker. The rows marked
"micro-cache off" come from a second gunicorn, same set-up but with that set to 0, so every
request does all the database and template work; the "as fast with 1,000,000 as with 10"
targets are judged both ways.

**Client.** Loopback only; the same client for every endpoint: N closed-loop client
processes (`--clients`, default 4), each sending one request at a time on a new TCP
connection (gunicorn's sync workers close the connection after each response) and reading
the response to the end. The signing clients GET the page once for a session cookie and a
CSRF token, then POST with a new e-mail address every time and expect a 302; any other
status is an error. After a short warm-up of every endpoint, each measurement is a warm-up
followed by a fixed window, and only requests that finish inside the window count. The
endpoints are measured in interleaved rounds (the order reversed every other round).

**Reading the figures.** The figure is the best round: other programs on the machine can only
slow a round down, so the best round is the closest to what the server itself can do; the
same rule holds for every endpoint, and every round is listed. Latencies are pooled over all
rounds. Client and server share the CPUs, so requests per second include the client's cost
(the same on every endpoint; its CPU use is shown, in cores). *Server CPU per request* (user +
system time of the gunicorn processes over the requests served) depends much less on other
programs and is shown beside each ratio; *other CPU* is what the rest of the machine used
during the windows (in cores; 2 means another program took both CPUs). The targets are
judged on requests per second; "as fast with 1,000,000 as with 10" passes at >= {SAME_SPEED:.1f} x.
"""


@dataclass
class EndpointResult:
    """All rounds of one endpoint."""

    key: str
    label: str
    rounds_rps: list[float] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    completed: int = 0
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    server_cpu: float = 0.0
    client_cpu: float = 0.0
    other_cpu: float = 0.0
    seconds: float = 0.0

    @property
    def rps(self) -> float:
        """The best round: other programs can only slow a round down, never speed it up."""
        return max(self.rounds_rps, default=0.0)

    @property
    def median_rps(self) -> float:
        return statistics.median(self.rounds_rps) if self.rounds_rps else 0.0

    def latency_ms(self, quantile: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return 1000 * ordered[min(len(ordered) - 1, int(quantile * len(ordered)))]

    @property
    def server_cpu_ms(self) -> float:
        return 1000 * self.server_cpu / self.completed if self.completed else float("nan")

    @property
    def client_cores(self) -> float:
        return self.client_cpu / self.seconds if self.seconds else 0.0

    @property
    def other_cores(self) -> float:
        return self.other_cpu / self.seconds if self.seconds else 0.0


@dataclass(frozen=True)
class Target:
    """``key`` must reach ``factor`` x ``reference`` in requests per second."""

    name: str
    key: str
    reference: str
    factor: float


@dataclass(frozen=True)
class Verdict:
    target: Target
    ratio: float
    cpu_ratio: float

    @property
    def passed(self) -> bool:
        return self.ratio >= self.target.factor


def judge(targets: Iterable[Target], results: dict[str, EndpointResult]) -> list[Verdict]:
    """Each target's ratio by requests per second (decisive) and by server CPU per request."""
    verdicts = []
    for target in targets:
        measured, reference = results[target.key], results[target.reference]
        ratio = measured.rps / reference.rps if reference.rps else 0.0
        cpu_ratio = (
            reference.server_cpu_ms / measured.server_cpu_ms if measured.server_cpu_ms else 0.0
        )
        verdicts.append(Verdict(target, ratio, cpu_ratio))
    return verdicts


def _first_line(path: str, prefix: str) -> str:
    try:
        for line in Path(path).read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith(prefix):
                return line.split(":", 1)[-1].split("=", 1)[-1].strip().strip('"')
    except OSError:
        pass
    return "unknown"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def describe_machine(database: str, server_version: str) -> dict[str, str]:
    """What the figures were measured on."""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    memory_kb = _first_line("/proc/meminfo", "MemTotal").split()[0]
    memory = f"{int(memory_kb) / 1024 / 1024:.1f} GiB" if memory_kb.isdigit() else "unknown"
    flags = _first_line("/proc/cpuinfo", "flags").split()
    cpu = _first_line("/proc/cpuinfo", "model name")
    mhz = _first_line("/proc/cpuinfo", "cpu MHz")
    cpu += f", {float(mhz):.0f} MHz" if mhz.replace(".", "", 1).isdigit() else ""
    cpu += ", virtual machine" if "hypervisor" in flags else ""
    return {
        "CPU": cpu,
        "CPUs (nproc)": f"{usable} usable of {os.cpu_count()}",
        "Memory": memory,
        "OS": f"{_first_line('/etc/os-release', 'PRETTY_NAME')}, Linux {platform.release()}",
        "Python": platform.python_version(),
        "SQLite": sqlite3.sqlite_version,
        "Database": f"{database} {server_version}".strip(),
        "Packages": ", ".join(
            f"{name} {_version(name)}"
            for name in ("gunicorn", "flask", "werkzeug", "sqlalchemy", "jinja2", "huey")
        ),
    }


def _fmt_ms(value: float) -> str:
    return "n/a" if value != value else f"{value:.2f}"  # NaN check


def results_table(results: Iterable[EndpointResult]) -> list[str]:
    """Markdown table of the endpoints."""
    lines = [
        "| endpoint | req/s (best round) | every round | median ms | p95 ms | "
        "server CPU ms/req | client CPU | other CPU | errors |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        rounds = " / ".join(f"{rps:.0f}" for rps in result.rounds_rps)
        lines.append(
            f"| {result.label} | {result.rps:,.0f} | {rounds} | "
            f"{_fmt_ms(result.latency_ms(0.5))} | {_fmt_ms(result.latency_ms(0.95))} | "
            f"{_fmt_ms(result.server_cpu_ms)} | {result.client_cores:.2f} | "
            f"{result.other_cores:.2f} | {result.errors} of {result.completed} |"
        )
    return lines


def targets_table(verdicts: Iterable[Verdict], results: dict[str, EndpointResult]) -> list[str]:
    """Markdown table of the targets."""
    lines = [
        "| target | compares | required | measured (req/s) | by server CPU | result |",
        "|---|---|---:|---:|---:|---|",
    ]
    for verdict in verdicts:
        target = verdict.target
        lines.append(
            f"| {target.name} | {results[target.key].label} / "
            f"{results[target.reference].label} | >= {target.factor:.1f} x | "
            f"{verdict.ratio:.2f} x | {verdict.cpu_ratio:.2f} x | "
            f"{'PASS' if verdict.passed else '**FAIL**'} |"
        )
    return lines


# The marker name of the web benchmark's section in RESULTS.md.
SECTION = "web-bench"


def write_results(
    path: Path,
    *,
    machine: dict[str, str],
    settings: dict[str, str],
    results: dict[str, EndpointResult],
    verdicts: list[Verdict],
    notes: list[str],
) -> None:
    """Write this run as the web section of RESULTS.md; the other benches' sections stay."""
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    opening, closing = markers(SECTION)
    lines = [opening, f"## Latest run: {when}", "", "### Machine", ""]
    lines += [f"- **{name}:** {value}" for name, value in machine.items()]
    lines += ["", "### Settings", ""]
    lines += [f"- **{name}:** {value}" for name, value in settings.items()]
    lines += ["", "### Endpoints", "", *results_table(results.values())]
    lines += ["", "### Targets", "", *targets_table(verdicts, results)]
    if notes:
        lines += ["", "### Notes", ""]
        lines += [f"- {note}" for note in notes]
    lines.append(closing)
    if not path.exists() or not path.read_text(encoding="utf-8").startswith(METHOD.split("\n")[0]):
        previous = path.read_text(encoding="utf-8") if path.exists() else ""
        path.write_text(METHOD + "\n" + previous, encoding="utf-8")
    replace_section(path, SECTION, "\n".join(lines))
