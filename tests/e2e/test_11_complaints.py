"""/complaints in Chromium: the demo county's heatmaps, a cell's problems, a bookmarked view."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

from playwright.sync_api import Page, expect

from dashboard.ids import Complaints as Ids
from data.complaints import Grid, complaint_grid
from data.db import Database
from data.figures import Filters, campaign_figures
from data.reference import COMPLAINT_CHANNELS
from layouts.complaints import LIST_LIMIT
from tests.e2e.conftest import LiveServer, Watch

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
    rows = modal.locator("tr.cmp-problem-row")
    expect(rows).to_have_count(min(count, LIST_LIMIT))
    channel_cells = rows.locator("td:nth-child(3)").all_inner_texts()
    assert set(channel_cells) == {grid.row_names[row_key]}
    # the unit links go to the unit pages
    href = rows.first.locator("a.unit-link").get_attribute("href") or ""
    assert re.match(r"^/units/\d+", href)
    # a leader never sees a complainant's name or phone number
    complainants = modal.locator("td.cmp-complainant").all_inner_texts()
    assert complainants and all(MASKED.match(text) for text in complainants), complainants
    assert any("*" in text for text in complainants)

    page.locator(f"#{Ids.MODAL_CLOSE}").click()
    expect(modal).to_be_hidden()
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
