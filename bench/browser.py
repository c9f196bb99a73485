"""The browser stage of `make bench`: each page timed in Chromium until its content is drawn.

For one size, the dashboard and the bare Dash app (bench/run.py's `bare_app`: one trivial
callback) are served from threads of this process (werkzeug, threaded) and visited by the system
Chromium in one browser context, signed in as the leader. A page counts as drawn when, in the
page itself (performance.now(), i.e. since navigation start, not wall time in Python):

- its content element holds the content callback's output and no Dash callback is in flight,
- no element carries `data-dash-is-loading`,
- every chart in the content (`.dash-graph`, `.js-plotly-plot`) has its main SVG, every data
  grid (`.pingyi-grid`) its first rows or its empty overlay, and every iframe there has loaded,
- and all of that still holds after two animation frames.

Each round visits, page after page (order reversed every other round): the bare page, the page
with the server's figure and response caches emptied (first visit) and the same page again
(repeat view: caches warm). Before the rounds the bare page and every page are visited once, so
that the browser's script cache is warm for every first visit. Ratios are taken against the bare
page visited just before, and each is the median over the rounds. The measurement itself is
the script MONITOR, added to every document of the browser context before the page's own scripts.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import math
import os
import statistics
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from flask import Flask
from playwright.sync_api import Page, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from werkzeug.serving import WSGIRequestHandler, make_server

from bench.run import PAGES, bare_app
from bench.seed import PASSWORD, Size
from dashboard.app import create_app
from dashboard.config import Settings
from data import cache

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BARE_CONTENT = "o"
# A page not drawn within this time (or whose scripts report an error) counts as not drawn:
# its time is inf and the reason is printed under the table.
TIMEOUT_MS = int(os.environ.get("BENCH_BROWSER_TIMEOUT_MS", "240000"))

# Runs at the start of every document of the context (top frame only): counts the Dash callback
# requests in flight and, once per animation frame, checks whether the page's content is drawn;
# the first time it is and stays so for two more frames, the time is kept in window.__benchDrawn.
MONITOR = """
(contents) => {
  if (window.top !== window) return;
  const want = contents[location.host + location.pathname];
  if (!want) return;
  // A page that fails (a script error, e.g. dcc.Graph giving up on plotly.js after 30 s of a
  // blocked main thread) is never drawn: say why at once instead of waiting for the time-out.
  const errorBefore = console.error;
  console.error = function (...args) {
    window.__benchBroken = window.__benchBroken || args.map(String).join(" ").slice(0, 200);
    return errorBefore.apply(this, args);
  };
  window.addEventListener("error", (event) => {
    window.__benchBroken = window.__benchBroken || String(event.message).slice(0, 200);
  });
  let inflight = 0;
  const fetchBefore = window.fetch;
  window.fetch = function (...args) {
    const target = args[0];
    const address = String(target && target.url ? target.url : target);
    const promise = fetchBefore.apply(this, args);
    if (address.includes("_dash-update-component")) {
      inflight += 1;
      const done = () => { inflight -= 1; };
      promise.then(done, done);
    }
    return promise;
  };
  const loaded = (frame) => {
    try {
      return !frame.contentDocument || frame.contentDocument.readyState === "complete";
    } catch (error) {
      return true;
    }
  };
  // What the page still waits for ("" once drawn): kept in window.__benchWaiting.
  const waiting = () => {
    const content = document.getElementById(want);
    if (!content || !content.hasChildNodes()) return "content";
    if (inflight > 0) return "callbacks in flight";
    const busy = document.querySelector("[data-dash-is-loading]");
    if (busy) return `loading: ${busy.id || busy.className}`;
    for (const graph of content.querySelectorAll(".dash-graph")) {
      if (graph.classList.contains("dash-graph--pending")) return `chart code: ${graph.id}`;
      if (!graph.querySelector(".js-plotly-plot .main-svg")) return `chart: ${graph.id}`;
    }
    for (const plot of content.querySelectorAll(".js-plotly-plot")) {
      if (!plot.querySelector(".main-svg")) return `chart: ${plot.id}`;
    }
    // A data grid (layouts/grid.py) is drawn once its code has loaded and its first rows (or its
    // empty overlay) are on the page.
    for (const grid of content.querySelectorAll(".pingyi-grid")) {
      if (!grid.querySelector(".ag-row, .ag-overlay-no-rows-center")) return `grid: ${grid.id}`;
    }
    for (const frame of content.querySelectorAll("iframe")) {
      if (!loaded(frame)) return `iframe: ${frame.id}`;
    }
    return "";
  };
  let held = 0;
  const tick = () => {
    window.__benchWaiting = waiting();
    held = window.__benchWaiting === "" ? held + 1 : 0;
    if (held === 3) {
      window.__benchDrawn = performance.now();
      return;
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}
"""


@dataclass
class BrowserResult:
    """One page's visits at one size, in seconds (one entry per round; inf when not drawn)."""

    first: list[float] = field(default_factory=list)
    repeat: list[float] = field(default_factory=list)
    bare: list[float] = field(default_factory=list)
    first_ratio: list[float] = field(default_factory=list)
    repeat_ratio: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


class _Quiet(WSGIRequestHandler):
    """A request handler that does not log every request to stderr."""

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        """Say nothing."""


@contextlib.contextmanager
def serving(server_app: Flask) -> Iterator[str]:
    """Serve a Flask app on an ephemeral 127.0.0.1 port from a thread; yields its address."""
    server = make_server("127.0.0.1", 0, server_app, threaded=True, request_handler=_Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


class NotDrawn(Exception):
    """A page that failed or was not drawn in time."""


def drawn_seconds(page: Page, address: str) -> float:
    """Navigate to `address` and return the seconds from navigation start to content drawn."""
    page.goto(address, wait_until="commit", timeout=TIMEOUT_MS)
    try:
        page.wait_for_function(
            "() => window.__benchDrawn !== undefined || window.__benchBroken !== undefined",
            polling=50,
            timeout=TIMEOUT_MS,
        )
    except PlaywrightTimeoutError:
        waiting = page.evaluate("window.__benchWaiting")
        raise NotDrawn(f"not drawn in {TIMEOUT_MS // 1000} s, waiting for {waiting}") from None
    drawn, broken = page.evaluate("[window.__benchDrawn, window.__benchBroken]")
    if drawn is None:
        raise NotDrawn(f"failed: {broken}")
    return float(drawn) / 1000


def rounds_for(size: Size, rounds: int) -> int:
    """Fewer rounds where one visit takes long (a million problems and more)."""
    return rounds if size.problems < 1_000_000 else max(1, rounds // 3)


def measure_browser(
    size: Size, url: str, rounds: int, pages: tuple[tuple[str, str, str], ...] = PAGES
) -> dict[str, BrowserResult]:
    """Every page of one size in Chromium, each against the bare page, `rounds` times — in a
    thread of its own: Playwright's sync API refuses a thread whose asyncio loop is running
    (a test session that has used pytest-playwright's fixtures has one)."""
    context = contextvars.copy_context()  # Dash keeps its registration state in a ContextVar
    with ThreadPoolExecutor(max_workers=1) as worker:
        return worker.submit(context.run, _measure_browser, size, url, rounds, pages).result()


def _measure_browser(
    size: Size, url: str, rounds: int, pages: tuple[tuple[str, str, str], ...]
) -> dict[str, BrowserResult]:
    app = create_app(Settings(database_url=url, secret_key="bench", fixed_today=size.today))
    search = f"?campaign={size.years[-1]}&as_of={size.today.isoformat()}"
    results = {name: BrowserResult() for name, _, _ in pages}
    with (
        serving(app.server) as host,
        serving(bare_app().server) as bare_host,
        sync_playwright() as playwright,
    ):
        contents = {f"{host}{path}": content for _, path, content in pages}
        contents[f"{bare_host}/"] = BARE_CONTENT
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 768})
        context.add_init_script(f"({MONITOR})({json.dumps(contents)})")
        page = context.new_page()
        signed = page.request.post(
            f"http://{host}/login",
            form={"username": "leader", "password": PASSWORD},
            max_redirects=0,
        )
        assert signed.status == 302, f"bench: log-in failed ({signed.status})"
        bare = f"http://{bare_host}/"
        # Warm-up: the browser's script cache (the bare page's and every page's scripts and
        # lazily loaded chunks), as for a user who has used the dashboard before.
        drawn_seconds(page, bare)
        for name, path, _ in pages:
            _visit(page, f"http://{host}{path}{search}", results[name])
        print(f"  browser warmed up: {size.name}", file=sys.stderr, flush=True)
        for n in range(rounds):
            order = pages if n % 2 == 0 else tuple(reversed(pages))
            for name, path, _ in order:
                _round(page, bare, f"http://{host}{path}{search}", results[name])
                print(f"    browser {name:<14} {_last(results[name])}", file=sys.stderr, flush=True)
        browser.close()
    return results


def _visit(page: Page, address: str, result: BrowserResult) -> float:
    """One visit's seconds, or inf (the reason kept in `result`) when the page is not drawn."""
    try:
        return drawn_seconds(page, address)
    except NotDrawn as failure:
        result.failures.append(str(failure))
        return math.inf


def _round(page: Page, bare: str, address: str, result: BrowserResult) -> None:
    """The bare page, then the page's first visit (server caches emptied), then its repeat."""
    bare_seconds = drawn_seconds(page, bare)
    cache.clear()
    first = _visit(page, address, result)
    repeat = _visit(page, address, result)
    result.bare.append(bare_seconds)
    result.first.append(first)
    result.repeat.append(repeat)
    result.first_ratio.append(first / bare_seconds)
    result.repeat_ratio.append(repeat / bare_seconds)


def _last(result: BrowserResult) -> str:
    """The latest round of a page, for the progress log."""
    return (
        f"first {result.first[-1] * 1000:.0f} ms, repeat {result.repeat[-1] * 1000:.0f} ms, "
        f"bare {result.bare[-1] * 1000:.0f} ms"
    )


def medians(result: BrowserResult) -> dict[str, float]:
    """The median of each measure of one page."""
    return {
        "first": statistics.median(result.first),
        "repeat": statistics.median(result.repeat),
        "bare": statistics.median(result.bare),
        "first/bare": statistics.median(result.first_ratio),
        "repeat/bare": statistics.median(result.repeat_ratio),
    }
