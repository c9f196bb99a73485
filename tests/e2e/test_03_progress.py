"""/progress in Chromium: the demo county's phases, heatmaps, unit × task grid and overdue
tasks (both grids hold every row; the tests read them through the grid, not the rows drawn)."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect

from dashboard.ids import Progress as Ids
from data.db import Database
from data.figures import Filters, campaign_figures
from data.progress import GridTask, TaskGrid, task_grid
from data.reference import PHASE_NAMES
from layouts.progress import cell_mark
from tests.e2e.conftest import LiveServer, Watch
from tests.e2e.grids import grid_count, grid_data, grid_texts, wait_for_grid

RENDER_TIMEOUT = 20_000

# The grid's column groups as AG Grid holds them: [(group header, [column headers])].
_HEADERS = """async (id) => {
  const api = await dash_ag_grid.getApiAsync(id);
  return api.getColumnDefs().map(d =>
    [d.children ? d.headerName : null, (d.children || [d]).map(c => c.headerName)]);
}"""


def grid_headers(page: Page, grid_id: str) -> list[Any]:
    """The grid's column groups and column headers, left to right."""
    wait_for_grid(page, grid_id)
    return page.evaluate(_HEADERS, grid_id)


def wait_for_rows(page: Page, grid_id: str, n: int) -> None:
    """Until the grid's filters leave n rows."""
    page.wait_for_function(
        "([id, n]) => dash_ag_grid.getApi(id).getDisplayedRowCount() === n",
        arg=[grid_id, n],
        timeout=RENDER_TIMEOUT,
    )


def overdue_units(grid: TaskGrid, task: GridTask) -> list[str]:
    """The units whose task is overdue."""
    cells = ((u.unit, grid.cell(u.unit_id, task.template_id)) for u in grid.units)
    return [unit for unit, cell in cells if cell is not None and cell.status == "overdue"]


def test_progress_page_shows_the_demo_county(
    live_server: LiveServer, watched_page: tuple[Page, Watch]
) -> None:
    page, watch = watched_page
    year, as_of = live_server.today.year, live_server.today.isoformat()
    with Database.from_url(live_server.db_url).read() as session:
        figures = campaign_figures(session, year, live_server.today)
        grid = task_grid(session, year, live_server.today, Filters())
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

    # The grid: one row per unit, as many overdue (red) cells as overdue tasks.
    rows = grid_data(page, Ids.GRID)
    assert [r["unit"] for r in rows] == [u.unit for u in figures.by_unit]
    fields = [f"t{t.template_id}" for t in grid.tasks]
    assert sum(r[f"{f}_level"] == "bad" for r in rows for f in fields) == n
    expect(page.locator(f"#{Ids.GRID_COUNTS}")).to_contain_text(f"逾期未完成 {n} 项")
    red = page.locator(f"#{Ids.GRID} .tg-cell.level-bad").first
    expect(red).to_have_text(re.compile(r"^\d+天$"))
    # Scrolled to its last unit, the grid keeps its header and the unit names in view.
    page.locator(f"#{Ids.GRID}").scroll_into_view_if_needed()
    header = page.locator(f"#{Ids.GRID} [role=columnheader][col-id=unit]")
    top = header.bounding_box()
    # (to the end, a few frames running: rows with a long name grow as they are drawn)
    page.locator(f"#{Ids.GRID} .ag-body-viewport").evaluate(
        "async v => { for (let i = 0; i < 5; i++) { v.scrollTop = v.scrollHeight;"
        " await new Promise(r => requestAnimationFrame(r)); } }"
    )
    last = page.locator(f"#{Ids.GRID} .ag-pinned-left-cols-container [row-index='{len(rows) - 1}']")
    expect(last).to_have_text(rows[-1]["unit"])
    expect(last).to_be_in_viewport()
    assert header.bounding_box() == top
    # A unit's name opens its page in the dashboard.
    first = page.locator(f"#{Ids.GRID} .ag-pinned-left-cols-container [col-id=unit] a").first
    name = first.inner_text()
    first.click()
    expect(page).to_have_url(re.compile(rf"{live_server.url}/units/\d+\?campaign={year}"))
    expect(page.get_by_role("heading", name=name)).to_be_visible(timeout=RENDER_TIMEOUT)
    page.go_back()

    # Every overdue task, most days first (no "show all": the grid draws what is in view).
    assert grid_count(page, Ids.OVERDUE) == n
    days = [int(d) for d in grid_texts(page, Ids.OVERDUE, "days")]
    assert days == sorted(days, reverse=True) and days[-1] > 0
    expect(
        page.locator(f"#{Ids.OVERDUE} .ag-center-cols-container .level-bad").first
    ).to_be_visible()
    assert watch.outside == []
    assert watch.console_errors == []


