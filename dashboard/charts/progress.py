"""The /progress page's figures: phase timeline and completion heatmaps (data in → figure out)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from typing import Any

import plotly.graph_objects as go

from dashboard.charts.base import AXIS, RATE_SCALE, layout_dict
from dashboard.colors import HEX, rate_level
from dashboard.text import T, fmt_date, fmt_rate
from data.progress import PhaseCompletion
from data.reference import PHASE_NAMES

DAY_MS = 86_400_000
# How far outside the campaign the as-of date may lie and still be drawn on the timeline.
AS_OF_MARGIN = dt.timedelta(days=45)
# Phases still running are drawn in a light neutral (a low rate there is not yet a failure).
RUNNING_SCALE: list[list[Any]] = [[0.0, "#e2e8f0"], [1.0, "#e2e8f0"]]
# Phases not yet started are blank cells that say so.
FUTURE_SCALE: list[list[Any]] = [[0.0, "#f8fafc"], [1.0, "#f8fafc"]]
FUTURE_BAR = "#e2e8f0"


def timeline_figure(
    windows: Mapping[str, tuple[dt.date, dt.date]],
    progress: Mapping[str, float | None],
    as_of: dt.date,
) -> go.Figure:
    """The phases as bars over their windows (ended ones coloured by rate), as-of as a line."""
    phases = list(windows)
    traces = []
    for phase in phases:
        start, end = windows[phase]
        name = PHASE_NAMES.get(phase, phase)
        rate = progress.get(phase)
        ended = end < as_of
        state = T["progress_phase_ended"] if ended else T["progress_phase_running"]
        shown = fmt_rate(rate)
        colour, ink = (HEX[rate_level(rate)] if ended else HEX["neutral"]), "#ffffff"
        if start > as_of:  # not started: no rate, whatever its tasks hold, drawn pale
            state = shown = T["progress_phase_future"]
            colour, ink = FUTURE_BAR, HEX["neutral"]
        traces.append(
            {
                "type": "bar",
                "y": [name],
                "x": [(end - start).days * DAY_MS + DAY_MS],
                "base": [start.isoformat()],
                "orientation": "h",
                "marker": {"color": colour},
                "text": [f"{name} {shown}"],
                "textfont": {"color": ink},
                "textposition": "inside",
                "insidetextanchor": "middle",
                "name": name,
                "showlegend": False,
                "hovertemplate": (
                    f"{name}（{state}）<br>{fmt_date(start)} 至 {fmt_date(end)}"
                    f"<br>任务完成率 {shown}<extra></extra>"
                ),
            }
        )
    label = T["progress_data_as_of"].format(date=fmt_date(as_of))
    first = min((s for s, _ in windows.values()), default=as_of)
    last = max((e for _, e in windows.values()), default=as_of)
    shapes: list[dict[str, Any]] = []
    note = {
        "text": label,
        "y": 1,
        "yref": "paper",
        "showarrow": False,
        "yanchor": "bottom",
        "font": {"color": HEX["bad"]},
    }
    if first - AS_OF_MARGIN <= as_of <= last + AS_OF_MARGIN:
        day = as_of.isoformat()
        shapes.append(
            {
                "type": "line",
                "x0": day,
                "x1": day,
                "xref": "x",
                "y0": 0,
                "y1": 1,
                "yref": "y domain",
                "line": {"color": HEX["bad"], "dash": "dash"},
            }
        )
        middle = first + (last - first) / 2
        note.update(x=day, xanchor="right" if as_of > middle else "left")
    else:  # far outside the campaign: say so without stretching the axis
        note.update(x=1, xref="paper", xanchor="right")
    # One construction, layout included: update_* calls each walk plotly's property tree.
    layout = {
        **layout_dict(height=70 + 45 * max(len(phases), 1)),
        "margin": {"l": 10, "r": 10, "t": 30, "b": 10},
        "xaxis": {**AXIS, "type": "date", "tickformat": "%m月%d日"},
        "yaxis": {
            **AXIS,
            "autorange": "reversed",
            "categoryorder": "array",
            "categoryarray": [PHASE_NAMES.get(p, p) for p in phases],
        },
        "shapes": shapes,
        "annotations": [note],
    }
    return go.Figure(data=traces, layout=layout)


def _row_order(row: str | None, names: Mapping[str, str]) -> tuple[bool, str]:
    """Rows by their shown name, the missing township last."""
    return (row is None, names.get(row, row) if row is not None else "")


def _heatmap_trace(
    z: list[list[float | None]],
    text: list[list[str]],
    hover: list[list[str]],
    scale: list[list[Any]],
) -> dict[str, Any]:
    """One layer of a completion heatmap (ended, running or not started phases)."""
    return {
        "type": "heatmap",
        "z": z,
        "text": text,
        "texttemplate": "%{text}",
        "customdata": hover,
        "hovertemplate": "%{customdata}<extra></extra>",
        "colorscale": scale,
        "zmin": 0,
        "zmax": 1,
        "showscale": False,
        "xgap": 2,
        "ygap": 2,
    }


def heatmap_figure(
    cells: Sequence[PhaseCompletion],
    names: Mapping[str, str],
    row_label: str,
    ended: Collection[str],
    order: Sequence[str] = (),
    not_started: Collection[str] = (),
) -> go.Figure:
    """Rows (kind or township) × phase, cell = done/total; phases not yet ended in grey, phases
    not yet started (no cells: their tasks count nowhere) blank with `未开始`."""
    present = {c.row for c in cells}
    rows = [r for r in order if r in present]
    rows += sorted(present - set(rows), key=lambda r: _row_order(r, names))
    phases = [p for p in PHASE_NAMES if p in not_started or any(c.phase == p for c in cells)]
    lookup = {(c.row, c.phase): c for c in cells}
    future = T["progress_phase_future"]

    def label(row: str | None) -> str:
        return T["progress_no_township"] if row is None else names.get(row, row)

    def layer(phase: str) -> str:
        if phase in not_started:
            return "future"
        return "ended" if phase in ended else "running"

    traces = []
    layers = (("ended", RATE_SCALE), ("running", RUNNING_SCALE), ("future", FUTURE_SCALE))
    for kind, scale in layers:
        z: list[list[float | None]] = []
        text: list[list[str]] = []
        hover: list[list[str]] = []
        for row in rows:
            zr: list[float | None] = []
            tr: list[str] = []
            hr: list[str] = []
            for phase in phases:
                mine = layer(phase) == kind
                where = f"{row_label}：{label(row)}<br>阶段：{PHASE_NAMES[phase]}"
                if phase in not_started:
                    zr.append(0.0 if mine else None)
                    tr.append(future if mine else "")
                    hr.append(f"{where}（{future}）<br>{T['progress_not_counted']}")
                    continue
                cell = lookup.get((row, phase))
                done, total = (cell.done, cell.total) if cell else (0, 0)
                rate = done / total if total else None
                zr.append(rate if mine else None)
                tr.append(fmt_rate(rate) if mine else "")
                state = T["progress_phase_ended" if phase in ended else "progress_phase_running"]
                hr.append(
                    f"{where}（{state}）<br>完成 {done} / {total} 项，完成率 {fmt_rate(rate)}"
                )
            z.append(zr)
            text.append(tr)
            hover.append(hr)
        trace = _heatmap_trace(z, text, hover, scale)
        trace["x"] = [PHASE_NAMES[p] for p in phases]
        trace["y"] = [label(r) for r in rows]
        if kind == "ended":
            trace["showscale"] = True
            trace["colorbar"] = {"title": {"text": "完成率"}, "tickformat": ".0%"}
        traces.append(trace)
    layout = {
        **layout_dict(height=max(180, 80 + 32 * len(rows))),
        "xaxis": {**AXIS, "side": "top", "showgrid": False},
        "yaxis": {**AXIS, "autorange": "reversed", "showgrid": False},
    }
    return go.Figure(data=traces, layout=layout)
