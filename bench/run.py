"""`make bench`: every dashboard page measured against what the database itself needs.

    .venv/bin/python -m bench [--sizes small,medium,large] [--rounds N] [--import-rows N]

For each size (bench/seed.py: seeded once, cached on disk) the pages are run through the Flask
test client, signed in as the leader, interleaved with their floors, round after round; every
ratio is the median of the per-round ratios:

1. callback/floor: a page's content callback (figures cache emptied first) ÷ the floor, the
   same SQL statements the callback ran, replayed on a bare driver connection (sqlite3 or
   psycopg) and fetched: what the database itself needs for those numbers.
2. page/bare: the page (its HTML, /_dash-layout, /_dash-dependencies and its content callback)
   ÷ the same requests to a bare Dash app with one trivial callback, plus the page's floor.
3. payload: the content callback's response bytes as sent (Accept-Encoding: gzip) ÷ the
   plain JSON of what it shows (every text and number of the components and chart traces).
4. rss: the peak resident memory of a process serving every page ÷ that of a process
   serving the bare Dash app (each in its own process, bench/rss.py).
5. import/floor: importing a 50 000-row CSV ledger (bench/import_ledger.py's rows) ÷ reading
   it with pandas plus one bulk insert of its rows.
6. cached/trivial: the same content callback again with unchanged data (figures cache warm)
   ÷ the bare app's trivial callback.
7. browser/bare (bench/browser.py): the page in Chromium, from navigation start until its
   content is drawn, ÷ the same for the bare Dash app; first visit (server caches cold, the
   browser's script cache warm) and repeat view (caches warm) apart. `--browser-rounds N`
   (3; a third of that, at least 1, at a million problems), `--no-browser` to skip it.

`--pages overview,unit` measures only those pages (bench/rss.py still serves every page).

Prints a table, then one line: the worst case of each ratio at the largest size run.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gzip
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dash import Dash, Input, Output, dcc, html
from sqlalchemy import event, insert, select

from bench.seed import PASSWORD, SIZES, Size, database
from dashboard.app import create_app
from dashboard.config import Settings
from data import cache
from data.db import Database

if TYPE_CHECKING:
    from bench.browser import BrowserResult

PAGES: tuple[tuple[str, str, str], ...] = (
    # (name, path, content id); the state id is the content id with -content → -state
    ("overview", "/", "overview-content"),
    ("progress", "/progress", "progress-content"),
    ("complaints", "/complaints", "complaints-content"),
    ("rectification", "/rectification", "rect-content"),
    ("overdue", "/overdue", "overdue-content"),
    ("evaluation", "/evaluation", "eval-content"),
    ("supervision", "/supervision", "sup-content"),
    ("inspections", "/inspections", "insp-content"),
    ("unit", "/units/1", "unit-content"),
    ("present", "/present", "present-content"),
    ("todo", "/todo", "todo-content"),
)
STATE_OF = {
    "overview-content": "overview-state",
    "progress-content": "progress-state",
    "complaints-content": "complaints-state",
    "rect-content": "rect-state",
    "overdue-content": "overdue-state",
    "eval-content": "eval-state",
    "sup-content": "sup-state",
    "insp-content": "insp-state",
    "unit-content": "unit-state",
    "present-content": "present-state",
    "todo-content": "todo-state",
}
GZIP = {"Accept-Encoding": "gzip"}


# --- the bare Dash app: the least any Dash page costs -------------------------------------


def bare_app() -> Dash:
    app = Dash(__name__, serve_locally=True)
    app.layout = html.Div([dcc.Store(id="s", data="?x=1"), html.Div(id="o")])

    @app.callback(Output("o", "children"), Input("s", "data"))
    def trivial(value: str | None) -> str:
        return str(value)

    return app


TRIVIAL_BODY = {
    "output": "o.children",
    "outputs": {"id": "o", "property": "children"},
    "inputs": [{"id": "s", "property": "data", "value": "?x=1"}],
    "changedPropIds": ["s.data"],
    "state": [],
}


def body_for(dependencies: list[dict[str, Any]], content: str, search: str) -> dict[str, Any]:
    """The request the browser sends for a page's content callback."""
    dep = next(d for d in dependencies if d["output"].strip(".").startswith(f"{content}.children"))
    outputs: list[Any] = []
    for part in dep["output"].strip(".").split("..."):
        ident, prop = part.rsplit(".", 1)
        outputs.append({"id": ident, "property": prop.split("@")[0]})
    single = not dep["output"].startswith("..")
    state = STATE_OF[content]

    def item(spec: dict[str, Any]) -> Any:
        value: Any = None
        if spec["id"] == state:
            # The unit page's state carries the unit from the path (layouts/unit.py).
            value = {"unit": "1", "search": search} if state == "unit-state" else search
        return {"id": spec["id"], "property": spec["property"], "value": value}

    return {
        "output": dep["output"],
        "outputs": outputs[0] if single else outputs,
        "inputs": [item(s) for s in dep["inputs"]],
        "state": [item(s) for s in dep["state"]],
        "changedPropIds": [f"{dep['inputs'][0]['id']}.{dep['inputs'][0]['property']}"],
    }


