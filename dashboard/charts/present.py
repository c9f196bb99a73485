"""Figures for the 评议大会 projector: large type (≥ 28 px), high contrast, dark or light theme."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go
from dash import dcc

from dashboard.charts.base import FONT, LOCALE, TEMPLATE
from dashboard.colors import BAD, GOOD, NEUTRAL, WARN, rate_level
from dashboard.text import T, fmt_rate
from data.evaluation import UnitEvaluation
from data.figures import BreakdownRow, UnitFigures

LABEL_PX = 28
CHART_WIDTH = 1760
CHART_HEIGHT = 740
HEATMAP_HEIGHT = 800


@dataclass(frozen=True)
class Theme:
    """A projector theme: background, text, grid and the level colours that read on it."""

    name: str
    background: str
    text: str
    muted: str
    grid: str
    levels: dict[str, str]
    scale: list[list[Any]]


DARK = Theme(
    name="dark",
    background="#0b1220",
    text="#f8fafc",
    muted="#cbd5e1",
    grid="#334155",
    levels={GOOD: "#4ade80", WARN: "#fbbf24", BAD: "#f87171", NEUTRAL: "#94a3b8"},
    scale=[[0.0, "#1e293b"], [0.2, "#7f1d1d"], [0.6, "#dc2626"], [1.0, "#fca5a5"]],
)
LIGHT = Theme(
    name="light",
    background="#ffffff",
    text="#0f172a",
    muted="#334155",
    grid="#cbd5e1",
    levels={GOOD: "#15803d", WARN: "#b45309", BAD: "#b91c1c", NEUTRAL: "#475569"},
    scale=[[0.0, "#f8fafc"], [0.2, "#fecaca"], [0.6, "#ef4444"], [1.0, "#7f1d1d"]],
)
THEMES = {DARK.name: DARK, LIGHT.name: LIGHT}
GRADE_LEVEL = {"满意": GOOD, "比较满意": GOOD, "基本满意": WARN, "不满意": BAD}


def theme_of(name: str | None) -> Theme:
    """The theme a URL names (dark unless it says light)."""
    return THEMES.get(name or "", DARK)


def projector_graph(graph_id: Any, figure: go.Figure, height: int = CHART_HEIGHT) -> dcc.Graph:
    """A still chart for the projector: no toolbar, no hover, fixed size (it is scaled whole)."""
    return dcc.Graph(
        id=graph_id,
        figure=figure,
        config={
            "staticPlot": True,
            "displayModeBar": False,
            "locale": "zh-CN",
            "locales": {"zh-CN": LOCALE},
        },
        style={"width": f"{CHART_WIDTH}px", "height": f"{height}px"},
        className="present-graph",
    )


def _layout(fig: go.Figure, theme: Theme, height: int = CHART_HEIGHT) -> go.Figure:
    """Large type and the theme's colours on a fixed-size canvas."""
    axis = {"automargin": True, "gridcolor": theme.grid, "zerolinecolor": theme.grid}
    fig.update_layout(
        template=TEMPLATE,
        width=CHART_WIDTH,
        height=height,
        font={"family": FONT, "size": LABEL_PX, "color": theme.text},
        paper_bgcolor=theme.background,
        plot_bgcolor=theme.background,
        margin={"l": 10, "r": 30, "t": 10, "b": 10},
        showlegend=False,
        separators=".,",
        # One update (the charts have one x and one y axis): update_* calls each cost as much.
        xaxis=axis,
        yaxis=axis,
    )
    return fig


