"""Charts for reports, drawn from data.figures results and written to PNG with kaleido."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import plotly.graph_objects as go

from dashboard.charts.base import base_layout, empty_figure
from dashboard.colors import HEX, rate_level
from dashboard.text import T, fmt_date, fmt_rate
from data.exports import ChartData
from data.figures import BreakdownRow
from data.reference import CHANNEL_NAMES

CHROMIUM = "/usr/bin/chromium"
PNG_WIDTH = 1000
PNG_HEIGHT = 560


def _framed(fig: go.Figure) -> go.Figure:
    """Room around a chart that stands alone in a report (no page around it)."""
    fig.update_layout(margin={"l": 40, "r": 40, "t": 70, "b": 40}, title={"x": 0.02})
    return fig


def complaints_by_month_figure(data: ChartData) -> go.Figure:
    """Complaints (投诉举报 + 纠风办交办) per month of the campaign, as bars."""
    months = data.figures.complaints_by_month
    title = T["export_chart_complaints_title"].format(
        year=data.figures.campaign, date=fmt_date(data.figures.as_of)
    )
    if not any(months.values()):
        return _framed(
            base_layout(empty_figure(T["export_chart_no_complaints"]), title, PNG_HEIGHT)
        )
    labels = [f"{int(key[:4])}年{int(key[5:])}月" for key in months]
    fig = go.Figure(
        go.Bar(
            x=labels,
            y=list(months.values()),
            marker_color=HEX["bad"],
            text=list(months.values()),
            textposition="outside",
            hovertemplate="%{x}<br>投诉 %{y} 件<extra></extra>",
        )
    )
    fig.update_yaxes(title_text=T["export_chart_count_axis"], rangemode="tozero")
    return _framed(base_layout(fig, title, PNG_HEIGHT))


def _channel_label(row: BreakdownRow | None) -> str:
    """`87.5%（35/40）`, or `—` without problems to rectify."""
    if row is None or row.problems - row.unfounded == 0:
        return "—"
    return f"{fmt_rate(row.rectification_rate)}（{row.rectified}/{row.problems - row.unfounded}）"


def rectification_by_channel_figure(data: ChartData) -> go.Figure:
    """The rectification rate of each channel's problems, coloured by the shared rate rule."""
    title = T["export_chart_channel_title"].format(
        year=data.figures.campaign, date=fmt_date(data.figures.as_of)
    )
    by_code = {str(row.key[0]): row for row in data.by_channel}
    if not by_code:
        return _framed(base_layout(empty_figure(T["export_chart_no_problems"]), title, PNG_HEIGHT))
    codes = list(CHANNEL_NAMES)[::-1]  # first channel on top
    rows = [by_code.get(code) for code in codes]
    rates = [row.rectification_rate if row else None for row in rows]
    fig = go.Figure(
        go.Bar(
            orientation="h",
            y=[CHANNEL_NAMES[code] for code in codes],
            x=[rate or 0 for rate in rates],
            marker_color=[HEX[rate_level(rate, data.threshold)] for rate in rates],
            text=[_channel_label(row) for row in rows],
            textposition="outside",
            hovertemplate="%{y}<br>整改完成率 %{text}<extra></extra>",
        )
    )
    fig.update_xaxes(
        tickformat=".0%",
        tickvals=[0, 0.2, 0.4, 0.6, 0.8, 1],
        range=[0, 1.3],
        title_text=T["rect_rate"],
    )
    return _framed(base_layout(fig, title, PNG_HEIGHT))


CHARTS: dict[str, Callable[[ChartData], go.Figure]] = {
    "complaints-by-month": complaints_by_month_figure,
    "rectification-by-channel": rectification_by_channel_figure,
}


def _browser_path() -> None:
    """kaleido drives a local Chromium: point it at the system one when PATH does not find it."""
    if (
        "BROWSER_PATH" not in os.environ
        and not shutil.which("chromium")
        and Path(CHROMIUM).exists()
    ):
        os.environ["BROWSER_PATH"] = CHROMIUM


def figure_png(
    fig: go.Figure, width: int = PNG_WIDTH, height: int = PNG_HEIGHT, scale: float = 2
) -> bytes:
    """A figure as PNG bytes, rendered offline (plotly.js from the plotly package, no MathJax)."""
    import kaleido

    _browser_path()
    return kaleido.calc_fig_sync(
        fig.to_dict(),
        opts={"format": "png", "width": width, "height": height, "scale": scale},
        kopts={"mathjax": False},
    )


def write_png(fig: go.Figure, path: str | Path, **size: float) -> Path:
    """Write a figure to a PNG file (see figure_png)."""
    path = Path(path)
    path.write_bytes(figure_png(fig, **size))  # type: ignore[arg-type]
    return path