# --- what a callback shows ---------------------------------------------------------------

TRACE_KEYS = ("x", "y", "z", "text", "values", "labels", "cells", "header")


def shown(node: Any, out: list[Any]) -> None:
    """Collect every text and number a response puts on screen (component children, chart
    traces' data and titles)."""
    if isinstance(node, dict):
        if "props" in node and "type" in node:
            props = node["props"]
            shown(props.get("children"), out)
            figure = props.get("figure")
            if isinstance(figure, dict):
                for trace in figure.get("data") or []:
                    for key in TRACE_KEYS:
                        if key in trace:
                            out.append(trace[key])
                    if "name" in trace:
                        out.append(trace["name"])
                title = (figure.get("layout") or {}).get("title")
                if title:
                    out.append(title.get("text") if isinstance(title, dict) else title)
            for key in ("label", "placeholder", "srcDoc"):
                if isinstance(props.get(key), str):
                    out.append(props[key])
            return
        for value in node.values():
            shown(value, out)
    elif isinstance(node, list):
        for value in node:
            shown(value, out)
    elif isinstance(node, str | int | float) and not isinstance(node, bool):
        out.append(node)


def plain_bytes(response_json: dict[str, Any]) -> int:
    values: list[Any] = []
    shown(response_json.get("response", response_json), values)
    return len(json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode())


# --- SQL capture and replay (the floor) --------------------------------------------------


@dataclass
class Capture:
    statements: list[tuple[str, Any]] = field(default_factory=list)
    on: bool = False

    def hook(self, _conn: Any, _cursor: Any, statement: str, params: Any, *_: Any) -> None:
        if not self.on or statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK")):
            return
        # The shared cache's own reads and writes are the cache, not the page's SQL (a cold
        # visit pays them on top of its floor; PRAGMAs set its brief busy timeout).
        if "shared_cache" in statement or statement.lstrip().upper().startswith("PRAGMA"):
            return
        self.statements.append((statement, params))

    @contextlib.contextmanager
    def recording(self) -> Iterator[list[tuple[str, Any]]]:
        self.statements = []
        self.on = True
        try:
            yield self.statements
        finally:
            self.on = False


class Floor:
    """A bare driver connection replaying statements and fetching every row."""

    def __init__(self, url: str) -> None:
        if url.startswith("sqlite"):
            self.conn: Any = sqlite3.connect(url.split("///", 1)[1])
        else:
            import psycopg

            dsn = url.replace("postgresql+psycopg://", "postgresql://")
            self.conn = psycopg.connect(dsn, autocommit=True)
        self.sqlite = url.startswith("sqlite")

    def run(self, statements: list[tuple[str, Any]]) -> float:
        start = time.perf_counter()
        cur = self.conn.cursor()
        for sql, params in statements:
            if self.sqlite:
                params = tuple(_sqlite_param(p) for p in params) if params else ()
            cur.execute(sql, params)
            if cur.description is not None:
                cur.fetchall()
        return time.perf_counter() - start