def empty_chart(message: str, theme: Theme) -> go.Figure:
    """A blank canvas carrying a message in large type."""
    fig = go.Figure()
    fig.add_annotation(
        text=message,
        showarrow=False,
        font={"size": 40, "color": theme.muted},
        xref="paper",
        yref="paper",
        x=0.5,
        y=0.5,
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _layout(fig, theme)


def heatmap_figure(rows: list[BreakdownRow], months: list[str], theme: Theme) -> go.Figure:
    """Complaints per township (rows) and month (columns), each cell carrying its count.

    `rows` are problem_breakdown rows keyed (township, year, month); townships are sorted by
    their total, most complaints at the top.
    """
    counts: dict[tuple[str, str], int] = {}
    totals: dict[str, int] = {}
    for row in rows:
        township = row.key[0] or T["present_no_township"]
        month = f"{int(row.key[1]):04d}-{int(row.key[2]):02d}"
        counts[(township, month)] = counts.get((township, month), 0) + row.complaints
        totals[township] = totals.get(township, 0) + row.complaints
    townships = [t for t, n in sorted(totals.items(), key=lambda item: (-item[1], item[0])) if n]
    if not townships or not months:
        return empty_chart(T["present_heatmap_empty"], theme)
    z = [[counts.get((t, m), 0) for m in months] for t in townships]
    peak = max(max(line) for line in z) or 1
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[f"{int(m[5:])}月" for m in months],
            y=townships,
            zmin=0,
            zmax=peak,
            colorscale=theme.scale,
            text=[[str(n) if n else "" for n in line] for line in z],
            texttemplate="%{text}",
            textfont={"size": LABEL_PX},
            xgap=3,
            ygap=3,
            colorbar={
                "title": {"text": T["present_heatmap_colorbar"], "side": "right"},
                "tickfont": {"size": LABEL_PX},
                "thickness": 28,
                "dtick": max(1, peak // 5),
            },
        )
    )
    fig.update_yaxes(autorange="reversed", showgrid=False, ticksuffix="  ")
    fig.update_xaxes(side="top", showgrid=False)
    return _layout(fig, theme, HEATMAP_HEIGHT)


def _bars(
    names: list[str], values: list[float], labels: list[str], colours: list[str], theme: Theme
) -> go.Figure:
    """Horizontal bars, the first name at the top, each bar labelled at its end."""
    fig = go.Figure(
        go.Bar(
            x=values,
            y=names,
            orientation="h",
            marker={"color": colours},
            text=labels,
            textposition="outside",
            textfont={"size": LABEL_PX, "color": theme.text},
            cliponaxis=False,
        )
    )
    fig.update_yaxes(autorange="reversed", showgrid=False, ticksuffix="  ")
    return _layout(fig, theme)


def rectification_figure(
    units: list[UnitFigures], theme: Theme, threshold: float, limit: int
) -> go.Figure:
    """The units' rectification rates, lowest first (the first `limit` units with problems)."""
    rated = [u for u in units if u.rectification_rate is not None]
    rated.sort(key=lambda u: (u.rectification_rate, -u.problems, u.unit))
    shown = rated[:limit]
    if not shown:
        return empty_chart(T["present_rect_empty"], theme)
    rates = [u.rectification_rate or 0.0 for u in shown]
    fig = _bars(
        [u.unit for u in shown],
        [r * 100 for r in rates],
        [
            f"{fmt_rate(r)}（{u.rectified}/{u.problems - u.unfounded}）"
            for u, r in zip(shown, rates, strict=True)
        ],
        [theme.levels[rate_level(r, threshold)] for r in rates],
        theme,
    )
    fig.update_xaxes(range=[0, 125], ticksuffix="%", tickvals=[0, 20, 40, 60, 80, 100])
    return fig


def evaluation_figure(evaluations: list[UnitEvaluation], theme: Theme, limit: int) -> go.Figure:
    """The group's composite scores in rank order (the first `limit` ranked units)."""
    ranked = [e for e in evaluations if e.rank is not None and e.composite is not None]
    ranked.sort(key=lambda e: (e.rank, e.unit))
    shown = ranked[:limit]
    if not shown:
        return empty_chart(T["present_eval_empty"], theme)
    fig = _bars(
        [f"{e.rank}. {e.unit}" for e in shown],
        [e.composite or 0.0 for e in shown],
        [f"{e.composite:.1f}  {e.grade or ''}" for e in shown],
        [theme.levels[GRADE_LEVEL.get(e.grade or "", NEUTRAL)] for e in shown],
        theme,
    )
    fig.update_xaxes(range=[0, 118], tickvals=[0, 20, 40, 60, 80, 100])
    return fig
