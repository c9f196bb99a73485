"""Lists that can grow, drawn as data: one `dash-ag-grid` table builder every page uses.

A list of hundreds or tens of thousands of rows is sent to the browser as rows of plain values
(`rowData`), and the grid draws only the rows in view (virtualised), sorts and filters them
itself, in Chinese. Nothing in a cell is HTML: text columns show the value as text; a link
column shows its text in an `<a>` built by assets/grid.js (React escapes it) whose address is
another field of the row; a level column colours its text by a field naming the level
(good / warn / bad / neutral, dashboard/colors.py).

No column uses AG Grid's string expressions (those go through `new Function`, which the
Content-Security-Policy forbids). Formatted numbers are sent as a second field (`<field>_text`)
shown by a formatter that dash-ag-grid evaluates with its own parser, so sorting and filtering
use the number and the cell shows the page's wording (85.3%, —).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import dash_ag_grid as dag
from dash import html

from dashboard.text import GRID_LOCALE, T

Kind = Literal["text", "number", "link", "level", "button"]
TEXT: Kind = "text"
NUMBER: Kind = "number"
LINK: Kind = "link"
LEVEL: Kind = "level"
BUTTON: Kind = "button"

ROW_HEIGHT = 36
HEADER_HEIGHT = 40
FILTER_HEIGHT = 36
# Up to this many rows the grid takes the rows' own height (no inner scroll); a longer list
# scrolls inside a box of VIEW_ROWS rows, drawing only what is in view.
AUTO_HEIGHT_ROWS = 15
VIEW_ROWS = 15


@dataclass(frozen=True)
class Column:
    """One column. `field` is the row key holding the value (the number, for NUMBER columns).

    - `text_field`: for NUMBER (and LEVEL) columns, the row key holding the text shown, when it
      differs from the value (a rate 0.853 shown as 85.3%; None shown as —).
    - `href_field`: for LINK columns, the row key holding the address.
    - `level_field`: for LEVEL columns (and LINK/NUMBER ones that are coloured), the row key
      naming the level.
    - BUTTON columns show a button labelled `label` (or, when `text_field` is set, that row
      field; a row whose label is empty has no button). A click sets the grid's
      `cellRendererData` to {"value": the row's `field` value, "colId": field, "rowId": …}: a
      callback on that prop acts on the row (authorising it on the server as any write).
    """

    field: str
    header: str
    kind: Kind = TEXT
    text_field: str | None = None
    href_field: str | None = None
    level_field: str | None = None
    width: int | None = None
    min_width: int | None = None
    flex: int | None = None
    wrap: bool = False
    pinned: bool = False
    sort: Literal["asc", "desc"] | None = None
    filter: bool = True
    bold: bool = False
    label: str = ""


def _formatter(field: str) -> dict[str, str]:
    """Show `params.data.<field>` instead of the value (dash-ag-grid's parser, no eval)."""
    return {"function": f"params.data ? params.data.{field} : ''"}


def column_def(col: Column, extra_class: str = "") -> dict[str, Any]:
    """The AG Grid column definition of one Column (`extra_class`: more classes on its cells).

    A coloured text or number cell gets its level as a class (`level-bad`) computed by
    dash-ag-grid's parser, not a React renderer per cell: measured on /progress (30 units × 16
    tasks) a renderer in every cell cost about a second of drawing."""
    numeric = col.kind == NUMBER
    d: dict[str, Any] = {"field": col.field, "headerName": col.header, "headerTooltip": col.header}
    classes = ["grid-cell"]
    if numeric:
        d["type"] = "numericColumn"
        d["filter"] = "agNumberColumnFilter" if col.filter else False
        classes += ["ag-right-aligned-cell", "grid-num"]
    else:
        d["filter"] = "agTextColumnFilter" if col.filter else False
    if col.text_field:
        d["valueFormatter"] = _formatter(col.text_field)
        if not numeric:
            # Filter and sort on what is shown, not on the code behind it.
            d["filterValueGetter"] = _formatter(col.text_field)
    if col.kind == BUTTON:
        d["cellRenderer"] = "PingyiButton"
        d["cellRendererParams"] = {"label": col.label, "text": col.text_field}
        d["sortable"] = False
        d["filter"] = False
    elif col.kind == LINK:
        d["cellRenderer"] = "PingyiLink"
        d["cellRendererParams"] = {"href": col.href_field, "level": col.level_field}
    if col.wrap:
        d["wrapText"] = True
        d["autoHeight"] = True
        classes.append("grid-wrap")
    if col.bold:
        classes.append("fw-semibold")
    if extra_class:
        classes.append(extra_class)
    static = " ".join(classes)
    if col.level_field and col.kind not in (LINK, BUTTON):
        d["cellClass"] = {
            "function": f"params.data && params.data.{col.level_field} ? "
            f"'{static} level-' + params.data.{col.level_field} : '{static}'"
        }
    else:
        d["cellClass"] = static
    if col.width:
        d["width"] = col.width
    if col.min_width:
        d["minWidth"] = col.min_width
    if col.flex:
        d["flex"] = col.flex
    if col.pinned:
        d["pinned"] = "left"
    if col.sort:
        d["sort"] = col.sort
    return d


def grid(
    grid_id: str,
    columns: Sequence[Column],
    rows: Sequence[Mapping[str, Any]],
    *,
    row_id: str | None = None,
    view_rows: int = VIEW_ROWS,
    auto_height_rows: int = AUTO_HEIGHT_ROWS,
    filters: bool = True,
    class_name: str = "",
) -> html.Div:
    """A table of `rows` (dicts of plain values) with these columns, every row held by the grid.

    Short lists take their own height; long ones scroll inside `view_rows` rows. `row_id` names
    the field that identifies a row (kept across redraws). The caption under the grid says how
    many rows it holds, so a leader knows the list is whole.
    """
    n = len(rows)
    options: dict[str, Any] = {
        "localeText": GRID_LOCALE,
        "rowHeight": ROW_HEIGHT,
        "headerHeight": HEADER_HEIGHT,
        "floatingFiltersHeight": FILTER_HEIGHT,
        "enableCellTextSelection": True,
        "ensureDomOrder": True,
        "suppressDragLeaveHidesColumns": True,
        "tooltipShowDelay": 400,
        "animateRows": False,
        "suppressColumnVirtualisation": len(columns) <= 20,
    }
    style: dict[str, Any] = {"width": "100%"}
    if n <= auto_height_rows:
        options["domLayout"] = "autoHeight"
    else:
        chrome = HEADER_HEIGHT + (FILTER_HEIGHT if filters else 0) + 2
        style["height"] = f"{chrome + ROW_HEIGHT * view_rows}px"
    extra: dict[str, Any] = {}
    if row_id:
        extra["getRowId"] = f"'' + params.data.{row_id}"
    return html.Div(
        [
            dag.AgGrid(
                id=grid_id,
                rowData=list(rows),
                columnDefs=[column_def(c) for c in columns],
                defaultColDef={
                    "sortable": True,
                    "resizable": True,
                    "floatingFilter": filters,
                    "suppressHeaderMenuButton": True,
                    "minWidth": 72,
                },
                dashGridOptions=options,
                style=style,
                className="pingyi-grid",
                **extra,
            ),
            html.Div(T["grid_count"].format(n=n), className="grid-count small text-muted mt-1"),
        ],
        className=f"grid-wrap {class_name}".strip(),
    )
