"""How fast the app starts and how much memory that takes: the CLI, a web worker's app.

    .venv/bin/python -m bench.startup_bench [--rounds 12]

Runs, alternately, `--rounds` times each, every command in COMMANDS as a whole process from a
scratch instance folder (SQLite; production-like settings with random keys), and takes the wall
time (start to exit), the CPU time (user + system, less sensitive to other programs on the
machine) and the peak RSS of each process (os.wait4). Every process finds its byte-code cached
(bench.common.with_bytecode, written by a warm-up run of each), as a deployed app does. Medians
count; the load average before and after is recorded. Three floors show what no change inside
the app can cut: Python itself, importing the libraries every start needs (Flask, SQLAlchemy
and the Flask extensions), and `flask --help` of a bare Flask app (bench/bare_app.py: Flask and
Flask-SQLAlchemy, two routes; Flask loads its CLI and the installed plugins' commands). Also
lists which of the libraries that only some requests use are loaded at start (none should be;
tests/test_lazy_imports.py fails if one comes back). Prints a table and replaces the "Start-up"
section of bench/RESULTS.md (between its markers).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from bench.common import (
    PROJECT_ROOT,
    RESULTS,
    load_average,
    new_work_dir,
    replace_section,
    say,
    section,
    server_env,
    verdict,
    with_bytecode,
)

SECTION = "startup-bench"
WALL_TARGET_S, RSS_TARGET_MB = 0.4, 60.0
FLOOR_IMPORTS = "import flask, sqlalchemy.orm, flask_sqlalchemy, flask_babel, flask_wtf, "
FLOOR_IMPORTS += "flask_login, flask_limiter"
PYTHON = sys.executable
FLASK = str(Path(sys.executable).parent / "flask")
COMMANDS = {
    "cli": ("`flask --app wsgi --help` (builds the app, lists every command)", [FLASK]),
    "web": ("`python -c 'import wsgi'`: a web worker's app (create_app)", [PYTHON, "-c"]),
    "bare": (
        "floor: `flask --app bench.bare_app:create_app --help`: a bare Flask app's CLI",
        [FLASK, "--app", "bench.bare_app:create_app", "--help"],
    ),
    "libraries": (f"floor: `python -c '{FLOOR_IMPORTS}'`", [PYTHON, "-c", FLOOR_IMPORTS]),
    "python": ("floor: `python -c pass`", [PYTHON, "-c", "pass"]),
}
COMMANDS["cli"][1].extend(["--app", "wsgi", "--help"])
COMMANDS["web"][1].append("import wsgi")
# Used by some requests or commands only: none of them should load at start
# (tests/test_lazy_imports.py fails the suite if one of its list does).
WATCHED = (
    "reportlab",
    "PIL",
    "xlsxwriter",
    "markdown_it",
    "nh3",
    "segno",
    "yaml",
    "flask_migrate",
    "alembic",
    "huey",
    "redis",
    "psycopg",
    "email_validator",
    "cryptography",
)


def run_once(args: Sequence[str], env: dict[str, str]) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak RSS MB) of one process."""
    started = time.perf_counter()
    process = subprocess.Popen(
        args, cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    errors = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed: {errors}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def loaded_at_start(env: dict[str, str]) -> list[str]:
    code = (
        "import json, sys, wsgi; "
        f"print(json.dumps([name for name in {WATCHED!r} if name in sys.modules]))"
    )
    done = subprocess.run(
        [PYTHON, "-c", code], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=True
    )
    names: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return names


def measure(rounds: int) -> dict[str, object]:
    work = new_work_dir("startup")
    env = with_bytecode(os.environ | server_env(work / "instance", ""))
    env["BARE_DATABASE_URL"] = "sqlite://"  # the bare app's floor (never touches it)
    for args in (command for _, command in COMMANDS.values()):
        run_once(args, env)  # warm-up: byte-code caches written, files in the page cache
    runs: dict[str, list[tuple[float, float, float]]] = {name: [] for name in COMMANDS}
    load_before = os.getloadavg()
    for round_number in range(rounds):
        names = list(COMMANDS)
        if round_number % 2:
            names.reverse()
        for name in names:
            runs[name].append(run_once(COMMANDS[name][1], env))
        cli = runs["cli"][-1]
        say(f"round {round_number + 1}: flask --help {cli[0]:.2f} s, {cli[2]:.0f} MB")
    return {
        "runs": runs,
        "load": (load_before, os.getloadavg()),
        "loaded": loaded_at_start(env),
    }


def report(figures: dict[str, object], rounds: int) -> list[str]:
    runs: dict[str, list[tuple[float, float, float]]] = figures["runs"]  # type: ignore[assignment]
    rows = [
        f"| process (median of {rounds}) | wall | CPU | peak RSS | wall, every round | target "
        "| result |",
        "|---|---:|---:|---:|---|---|---|",
    ]
    for name, (label, _) in COMMANDS.items():
        wall = statistics.median(r[0] for r in runs[name])
        cpu = statistics.median(r[1] for r in runs[name])
        rss = statistics.median(r[2] for r in runs[name])
        every = " / ".join(f"{r[0]:.2f}" for r in runs[name])
        target = result = ""
        if name == "cli":
            target = f"<= {WALL_TARGET_S:g} s, <= {RSS_TARGET_MB:g} MB"
            result = verdict(wall <= WALL_TARGET_S and rss <= RSS_TARGET_MB)
        rows.append(
            f"| {label} | {wall:.2f} s | {cpu:.2f} s | {rss:.0f} MB | {every} | {target} | "
            f"{result} |"
        )
    loaded: list[str] = figures["loaded"]  # type: ignore[assignment]
    before, after = figures["load"]  # type: ignore[misc]
    rows += [
        "",
        "Loaded by `import wsgi`, of the libraries only some requests or commands use: "
        + (", ".join(loaded) if loaded else "none")
        + ".",
        "",
        f"Load average (1, 5, 15 min) {load_average(before)} / {load_average(after)} (before / "
        "after the rounds): other programs share the CPUs; the CPU column is less sensitive "
        "to them than the wall column.",
    ]
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=12)
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    figures = measure(args.rounds)
    rows = report(figures, args.rounds)
    print("\n".join(rows))
    if not args.no_write:
        method = (
            "`.venv/bin/python -m bench.startup_bench` (bench/startup_bench.py; its docstring "
            f"has the method). Each process in turn, {args.rounds} rounds, medians; wall time "
            "from start to exit, CPU time (user + system) and peak RSS from os.wait4."
        )
        replace_section(args.results, SECTION, section(SECTION, "Start-up", method, rows))
        say(f"\nwrote the Start-up section of {args.results}")
    failed = any(row.endswith("FAIL |") for row in rows)
    return 1 if failed and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
