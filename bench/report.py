"""Figures, targets and the machine: the console tables and bench/RESULTS.md's web sections."""

from __future__ import annotations

import os
import platform
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from bench.common import load_average, markers, replace_section

# "As fast with 1,000,000 signatures as with 10": within this fraction, to allow for noise.
SAME_SPEED = 0.9

# The marker names of the web benchmark's sections in RESULTS.md.
SECTION = "web-bench"
METHOD_SECTION = "web-bench-method"

METHOD = f"""\
## Web throughput: the method

`make bench` runs `python -m bench.run` (bench/run.py; `BENCH_QUICK=1` or `--quick` for a
short run), which measures, on SQLite and then on PostgreSQL (the server in
`BENCH_POSTGRES_URL`, where it creates and drops its scratch databases), the requests per
second of the app's hot paths against a **bare Flask app in its own process**
(bench/bare_app.py: Flask and Flask-SQLAlchemy, one table, nothing of campaign_app):

- bare **hello** (`GET /hello`, a few bytes of text, no database) and bare **insert**
  (`POST /insert`: one ORM row added, one commit, 201);
- the **petition page** (`GET /petitions/<slug>`, as a new visitor: no cookie, so the page
  makes a session and a CSRF token) and the **count API** (`GET /api/v1/petitions/<slug>`),
  on a petition with 10 confirmed signatures and on one with 1,000,000, with the micro-cache
  at its default and again with it off;
- the **signing POST** (each client GETs the page once for a session cookie and its CSRF
  token, then POSTs the form with a new e-mail address every time; 302 to "check your
  e-mail");
- **opening the confirmation link** (`GET /petitions/<slug>/confirm/<token>`, 200): every
  request confirms a different pending signature. The runner writes the pending signatures
  beforehand (on a third petition, so the other two keep their counts) and makes their links
  with the app's own token function, URL map and SECRET_KEY; each client gets a fresh slice
  of unused links for every window, so no link is opened twice (a second opening takes the
  cheaper "already confirmed" path). Afterwards the petition's confirmed rows, its counter
  and its hourly counter must each have grown by exactly the number of 200s, or the run
  fails.

**Servers.** Three gunicorns side by side, each with the same command and options
(`gunicorn --workers 2 --bind 127.0.0.1:<port> <app>`, sync workers, the README's deployment
command with 2 workers for 2 cores): the app
(`wsgi:app`), the app with `CAMPAIGN_MICROCACHE_SECONDS=0` (the rows marked "micro-cache
off"), and the bare app (`bench.bare_app:create_app()`). The app's database is made by the
Alembic migrations; rate limits are off, everything else at its defaults. The bare app uses
its own database on the same server: a SQLite file in the same instance folder (WAL,
synchronous=NORMAL, as the app sets them), or its own database on the same PostgreSQL
server (Flask-SQLAlchemy's default pool). The million signatures are confirmed rows
(names and address encrypted by the column types, as signing stores them) written with the
driver's batched `executemany`; the sharded counter holds their exact per-country totals
spread over the 16 shards as a surge leaves them, then folded into one row per country by
the worker's job (`petitions.jobs.fold_counters`, which a running site's worker does every
minute), checked with the app's recount logic before and after the fold.

**Client.** Loopback; the same few lines of socket code for every endpoint: N closed-loop
client processes (`--clients`, default 4), each sending one request at a time on a new TCP
connection (the sync workers close it after each response anyway) and reading the response
to the end; any other status than the expected one is an error.

**Rounds.** After a short warm-up of every endpoint, every endpoint is measured once per
round, one after the other, the two sides of each ratio side by side (bare hello, page at
10, page at a million, count API at 10 and at a million, bare insert, signing, confirmation
link, then the same pages and counts with the micro-cache off; the order reversed every
other round), each measurement a warm-up and then a fixed window in which only
requests that finish count. The figure of an endpoint is the **median over the rounds**, and
each ratio is the median of the endpoint over the median of its bare baseline from the same
run. Client, servers and every other program on the machine share the CPUs, so requests per
second include the client's cost and whatever else runs; the load average before and after
each database's rounds is written beside its tables. *Server CPU per request* (user + system
time of that gunicorn's processes over the requests it served) depends much less on other
programs; the targets' "by server CPU" column is the baseline's CPU per request over the
endpoint's (a second opinion, not the verdict). *Other CPU* is what the rest of the machine
used during the windows, in cores (2 means another program took both CPUs). "As fast with
1,000,000 as with 10" is met at >= {SAME_SPEED:.1f} x.
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
    answered: int = 0  # every expected response, warm-ups and requests outside windows too

    @property
    def rps(self) -> float:
        """The median round."""
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
    """``key`` must reach ``factor`` x ``reference`` in (median) requests per second."""

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
        if target.key not in results or target.reference not in results:
            continue
        measured, reference = results[target.key], results[target.reference]
        ratio = measured.rps / reference.rps if reference.rps else 0.0
        cpu_ratio = (
            reference.server_cpu_ms / measured.server_cpu_ms if measured.server_cpu_ms else 0.0
        )
        verdicts.append(Verdict(target, ratio, cpu_ratio))
    return verdicts


@dataclass
class DatabaseRun:
    """One database's share of the run."""

    name: str  # "SQLite" or "PostgreSQL"
    version: str
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float]
    load_during: list[float]  # 1-minute load average at the start of each round
    results: dict[str, EndpointResult]
    verdicts: list[Verdict]
    notes: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # what took how long

    @property
    def errors(self) -> int:
        return sum(result.errors for result in self.results.values())


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


