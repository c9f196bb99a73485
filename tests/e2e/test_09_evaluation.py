"""The 评议结果 page in Chromium: both groups apart, ranked within each, filters keep ranks."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from data.db import Database
from data.evaluation import evaluation_results
from data.figures import Filters
from tests.e2e.conftest import LiveServer, Watch
from tests.e2e.grids import grid_texts


def test_evaluation_page(live_server: LiveServer, watched_page: tuple[Page, Watch]) -> None:
    page, watch = watched_page
    year, as_of = live_server.today.year, live_server.today
    db = Database.from_url(live_server.db_url)
    with db.read() as s:
        results = evaluation_results(s, year, as_of)
        township = next(e.township for e in results if e.group == "agency" and e.rank != 1)
        assert township is not None
        shown_results = evaluation_results(s, year, as_of, Filters(townships=(township,)))
    db.engine.dispose()

    page.goto(f"{live_server.url}/evaluation?campaign={year}")
    expect(page.locator("#eval-formula")).to_contain_text(
        "综合得分 = 满意度得分 × 70%", timeout=30_000
    )
    for group in ("agency", "legal_service"):
        members = [e for e in results if e.group == group]
        grid_id = f"eval-grid-{group}"
        # every unit of the group is in the grid (not only the rows drawn), in rank order
        assert grid_texts(page, grid_id, "unit") == [e.unit for e in members]
        assert grid_texts(page, grid_id, "rank")[0] == "1"
        assert grid_texts(page, grid_id, "composite") == [
            "—" if e.composite is None else f"{e.composite:.1f}" for e in members
        ]
        expect(page.locator(f"#eval-{group} .grid-count")).to_contain_text(f"共 {len(members)} 行")
    # a law firm never appears among the 司法所
    assert not any("律师事务所" in kind for kind in grid_texts(page, "eval-grid-agency", "kind"))
    assert watch.outside == [] and watch.console_errors == []

    # the grid sorts by the number, not by its text: lowest composite first after two clicks
    legal = [e for e in results if e.group == "legal_service" and e.composite is not None]
    page.locator("#eval-grid-legal_service").get_by_role("columnheader", name="综合得分").click()
    composites = [round(e.composite, 1) for e in legal]
    shown = [float(t) for t in grid_texts(page, "eval-grid-legal_service", "composite") if t != "—"]
    assert shown == sorted(composites) or shown == sorted(composites, reverse=True)
    assert shown != composites or len(set(composites)) == 1

    # a unit's name is a link that opens its page inside the app
    first = page.locator("#eval-grid-agency .ag-center-cols-container [col-id=unit] a").first
    name = first.inner_text()
    unit = next(e for e in results if e.unit == name)
    first.click()
    expect(page).to_have_url(f"{live_server.url}/units/{unit.unit_id}?campaign={year}")
    expect(page.locator(".page-title")).to_contain_text(name, timeout=30_000)

    page.goto(f"{live_server.url}/evaluation?campaign={year}&township={township}")
    agency = [e for e in shown_results if e.group == "agency"]
    expect(page.locator("#eval-formula")).to_be_visible(timeout=30_000)
    units = grid_texts(page, "eval-grid-agency", "unit")
    assert units == [e.unit for e in agency]
    # ranks stay county-wide within the group: the filtered list need not start at 1
    assert grid_texts(page, "eval-grid-agency", "rank")[0] == str(agency[0].rank or "—")
    assert agency[0].rank != 1 or len(agency) > 1
    assert watch.console_errors == []
