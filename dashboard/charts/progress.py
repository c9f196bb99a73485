"""The /progress page's figures: phase timeline and completion heatmaps (data in → figure out)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from typing import Any

import plotly.graph_objects as go

from dashboard.charts.base import RATE_SCALE, base_layout
from dashboard.colors import HEX, rate_level
from dashboard.text import T, fmt_date, fmt_rate
from data.progress import PhaseCompletion
from data.reference import PHASE_NAMES

DAY_MS = 86_400_000
# How far outside the campaign the as-of date may lie and still be drawn on the timeline.
AS_OF_MARGIN = dt.timedelta(days=45)
# Phases still running are drawn in a light neutral (a low rate there is not yet a failure).
RUNNING_SCALE: list[list[Any]] = [[0.0, "#e2e8f0"], [1.0, "#e2e8f0"]]


def timeline_figure(
    windows: Mapping[str, tuple[dt.date, dt.date]],
    progress: Mapping[str, float | None],
    as_of: dt.date,
) -> go.Figure:
    """The phases as bars over their windows (ended ones coloured by rate), as-of as a line."""
    fig = go.Figure()
    phases = list(windows)
    for phase in phases:
        start, end = windows[phase]
        name = PHASE_NAMES.get(phase, phase)
        rate = progress.get(phase)
        ended = end < as_of
        state = T["progress_phase_ended"] if ended else T["progress_phase_running"]
        if start > as_of:
            state = T["progress_phase_future"]
        fig.add_trace(
            go.Bar(
                y=[name],
                x=[(end - start).days * DAY_MS + DAY_MS],
                base=[start.isoformat()],
                orientation="h",
                marker_color=HEX[rate_level(rate)] if ended else HEX["neutral"],
                text=[f"{name} {fmt_rate(rate)}"],
                textposition="inside",
                insidetextanchor="middle",
                name=name,
                showlegend=False,
                hovertemplate=(
                    f"{name}（{state}）<br>{fmt_date(start)} 至 {fmt_date(end)}"
                    f"<br>任务完成率 {fmt_rate(rate)}<extra></extra>"
                ),
            )
        )
    label = T["progress_data_as_of"].format(date=fmt_date(as_of))
    first = min((s for s, _ in windows.values()), default=as_of)
    last = max((e for _, e in windows.values()), default=as_of)
    if first - AS_OF_MARGIN <= as_of <= last + AS_OF_MARGIN:
        fig.add_vline(x=as_of.isoformat(), line_color=HEX["bad"], line_dash="dash")
        middle = first + (last - first) / 2
        fig.add_annotation(
            x=as_of.isoformat(),
            y=1,
            yref="paper",
            text=label,
            showarrow=False,
            yanchor="bottom",
            xanchor="right" if as_of > middle else "left",
            font={"color": HEX["bad"]},
        )
    else:  # far outside the campaign: say so without stretching the axis
        fig.add_annotation(
            x=1,
            xref="paper",
            y=1,
            yref="paper",
            text=label,
            showarrow=False,
            yanchor="bottom",
            xanchor="right",
            font={"color": HEX["bad"]},
        )
    base_layout(fig, height=70 + 45 * max(len(phases), 1))
    fig.update_xaxes(type="date", tickformat="%m月%d日")
    fig.update_yaxes(
        autorange="reversed",
        categoryorder="array",
        categoryarray=[PHASE_NAMES.get(p, p) for p in phases],
    )
    fig.update_layout(margin={"t": 30})
    return fig


def _row_order(row: str | None, names: Mapping[str, str]) -> tuple[bool, str]:
    """Rows by their shown name, the missing township last."""
    return (row is None, names.get(row, row) if row is not None else "")


def heatmap_figure(
    cells: Sequence[PhaseCompletion],
    names: Mapping[str, str],
    row_label: str,
    ended: Collection[str],
    order: Sequence[str] = (),
) -> go.Figure:
    """Rows (kind or township) × phase, cell = done/total; phases not yet ended in grey."""
    present = {c.row for c in cells}
    rows = [r for r in order if r in present]
    rows += sorted(present - set(rows), key=lambda r: _row_order(r, names))
    phases = [p for p in PHASE_NAMES if any(c.phase == p for c in cells)]
    lookup = {(c.row, c.phase): c for c in cells}

    def label(row: str | None) -> str:
        return T["progress_no_township"] if row is None else names.get(row, row)

    traces = []
    for is_ended, scale in ((True, RATE_SCALE), (False, RUNNING_SCALE)):
        z: list[list[float | None]] = []
        text: list[list[str]] = []
        hover: list[list[str]] = []
        for row in rows:
            zr: list[float | None] = []
            tr: list[str] = []
            hr: list[str] = []
            for phase in phases:
                cell = lookup.get((row, phase))
                done, total = (cell.done, cell.total) if cell else (0, 0)
                rate = done / total if total else None
                mine = (phase in ended) == is_ended
                zr.append(rate if mine else None)
                tr.append(fmt_rate(rate) if mine else "")
                state = T["progress_phase_ended" if phase in ended else "progress_phase_running"]
                hr.append(
                    f"{row_label}：{label(row)}<br>阶段：{PHASE_NAMES[phase]}（{state}）"
                    f"<br>完成 {done} / {total} 项，完成率 {fmt_rate(rate)}"
                )
            z.append(zr)
            text.append(tr)
            hover.append(hr)
        traces.append(
            go.Heatmap(
                z=z,
                x=[PHASE_NAMES[p] for p in phases],
                y=[label(r) for r in rows],
                text=text,
                texttemplate="%{text}",
                customdata=hover,
                hovertemplate="%{customdata}<extra></extra>",
                colorscale=scale,
                zmin=0,
                zmax=1,
                showscale=is_ended,
                colorbar={"title": "完成率", "tickformat": ".0%"} if is_ended else None,
                xgap=2,
                ygap=2,
            )
        )
    fig = go.Figure(traces)
    base_layout(fig, height=max(180, 80 + 32 * len(rows)))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(side="top", showgrid=False)
    fig.update_yaxes(showgrid=False)
    return fig
