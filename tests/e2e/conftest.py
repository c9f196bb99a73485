"""Browser-test fixtures: the demo county on 127.0.0.1, system Chromium, no outside requests.
Every test here is marked `e2e`, so `pytest -m "not e2e"` runs only the fast tests."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, Page, Request, Route
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from dashboard.app import create_app
from dashboard.config import Settings
from data.db import Database
from data.demo import load_demo
from data.migrate import upgrade
from tests.conftest import PostgresDatabases

DEMO_TODAY = dt.date(2026, 11, 20)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


HERE = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests under tests/e2e `e2e` (the hook sees every test of the session), before
    `-m` selects."""
    for item in items:
        if HERE in item.path.resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def base_url() -> None:
    """No base URL: tests use the live server's address (this also replaces pytest-playwright's
    fallback fixture, which pytest 9 warns about)."""
    return None


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """The system Chromium (Playwright's own download is not available here)."""
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    """A Chinese locale and a laptop-sized window."""
    return {**browser_context_args, "locale": "zh-CN", "viewport": {"width": 1366, "height": 768}}


@dataclass
class LiveServer:
    """The dashboard served from a thread, with the database behind it."""

    url: str
    db_url: str
    today: dt.date


@pytest.fixture(scope="session")
def demo_db_url(
    tmp_path_factory: pytest.TempPathFactory, postgres: PostgresDatabases | None
) -> Iterator[str]:
    """A migrated database (SQLite file, or DATABASE_URL's PostgreSQL) with the demo county as of
    DEMO_TODAY."""
    name = postgres.create("e2e_demo") if postgres is not None else None
    if postgres is not None and name is not None:
        url = postgres.url(name)
    else:
        path: Path = tmp_path_factory.mktemp("e2e") / "demo.db"
        url = f"sqlite:///{path}"
    upgrade(url)
    database = Database.from_url(url)
    load_demo(database, seed=2024, today=DEMO_TODAY)
    database.engine.dispose()
    yield url
    if postgres is not None and name is not None:
        postgres.drop(name)


@pytest.fixture(scope="session")
def live_server(demo_db_url: str) -> Iterator[LiveServer]:
    """Serve the app on an ephemeral 127.0.0.1 port for the whole session."""
    app = create_app(Settings(database_url=demo_db_url, secret_key="e2e", fixed_today=DEMO_TODAY))
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(f"http://127.0.0.1:{server.server_port}", demo_db_url, DEMO_TODAY)
    server.shutdown()
    thread.join(timeout=5)


@dataclass
class Watch:
    """What a page did that a test may forbid: outside requests, console errors."""

    outside: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)


DEMO_PASSWORD = "pingyi2024"


def county_server(
    tmp_path_factory: pytest.TempPathFactory,
    postgres: PostgresDatabases | None,
    name: str,
    today: dt.date,
    fill: Callable[[Session], object],
) -> Iterator[LiveServer]:
    """A county of a test module's own, filled by `fill` in one write session and served on
    127.0.0.1 at `today` (on PostgreSQL when the suite runs there); `yield from` it in a
    module fixture."""
    pg_name = postgres.create(f"e2e_{name}") if postgres is not None else None
    if postgres is not None and pg_name is not None:
        url = postgres.url(pg_name)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp(name) / 'county.db'}"
    upgrade(url)
    database = Database.from_url(url)
    with database.write("test") as s:
        fill(s)
    database.engine.dispose()
    app = create_app(Settings(database_url=url, secret_key="e2e", fixed_today=today))
    served = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=served.serve_forever, daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{served.server_port}", url, today)
    finally:
        served.shutdown()
        thread.join(timeout=5)
        if postgres is not None and pg_name is not None:
            postgres.drop(pg_name)


def signed_in_page(
    browser: Browser,
    server: LiveServer,
    user: str,
    errors: list[str] | None = None,
    password: str = "",
) -> Page:
    """A new desktop-sized page signed in as `user` (the factories' password unless given);
    console errors and page errors are appended to `errors` when given."""
    from tests.factories import PASSWORD

    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    if errors is not None:
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
    response = page.request.post(
        f"{server.url}/login",
        form={"username": user, "password": password or PASSWORD},
        max_redirects=0,
    )
    assert response.status == 302
    return page


def sign_in(page: Page, server: LiveServer, username: str = "leader") -> None:
    """Sign the page's browser context in as a demo user (cookies shared with the page)."""
    response = page.request.post(
        f"{server.url}/login",
        form={"username": username, "password": DEMO_PASSWORD},
        max_redirects=0,
    )
    assert response.status == 302, f"log-in as {username} failed: {response.status}"


@pytest.fixture
def watched_page(page: Page, live_server: LiveServer) -> Iterator[tuple[Page, Watch]]:
    """A page signed in as the demo leader; requests beyond 127.0.0.1 are blocked and recorded,
    console errors kept."""
    watch = Watch()

    def guard(route: Route, request: Request) -> None:
        host = urlparse(request.url).hostname
        if request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
            route.continue_()
        else:
            watch.outside.append(request.url)
            route.abort()

    page.route("**/*", guard)
    page.on(
        "console",
        lambda msg: watch.console_errors.append(msg.text) if msg.type == "error" else None,
    )
    page.on("pageerror", lambda exc: watch.console_errors.append(str(exc)))
    # A Content-Security-Policy refusal (an eval, a script or style from elsewhere) is an error.
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error("
        "'CSP refused ' + e.violatedDirective + ' ' + e.blockedURI))"
    )
    sign_in(page, live_server)
    yield page, watch


def cli_stats(db_url: str, year: int, as_of: str) -> dict:
    """What `dashboard stats --campaign YEAR --as-of D --json` prints, run as a user would."""
    env = {**os.environ, "DATABASE_URL": db_url}
    command = ["stats", "--campaign", str(year), "--as-of", as_of, "--json"]
    out = subprocess.run(
        [sys.executable, "-m", "dashboard", *command],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)
