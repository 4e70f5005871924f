"""PDF rendering speed and memory: the app against plain reportlab, in one run.

    .venv/bin/python -m bench.pdf_bench [--cards 1000] [--rounds 5] [--single-runs 50]

Measures (d) the whole `flask --app wsgi letters postcards --count 1000` command (4-up,
duplex), process start to exit, on a scratch SQLite instance with the demo campaign, against
(e) bench/plain_postcards.py, a plain reportlab script in its own process drawing the lines of
the very same cards (laid out by the app beforehand, untimed) in the same fonts; then (a)
sheets_pdf writing 1,000 made-up A6 postcards as 250 duplex A4 sheets (500 pages) to a file
against (b) the plain script's drawing code on the same strings, each timed inside a fresh
subprocess; and (c) postcard_pdf for one card, median of many runs. (d) and (e), then (a) and
(b), run alternately, `--rounds` times each; medians count, every round is listed, and the load
average is recorded (other programs share the machine). Peak memory is a process's peak RSS
(ru_maxrss), Python and the imports included. (d) and (e) find their byte-code cached, as a
deployed app does (bench.common.with_bytecode; a warm-up run of each writes it). Prints a table
and replaces the "PDF rendering" section of bench/RESULTS.md (between its markers; the rest
belongs to the other benches).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.common import (
    PROJECT_ROOT,
    RESULTS,
    load_average,
    machine_notes,
    new_work_dir,
    replace_section,
    say,
    section,
    server_env,
    verdict,
    with_bytecode,
)

SECTION = "pdf-bench"
RATIO_TARGET, MEMORY_TARGET_MB, SINGLE_TARGET_MS = 2.0, 200.0, 100.0
COMMAND_TARGET = 2.0  # the whole `flask letters postcards` / the plain script, both processes
OCCASION = "birthday"  # the demo campaign's (flask demo load)

ARTWORKS = ("balloons", "snowflake", "candle", "flowers", "blank")
TITLES = ("С днём рождения!", "С Новым годом!", "Мы помним о Вас", "Здоровья и сил!", "")
PHRASES = (
    "Дорогой Алесь!",
    "Поздравляю Вас с днём рождения!",
    "Желаю Вам здоровья, сил и терпения.",
    "У нас в городе уже осень, листья жёлтые и красные.",
    "Мы помним о Вас и думаем о Вас каждый день.",
    "Я читаю хорошую книгу о путешествиях.",
    "Обнимаю Вас.",
)


def make_cards(count: int) -> list[Any]:
    """count different cards (no two messages alike): nothing is cached between cards."""
    from campaign_app.letters.pdf import Address, Card

    address = Address(
        "Беляцкому Алесю Викторовичу",
        ("ИК-2, отряд 14", "ул. Сикорского, 1", "213807, г. Бобруйск", "Могилёвская обл."),
        "Republic of Belarus",
    )
    cards = []
    for n in range(count):
        words = PHRASES[: 3 + n % 5]
        message = " ".join(words) + f" Это открытка номер {n + 1}."
        cards.append(
            Card(
                occasion="birthday",
                front_title=TITLES[n % len(TITLES)],
                message=message,
                signature=("Анна", "Ірына", "Jan", "Мария")[n % 4],
                address=address,
                return_address="" if n % 3 else "Anna Smith\n12 Long Road\nLondon N1 1AA",
                artwork=ARTWORKS[n % len(ARTWORKS)],  # type: ignore[arg-type]
            )
        )
    return cards


def maxrss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux: kilobytes


def run_renderer(cards: list[Any], path: Path) -> tuple[int, float]:
    """(pages, seconds) of sheets_pdf writing the cards as duplex A4 4-up sheets to path."""
    from campaign_app.letters.pdf import sheets_pdf

    started = time.perf_counter()
    with path.open("wb") as out:
        pages = sheets_pdf(cards, out, layout="a4-4up", mode="duplex")
    return pages, time.perf_counter() - started


def plain_data(prepared: Sequence[Any]) -> dict[str, Any]:
    """What bench/plain_postcards.py draws: prepared cards' lines, fonts, sheet geometry."""
    from reportlab.lib.pagesizes import A4

    from campaign_app.fonts import FONT_FILES, font_folder
    from campaign_app.letters.pdf import card as geometry
    from campaign_app.letters.pdf.sheets import mirrored, sheet_geometry

    def block(fitted: Any) -> dict[str, Any] | None:
        if fitted is None:
            return None
        return {
            "font": fitted.font,
            "size": fitted.size,
            "leading": fitted.leading,
            "body": list(fitted.body),
            "tail": list(fitted.tail),
        }

    _, boxes = sheet_geometry("a4-4up")
    folder = font_folder()
    return {
        "fonts": {name: str(folder / filename) for name, filename in FONT_FILES.items()},
        "boxes": [list(box) for box in boxes],
        "back_boxes": [list(mirrored(box, A4[0])) for box in boxes],
        "card_w": geometry.CARD_W,
        "card_h": geometry.CARD_H,
        "divider_x": geometry.DIVIDER_X,
        "address_x": geometry.ADDRESS_X,
        "cards": [
            {
                "title": block(card.title),
                "message": block(card.message),
                "address": block(card.address),
                "return_address": block(card.return_address),
            }
            for card in prepared
        ],
    }


