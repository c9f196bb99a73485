"""Mid-campaign figures in Chromium (issue #19, item 7): at an as-of date inside 调查评议 the
phases not yet started read 未开始 (not 0.0%) on /overview and /progress, and the phase card's
days left are said of the as-of date, right on a phase's first, middle and last day."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from playwright.sync_api import Page, expect
from werkzeug.serving import make_server

from dashboard.app import create_app
from dashboard.config import Settings
from dashboard.ids import Progress
from dashboard.text import fmt_rate
from data.db import Database
from data.scope import load_campaign
from tests.e2e.conftest import LiveServer, Watch, cli_stats, sign_in

RENDER_TIMEOUT = 20_000
NOT_STARTED = "未开始"
PHASE_NOTE = "#overview-phase ~ .stat-note"  # the line under the current phase's name


def investigate_window(server: LiveServer) -> tuple[dt.date, dt.date]:
    """调查评议's window in the demo campaign of the server's year."""
    with Database.from_url(server.db_url).read() as session:
        return load_campaign(session, server.today.year).phases["investigate"]


def middle_of(window: tuple[dt.date, dt.date]) -> dt.date:
    """A day well inside a window (7月15日 for 6月1日–8月31日)."""
    start, end = window
    return start + (end - start) / 2 - dt.timedelta(days=1)


@contextmanager
def served_on(db_url: str, today: dt.date) -> Iterator[LiveServer]:
    """The demo county served with "today" pinned to another day."""
    app = create_app(Settings(database_url=db_url, secret_key="e2e-19", fixed_today=today))
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}", db_url, today)
    finally:
        server.shutdown()
        thread.join(timeout=5)


def test_overview_mid_campaign_says_not_started(
    live_server: LiveServer, watched_page: tuple[Page, Watch]
) -> None:
    page, watch = watched_page
    year = live_server.today.year
    as_of = middle_of(investigate_window(live_server)).isoformat()
    page.goto(f"{live_server.url}/?campaign={year}&as_of={as_of}")
    for code in ("rectify", "assess"):
        expect(page.locator(f"#overview-phase-{code}")).to_have_text(
            NOT_STARTED, timeout=RENDER_TIMEOUT
        )
    # the CLI: no denominator for a phase not started, the page's rate for the started ones
    stats = cli_stats(live_server.db_url, year, as_of)
    assert stats["phase_progress"]["rectify"] is None
    assert stats["phase_progress"]["assess"] is None
    for code in ("mobilize", "investigate"):
        expect(page.locator(f"#overview-phase-{code}")).to_have_text(
            fmt_rate(stats["phase_progress"][code])
        )
    expect(page.get_by_text("0.0%", exact=True)).to_have_count(0)
    assert watch.console_errors == []


def test_progress_mid_campaign_says_not_started(
    live_server: LiveServer, watched_page: tuple[Page, Watch]
) -> None:
    page, _watch = watched_page
    year = live_server.today.year
    as_of = middle_of(investigate_window(live_server)).isoformat()
    page.goto(f"{live_server.url}/progress?campaign={year}&as_of={as_of}")

    timeline = page.locator(f"#{Progress.TIMELINE}")
    expect(timeline).to_contain_text("落实整改 未开始", timeout=RENDER_TIMEOUT)
    expect(timeline).to_contain_text("工作考评 未开始")
    expect(timeline).not_to_contain_text("0.0%")
    for graph_id in (Progress.BY_KIND, Progress.BY_TOWNSHIP):
        heatmap = page.locator(f"#{graph_id}")
        expect(heatmap).to_contain_text("落实整改", timeout=RENDER_TIMEOUT)
        expect(heatmap).to_contain_text(NOT_STARTED)
    grid_header = page.locator(f"#{Progress.GRID} .ag-header")
    expect(grid_header).to_contain_text("落实整改（未开始）", timeout=RENDER_TIMEOUT)
    expect(grid_header).to_contain_text("工作考评（未开始）")
    expect(page.locator(f"#{Progress.GRID_COUNTS}")).to_contain_text("阶段未开始")


@pytest.mark.parametrize("day", ["first", "middle", "last"])
def test_phase_card_days_left_at_the_as_of_date(
    live_server: LiveServer, watched_page: tuple[Page, Watch], day: str
) -> None:
    """Viewed on another day (today is in 工作考评), the card speaks of the as-of date."""
    page, _watch = watched_page
    start, end = investigate_window(live_server)
    as_of = {"first": start, "middle": middle_of((start, end)), "last": end}[day]
    date = f"{as_of.year}年{as_of.month}月{as_of.day}日"
    expected = {
        "first": f"按{date}计，本阶段剩余 {(end - start).days + 1} 天",
        "middle": f"按{date}计，本阶段剩余 {(end - as_of).days + 1} 天",
        "last": f"{date}是本阶段最后一天",
    }[day]
    page.goto(f"{live_server.url}/?campaign={as_of.year}&as_of={as_of.isoformat()}")
    expect(page.locator("#overview-phase")).to_have_text("调查评议", timeout=RENDER_TIMEOUT)
    expect(page.locator(PHASE_NOTE)).to_have_text(expected)


@pytest.mark.parametrize(("offset", "expected"), [(0, "今天是本阶段最后一天"), (1, "剩余 2 天")])
def test_phase_card_on_the_day_itself(
    live_server: LiveServer, page: Page, offset: int, expected: str
) -> None:
    """When the as-of date is today, the card speaks of today: its last day, or the day before
    (two days left: today and the last)."""
    _start, end = investigate_window(live_server)
    today = end - dt.timedelta(days=offset)
    with served_on(live_server.db_url, today) as server:
        sign_in(page, server)
        page.goto(f"{server.url}/")
        expect(page.locator("#overview-phase")).to_have_text("调查评议", timeout=RENDER_TIMEOUT)
        expect(page.locator(PHASE_NOTE)).to_have_text(expected)


def test_unit_page_mid_campaign_says_not_started(
    live_server: LiveServer, watched_page: tuple[Page, Watch]
) -> None:
    """The unit page's task card, like the figures: a phase not started reads 未开始, not
    完成 0/N 项 · —."""
    page, _ = watched_page
    year = live_server.today.year
    as_of = middle_of(investigate_window(live_server)).isoformat()
    page.goto(f"{live_server.url}/units/1?campaign={year}&as_of={as_of}")
    for phase in ("rectify", "assess"):
        summary = page.locator(f"#unit-tasks-{phase}")
        expect(summary).to_have_text("未开始", timeout=20_000)
    expect(page.locator("#unit-tasks-mobilize")).to_contain_text("完成")
