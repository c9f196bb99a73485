"""The 评议结果 page in Chromium: both groups apart, ranked within each, filters keep ranks."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from data.db import Database
from data.evaluation import evaluation_results
from data.figures import Filters
from tests.e2e.conftest import LiveServer, Watch


def test_evaluation_page(live_server: LiveServer, watched_page: tuple[Page, Watch]) -> None:
    page, watch = watched_page
    year, as_of = live_server.today.year, live_server.today
    db = Database.from_url(live_server.db_url)
    with db.read() as s:
        results = evaluation_results(s, year, as_of)
        township = next(e.township for e in results if e.group == "agency" and e.rank != 1)
        assert township is not None
        shown = evaluation_results(s, year, as_of, Filters(townships=(township,)))
    db.engine.dispose()

    page.goto(f"{live_server.url}/evaluation?campaign={year}")
    expect(page.locator("#eval-formula")).to_contain_text(
        "综合得分 = 满意度得分 × 70%", timeout=30_000
    )
    for group in ("agency", "legal_service"):
        members = [e for e in results if e.group == group]
        table = page.locator(f"#eval-{group}")
        expect(table).to_be_visible(timeout=30_000)
        expect(table.locator("tbody tr")).to_have_count(len(members))
        expect(table.locator("tbody tr").first.locator("td").first).to_have_text("1")
        best = members[0]
        expect(table.locator("tbody tr").first).to_contain_text(best.unit)
        expect(table.locator("tbody tr").first).to_contain_text(f"{best.composite:.1f}")
    # a law firm never appears among the 司法所
    expect(page.locator("#eval-agency")).not_to_contain_text("律师事务所")
    assert watch.outside == [] and watch.console_errors == []

    page.goto(f"{live_server.url}/evaluation?campaign={year}&township={township}")
    rows = page.locator("#eval-agency tbody tr")
    agency = [e for e in shown if e.group == "agency"]
    expect(rows).to_have_count(len(agency))
    # ranks stay county-wide within the group: the filtered list need not start at 1
    expect(rows.first.locator("td").first).to_have_text(str(agency[0].rank or "—"))
    assert agency[0].rank != 1 or len(agency) > 1
    assert watch.console_errors == []