def run_baseline(cards: list[Any], path: Path) -> tuple[int, float]:
    """(pages, seconds) of reportlab's canvas drawing the strings the renderer would draw,
    laid out beforehand (untimed), in the same fonts, with the same rectangles and lines:
    bench/plain_postcards.py's draw()."""
    from bench import plain_postcards
    from campaign_app.letters.pdf import card as geometry

    data = plain_data([geometry.prepare_card(card) for card in cards])
    started = time.perf_counter()
    pages = plain_postcards.draw(data, str(path))
    return pages, time.perf_counter() - started


def child(kind: str, count: int) -> dict[str, Any]:
    """One measured run in this (fresh) process: fonts registered and cards built untimed."""
    from campaign_app.fonts import register_fonts

    register_fonts()
    cards = make_cards(count)
    rss_before = maxrss_mb()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{kind}.pdf"
        run = run_renderer if kind == "renderer" else run_baseline
        pages, seconds = run(cards, path)
        size = path.stat().st_size
    return {
        "kind": kind,
        "seconds": seconds,
        "pages": pages,
        "bytes": size,
        "rss_before_mb": rss_before,
        "peak_rss_mb": maxrss_mb(),
    }


def spawn(kind: str, count: int) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-m", "bench.pdf_bench", "--child", kind, "--cards", str(count)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    figures: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    figures["children_peak_rss_mb"] = maxrss_mb(resource.RUSAGE_CHILDREN)
    return figures


def command_data(count: int, data_path: Path) -> None:
    """(In a child with the bench instance's settings) the lines of the very cards
    `flask letters postcards` prints, laid out by the app, for bench/plain_postcards.py."""
    from campaign_app import create_app
    from campaign_app.letters import designs, printing
    from campaign_app.letters.pdf import card as geometry

    app = create_app()
    with app.app_context():
        batch = printing.plan_batch(
            printing.BatchInput((), OCCASION, count, design=designs.VARIED, language="")
        )
        prepared = [geometry.prepare_card(card) for card in batch.cards]
    data_path.write_text(json.dumps(plain_data(prepared)), encoding="utf-8")


