"""What the benchmarks share: folders, server settings, the scratch database, RESULTS.md sections.

Only the standard library at import time: export_bench and pdf_bench run their measured
subprocesses from their own modules, so whatever this imports counts in their time and memory.
"""

from __future__ import annotations

import base64
import os
import platform
import secrets
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = BENCH_DIR.parent
WORK_DIR = BENCH_DIR / ".work"
RESULTS = BENCH_DIR / "RESULTS.md"
WORKERS = 2  # gunicorn sync workers
DATABASE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}

# The app keeps rendered pages and API answers for a few seconds per worker; with it off,
# every request does the database work, which must not grow with the petition either.
UNCACHED_ENV = {"CAMPAIGN_MICROCACHE_SECONDS": "0"}


def quick_run() -> bool:
    """``BENCH_QUICK=1`` (``make bench BENCH_QUICK=1``): each bench's short variant."""
    return os.environ.get("BENCH_QUICK", "") not in ("", "0")


def with_bytecode(env: Mapping[str, str]) -> dict[str, str]:
    """``env`` for a timed Python process, with byte-code caches as a deployment has them.

    ``pip install .`` (the README's deployment) writes every module's byte-code at install,
    so a deployed app never compiles its modules at start. In a checkout Python writes the
    caches on the first run, unless PYTHONDONTWRITEBYTECODE is set (as in some shells and
    containers), when every start compiles the app's 170-odd modules again (about a tenth of
    a second of `flask --help`). So the timed processes keep their caches under
    bench/.work/pycache (PYTHONPYCACHEPREFIX: out of the source tree), written by a warm-up
    run; what they time is a start as deployed.
    """
    cached = {name: value for name, value in env.items() if name != "PYTHONDONTWRITEBYTECODE"}
    return cached | {"PYTHONPYCACHEPREFIX": str(WORK_DIR / "pycache")}


def say(message: str) -> None:
    """Progress for the person watching, on stderr (stdout carries the results)."""
    print(message, file=sys.stderr, flush=True)


def verdict(ok: bool) -> str:
    """PASS or FAIL, as the results tables write it."""
    return "PASS" if ok else "FAIL"


def new_work_dir(kind: str) -> Path:
    """A fresh bench/.work/<kind>-<time>/ holding an empty instance/ folder."""
    work = WORK_DIR / f"{kind}-{datetime.now(UTC):%Y%m%d-%H%M%S}"
    (work / "instance").mkdir(parents=True)
    return work


def signer_keys() -> dict[str, str]:
    """New random signer-data keys (one data key, the index key), as production sets them."""
    return {
        "CAMPAIGN_SIGNER_DATA_KEYS": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "CAMPAIGN_SIGNER_INDEX_KEY": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
    }


def server_env(instance: Path, database_url: str) -> dict[str, str]:
    """The app's settings for a bench run (rate limits off); the same for gunicorn."""
    return signer_keys() | {
        "CAMPAIGN_SECRET_KEY": secrets.token_hex(32),
        "CAMPAIGN_INSTANCE_PATH": str(instance),
        "CAMPAIGN_RATELIMIT_ENABLED": "0",
        "CAMPAIGN_SESSION_COOKIE_SECURE": "0",
        "DATABASE_URL": database_url,
    }


@contextmanager
def scratch_database(database_url: str, keep: bool) -> Iterator[None]:
    """Create (and afterwards drop, unless keep) a PostgreSQL scratch database; for SQLite
    (an empty or sqlite: URL) nothing."""
    if not database_url or database_url.startswith("sqlite"):
        yield
        return
    import sqlalchemy as sa

    from bench import data

    say(f"Creating PostgreSQL database {sa.engine.make_url(database_url).database!r} ...")
    data.create_postgres_database(database_url)
    try:
        yield
    finally:
        if not keep:
            data.drop_postgres_database(database_url)


def git_output(*args: str) -> str | None:
    """What a git command prints in the project, stripped; None when git fails."""
    try:
        return subprocess.run(
            ["git", *args], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def load_average(values: Sequence[float]) -> str:
    """'0.52 0.61 0.70': the 1, 5 and 15 minute load averages."""
    return " ".join(f"{value:.2f}" for value in values)


def machine_notes(*extras: str) -> str:
    """CPU model and count, Python (and extras, such as a library's version) and commit."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    software = ", ".join([f"Python {platform.python_version()}", *extras])
    commit = git_output("rev-parse", "--short", "HEAD")
    return f"{cpu}, {os.cpu_count()} CPUs; {software}; commit {commit or 'unknown'}"


def markers(name: str) -> tuple[str, str]:
    """The comments that open and close a bench's section of RESULTS.md."""
    return f"<!-- {name}:start -->", f"<!-- {name}:end -->"


def section(name: str, heading: str, method: str, body: Sequence[str], machine: str = "") -> str:
    """A marked RESULTS.md section: heading, method, when and where it ran, then the body."""
    start, end = markers(name)
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return "\n".join(
        [
            start,
            f"## {heading}",
            "",
            method,
            "",
            f"Latest run: {when}. Machine: {machine or machine_notes()}.",
            "",
            *body,
            end,
        ]
    )


def replace_section(path: Path, name: str, text: str) -> None:
    """Put text in place of the section marked name in path (or append it); keep the rest."""
    start, end = markers(name)
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    if start in current and end in current:
        before, rest = current.split(start, 1)
        updated = before + text + rest.split(end, 1)[1]
    else:
        updated = current.rstrip("\n") + ("\n\n" if current else "") + text + "\n"
    path.write_text(updated, encoding="utf-8")