def describe_machine() -> dict[str, str]:
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
        "Cores (nproc)": f"{usable} usable of {os.cpu_count()}",
        "Memory": memory,
        "OS": f"{_first_line('/etc/os-release', 'PRETTY_NAME')}, Linux {platform.release()}",
        "Python": platform.python_version(),
        "Packages": ", ".join(
            f"{name} {_version(name)}"
            for name in (
                "gunicorn",
                "flask",
                "flask-sqlalchemy",
                "werkzeug",
                "sqlalchemy",
                "jinja2",
                "psycopg",
            )
        ),
    }


def _fmt_ms(value: float) -> str:
    return "n/a" if value != value else f"{value:.2f}"  # NaN check


def results_table(results: Iterable[EndpointResult]) -> list[str]:
    """Markdown table of the endpoints."""
    lines = [
        "| endpoint | req/s (median) | every round | median ms | p95 ms | "
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
    """Markdown table of the targets: met or MISS, side by side."""
    lines = [
        "| target | compares | required | measured (median req/s) | by server CPU | result |",
        "|---|---|---:|---:|---:|---|",
    ]
    for verdict in verdicts:
        target = verdict.target
        lines.append(
            f"| {target.name} | {results[target.key].label} / "
            f"{results[target.reference].label} | >= {target.factor:.1f} x | "
            f"{verdict.ratio:.2f} x | {verdict.cpu_ratio:.2f} x | "
            f"{'met' if verdict.passed else 'MISS'} |"
        )
    return lines


def summary(run: DatabaseRun) -> str:
    """'SQLite: 6 of 9 targets met; missed: a (0.31 x), b (0.12 x).'"""
    missed = [v for v in run.verdicts if not v.passed]
    text = f"{run.name}: {len(run.verdicts) - len(missed)} of {len(run.verdicts)} targets met"
    if missed:
        text += "; missed: " + ", ".join(f"{v.target.name} ({v.ratio:.2f} x)" for v in missed)
    return text + "."


def database_lines(run: DatabaseRun) -> list[str]:
    """One database's tables, its load averages and its summary."""
    during = ""
    if run.load_during:
        during = "; 1-minute load at the start of each round: " + " / ".join(
            f"{value:.1f}" for value in run.load_during
        )
    lines = [f"### {run.name}", ""]
    lines += [f"- **Database:** {run.version}"]
    lines += [
        f"- **Load average (1, 5, 15 min):** {load_average(run.load_before)} before, "
        f"{load_average(run.load_after)} after{during}"
    ]
    lines += ["", *results_table(run.results.values())]
    lines += ["", *targets_table(run.verdicts, run.results), "", f"**{summary(run)}**"]
    if run.notes:
        lines += ["", *[f"- {note}" for note in run.notes]]
    return lines


def write_results(
    path: Path,
    *,
    machine: dict[str, str],
    settings: dict[str, str],
    runs: list[DatabaseRun],
) -> None:
    """Write this run as the web sections of RESULTS.md; the other benches' sections stay."""
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    opening, closing = markers(SECTION)
    lines = [opening, f"## Web throughput against a bare Flask app: latest run {when}", ""]
    lines += ["### Machine and settings", ""]
    lines += [f"- **{name}:** {value}" for name, value in (machine | settings).items()]
    lines += ["", *[summary(run) for run in runs], ""]
    for run in runs:
        lines += [*database_lines(run), ""]
    lines.append(closing)
    _write_method(path)
    replace_section(path, SECTION, "\n".join(lines))


def _write_method(path: Path) -> None:
    """The method as its own marked section, right after the file's title. An older file
    had it unmarked between the title and the first section: that text is replaced."""
    opening, closing = markers(METHOD_SECTION)
    text = f"{opening}\n{METHOD}{closing}"
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    if opening in current:
        replace_section(path, METHOD_SECTION, text)
        return
    title, rest = "# Benchmark results\n", current
    if current.startswith(title):
        rest = current.removeprefix(title)
        rest = rest[rest.index("<!-- ") :] if "<!-- " in rest else ""
    path.write_text(f"{title}\n{text}\n\n{rest}", encoding="utf-8")
