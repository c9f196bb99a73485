"""Reading the dash-ag-grid tables (layouts/grid.py) in the browser: the rows the grid holds
(every row, not only those drawn: the grid draws the rows in view) and the text it shows."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

# Every row the grid holds after its filters and sort, as (data, formatted texts by field).
_ROWS = """async (id) => {
  const api = await dash_ag_grid.getApiAsync(id);
  const cols = api.getColumns().map(c => c.getColDef());
  const out = [];
  api.forEachNodeAfterFilterAndSort(node => {
    const shown = {};
    for (const col of cols) {
      const value = api.getCellValue({rowNode: node, colKey: col.field, useFormatter: true});
      shown[col.field] = value === null || value === undefined ? "" : String(value);
    }
    out.push({data: node.data, shown: shown});
  });
  return out;
}"""


def wait_for_grid(page: Page, grid_id: str, timeout: float = 20_000) -> None:
    """Until the grid has drawn (its first row, or its empty overlay). A grid far below the fold
    draws its cells only when it comes near the view (AG Grid's delayed rendering): scroll to it."""
    page.locator(f"#{grid_id}").scroll_into_view_if_needed(timeout=timeout)
    page.wait_for_selector(
        f"#{grid_id} .ag-row, #{grid_id} .ag-overlay-no-rows-center", timeout=timeout
    )


def grid_data(page: Page, grid_id: str) -> list[dict[str, Any]]:
    """The rows' data, in the grid's order (after its sort and filters)."""
    wait_for_grid(page, grid_id)
    return [row["data"] for row in page.evaluate(_ROWS, grid_id)]


def grid_texts(page: Page, grid_id: str, field: str) -> list[str]:
    """What the grid shows in one column, every row in its order."""
    wait_for_grid(page, grid_id)
    return [row["shown"].get(field, "") for row in page.evaluate(_ROWS, grid_id)]


def grid_count(page: Page, grid_id: str) -> int:
    """How many rows the grid holds after its filters."""
    wait_for_grid(page, grid_id)
    return int(
        page.evaluate(
            "async (id) => (await dash_ag_grid.getApiAsync(id)).getDisplayedRowCount()", grid_id
        )
    )
