"""Issue #19 item 4 in Chromium: each /complaints heatmap is coloured on a scale of its own,
counts and per 100 cases, read from the figures Plotly drew."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from dashboard.charts.complaints import per100
from data.complaints import Grid
from layouts.complaints import GRID_IDS
from tests.e2e.conftest import LiveServer, Watch
from tests.e2e.test_11_complaints import demo_grid, view, wait_for_heatmaps

# What Plotly drew for a graph: its first trace's colour range and whether it has a colour bar.
DRAWN_SCALE = """id => {
    const plot = document.getElementById(id).querySelector('.js-plotly-plot');
    const trace = plot._fullData[0];
    return {zmin: trace.zmin, zmax: trace.zmax, showscale: trace.showscale,
            colorbars: plot.querySelectorAll('.colorbar').length};
}"""


def data_top(grid: Grid, normalise: bool) -> float:
    """The largest value a grid shows: a count, or problems per 100 cases."""
    if not normalise:
        return float(max(grid.counts.values()))
    values = (per100(grid.count(r, c), grid.cases.get(r)) for r in grid.rows for c in grid.columns)
    return max(v for v in values if v is not None)


def drawn_scale(page: Page, graph_id: str) -> dict[str, Any]:
    """The colour range and colour bars of one drawn heatmap."""
    return page.evaluate(DRAWN_SCALE, graph_id)


@pytest.mark.parametrize("normalise", [False, True], ids=["counts", "per100"])
def test_each_heatmap_is_coloured_on_its_own_scale(
    live_server: LiveServer, watched_page: tuple[Page, Watch], normalise: bool
) -> None:
    page, watch = watched_page
    page.goto(view(live_server, "&per100=1" if normalise else ""))
    wait_for_heatmaps(page)
    tops = {name: data_top(demo_grid(live_server, name), normalise) for name in GRID_IDS}
    # The demo county's grids reach different heights: a shared scale would drown the lower ones.
    assert min(tops.values()) < max(tops.values())
    for name, graph_id in GRID_IDS.items():
        scale = drawn_scale(page, graph_id)
        assert scale["zmin"] == 0, f"{name}: a 0 must read as 0"
        assert scale["zmax"] == pytest.approx(tops[name]), (
            f"{name}: drawn against 0–{scale['zmax']}, its own values reach {tops[name]}"
        )
        assert scale["showscale"] and scale["colorbars"] == 1, f"{name}: no colour bar of its own"
    assert watch.console_errors == [] and watch.outside == []
