"""/progress in Chromium: the demo county's phases, heatmaps, task grid and overdue tasks."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from dashboard.ids import Progress as Ids
from data.db import Database
from data.figures import Filters, campaign_figures
from layouts.progress import SHOWN
from tests.e2e.conftest import LiveServer, Watch

RENDER_TIMEOUT = 20_000


def test_progress_page_shows_the_demo_county(
    live_server: LiveServer, watched_page: tuple[Page, Watch]
) -> None:
    page, watch = watched_page
    year, as_of = live_server.today.year, live_server.today.isoformat()
    with Database.from_url(live_server.db_url).read() as session:
        figures = campaign_figures(session, year, live_server.today)
    n = figures.overdue_tasks
    page.goto(f"{live_server.url}/progress?campaign={year}&as_of={as_of}")

    expect(page.locator(f"#{Ids.OVERDUE_COUNT}")).to_have_text(
        f"逾期未完成任务 {n} 项", timeout=RENDER_TIMEOUT
    )
    expect(page.locator(f"#{Ids.TIMELINE} .bars .point")).to_have_count(4)
    expect(page.locator(f"#{Ids.TIMELINE}")).to_contain_text("数据截至 2026年11月20日")
    for graph_id in (Ids.BY_KIND, Ids.BY_TOWNSHIP):
        expect(page.locator(f"#{graph_id} .main-svg").first).to_be_visible()

    # The grid: one row per unit, as many red cells as overdue tasks, a sticky header.
    grid = page.locator(f"#{Ids.GRID}")
    expect(grid.locator("tbody tr")).to_have_count(len(figures.by_unit))
    expect(grid.locator("td.tg-overdue")).to_have_count(n)
    expect(grid.locator("td.tg-overdue").first).to_have_attribute(
        "title", re.compile(r" / 逾期 \d+ 天$")
    )
    expect(page.locator(f"#{Ids.GRID_COUNTS}")).to_contain_text(f"逾期未完成 {n} 项")
    header = grid.locator("thead tr").nth(1).locator("th").first
    top = header.bounding_box()
    grid.evaluate("e => { e.scrollTop = 800; }")
    page.wait_for_timeout(200)
    assert header.bounding_box() == top  # still in view after scrolling the grid
    assert grid.evaluate("e => e.scrollHeight > e.clientHeight")  # the units scroll inside the box

    rows = page.locator(f"#{Ids.OVERDUE} tbody tr")
    expect(rows).to_have_count(min(n, SHOWN))
    assert n > SHOWN  # the demo county has more: the link shows them all
    page.locator(f"#{Ids.SHOW_ALL}").click()
    expect(page).to_have_url(f"{live_server.url}/progress?campaign={year}&as_of={as_of}&tasks=all")
    expect(rows).to_have_count(n, timeout=RENDER_TIMEOUT)
    assert watch.outside == []
    assert watch.console_errors == []


def test_a_filtered_address_opened_fresh_shows_only_that_kind(
    live_server: LiveServer, watched_page: tuple[Page, Watch]
) -> None:
    page, watch = watched_page
    year = live_server.today.year
    with Database.from_url(live_server.db_url).read() as session:
        figures = campaign_figures(
            session, year, live_server.today, Filters(kinds=("judicial_office",))
        )
    offices = [u.unit for u in figures.by_unit]
    page.goto(f"{live_server.url}/progress?campaign={year}&as_of=2026-11-20&kind=judicial_office")

    names = page.locator(f"#{Ids.GRID} tbody tr td.tg-unit")
    expect(names).to_have_text(offices, timeout=RENDER_TIMEOUT)
    assert offices and all(name.endswith("司法所") for name in offices)
    expect(page.locator(f"#{Ids.OVERDUE_COUNT}")).to_have_text(
        f"逾期未完成任务 {figures.overdue_tasks} 项"
    )
    for link in page.locator(f"#{Ids.OVERDUE} tbody tr td:first-child a").all():
        assert link.inner_text().endswith("司法所")
        assert "kind=judicial_office" in (link.get_attribute("href") or "")
    expect(page.locator(f"#{Ids.BY_KIND} .ytick")).to_have_text(["司法所"])
    assert watch.outside == []
    assert watch.console_errors == []
