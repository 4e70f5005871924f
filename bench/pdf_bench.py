"""PDF rendering speed and memory: the renderer against reportlab's plain canvas, in one run.

    .venv/bin/python -m bench.pdf_bench [--cards 1000] [--rounds 3] [--single-runs 50]

Measures (a) sheets_pdf writing 1,000 A6 postcards as 250 duplex A4 sheets (500 pages) to a
file, (b) a baseline: reportlab's canvas drawing the same strings (the lines (a) laid out,
fitted beforehand), the same fonts and the same rectangles and lines on as many pages, with no
checking or fitting, and (c) postcard_pdf for one card, median of many runs. (a) and (b) each
run in a fresh subprocess, alternately, `--rounds` times; the best round of each counts (other
programs can only slow a round down). Peak memory is the subprocess's peak RSS (ru_maxrss) over
the whole (a) run, Python and the imports included. Prints a table and replaces the
"PDF rendering" section of bench/RESULTS.md (between its markers; the rest is bench/run.py's).
"""

from __future__ import annotations

import argparse
import json
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
    machine_notes,
    replace_section,
    say,
    section,
    verdict,
)

SECTION = "pdf-bench"
RATIO_TARGET, MEMORY_TARGET_MB, SINGLE_TARGET_MS = 2.0, 200.0, 100.0

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


def run_baseline(cards: list[Any], path: Path) -> tuple[int, float]:
    """(pages, seconds) of reportlab's canvas drawing the strings the renderer would draw,
    laid out beforehand (untimed), in the same fonts, with the same rectangles and lines."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    from campaign_app.letters.pdf import card as geometry
    from campaign_app.letters.pdf.sheets import mirrored, sheet_geometry

    prepared = [geometry.prepare_card(card) for card in cards]
    _, boxes = sheet_geometry("a4-4up")
    back_boxes = [mirrored(box, A4[0]) for box in boxes]

    started = time.perf_counter()
    canvas = Canvas(str(path), pagesize=A4, invariant=1, pageCompression=1)
    pages = 0
    for start in range(0, len(prepared), 4):
        group = prepared[start : start + 4]
        for card, (x, y) in zip(group, boxes, strict=False):
            canvas.rect(x + 6 * mm, y + 40 * mm, 93 * mm, 102 * mm)  # stands for the artwork
            if card.title is not None:
                canvas.setFont(card.title.font, card.title.size)
                for i, line in enumerate(card.title.body):
                    canvas.drawCentredString(x + 52.5 * mm, y + 30 * mm - i * 20, line)
        for x, y in boxes[: len(group)]:
            canvas.rect(x, y, geometry.CARD_W, geometry.CARD_H)
        canvas.showPage()
        for card, (x, y) in zip(group, back_boxes, strict=False):
            canvas.saveState()
            canvas.translate(x + geometry.CARD_W, y)
            canvas.rotate(90)
            canvas.line(geometry.DIVIDER_X, 6 * mm, geometry.DIVIDER_X, 99 * mm)
            canvas.rect(117 * mm, 69 * mm, 25 * mm, 30 * mm)
            for block, left, top in (
                (card.message, 6 * mm, 99 * mm),
                (card.address, geometry.ADDRESS_X, 55 * mm),
                (card.return_address, 6 * mm, 16 * mm),
            ):
                if block is None:
                    continue
                canvas.setFont(block.font, block.size)
                y_line = top
                for line in block.body:
                    canvas.drawString(left, y_line, line)
                    y_line -= block.leading
                for line in block.tail:
                    canvas.drawRightString(left + 64 * mm, y_line, line)
                    y_line -= block.leading
            canvas.restoreState()
        for x, y in back_boxes[: len(group)]:
            canvas.rect(x, y, geometry.CARD_W, geometry.CARD_H)
        canvas.showPage()
        pages += 2
    canvas.save()
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
    best_a = min(renderer, key=lambda r: r["seconds"])
    best_b = min(baseline, key=lambda r: r["seconds"])
    ratio = best_a["seconds"] / best_b["seconds"]
    peak = max(r["peak_rss_mb"] for r in renderer)
    rounds_a = " / ".join(f"{r['seconds']:.2f}" for r in renderer)
    rounds_b = " / ".join(f"{r['seconds']:.2f}" for r in baseline)
    sheets = best_a["pages"] // 2
    rows = [
        "| measurement | figure | every round | target | result |",
        "|---|---:|---|---:|---|",
        f"| (a) sheets_pdf: {count:,} postcards, {sheets} duplex A4 sheets ({best_a['pages']} "
        f"pages), {best_a['bytes'] / 1e6:.1f} MB PDF | {best_a['seconds']:.2f} s "
        f"({1000 * best_a['seconds'] / count:.2f} ms a card) | {rounds_a} s | | |",
        f"| (b) plain reportlab canvas: same strings, fonts, boxes, {best_b['pages']} pages | "
        f"{best_b['seconds']:.2f} s | {rounds_b} s | | |",
        f"| (a) / (b) | {ratio:.2f} x | | <= {RATIO_TARGET:g} x | "
        f"{verdict(ratio <= RATIO_TARGET)} |",
        f"| peak memory of (a): whole process, peak RSS (before rendering: "
        f"{best_a['rss_before_mb']:.0f} MB) | {peak:.0f} MB | | < {MEMORY_TARGET_MB:g} MB | "
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
        "method). 1,000 different cards (5 artworks, messages of 3-7 phrases plus a number, "
        "a third with a return address), each of (a) and (b) in a fresh subprocess, "
        f"alternately, {rounds} rounds; the best round counts (other programs can only slow "
        "a round down). The baseline (b) draws the same lines in the same fonts and sizes "
        "(laid out by (a)'s fitting before its clock starts) with the same rectangles and "
        "lines, but no glyph check, no fitting and no artwork (one rectangle stands for it), "
        "so (a) / (b) is the cost of all of that. Both write the PDF to a file. Peak memory "
        "is the peak RSS of (a)'s whole subprocess: Python, Flask and reportlab imports, "
        "the fonts and the 1,000 cards included."
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--cards", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--single-runs", type=int, default=50)
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--child", choices=("renderer", "baseline"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.cards)))
        return 0

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
    rows = report(args.cards, renderer, baseline, one)
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
