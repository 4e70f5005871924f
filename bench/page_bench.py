"""Weight of every public page and the petition page's time to first byte, under gunicorn.

    .venv/bin/python -m bench.page_bench [--requests 300]
        [--database-url postgresql://postgres@127.0.0.1:5432/campaign_pagebench]

Sets up like bench/run.py (bench/common.py's helpers): a scratch instance folder under bench/.work/,
the schema by the migrations, the demo campaign (what `flask demo load` creates) with
``--signatures`` confirmed signatures on the demo petition (bench/data.py's bulk writer, so
the page lists signers and countries), SQLite unless ``--database-url`` names a PostgreSQL
scratch database (created and dropped here), rate limits off, the micro-cache at its default;
then bench.server.Gunicorn (2 sync workers on 127.0.0.1).

Page weight: each public page is fetched once per language (``?lang=en|ru|be|fr``), without
cookies, like a new visitor. Its HTML is parsed for what a browser would load besides images:
stylesheets, scripts, preloads, manifests, iframes (weighed like pages, recursively),
objects; each stylesheet for ``@import`` and ``url(...)`` (fonts; images skipped). Each URL
is fetched once (the browser would not load it twice) with ``Accept-Encoding: identity``.
Reported: the HTML's bytes, all bytes (HTML + sub-resources, uncompressed), the same
gzip-compressed one by one (level 6, as a server would send them; for information) and the
requests. Targets: under 100 KB (100,000 bytes) before images, at most 5 requests; a page or
sub-resource that does not answer 200, or that lives on another host, fails its page.

Time to first byte: GET /petitions/<demo slug> without cookies, on a fresh connection each
time (opened before the clock starts), ``--warmup`` times unmeasured, then ``--requests``
times one after the other; the time runs from sending the request until the status line,
the headers and the first body byte have arrived. Median and p95; target median < 50 ms.
The same again on a second gunicorn with CAMPAIGN_MICROCACHE_SECONDS=0, for information.

Prints the tables and replaces this database's "Page weight" section of bench/RESULTS.md
(between its markers; the rest is not touched).
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import os
import re
import shutil
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from bench import data
from bench.common import (
    DATABASE_NAMES,
    PROJECT_ROOT,
    RESULTS,
    UNCACHED_ENV,
    WORKERS,
    load_average,
    new_work_dir,
    quick_run,
    replace_section,
    say,
    scratch_database,
    section,
    server_env,
    verdict,
)
from bench.server import HOST, Gunicorn

LANGUAGES = ("en", "ru", "be", "fr")
WEIGHT_TARGET = 100_000  # bytes before images
REQUESTS_TARGET = 5
TTFB_TARGET_MS = 50.0
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".ico", ".bmp")
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
CSS_IMPORT = re.compile(r"""@import\s+(['"])([^'"]+)\1""")
# <link rel=...> values that make the browser fetch the href right away (icons are images).
FETCHED_LINKS = {"stylesheet", "preload", "modulepreload", "manifest"}
METHOD = (
    "`.venv/bin/python -m bench.page_bench` (bench/page_bench.py; its docstring has the "
    "method). Every public page of the demo campaign, once per language, as a new "
    "visitor under gunicorn (2 sync workers): the HTML plus everything a browser loads "
    "from it except images (stylesheets, scripts, iframes, fonts and imports named in "
    "the CSS), each URL once, uncompressed; gzip (level 6, each response on its own) "
    "for information. KB = 1,000 bytes. Browsers also ask for /favicon.ico, an image."
)


# --- the data -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Demo:
    """What the public pages are about."""

    petition_slug: str
    prisoner_slug: str


def prepare(signatures: int) -> Demo:
    """Migrate, load the demo campaign and some signatures; close every connection."""
    from campaign_app import create_app
    from campaign_app.demo import data as demo
    from campaign_app.extensions import db
    from campaign_app.petitions.models import Petition

    app = create_app()
    say("Migrating the database (flask db upgrade) and loading the demo campaign ...")
    data.migrate_schema(app)
    with app.app_context():
        demo.load_demo()
        petition = db.session.scalars(
            db.select(Petition).where(Petition.slug == demo.PETITION_SLUG)
        ).one()
        petition_id = petition.id
        db.session.remove()
    data.load_signatures(app, petition_id, signatures)
    data.check_counts(app, {petition_id: signatures})
    with app.app_context():
        db.engine.dispose()
    return Demo(demo.PETITION_SLUG, demo.PRISONER_SLUG)


def public_pages(demo: Demo) -> dict[str, str]:
    """Every public page: label -> path."""
    petition, prisoner = demo.petition_slug, demo.prisoner_slug
    return {
        "home": "/",
        "petitions": "/petitions/",
        "petition": f"/petitions/{petition}",
        "check your e-mail": f"/petitions/{petition}/check-email",
        "prisoners": "/prisoners/",
        "prisoner": f"/prisoners/{prisoner}",
        "card composer": f"/letters/write/{prisoner}",
        "print cards": "/letters/print",
        "calendar": "/letters/calendar",
        "privacy": "/privacy",
        "erase my signature": "/privacy/erase",
        "organiser login": "/account/login",
        "embedded counter": f"/embed/petitions/{petition}",
    }


def stale_catalogues() -> list[str]:
    """Languages whose compiled catalogue is missing or older than its .po (`make bench`
    compiles them first): their pages would be measured partly in English."""
    folder = PROJECT_ROOT / "campaign_app" / "translations"
    stale = []
    for language in LANGUAGES[1:]:
        po = folder / language / "LC_MESSAGES" / "messages.po"
        mo = po.with_suffix(".mo")
        if po.exists() and (not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime):
            stale.append(language)
    return stale


# --- fetching and parsing -------------------------------------------------------------------


@dataclass(frozen=True)
class Fetched:
    """One response, read to the end."""

    status: int
    content_type: str
    body: bytes


def fetch(port: int, path: str) -> Fetched:
    """GET path on a fresh connection, without cookies, uncompressed."""
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request("GET", path, headers={"Accept-Encoding": "identity"})
        response = connection.getresponse()
        return Fetched(response.status, response.getheader("Content-Type", ""), response.read())
    finally:
        connection.close()


class SubresourceParser(HTMLParser):
    """Collects (kind, reference) for what a browser loads from a page, images left out."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []
        self.language = ""  # <html lang>
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "html":
            self.language = values.get("lang", "")
        elif tag == "link" and values.get("href"):
            rels = set(values.get("rel", "").lower().split())
            if rels & FETCHED_LINKS and values.get("as", "") != "image":
                kind = "css" if "stylesheet" in rels or values.get("as") == "style" else "other"
                self.found.append((kind, values["href"]))
        elif tag == "script" and values.get("src"):
            self.found.append(("script", values["src"]))
        elif tag in ("iframe", "frame") and values.get("src"):
            self.found.append(("html", values["src"]))
        elif tag == "object" and values.get("data"):
            self.found.append(("other", values["data"]))
        elif tag == "embed" and values.get("src"):
            self.found.append(("other", values["src"]))
        elif tag == "style":
            self._in_style = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, text: str) -> None:
        if self._in_style:  # the CSP forbids <style>, but a browser would still follow it
            self.found.extend(css_references(text))


def css_references(text: str) -> list[tuple[str, str]]:
    """(kind, reference) for a stylesheet's @imports and url(...)s, data: URLs left out."""
    found = [("css", reference) for _, reference in CSS_IMPORT.findall(text)]
    for _, reference in CSS_URL.findall(text):
        if not reference.startswith("data:"):
            kind = "css" if reference.split("?")[0].endswith(".css") else "other"
            found.append((kind, reference))
    return found


def is_image(url: str) -> bool:
    return urlsplit(url).path.lower().endswith(IMAGE_EXTENSIONS)


# --- page weight ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Resource:
    """One URL the browser loads for the page."""

    path: str
    kind: str
    size: int
    gzip_size: int


@dataclass
class PageWeight:
    """One page in one language, with everything it loads."""

    label: str
    language: str
    path: str
    resources: list[Resource] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def html_bytes(self) -> int:
        return self.resources[0].size if self.resources else 0

    @property
    def total_bytes(self) -> int:
        return sum(resource.size for resource in self.resources)

    @property
    def gzip_bytes(self) -> int:
        return sum(resource.gzip_size for resource in self.resources)

    @property
    def requests(self) -> int:
        return len(self.resources)

    @property
    def passed(self) -> bool:
        return (
            not self.problems
            and self.total_bytes < WEIGHT_TARGET
            and self.requests <= REQUESTS_TARGET
        )


def weigh(port: int, label: str, language: str, path: str) -> PageWeight:
    """Fetch the page and, breadth first, everything it makes the browser load."""
    origin = f"http://{HOST}:{port}"
    page = PageWeight(label, language, path)
    queue: list[tuple[str, str]] = [("html", origin + path)]
    seen: set[str] = set()
    while queue:
        kind, url = queue.pop(0)
        if url in seen or is_image(url):
            continue
        seen.add(url)
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != origin:
            page.problems.append(f"third-party {kind}: {url}")
            continue
        local = parts.path + (f"?{parts.query}" if parts.query else "")
        fetched = fetch(port, local)
        if fetched.status != 200:
            page.problems.append(f"{local} answered {fetched.status}")
        size, packed = len(fetched.body), len(gzip.compress(fetched.body, compresslevel=6))
        page.resources.append(Resource(local, kind, size, packed))
        text = fetched.body.decode("utf-8", errors="replace")
        if kind == "html":
            parser = SubresourceParser()
            parser.feed(text)
            found = parser.found
            if len(page.resources) == 1 and parser.language != language:
                page.problems.append(f"the page says lang={parser.language!r}")
        elif kind == "css" or "text/css" in fetched.content_type:
            found = css_references(text)
        else:
            found = []
        queue.extend((child_kind, urljoin(url, reference)) for child_kind, reference in found)
    return page


def weigh_all(port: int, pages: dict[str, str]) -> list[PageWeight]:
    """Every page in every language."""
    weights = []
    for label, path in pages.items():
        for language in LANGUAGES:
            weights.append(weigh(port, label, language, f"{path}?lang={language}"))
        last = weights[-1]
        say(f"  {label:<20} {last.total_bytes / 1000:6.1f} KB, {last.requests} requests (fr)")
    return weights


# --- time to first byte ---------------------------------------------------------------------


def first_byte_ms(port: int, path: str) -> float:
    """Milliseconds from sending GET path (connection already open) to the first body byte."""
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.connect()
        started = time.perf_counter()
        connection.request("GET", path, headers={"Accept-Encoding": "identity"})
        response = connection.getresponse()
        response.read(1)
        arrived = time.perf_counter()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"GET {path} answered {response.status}")
        return (arrived - started) * 1000
    finally:
        connection.close()


