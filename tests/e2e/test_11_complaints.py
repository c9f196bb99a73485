"""/complaints in Chromium: the demo county's heatmaps, a cell's problems (every one, in a grid),
a bookmarked view."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

from playwright.sync_api import Page, expect

from dashboard.ids import Complaints as Ids
from data.complaints import Grid, cell_problems, complaint_grid
from data.db import Database
from data.figures import Filters, campaign_figures
from data.reference import COMPLAINT_CHANNELS
from tests.e2e.conftest import LiveServer, Watch
from tests.e2e.grids import grid_count, grid_data, grid_texts

RENDER_TIMEOUT = 20_000
MASKED = re.compile(r"^(—|.\*+( \d*\*+\d+)?|\d*\*+\d+)$")


def demo_grid(
    server: LiveServer, name: str, channels: tuple[str, ...] = COMPLAINT_CHANNELS, **kw: object
) -> Grid:
    """A grid of the live server's demo county, straight from the data layer."""
    db = Database.from_url(server.db_url)
    try:
        with db.read() as s:
            return complaint_grid(
                s, server.today.year, server.today, Filters(**kw), tuple(channels), name
            )
    finally:
        db.engine.dispose()


def view(server: LiveServer, query: str = "") -> str:
    year, as_of = server.today.year, server.today.isoformat()
    return f"{server.url}/complaints?campaign={year}&as_of={as_of}{query}"


def svg_texts(page: Page, selector: str) -> list[str]:
    """The text of SVG elements (they have no innerText)."""
    return page.locator(selector).evaluate_all("els => els.map(e => e.textContent)")


def wait_for_heatmaps(page: Page) -> None:
    for graph_id in (Ids.CHANNEL_MONTH, Ids.TOWNSHIP_CRITERION, Ids.UNIT_MONTH):
        expect(page.locator(f"#{graph_id} .nsewdrag").first).to_be_visible(timeout=RENDER_TIMEOUT)


def click_cell(page: Page, graph_id: str, grid: Grid, row: int, column: int) -> None:
    """Click a heatmap cell with the mouse (rows run top-down)."""
    box = page.locator(f"#{graph_id} .nsewdrag").first.bounding_box()
    assert box is not None
    x = box["x"] + box["width"] * (column + 0.5) / len(grid.columns)
    y = box["y"] + box["height"] * (row + 0.5) / len(grid.rows)
    page.mouse.move(x, y)
    page.mouse.click(x, y)


def test_page_renders_the_demo_county(
    live_server: LiveServer, watched_page: tuple[Page, Watch]
) -> None:
    page, watch = watched_page
    db = Database.from_url(live_server.db_url)
    with db.read() as s:
        complaints = campaign_figures(s, live_server.today.year, live_server.today).complaints
    db.engine.dispose()
    assert complaints > 0

    page.goto(view(live_server))
    wait_for_heatmaps(page)
    expect(page.locator(f"#{Ids.CONTENT}-summary")).to_contain_text(
        f"所选来源问题共 {complaints} 件"
    )
    # the default channel set is the complaints
    checked = page.locator(f"#{Ids.CHANNELS} input:checked")
    expect(checked).to_have_count(2)
    assert sorted(checked.evaluate_all("els => els.map(e => e.value)")) == sorted(
        COMPLAINT_CHANNELS
    )
    # the long unit list is one figure, names readable (truncated with an ellipsis at most)
    ticks = svg_texts(page, f"#{Ids.UNIT_MONTH} .ytick text")
    assert len(ticks) == len(demo_grid(live_server, "unit_month").rows)
    assert all(len(t) <= 14 for t in ticks)
    assert watch.console_errors == [] and watch.outside == []


def test_clicking_a_cell_lists_its_problems_masked(
    live_server: LiveServer, watched_page: tuple[Page, Watch]
) -> None:
    page, watch = watched_page
    grid = demo_grid(live_server, "channel_month")
    (row_key, column_key), count = max(grid.counts.items(), key=lambda item: item[1])
    assert count > 0

    page.goto(view(live_server))
    wait_for_heatmaps(page)
    click_cell(
        page, Ids.CHANNEL_MONTH, grid, grid.rows.index(row_key), grid.columns.index(column_key)
    )
    modal = page.locator(f"#{Ids.MODAL}")
    expect(page.locator(f"#{Ids.MODAL_TITLE}")).to_contain_text(
        f"{grid.row_names[row_key]} · {column_key[:4]}年{int(column_key[5:])}月：{count} 件",
        timeout=RENDER_TIMEOUT,
    )
    # every problem of the cell is in the grid (not only the rows drawn)
    assert grid_count(page, Ids.PROBLEMS) == count
    assert set(grid_texts(page, Ids.PROBLEMS, "channel")) == {grid.row_names[row_key]}
    # the unit links go to the unit pages
    link = modal.locator(f"#{Ids.PROBLEMS} .ag-center-cols-container [col-id=unit] a").first
    assert re.match(r"^/units/\d+", link.get_attribute("href") or "")
    # a leader never sees a complainant's name or phone number: not even in the grid's rows
    complainants = grid_texts(page, Ids.PROBLEMS, "complainant")
    assert complainants and all(MASKED.match(text) for text in complainants), complainants
    assert any("*" in text for text in complainants)
    sent = [row["complainant"] for row in grid_data(page, Ids.PROBLEMS)]
    assert all(MASKED.match(text) for text in sent), sent

    page.locator(f"#{Ids.MODAL_CLOSE}").click()
    expect(modal).to_be_hidden()
    assert watch.console_errors == [] and watch.outside == []