def _sqlite_param(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    return value


# --- one size ----------------------------------------------------------------------------


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = action()
    return time.perf_counter() - start, value


@dataclass
class PageResult:
    callback: list[float] = field(default_factory=list)
    floor: list[float] = field(default_factory=list)
    cb_ratio: list[float] = field(default_factory=list)
    page: list[float] = field(default_factory=list)
    page_ratio: list[float] = field(default_factory=list)
    cached: list[float] = field(default_factory=list)
    cached_ratio: list[float] = field(default_factory=list)
    queries: int = 0
    wire_bytes: int = 0
    raw_bytes: int = 0
    plain: int = 0


def measure_size(
    size: Size, url: str, rounds: int, pages: tuple[tuple[str, str, str], ...] = PAGES
) -> dict[str, PageResult]:
    """Every page of one size, interleaved with its floor and the bare app, `rounds` times."""
    app = create_app(Settings(database_url=url, secret_key="bench", fixed_today=size.today))
    capture = Capture()
    engine = _engine_of(app)
    event.listen(engine, "before_cursor_execute", capture.hook)
    client = app.server.test_client()
    client.post("/login", data={"username": "leader", "password": PASSWORD}).close()
    deps = client.get("/_dash-dependencies").get_json()
    bare = bare_app()
    bare_client = bare.server.test_client()
    floor = Floor(url)
    search = f"?campaign={size.years[-1]}&as_of={size.today.isoformat()}"
    bodies = {name: body_for(deps, content, search) for name, _, content in pages}
    results = {name: PageResult() for name, _, _ in pages}

    def post(name: str) -> Any:
        response = client.post("/_dash-update-component", json=bodies[name], headers=GZIP)
        assert response.status_code == 200, (name, response.status_code, response.data[:300])
        return response

    def bare_page() -> None:
        for path in ("/", "/_dash-layout", "/_dash-dependencies"):
            bare_client.get(path).close()
        bare_client.post("/_dash-update-component", json=TRIVIAL_BODY).close()

    def trivial() -> None:
        bare_client.post("/_dash-update-component", json=TRIVIAL_BODY).close()

    # Warm-up: every page once (imports, first-request set-up, SQLite page cache).
    for name, _, _ in pages:
        cache.clear()
        post(name).close()
    bare_page()
    print(f"  warmed up: {size.name}", file=sys.stderr, flush=True)
    for n in range(rounds):
        print(f"  round {n + 1}/{rounds}", file=sys.stderr, flush=True)
        order = pages if n % 2 == 0 else tuple(reversed(pages))
        for name, path, _ in order:
            result = results[name]
            # The whole page, cold: its HTML, layout, dependencies, then its content callback
            # (timed on its own too, with the SQL it runs captured for the floor).
            cache.clear()
            head_seconds, _ = timed(
                lambda path=path: [
                    client.get(p).close()
                    for p in (path + search, "/_dash-layout", "/_dash-dependencies")
                ]
            )
            with capture.recording() as statements:
                seconds, response = timed(lambda name=name: post(name))
            wire = response.get_data()
            result.queries = len(statements)
            floor_seconds = floor.run(list(statements))
            result.callback.append(seconds)
            result.floor.append(floor_seconds)
            result.cb_ratio.append(seconds / floor_seconds)
            if n == 0:
                raw = gzip.decompress(wire) if response.headers.get("Content-Encoding") else wire
                result.wire_bytes = len(wire)
                result.raw_bytes = len(raw)
                result.plain = plain_bytes(json.loads(raw))
            response.close()
            bare_seconds, _ = timed(bare_page)
            page_seconds = head_seconds + seconds
            result.page.append(page_seconds)
            result.page_ratio.append(page_seconds / (bare_seconds + floor_seconds))
            # A repeated view, data unchanged: served from the figures cache.
            cached_seconds, _ = timed(lambda name=name: post(name).close())
            trivial_seconds = min(timed(trivial)[0] for _ in range(3))
            result.cached.append(cached_seconds)
            result.cached_ratio.append(cached_seconds / trivial_seconds)
            print(
                f"    {name:<14} callback {seconds * 1000:.0f} ms, floor "
                f"{floor_seconds * 1000:.0f} ms, page/bare {result.page_ratio[-1]:.2f}, "
                f"cached/trivial {result.cached_ratio[-1]:.1f}",
                file=sys.stderr,
                flush=True,
            )
    event.remove(engine, "before_cursor_execute", capture.hook)
    floor.conn.close()
    _engine_of(app).dispose()
    return results


def _engine_of(app: Dash) -> Any:
    for value in app.server.extensions.values():
        if isinstance(value, dict) and isinstance(value.get("db"), Database):
            return value["db"].engine
    raise RuntimeError("no database in the app")


# --- memory --------------------------------------------------------------------------------


def rss_ratio(url: str, size: Size) -> tuple[int, int]:
    """Peak RSS (kB) of a process serving every page, and of one serving the bare app."""

    def run(mode: str) -> int:
        out = subprocess.run(
            [sys.executable, "-m", "bench.rss", mode, url, size.name],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).resolve().parent.parent,
        )
        return int(out.stdout.strip().splitlines()[-1])

    return run("app"), run("bare")