@dataclass(frozen=True)
class Timing:
    """Times to first byte of one server, in milliseconds."""

    label: str
    samples: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        return statistics.quantiles(self.samples, n=20, method="inclusive")[-1]


def time_first_bytes(port: int, path: str, label: str, warmup: int, requests: int) -> Timing:
    """Warm both workers up, then time requests one after the other."""
    for _ in range(warmup):
        first_byte_ms(port, path)
    return Timing(label, [first_byte_ms(port, path) for _ in range(requests)])


# --- the report -----------------------------------------------------------------------------


def kb(size: int) -> str:
    return f"{size / 1000:.1f}"


def weight_rows(weights: list[PageWeight]) -> list[str]:
    rows = [
        f"| page | language | HTML KB | total KB | gzip KB | requests | target: < "
        f"{WEIGHT_TARGET // 1000} KB, <= {REQUESTS_TARGET} requests |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for weight in weights:
        rows.append(
            f"| {weight.label} (`{weight.path.split('?')[0]}`) | {weight.language} | "
            f"{kb(weight.html_bytes)} | {kb(weight.total_bytes)} | {kb(weight.gzip_bytes)} | "
            f"{weight.requests} | {verdict(weight.passed)} |"
        )
    return rows


def loaded_rows(weights: list[PageWeight]) -> list[str]:
    """Once per page (the English one): what it loads besides its HTML, and any problem."""
    rows = []
    for weight in weights:
        if weight.language != LANGUAGES[0]:
            continue
        loads = ", ".join(
            f"{resource.path} ({kb(resource.size)} KB)" for resource in weight.resources[1:]
        )
        rows.append(f"- {weight.label}: {loads or 'nothing else'}")
    for weight in weights:
        rows.extend(f"- {weight.label}, {weight.language}: {p}" for p in weight.problems)
    return rows


def timing_rows(cached: Timing, uncached: Timing | None) -> list[str]:
    rows = [
        f"| request | median | p95 | min | max | requests | target: median < "
        f"{TTFB_TARGET_MS:g} ms |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for timing, judged in ((cached, True), (uncached, False)):
        if timing is None:
            continue
        result = verdict(timing.median < TTFB_TARGET_MS) if judged else "(information)"
        rows.append(
            f"| {timing.label} | {timing.median:.2f} ms | {timing.p95:.2f} ms | "
            f"{min(timing.samples):.2f} ms | {max(timing.samples):.2f} ms | "
            f"{len(timing.samples)} | {result} |"
        )
    return rows


# --- the run --------------------------------------------------------------------------------


@dataclass
class Measured:
    """Everything one run found."""

    weights: list[PageWeight] = field(default_factory=list)
    cached: Timing | None = None
    uncached: Timing | None = None


def _gunicorn(work: Path, env: dict[str, str], name: str, extra: dict[str, str]) -> Gunicorn:
    """bench/run.py's server set-up, with extra settings; its log under work/."""
    full_env = os.environ | env | extra | {"PYTHONPATH": str(PROJECT_ROOT)}
    return Gunicorn(PROJECT_ROOT, full_env, work / f"{name}.log", WORKERS)


def measure(work: Path, env: dict[str, str], demo: Demo, args: argparse.Namespace) -> Measured:
    """Page weights and first bytes on one gunicorn, then first bytes on an uncached one."""
    measured = Measured()
    page = f"/petitions/{demo.petition_slug}"
    with _gunicorn(work, env, "gunicorn", {}) as server:
        say("Weighing every public page in every language ...")
        measured.weights = weigh_all(server.port, public_pages(demo))
        say(f"Timing the first byte of {page}, {args.requests} requests ...")
        measured.cached = time_first_bytes(
            server.port, page, f"GET {page}", args.warmup, args.requests
        )
    if args.uncached:
        with _gunicorn(work, env, "gunicorn-uncached", UNCACHED_ENV) as server:
            say("  again on a gunicorn with CAMPAIGN_MICROCACHE_SECONDS=0 ...")
            measured.uncached = time_first_bytes(
                server.port, page, f"GET {page}, micro-cache off", args.warmup, args.requests
            )
    return measured


def body_lines(measured: Measured, signatures: int, load: str, server: str) -> list[str]:
    assert measured.cached is not None
    return [
        "### Page weight",
        "",
        *weight_rows(measured.weights),
        "",
        "What each page loads besides its HTML (English; the same in every language):",
        "",
        *loaded_rows(measured.weights),
        "",
        "### Time to first byte of the petition page",
        "",
        *timing_rows(measured.cached, measured.uncached),
        "",
        f"Demo petition with {signatures:,} confirmed signatures; {server}. CPUs: "
        f"{os.cpu_count()}. Load average (1, 5, 15 min) {load}: other programs share the "
        "CPUs, and a busy machine slows every request.",
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--database-url", default="", help="PostgreSQL; SQLite when empty")
    parser.add_argument("--signatures", type=int, default=1000, help="on the demo petition")
    quick = quick_run()  # BENCH_QUICK=1: a third of the requests
    parser.add_argument(
        "--requests", type=int, default=100 if quick else 300, help="measured first bytes"
    )
    parser.add_argument(
        "--warmup", type=int, default=10 if quick else 30, help="unmeasured requests first"
    )
    parser.add_argument("--no-uncached", dest="uncached", action="store_false")
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)

    work = new_work_dir("page")
    backend = "postgresql" if args.database_url else "sqlite"
    env = server_env(work / "instance", args.database_url)
    os.environ.update(env)
    load_before = os.getloadavg()
    stale = stale_catalogues()
    if stale:
        say(f"Warning: catalogues older than their .po files: {', '.join(stale)} (make bench)")
    try:
        with scratch_database(args.database_url, args.keep):
            demo = prepare(args.signatures)
            server = database_version()
            measured = measure(work, env, demo, args)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    load = f"{load_average(load_before)} / {load_average(os.getloadavg())} (before / after)"
    body = body_lines(measured, args.signatures, load, server)
    if stale:
        body.append(f"\nStale compiled catalogues (older than the .po): {', '.join(stale)}.")
    print("\n".join(body))
    if not args.no_write:
        name = f"page-bench-{backend}"
        heading = f"Page weight and time to first byte ({DATABASE_NAMES[backend]})"
        replace_section(args.results, name, section(name, heading, METHOD, body))
        say(f"wrote the {backend} page weight section of {args.results}")
    failed = any("| FAIL |" in row for row in body)
    return 1 if failed and args.check else 0


def database_version() -> str:
    """'sqlite 3.40.1' or 'postgresql 15.20'."""
    from campaign_app import create_app
    from campaign_app.extensions import db

    with create_app().app_context():
        info = db.engine.dialect.server_version_info or ()
        with db.engine.connect():
            info = db.engine.dialect.server_version_info or info
        name = db.engine.dialect.name
        db.engine.dispose()
    return f"{name} {'.'.join(str(part) for part in info)}"


if __name__ == "__main__":
    sys.exit(main())
