"""Reading Dash component trees in tests: every component, the texts, one component by id."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any


def walk(node: Any) -> Iterator[Any]:
    """Every component under a Dash component (the node itself included), in document order."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, list | tuple):
            stack.extend(reversed(item))
        elif hasattr(item, "to_plotly_json"):
            yield item
            stack.append(getattr(item, "children", None))


def grid_cells(grid: Any) -> list[list[str]]:
    """What a dash-ag-grid table (layouts/grid.py) shows, row by row: each column's text (the
    row's `<field>_text` a formatter names, else the value; None as "")."""
    rows: list[list[str]] = []
    for data in grid.rowData or []:
        cells = []
        for col in leaf_columns(grid.columnDefs):
            field = col["field"]
            formatter = (col.get("valueFormatter") or {}).get("function", "")
            shown = FORMATTED.search(formatter)
            value = data.get(shown.group(1) if shown else field)
            cells.append("" if value is None else str(value))
        rows.append(cells)
    return rows


def leaf_columns(defs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A grid's columns left to right, those under a column group (`children`) included."""
    out: list[dict[str, Any]] = []
    for col in defs:
        out.extend(leaf_columns(col["children"]) if "children" in col else [col])
    return out


FORMATTED = re.compile(r"params\.data\.(\w+)")


def texts(node: Any) -> list[str]:
    """All plain strings in a component tree, in document order; a grid's cells count as its
    text, row by row."""
    found: list[str] = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, list | tuple):
            stack.extend(reversed(item))
        elif type(item).__name__ == "AgGrid":
            found.extend(cell for row in grid_cells(item) for cell in row if cell)
        elif hasattr(item, "children"):
            stack.append(item.children)
    return found


def by_id(node: Any, component_id: Any) -> Any:
    """The component with this id (None when there is none)."""
    return next((c for c in walk(node) if getattr(c, "id", None) == component_id), None)


def by_type(node: Any, name: str) -> Any:
    """The first component of this type name (e.g. "Tbody"), None when there is none."""
    return next((c for c in walk(node) if type(c).__name__ == name), None)