# --- import --------------------------------------------------------------------------------


def measure_import(rows_wanted: int, rounds: int) -> tuple[list[float], list[float], list[float]]:
    """Import a CSV ledger ÷ pandas read + one bulk insert, each on a fresh copy of a county."""
    import pandas as pd

    from bench.import_ledger import YEAR, county, ledger_rows, write_csv
    from data.imports import run_import
    from data.migrate import upgrade
    from data.models import Campaign, Problem, Unit

    folder = Path(tempfile.mkdtemp(prefix="bench-import-"))
    try:
        template = folder / "template.db"
        upgrade(f"sqlite:///{template}")
        db = Database.from_url(f"sqlite:///{template}")
        units = county(db)
        db.engine.dispose()
        rows = ledger_rows(units, rows_wanted)
        path = folder / "ledger.csv"
        write_csv(path, rows)
        payload = path.read_bytes()
        imports, floors, ratios = [], [], []
        for n in range(rounds):
            copy = folder / f"r{n}.db"

            def fresh(copy: Path = copy) -> Database:
                shutil.copyfile(template, copy)
                return Database.from_url(f"sqlite:///{copy}")

            db = fresh()

            def do_import(d: Database = db) -> None:
                with d.write("bench") as s:
                    run_import(s, "problems", payload, "ledger.csv", YEAR)

            import_seconds, _ = timed(do_import)
            db.engine.dispose()
            db = fresh()

            def bulk(d: Database = db) -> None:
                frame = pd.read_csv(path, dtype=str, keep_default_na=False)
                with d.write("bench") as s:
                    ids = {name: id_ for name, id_ in s.execute(select(Unit.name, Unit.id))}
                    campaign_id = s.scalar(select(Campaign.id).where(Campaign.year == YEAR))
                    records = [
                        {
                            "campaign_id": campaign_id,
                            "unit_id": ids[r[1]],
                            "ledger_key": r[0],
                            "channel": "self_inspection",
                            "criterion_code": "lawful",
                            "found_on": dt.date.fromisoformat(r[4]),
                            "description": r[5],
                            "severity": "normal",
                            "deadline": dt.date.fromisoformat(r[9]),
                            "measures": r[7],
                            "owner": r[8],
                            "status": "pending",
                            "version": 1,
                        }
                        for r in frame.itertuples(index=False, name=None)
                    ]
                    s.connection().execute(insert(Problem), records)

            floor_seconds, _ = timed(bulk)
            db.engine.dispose()
            imports.append(import_seconds)
            floors.append(floor_seconds)
            ratios.append(import_seconds / floor_seconds)
        return imports, floors, ratios
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# --- report --------------------------------------------------------------------------------


