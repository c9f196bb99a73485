"""Heatmaps that scale (#13 item 4): numbers are written in the cells of a small grid only; a
large one (unit × month at hundreds of units) is colour with each number in its hover — not
thousands of SVG text nodes."""

from __future__ import annotations

from dashboard.charts.complaints import TEXT_CELLS, heatmap
from data.complaints import Grid

MONTHS = [f"2024-{m:02d}" for m in range(1, 13)]


def grid(units: int) -> Grid:
    rows = list(range(1, units + 1))
    counts = {(r, c): (r * 7 + i) % 5 for r in rows for i, c in enumerate(MONTHS)}
    names = {r: f"第{r}司法所" for r in rows}
    return Grid("unit_month", rows, names, MONTHS, counts, {r: 100 for r in rows})


def test_a_small_grid_has_its_numbers_in_the_cells() -> None:
    units = TEXT_CELLS // len(MONTHS)
    trace = heatmap(grid(units)).data[0]
    assert trace.texttemplate == "%{text}"
    written = [cell for row in trace.text for cell in row if cell]
    assert len(written) == sum(1 for row in trace.z for value in row if value)


def test_a_large_grid_is_colour_with_the_numbers_in_the_hover() -> None:
    units = TEXT_CELLS // len(MONTHS) + 1
    trace = heatmap(grid(units)).data[0]
    assert trace.texttemplate is None and trace.text is None
    assert len(trace.z) == units  # every unit is still drawn
    # the hover of the last unit's March cell names the unit and its count
    z = trace.z[-1][2]
    assert f"第{units}司法所" in trace.customdata[-1][2]
    assert f"{z}" in trace.customdata[-1][2]
