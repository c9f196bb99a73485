"""The /progress page's figures: phase timeline and completion heatmaps (data in → figure out)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

from dashboard.charts.base import RATE_SCALE, base_layout
from dashboard.colors import HEX, rate_level
from dashboard.text import fmt_rate
from data.progress import Cell
from data.reference import PHASE_NAMES


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
        label = f"{name} {fmt_rate(rate)}"
        fig.add_trace(
            go.Bar(
                y=[name],
                x=[(end - start).days * 86_400_000 + 86_400_000],
                base=[start.isoformat()],
                orientation="h",
                marker_color=HEX[rate_level(rate)] if end < as_of else HEX["neutral"],
                text=[label],
                textposition="inside",
                insidetextanchor="middle",
                name=name,
                showlegend=False,
                hovertemplate=(
                    f"{name}<br>{start:%Y年%m月%d日} 至 {end:%Y年%m月%d日}"
                    f"<br>任务完成率 {fmt_rate(rate)}<extra></extra>"
                ),
            )
        )
    fig.add_vline(x=as_of.isoformat(), line_color=HEX["bad"], line_dash="dash")
    fig.add_annotation(
        x=as_of.isoformat(),
        y=1,
        yref="paper",
        text=f"截至 {as_of:%m月%d日}",
        showarrow=False,
        yanchor="bottom",
        font={"color": HEX["bad"]},
    )
    base_layout(fig, height=60 + 45 * max(len(phases), 1))
    fig.update_xaxes(type="date", tickformat="%m月%d日")
    fig.update_yaxes(
        autorange="reversed",
        categoryorder="array",
        categoryarray=[PHASE_NAMES.get(p, p) for p in phases],
    )
    fig.update_layout(margin={"t": 30})
    return fig


def heatmap_figure(cells: Sequence[Cell], names: Mapping[str, str], row_label: str) -> go.Figure:
    """Rows (kind or township) × phase, cell = done/total rate; empty cells blank."""
    rows = sorted({c.row for c in cells}, key=lambda r: names.get(r, r))
    phases = [p for p in PHASE_NAMES if any(c.phase == p for c in cells)]
    lookup = {(c.row, c.phase): c for c in cells}
    z: list[list[float | None]] = []
    text: list[list[str]] = []
    hover: list[list[str]] = []
    for row in rows:
        zr, tr, hr = [], [], []
        for phase in phases:
            cell = lookup.get((row, phase))
            rate = cell.done / cell.total if cell and cell.total else None
            zr.append(rate)
            tr.append(fmt_rate(rate))
            done, total = (cell.done, cell.total) if cell else (0, 0)
            hr.append(
                f"{row_label}：{names.get(row, row)}<br>阶段：{PHASE_NAMES[phase]}"
                f"<br>完成 {done} / {total} 项，完成率 {fmt_rate(rate)}"
            )
        z.append(zr)
        text.append(tr)
        hover.append(hr)
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[PHASE_NAMES[p] for p in phases],
            y=[names.get(r, r) for r in rows],
            text=text,
            texttemplate="%{text}",
            customdata=hover,
            hovertemplate="%{customdata}<extra></extra>",
            colorscale=RATE_SCALE,
            zmin=0,
            zmax=1,
            colorbar={"title": "完成率", "tickformat": ".0%"},
        )
    )
    base_layout(fig, height=max(180, 80 + 32 * len(rows)))
    fig.update_yaxes(autorange="reversed")
    return fig
