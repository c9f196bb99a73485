"""The 评议大会 handout: the /present deck printed to PDF by the system Chromium, one slide a page,
except that a slide with a long list (the overdue units, the meeting's questions) runs over as
many pages as its every item needs, the table's header repeated (assets/present.css, @media print).

The app is served from a thread on 127.0.0.1 for the time it takes; the browser gets a session
for an existing user (as if they had signed in), so it sees exactly what that user's /present
shows. Playwright drives Chromium; nothing is fetched from outside.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import threading
from pathlib import Path
from urllib.parse import urlencode

from dash import Dash
from sqlalchemy import case, select

from data.db import Database
from data.models import User
from data.reference import Role

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PRESENTERS = (Role.LEADER, Role.ADMIN, Role.SUPERVISOR)
TIMEOUT_MS = 60_000
PDF_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


class HandoutError(Exception):
    """Why no handout could be made (a Chinese sentence)."""


def _presenter(database: Database, username: str | None) -> int:
    """The id of the user the deck is printed as: the one named, else the first leader."""
    with database.read() as s:
        query = select(User.id, User.role).where(User.active.is_(True))
        if username:
            row = s.execute(query.where(User.username == username)).first()
            if row is None:
                raise HandoutError(f"用户不存在或已停用：{username}")
            if row.role not in PRESENTERS:
                raise HandoutError(f"用户 {username} 无权使用评议大会投影")
            return int(row.id)
        order = case({role: i for i, role in enumerate(PRESENTERS)}, value=User.role)
        row = s.execute(query.where(User.role.in_(PRESENTERS)).order_by(order, User.id)).first()
        if row is None:
            raise HandoutError("没有可用的局领导、管理员或督导员账号（dashboard users add）")
        return int(row.id)


def _session_cookie(app: Dash, user_id: int) -> str:
    """A signed session cookie value for `user_id`, as /login would have set it."""
    from flask import session

    from dashboard.auth import account_of, start_session
    from dashboard.context import get_db

    server = app.server
    with server.test_request_context():
        with get_db().read() as s:
            user = s.get(User, user_id)
            account = account_of(user)
        start_session(account)
        serializer = server.session_interface.get_signing_serializer(server)
        return serializer.dumps(dict(session))


def deck_query(year: int, as_of: dt.date, theme: str, snapshot: int | None = None) -> str:
    """The deck's query string for a campaign, its date and theme (and a published snapshot)."""
    query: dict[str, object] = {"campaign": year, "as_of": as_of.isoformat(), "theme": theme}
    if snapshot is not None:
        query["snapshot"] = snapshot
    return urlencode(query)


def make_handout(
    year: int,
    as_of: dt.date,
    out: Path,
    theme: str = "light",
    username: str | None = None,
    chromium: str = CHROMIUM,
    snapshot: int | None = None,
) -> int:
    """Print the deck to `out` (landscape, a page a slide, more for a long list); returns the
    number of pages."""
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise HandoutError("需要 Python 包 playwright（pip install playwright）") from exc
    from werkzeug.serving import make_server

    from dashboard.app import create_app
    from dashboard.config import Settings
    from data.figures import campaign_years

    settings = Settings()
    database = Database.from_url(settings.database_url)
    with database.read() as s:
        if year not in campaign_years(s):
            raise HandoutError(f"没有 {year} 年度的评议活动")
        if snapshot is not None:
            from data.snapshots import snapshot_of

            published = snapshot_of(s, snapshot)
            if published is None or published.year != year:
                raise HandoutError(
                    f"{year} 年度没有发布快照 #{snapshot}（dashboard snapshots 可列出）"
                )
            as_of = published.as_of
    user_id = _presenter(database, username)
    app = create_app(settings)
    cookie = _session_cookie(app, user_id)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no request log on the console
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        with sync_playwright() as p:
            try:
                browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            except PlaywrightError as exc:
                raise HandoutError(
                    f"无法启动 Chromium（{chromium}）：apt-get install chromium"
                ) from exc
            context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
            context.add_cookies([{"name": "session", "value": cookie, "url": base}])
            # Only the app itself is ever asked for anything.
            context.route(
                "**/*",
                lambda route: (
                    route.continue_()
                    if route.request.url.startswith((base, "data:", "blob:"))
                    else route.abort()
                ),
            )
            page = context.new_page()
            page.goto(f"{base}/present?{deck_query(year, as_of, theme, snapshot)}")
            page.wait_for_selector(".present-slides", timeout=TIMEOUT_MS)
            graphs = page.locator(".present-graph")
            graphs.first.wait_for(state="attached", timeout=TIMEOUT_MS)
            for i in range(graphs.count()):
                svg = graphs.nth(i).locator(".main-svg").first
                svg.wait_for(state="attached", timeout=TIMEOUT_MS)
            out.parent.mkdir(parents=True, exist_ok=True)
            pdf = page.pdf(
                path=str(out),
                landscape=True,
                print_background=True,
                prefer_css_page_size=True,
                width="1920px",
                height="1080px",
            )
            browser.close()
    finally:
        server.shutdown()
        thread.join(timeout=5)
        database.engine.dispose()
    return len(PDF_PAGE.findall(pdf))