def test_a_big_cell_holds_every_problem_and_links_to_the_units(
    live_server: LiveServer, watched_page: tuple[Page, Watch]
) -> None:
    page, watch = watched_page
    channels = ("self_inspection",)
    grid = demo_grid(live_server, "channel_month", channels)
    (row_key, column_key), count = max(grid.counts.items(), key=lambda item: item[1])
    assert count > 50  # more than the old list showed
    db = Database.from_url(live_server.db_url)
    with db.read() as s:
        year, today = live_server.today.year, live_server.today
        cell = cell_problems(
            s, year, today, Filters(), channels, "channel_month", row_key, column_key, None
        )
    db.engine.dispose()

    page.goto(view(live_server, "&channels=self_inspection"))
    wait_for_heatmaps(page)
    click_cell(
        page, Ids.CHANNEL_MONTH, grid, grid.rows.index(row_key), grid.columns.index(column_key)
    )
    modal = page.locator(f"#{Ids.MODAL}")
    expect(modal.locator(".grid-count")).to_contain_text(f"共 {count} 行", timeout=RENDER_TIMEOUT)
    # every problem, newest first, as the data layer lists them
    assert [row["id"] for row in grid_data(page, Ids.PROBLEMS)] == [p.id for p in cell.problems]
    # the grid filters: one unit's problems
    unit = cell.problems[-1].unit
    modal.locator(f"#{Ids.PROBLEMS} .ag-floating-filter input").first.fill(unit)
    expected = sum(1 for p in cell.problems if unit in p.unit)
    page.wait_for_function(
        "([id, n]) => dash_ag_grid.getApi(id).getDisplayedRowCount() === n",
        arg=[Ids.PROBLEMS, expected],
        timeout=RENDER_TIMEOUT,
    )
    assert grid_count(page, Ids.PROBLEMS) == expected
    # a unit's name opens its page inside the app (the dialog goes with the page)
    link = modal.locator(f"#{Ids.PROBLEMS} .ag-center-cols-container [col-id=unit] a").first
    name = link.inner_text()
    link.click()
    unit_id = next(p.unit_id for p in cell.problems if p.unit == name)
    expect(page).to_have_url(re.compile(rf"/units/{unit_id}\?"), timeout=RENDER_TIMEOUT)
    expect(page.locator(".page-title")).to_contain_text(name, timeout=RENDER_TIMEOUT)
    expect(modal).to_have_count(0)
    assert watch.console_errors == [] and watch.outside == []


def test_a_filtered_url_reopens_the_same_view(
    live_server: LiveServer, watched_page: tuple[Page, Watch]
) -> None:
    page, watch = watched_page
    channels = ("hotline", "inspection")
    every = demo_grid(live_server, "township_criterion", channels, kinds=("law_firm",))
    township = every.rows[0]
    grid = demo_grid(
        live_server, "channel_month", channels, kinds=("law_firm",), townships=(township,)
    )
    total = sum(grid.counts.values())
    assert total > 0

    query = f"&kind=law_firm&township={township}&channels=hotline,inspection&per100=1"
    page.goto(view(live_server, query))
    wait_for_heatmaps(page)
    expect(page.locator(f"#{Ids.CONTENT}-summary")).to_contain_text(f"所选来源问题共 {total} 件")
    expect(page.locator(f"#{Ids.CONTENT}-summary")).to_contain_text("灰色格表示案件数未知")
    checked = page.locator(f"#{Ids.CHANNELS} input:checked")
    assert sorted(checked.evaluate_all("els => els.map(e => e.value)")) == list(channels)
    expect(page.locator(f"#{Ids.PER100}")).to_be_checked()
    rows = svg_texts(page, f"#{Ids.TOWNSHIP_CRITERION} .ytick text")
    assert rows == [township]

    # changing the channel set writes it into the address
    page.get_by_label("纠风办交办").check()
    page.wait_for_url(re.compile("referral"), timeout=RENDER_TIMEOUT)
    query_now = parse_qs(urlparse(page.url).query)
    assert query_now["channels"] == ["hotline,inspection,referral"]
    assert query_now["kind"] == ["law_firm"] and query_now["township"] == [township]
    wait_for_heatmaps(page)
    assert watch.console_errors == [] and watch.outside == []
