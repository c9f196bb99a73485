"""The 投诉分析 heatmaps: one builder for three grids, counts or per 100 cases, each heatmap
on a colour scale of its own (0 up to its own largest value)."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

from dashboard.charts.base import AXIS, COUNT_SCALE, empty_figure, layout_dict
from dashboard.text import T
from data.complaints import GRIDS, Grid
from data.reference import CRITERIA

NAME_LIMIT = 14  # characters of a unit name shown on the axis (the hover shows all of it)
ROW_HEIGHT = 22
BAR_LENGTH = 260  # px: a tall heatmap's colour bar stays this long, at the top, where it is seen
NO_DATA_COLOUR = "#d1d5db"  # cells whose caseload is unknown (the plot background shows through)
# Numbers are written in the cells only up to this many cells; a larger grid shows colour, and
# each cell's number in its hover. Measured in Chromium drawing the unit × month heatmap (12
# months, plotly.js in the system Chromium): 30 units 0.91 s with numbers / 0.36 s without,
# 128 units (the demo) 5.4 / 1.1 s, 300 units 10.6 / 1.9 s — each number is an SVG text node.
TEXT_CELLS = 200


def short_name(name: str, limit: int = NAME_LIMIT) -> str:
    """A name cut to `limit` characters with an ellipsis."""
    return name if len(name) <= limit else name[: limit - 1] + "…"


def column_labels(grid: Grid) -> list[str]:
    """Axis labels of the columns: `6月` (or `2025年12月` across years), or criterion names."""
    if GRIDS[grid.name][1] == "criterion":
        return [CRITERIA[c][0] if c in CRITERIA else c for c in grid.columns]
    years = {c[:4] for c in grid.columns}
    return [
        f"{int(c[5:])}月" if len(years) == 1 else f"{c[:4]}年{int(c[5:])}月" for c in grid.columns
    ]


def row_value(row: Any) -> str:
    """A row key as the y value of its cells (unit ids as text, so the axis stays categorical)."""
    return str(row)


def per100(count: int, cases: int | None) -> float | None:
    """Problems per 100 cases handled; None when the caseload is unknown or zero."""
    return None if not cases else count * 100 / cases


def fmt_per100(value: float) -> str:
    """A per-100 figure with two significant digits (`0.035`, `0.35`, `3.5`, `35`)."""
    if value >= 10:
        return f"{value:.0f}"
    return f"{value:.2g}" if value < 1 else f"{value:.1f}"


def _cell(grid: Grid, row: Any, column: str, label: str, normalise: bool) -> tuple[Any, str, str]:
    """(z value, cell text, hover text) of one cell."""
    row_axis, column_axis = GRIDS[grid.name]
    n = grid.count(row, column)
    head = (
        f"{T['cmp_axis_' + row_axis]}：{grid.row_names[row]}"
        f"<br>{T['cmp_axis_' + column_axis]}：{label}<br>"
    )
    if not normalise:
        return n, str(n) if n else "", head + T["cmp_hover_count"].format(n=n)
    cases = grid.cases.get(row)
    value = per100(n, cases)
    if value is None:
        return None, "", head + T["cmp_hover_unknown"].format(n=n)
    hover = T["cmp_hover_per100"].format(v=fmt_per100(value), n=n, cases=f"{cases:,}")
    return value, fmt_per100(value) if n else "", head + hover


def scale_top(values: list[float]) -> float:
    """The top of a heatmap's colour scale: its own largest value (1 when every value is 0, so
    that 0 stays white). The scale starts at 0, so a 0 reads as 0 and only an unknown caseload
    is left uncoloured."""
    return max(values, default=0.0) or 1.0


def colour_bar(title: str, rows: list[str]) -> dict[str, Any]:
    """A heatmap's own colour bar: as tall as the grid, or BAR_LENGTH at its top when the grid
    is taller (the unit × month grid scrolls in a box: a bar along all of it is seen in part)."""
    bar: dict[str, Any] = {"title": {"text": title}, "thickness": 12}
    if ROW_HEIGHT * len(rows) > BAR_LENGTH:
        bar.update(lenmode="pixels", len=BAR_LENGTH, y=1, yanchor="top")
    return bar


def heatmap(grid: Grid, normalise: bool = False) -> go.Figure:
    """A grid as a heatmap: rows top-down in grid order, counts (or per 100 cases) coloured
    white (0) → red (the grid's own largest value), with its own colour bar; x and y are the
    cells' column and row keys."""
    if not grid.rows or not grid.columns or not grid.counts:
        return empty_figure(T["cmp_grid_empty"], height=200)
    labels = column_labels(grid)
    z: list[list[Any]] = []
    text: list[list[str]] = []
    hover: list[list[str]] = []
    for row in grid.rows:
        cells = [
            _cell(grid, row, c, label, normalise)
            for c, label in zip(grid.columns, labels, strict=True)
        ]
        z.append([cell[0] for cell in cells])
        text.append([cell[1] for cell in cells])
        hover.append([cell[2] for cell in cells])
    values = [v for line in z for v in line if v is not None]
    if not values:  # per 100 cases with no caseload known: a grey block would say nothing
        return empty_figure(T["cmp_per100_all_unknown"], height=200)
    # The axes hold the cells' keys (a click reports them); the tick labels show the names.
    rows = [row_value(row) for row in grid.rows]
    cells = {
        "type": "heatmap",
        "z": z,
        "x": list(grid.columns),
        "y": rows,
        **(
            {"text": text, "texttemplate": "%{text}"}
            if len(rows) * len(labels) <= TEXT_CELLS
            else {}
        ),
        "customdata": hover,
        "hovertemplate": "%{customdata}<extra></extra>",
        "colorscale": COUNT_SCALE,
        "zmin": 0,
        "zmax": scale_top(values),
        "colorbar": colour_bar(T["cmp_scale_per100" if normalise else "cmp_scale_count"], rows),
        "xgap": 1,
        "ygap": 1,
    }
    # One construction, layout included: update_* calls each walk plotly's property tree.
    layout = {
        **layout_dict(height=max(200, 90 + ROW_HEIGHT * len(grid.rows))),
        "plot_bgcolor": NO_DATA_COLOUR if normalise else "#ffffff",
        "xaxis": {
            **AXIS,
            "side": "top",
            "showgrid": False,
            "type": "category",
            "tickmode": "array",
            "tickvals": list(grid.columns),
            "ticktext": labels,
            "fixedrange": True,
        },
        "yaxis": {
            **AXIS,
            "showgrid": False,
            "type": "category",
            "autorange": "reversed",
            "tickmode": "array",
            "tickvals": rows,
            "ticktext": [short_name(grid.row_names[r]) for r in grid.rows],
            "fixedrange": True,
        },
    }
    return go.Figure(data=[cells], layout=layout)