def med(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f}"


BROWSER_HEAD = f"{'first':>9}{'f/bare':>8}{'repeat':>9}{'r/bare':>8}"


def browser_stage(
    size: Size, url: str, rounds: int, pages: tuple[tuple[str, str, str], ...]
) -> dict[str, BrowserResult]:
    """The Chromium stage of one size (bench/browser.py; imported here, as it imports this)."""
    from bench.browser import measure_browser, rounds_for

    return measure_browser(size, url, rounds_for(size, rounds), pages)


def browser_cells(result: BrowserResult, line: dict[str, float]) -> str:
    """A page's browser columns (medians, ms and ÷ bare); its first visit ratio joins the line's
    worst."""
    from bench.browser import medians

    m = medians(result)
    line["browser/bare"] = max(line["browser/bare"], m["first/bare"])
    return f"{ms(m['first']):>9}{m['first/bare']:>8.2f}{ms(m['repeat']):>9}{m['repeat/bare']:>8.2f}"


MEASURED = Path(__file__).with_name("browser-measured.json")
RECORDED_SIZES = ("small", "medium", "large")


def record_measured(size: str, results: dict[str, BrowserResult]) -> None:
    """Write the Dash version the browser stage ran on and its medians at `size` to
    bench/browser-measured.json (committed: tests/unit/test_dash_pin.py checks the locked Dash
    is the one measured, so the pin never changes without this stage being rerun)."""
    import dash

    from bench.browser import medians

    if size not in RECORDED_SIZES:  # the tests' tiny county measures nothing worth keeping
        return
    known = json.loads(MEASURED.read_text()) if MEASURED.exists() else {}
    if known.get("dash") != dash.__version__:
        known = {}
    sizes = known.get("sizes", {})
    # Page by page: a run of some pages (--pages) keeps the others' last measures.
    sizes.setdefault(size, {}).update(
        {
            page: {key: round(value, 3) for key, value in medians(result).items()}
            for page, result in results.items()
        }
    )
    known.update(dash=dash.__version__, measured_on=dt.date.today().isoformat(), sizes=sizes)
    MEASURED.write_text(json.dumps(known, ensure_ascii=False, indent=1) + "\n")


def browser_notes(results: dict[str, BrowserResult]) -> str:
    """The bare page's median and why any page was not drawn."""
    bare = statistics.median([s for r in results.values() for s in r.bare])
    notes = [
        f"browser: bare Dash page drawn in {bare * 1000:.0f} ms (median); first = first "
        "visit, repeat = same page again; inf = not drawn"
    ]
    for name, result in results.items():
        for reason in dict.fromkeys(result.failures):
            notes.append(f"  {name}: {reason}")
    return "\n".join(notes)


