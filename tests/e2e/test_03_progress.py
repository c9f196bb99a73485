"""/progress in Chromium: the demo county's phases, heatmaps and overdue tasks."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from dashboard.ids import Progress as Ids
from data.db import Database
from data.figures import campaign_figures
from layouts.progress import SHOWN
from tests.e2e.conftest import LiveServer, Watch

RENDER_TIMEOUT = 20_000


def test_progress_page_shows_the_demo_county(
    live_server: LiveServer, watched_page: tuple[Page, Watch]
) -> None:
    page, watch = watched_page
    year, as_of = live_server.today.year, live_server.today.isoformat()
    with Database.from_url(live_server.db_url).read() as session:
        n = campaign_figures(session, year, live_server.today).overdue_tasks
    page.goto(f"{live_server.url}/progress?campaign={year}&as_of={as_of}")

    expect(page.locator(f"#{Ids.OVERDUE_COUNT}")).to_have_text(
        f"逾期未完成任务 {n} 项", timeout=RENDER_TIMEOUT
    )
    expect(page.locator(f"#{Ids.TIMELINE} .bars .point")).to_have_count(4)
    for graph_id in (Ids.BY_KIND, Ids.BY_TOWNSHIP):
        expect(page.locator(f"#{graph_id} .main-svg").first).to_be_visible()
    rows = page.locator(f"#{Ids.OVERDUE} tbody tr")
    expect(rows).to_have_count(min(n, SHOWN))

    assert n > SHOWN  # the demo county has more: the link shows them all
    page.locator(f"#{Ids.SHOW_ALL}").click()
    expect(page).to_have_url(f"{live_server.url}/progress?campaign={year}&as_of={as_of}&tasks=all")
    expect(rows).to_have_count(n, timeout=RENDER_TIMEOUT)
    assert watch.outside == []
    assert watch.console_errors == []
