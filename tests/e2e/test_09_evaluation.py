"""The 评议结果 page in Chromium: both groups, ranked from 1 within each."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.conftest import LiveServer, Watch


def test_evaluation_page(live_server: LiveServer, watched_page: tuple[Page, Watch]) -> None:
    page, watch = watched_page
    page.goto(f"{live_server.url}/evaluation?campaign={live_server.today.year}")
    for group in ("agency", "legal_service"):
        table = page.locator(f"#eval-{group}")
        expect(table).to_be_visible(timeout=30_000)
        expect(table.locator("tbody tr").first.locator("td").first).to_have_text("1")
    expect(page.locator("#eval-agency tbody tr")).to_have_count(16)
    assert watch.outside == [] and watch.console_errors == []
