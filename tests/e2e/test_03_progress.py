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


# Playwright's locators try to run their script inside the grid's frame; the sandbox refuses
# (the frame runs no script). That refusal is the only console error the page may show.
SANDBOX_REFUSAL = "Blocked script execution in 'about:srcdoc'"


def page_errors(watch: Watch) -> list[str]:
    """The page's console errors other than the sandbox refusing Playwright's own script."""
    return [e for e in watch.console_errors if not e.startswith(SANDBOX_REFUSAL)]


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
    # The charts draw after plotly.js loads, which can take seconds on a loaded machine.
    expect(page.locator(f"#{Ids.TIMELINE} .bars .point")).to_have_count(4, timeout=RENDER_TIMEOUT)
    expect(page.locator(f"#{Ids.TIMELINE}")).to_contain_text("数据截至 2026年11月20日")
    for graph_id in (Ids.BY_KIND, Ids.BY_TOWNSHIP):
        expect(page.locator(f"#{graph_id} .main-svg").first).to_be_visible(timeout=RENDER_TIMEOUT)

    # The grid: one row per unit, as many red cells as overdue tasks, a sticky header.
    grid = page.frame_locator(f"#{Ids.GRID}")
    expect(grid.locator("tbody tr")).to_have_count(len(figures.by_unit))
    expect(grid.locator("td.tg-overdue")).to_have_count(n)
    expect(grid.locator("td.tg-overdue").first).to_have_attribute(
        "title", re.compile(r" / 逾期 \d+ 天$")
    )
    expect(page.locator(f"#{Ids.GRID_COUNTS}")).to_contain_text(f"逾期未完成 {n} 项")
    header = grid.locator("thead tr").nth(1).locator("th").first
    page.locator(f"#{Ids.GRID}").hover()
    top = header.bounding_box()
    page.mouse.wheel(0, 800)  # scroll the grid's own document
    expect(grid.locator("tbody tr").first).not_to_be_in_viewport()
    assert header.bounding_box() == top  # the header is still in view after scrolling the grid
    # A unit's name opens its page in the dashboard (the frame navigates its parent).
    first = grid.locator("tbody tr td.tg-unit a").first
    name = first.inner_text()
    first.click()
    expect(page).to_have_url(re.compile(rf"{live_server.url}/units/\d+\?campaign={year}"))
    expect(page.get_by_role("heading", name=name)).to_be_visible(timeout=RENDER_TIMEOUT)
    page.go_back()

    rows = page.locator(f"#{Ids.OVERDUE} tbody tr")
    expect(rows).to_have_count(min(n, SHOWN))
    assert n > SHOWN  # the demo county has more: the link shows them all
    page.locator(f"#{Ids.SHOW_ALL}").click()
    expect(page).to_have_url(f"{live_server.url}/progress?campaign={year}&as_of={as_of}&tasks=all")
    expect(rows).to_have_count(n, timeout=RENDER_TIMEOUT)
    assert watch.outside == []
    assert page_errors(watch) == []


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

    names = page.frame_locator(f"#{Ids.GRID}").locator("tbody tr td.tg-unit")
    expect(names).to_have_text(offices, timeout=RENDER_TIMEOUT)
    assert offices and all(name.endswith("司法所") for name in offices)
    expect(page.locator(f"#{Ids.OVERDUE_COUNT}")).to_have_text(
        f"逾期未完成任务 {figures.overdue_tasks} 项"
    )
    for link in page.locator(f"#{Ids.OVERDUE} tbody tr td:first-child a").all():
        assert link.inner_text().endswith("司法所")
        assert "kind=judicial_office" in (link.get_attribute("href") or "")
    expect(page.locator(f"#{Ids.BY_KIND} .ytick")).to_have_text(["司法所"], timeout=RENDER_TIMEOUT)
    assert watch.outside == []
    assert page_errors(watch) == []