def test_the_grid_holds_every_unit_and_every_task(
    live_server: LiveServer, watched_page: tuple[Page, Watch]
) -> None:
    page, watch = watched_page
    year = live_server.today.year
    with Database.from_url(live_server.db_url).read() as session:
        grid = task_grid(session, year, live_server.today, Filters())
        figures = campaign_figures(session, year, live_server.today)
    page.goto(f"{live_server.url}/progress?campaign={year}")

    assert grid_count(page, Ids.GRID) == len(grid.units) == len(figures.by_unit)
    expect(page.locator(".tg-grid .grid-count")).to_contain_text(f"共 {len(grid.units)} 行")
    headers = grid_headers(page, Ids.GRID)
    assert headers[0] == [None, ["单位"]] and headers[-1] == [None, ["完成率"]]
    phases = [(PHASE_NAMES[t.phase], t.name) for t in grid.tasks]
    assert [(group, task) for group, tasks in headers[1:-1] for task in tasks] == phases
    assert len(phases) == 16  # the demo county's templates, all of them
    # every cell of every task column is in the grid, showing its unit's state of that task
    for task in grid.tasks:
        marks = grid_texts(page, Ids.GRID, f"t{task.template_id}")
        assert marks == [cell_mark(grid.cell(u.unit_id, task.template_id)) for u in grid.units]

    # The rate column sorts by the number: lowest first after one click.
    page.locator(f"#{Ids.GRID}").get_by_role("columnheader", name="完成率").click()
    shown = [float(t.rstrip("%")) for t in grid_texts(page, Ids.GRID, "rate") if t != "—"]
    assert shown == sorted(shown) and shown[0] < shown[-1]
    # A task's filter searches the state in words (逾期 N 天), as the cell's tooltip says it.
    task = max(grid.tasks, key=lambda t: len(overdue_units(grid, t)))
    late = overdue_units(grid, task)
    column = f"#{Ids.GRID} [role=columnheader][col-id=t{task.template_id}]"
    page.locator(f"{column} .ag-header-cell-filter-button").click()
    page.locator(".ag-filter-body input").first.fill("逾期")
    wait_for_rows(page, Ids.GRID, len(late))
    assert sorted(grid_texts(page, Ids.GRID, "unit")) == sorted(late)
    page.keyboard.press("Escape")
    page.locator(
        f"#{Ids.GRID} .ag-center-cols-container [col-id=t{task.template_id}]"
    ).first.hover()
    expect(page.locator(".ag-tooltip")).to_have_text(
        re.compile(r"^逾期 \d+ 天$"), timeout=RENDER_TIMEOUT
    )
    page.evaluate(
        "async (id) => (await dash_ag_grid.getApiAsync(id)).setFilterModel(null)", Ids.GRID
    )
    wait_for_rows(page, Ids.GRID, len(grid.units))

    # The unit column's filter keeps only the units whose name holds the text.
    page.locator(f"#{Ids.GRID} .ag-floating-filter input").first.fill("司法所")
    offices = [u.unit for u in grid.units if "司法所" in u.unit]
    wait_for_rows(page, Ids.GRID, len(offices))
    assert sorted(grid_texts(page, Ids.GRID, "unit")) == sorted(offices)
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

    assert grid_texts(page, Ids.GRID, "unit") == offices
    assert offices and all(name.endswith("司法所") for name in offices)
    expect(page.locator(f"#{Ids.OVERDUE_COUNT}")).to_have_text(
        f"逾期未完成任务 {figures.overdue_tasks} 项"
    )
    overdue = grid_data(page, Ids.OVERDUE)
    assert len(overdue) == figures.overdue_tasks > 0
    for row in overdue:
        assert row["unit"].endswith("司法所")
        assert "kind=judicial_office" in row["href"]
    expect(page.locator(f"#{Ids.BY_KIND} .ytick")).to_have_text(["司法所"], timeout=RENDER_TIMEOUT)
    assert watch.outside == []
    assert watch.console_errors == []