def chase(size: Size, url: str) -> int:
    """The size's day of 催办 (data/chase.run_chase), so that /todo has steps to show: once
    per database (a second run the same day makes nothing); the steps made."""
    from data.chase import run_chase

    db = Database.from_url(url)
    try:
        return run_chase(db, size.today, source="cli").total
    finally:
        db.engine.dispose()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="small,medium,large")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--import-rows", type=int, default=50_000)
    parser.add_argument("--import-rounds", type=int, default=3)
    parser.add_argument("--cache-dir", type=Path, default=None)
    parser.add_argument("--database-url", default=None, help="seed and measure this database")
    parser.add_argument("--browser-rounds", type=int, default=3)
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium stage")
    parser.add_argument("--pages", default=None, help="only these pages (names, comma-separated)")
    args = parser.parse_args(argv)
    pages = tuple(p for p in PAGES if args.pages is None or p[0] in args.pages.split(","))
    started = time.perf_counter()
    sizes = [SIZES[name] for name in args.sizes.split(",")]
    worst: dict[str, float] = {}
    for size in sizes:
        seeded_seconds, (url, seeded) = timed(
            lambda s=size: database(s, args.cache_dir, args.database_url)
        )
        note = f"seeded in {seeded_seconds:.0f} s" if seeded else "cached database"
        chase_seconds, chased = timed(lambda s=size, u=url: chase(s, u))
        note += f"; 催办 run {chase_seconds:.1f} s, {chased} steps made"
        print(
            f"\n== {size.name}: {size.units} units × {size.problems} problems over "
            f"{size.campaigns} campaigns ({note}); medians of {args.rounds} rounds, ms ==",
            flush=True,
        )
        results = measure_size(size, url, args.rounds, pages)
        drawn = None if args.no_browser else browser_stage(size, url, args.browser_rounds, pages)
        print(
            f"{'page':<14}{'queries':>8}{'callback':>10}{'floor':>9}{'cb/floor':>9}"
            f"{'page':>9}{'page/bare':>10}{'cached':>9}{'cached/triv':>12}"
            f"{'bytes':>9}{'wire':>8}{'plain':>8}{'payload':>8}"
            + ("" if drawn is None else BROWSER_HEAD)
        )
        line = {"callback/floor": 0.0, "page/bare": 0.0, "payload": 0.0, "cached/trivial": 0.0}
        if drawn is not None:
            line["browser/bare"] = 0.0
        for name, r in results.items():
            payload = r.wire_bytes / r.plain if r.plain else float("inf")
            row = {
                "callback/floor": med(r.cb_ratio),
                "page/bare": med(r.page_ratio),
                "payload": payload,
                "cached/trivial": med(r.cached_ratio),
            }
            for key, value in row.items():
                line[key] = max(line[key], value)
            print(
                f"{name:<14}{r.queries:>8}{ms(med(r.callback)):>10}{ms(med(r.floor)):>9}"
                f"{row['callback/floor']:>9.2f}{ms(med(r.page)):>9}{row['page/bare']:>10.2f}"
                f"{ms(med(r.cached)):>9}{row['cached/trivial']:>12.1f}"
                f"{r.raw_bytes:>9}{r.wire_bytes:>8}{r.plain:>8}{payload:>8.2f}"
                + ("" if drawn is None else browser_cells(drawn[name], line)),
                flush=True,
            )
        if drawn is not None:
            print(browser_notes(drawn), flush=True)
            record_measured(size.name, drawn)
        app_kb, bare_kb = rss_ratio(url, size)
        line["rss"] = app_kb / bare_kb
        print(
            f"rss: app {app_kb / 1024:.0f} MB ÷ bare Dash {bare_kb / 1024:.0f} MB = "
            f"{line['rss']:.2f}",
            flush=True,
        )
        worst = line
    imports, floors, ratios = measure_import(args.import_rows, args.import_rounds)
    worst["import/floor"] = med(ratios)
    print(
        f"\nimport of a {args.import_rows}-row CSV ledger: {med(imports):.2f} s ÷ pandas read + "
        f"one bulk insert {med(floors):.2f} s = {worst['import/floor']:.2f}"
    )
    print(f"total bench time {time.perf_counter() - started:.0f} s")
    print(
        f"bench: callback/floor={worst['callback/floor']:.2f} page/bare={worst['page/bare']:.2f} "
        f"payload={worst['payload']:.2f} rss={worst['rss']:.2f} "
        f"import/floor={worst['import/floor']:.2f} cached/trivial={worst['cached/trivial']:.2f}"
        + (f" browser/bare={worst['browser/bare']:.2f}" if "browser/bare" in worst else "")
    )


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