def timed_process(
    args: Sequence[str], env: dict[str, str], log: Path
) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds (user + system), peak RSS in MB) of one process, from its
    start to its exit."""
    with log.open("wb") as errors:
        started = time.perf_counter()
        process = subprocess.Popen(
            args, cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=errors
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{log.read_text(errors='replace')}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def pdf_pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


def whole_command(count: int, rounds: int) -> dict[str, Any]:
    """`flask letters postcards` against the plain script, each a whole process, alternately;
    on a scratch SQLite instance with the demo campaign."""
    work = new_work_dir("postcards")
    env = with_bytecode(os.environ | server_env(work / "instance", ""))
    flask = [str(Path(sys.executable).parent / "flask"), "--app", "wsgi"]
    log = work / "stderr.txt"
    say(f"Setting up {work} (migrations, demo campaign) ...")
    for step in (["db", "upgrade"], ["demo", "load"]):
        timed_process(flask + step, env, log)
    data = work / "cards.json"
    child_args = ["--child", "command-data", "--cards", str(count), "--data", str(data)]
    timed_process([sys.executable, "-m", "bench.pdf_bench", *child_args], env, log)
    runs: dict[str, list[tuple[float, float, float]]] = {"command": [], "plain": []}
    outputs = {"command": work / "command.pdf", "plain": work / "plain.pdf"}
    command = ["letters", "postcards", "--occasion", OCCASION, "--count", str(count)]
    command += ["--layout", "a4-4up", "--mode", "duplex", "--output", str(outputs["command"])]
    plain = [str(PROJECT_ROOT / "bench" / "plain_postcards.py"), str(data), str(outputs["plain"])]
    args = {"command": [*flask, *command], "plain": [sys.executable, *plain]}
    for kind in args:  # warm-up: byte-code caches written (bench.common.with_bytecode)
        timed_process(args[kind], env, log)
    load_before = os.getloadavg()
    for round_number in range(rounds):
        order = ("command", "plain") if round_number % 2 == 0 else ("plain", "command")
        for kind in order:
            seconds, cpu, rss = timed_process(args[kind], env, log)
            runs[kind].append((seconds, cpu, rss))
            say(f"round {round_number + 1} {kind}: {seconds:.2f} s (CPU {cpu:.2f} s), {rss:.0f} MB")
    return {
        "runs": runs,
        "pages": {kind: pdf_pages(path) for kind, path in outputs.items()},
        "load": (load_before, os.getloadavg()),
    }


def command_rows(count: int, whole: dict[str, Any]) -> list[str]:
    runs = whole["runs"]
    wall, cpu, rss = (
        {kind: statistics.median(run[i] for run in runs[kind]) for kind in runs} for i in range(3)
    )
    every = {kind: " / ".join(f"{run[0]:.2f}" for run in runs[kind]) for kind in runs}
    ratio, cpu_ratio = wall["command"] / wall["plain"], cpu["command"] / cpu["plain"]
    pages = whole["pages"]
    return [
        "| whole process, start to exit (medians of the rounds) | wall | CPU (user + system) "
        "| peak RSS | wall, every round | target | result |",
        "|---|---:|---:|---:|---|---:|---|",
        f"| (d) `flask --app wsgi letters postcards --occasion {OCCASION} --count {count}` "
        f"(4-up, duplex; SQLite, demo campaign): {pages['command']} pages | "
        f"{wall['command']:.2f} s | {cpu['command']:.2f} s | {rss['command']:.0f} MB | "
        f"{every['command']} s | | |",
        f"| (e) bench/plain_postcards.py: plain reportlab script, the same {count:,} cards' "
        f"lines, same fonts, its own process: {pages['plain']} pages | {wall['plain']:.2f} s "
        f"| {cpu['plain']:.2f} s | {rss['plain']:.0f} MB | {every['plain']} s | | |",
        f"| (d) / (e) | {ratio:.2f} x | {cpu_ratio:.2f} x | | | <= {COMMAND_TARGET:g} x "
        f"(wall) | {verdict(ratio <= COMMAND_TARGET and pages['command'] == pages['plain'])} |",
        "",
        f"Load average (1, 5, 15 min) {load_average(whole['load'][0])} / "
        f"{load_average(whole['load'][1])} (before / after the rounds): other programs share "
        "the CPUs; the CPU column is less sensitive to them than the wall column.",
    ]


def single_card(runs: int) -> dict[str, float]:
    from campaign_app.letters.pdf import postcard_pdf

    (card,) = make_cards(1)
    started = time.perf_counter()
    postcard_pdf(card)  # registers the fonts: the cost a worker pays once
    first = time.perf_counter() - started
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        postcard_pdf(card)
        times.append(time.perf_counter() - started)
    return {
        "first_ms": first * 1000,
        "median_ms": statistics.median(times) * 1000,
        "max_ms": max(times) * 1000,
        "runs": runs,
    }


def report(
    count: int, renderer: list[dict[str, Any]], baseline: list[dict[str, Any]], one: dict[str, Any]
) -> list[str]:
    seconds_a = statistics.median(r["seconds"] for r in renderer)
    seconds_b = statistics.median(r["seconds"] for r in baseline)
    ratio = seconds_a / seconds_b
    first = renderer[0]
    peak = max(r["peak_rss_mb"] for r in renderer)
    rounds_a = " / ".join(f"{r['seconds']:.2f}" for r in renderer)
    rounds_b = " / ".join(f"{r['seconds']:.2f}" for r in baseline)
    sheets = first["pages"] // 2
    rows = [
        "| in one process, rendering only (median of the rounds) | figure | every round | "
        "target | result |",
        "|---|---:|---|---:|---|",
        f"| (a) sheets_pdf: {count:,} postcards, {sheets} duplex A4 sheets ({first['pages']} "
        f"pages), {first['bytes'] / 1e6:.1f} MB PDF | {seconds_a:.2f} s "
        f"({1000 * seconds_a / count:.2f} ms a card) | {rounds_a} s | | |",
        f"| (b) plain reportlab canvas: same strings, fonts, boxes, {baseline[0]['pages']} pages "
        f"| {seconds_b:.2f} s | {rounds_b} s | | |",
        f"| (a) / (b) | {ratio:.2f} x | | <= {RATIO_TARGET:g} x | "
        f"{verdict(ratio <= RATIO_TARGET)} |",
        f"| peak memory of (a): whole process, peak RSS (before rendering: "
        f"{first['rss_before_mb']:.0f} MB) | {peak:.0f} MB | | < {MEMORY_TARGET_MB:g} MB | "
        f"{verdict(peak < MEMORY_TARGET_MB)} |",
        f"| one postcard_pdf (2 pages), median of {one['runs']} (first call, with font "
        f"loading: {one['first_ms']:.0f} ms) | {one['median_ms']:.1f} ms | max "
        f"{one['max_ms']:.1f} ms | < {SINGLE_TARGET_MS:g} ms | "
        f"{verdict(one['median_ms'] < SINGLE_TARGET_MS)} |",
    ]
    return rows


def method(rounds: int) -> str:
    """How the section's figures were made."""
    return (
        "`.venv/bin/python -m bench.pdf_bench` (bench/pdf_bench.py; its docstring has the "
        "method). First the whole command: `flask letters postcards` printing 1,000 cards of "
        "the demo campaign (SQLite) as a user runs it, against bench/plain_postcards.py, a plain "
        "reportlab script drawing the lines of the same 1,000 cards (laid out by the app "
        "beforehand) in the same fonts, each a whole process from start to exit (Python "
        "starting, imports, font loading, drawing, writing the file), alternately, "
        f"{rounds} rounds, medians. Then rendering alone: 1,000 different made-up cards (5 "
        "artworks, messages of 3-7 phrases plus a number, a third with a return address), "
        "(a) the app's renderer and (b) the same plain drawing code, each timed inside a fresh "
        f"subprocess, alternately, {rounds} rounds, medians. (b) draws the same lines in the "
        "same fonts and sizes with the same rectangles and lines, but no glyph check, no "
        "fitting and no artwork (one rectangle stands for it), so (a) / (b) is the cost of all "
        "of that. Peak memory is the peak RSS of the whole process."
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--cards", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--single-runs", type=int, default=50)
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument(
        "--child", choices=("renderer", "baseline", "command-data"), help=argparse.SUPPRESS
    )
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child == "command-data":
        command_data(args.cards, args.data)
        return 0
    if args.child:
        print(json.dumps(child(args.child, args.cards)))
        return 0

    whole = whole_command(args.cards, args.rounds)
    load_before = os.getloadavg()
    renderer: list[dict[str, Any]] = []
    baseline: list[dict[str, Any]] = []
    for round_number in range(args.rounds):
        order = ("renderer", "baseline") if round_number % 2 == 0 else ("baseline", "renderer")
        for kind in order:
            figures = spawn(kind, args.cards)
            (renderer if kind == "renderer" else baseline).append(figures)
            say(
                f"round {round_number + 1} {kind}: {figures['seconds']:.2f} s, "
                f"peak RSS {figures['peak_rss_mb']:.0f} MB"
            )
    one = single_card(args.single_runs)
    load_after = os.getloadavg()
    rows = [
        *command_rows(args.cards, whole),
        "",
        *report(args.cards, renderer, baseline, one),
        "",
        f"Load average {load_average(load_before)} / {load_average(load_after)} (before / "
        "after the rendering rounds).",
    ]
    print("\n".join(rows))
    if not args.no_write:
        import reportlab

        machine = machine_notes(f"reportlab {reportlab.Version}")
        text = section(SECTION, "PDF rendering", method(args.rounds), rows, machine)
        replace_section(args.results, SECTION, text)
        say(f"\nwrote the PDF rendering section of {args.results}")
    failed = any(row.endswith("FAIL |") for row in rows)
    return 1 if failed and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
