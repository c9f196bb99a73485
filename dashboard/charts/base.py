"""The look every chart shares: CJK fonts, colours, Chinese toolbar, PNG download, empty charts."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
from dash import dcc

from dashboard.colors import HEX

FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"

# One colour scale for counts (heatmaps): white → deep red, so "more complaints" reads as worse.
COUNT_SCALE: list[list[Any]] = [
    [0.0, "#ffffff"],
    [0.15, "#fde8e4"],
    [0.4, "#f6a38f"],
    [0.7, "#e0533d"],
    [1.0, "#9f1d1d"],
]
# Rates: red (low) → amber → green (high), the same meaning as the cards.
RATE_SCALE: list[list[Any]] = [[0.0, HEX["bad"]], [0.8, HEX["warn"]], [1.0, HEX["good"]]]

# Plotly's toolbar in Chinese (our own dictionary; nothing is loaded from outside).
LOCALE = {
    "dictionary": {
        "Download plot as a png": "下载为 PNG 图片",
        "Download plot": "下载图片",
        "Zoom": "缩放",
        "Pan": "平移",
        "Box Select": "框选",
        "Lasso Select": "套索选择",
        "Zoom in": "放大",
        "Zoom out": "缩小",
        "Autoscale": "自动缩放",
        "Reset axes": "重置坐标轴",
        "Reset view": "重置视图",
        "Toggle Spike Lines": "显示/隐藏参考线",
        "Show closest data on hover": "悬停显示最近数据",
        "Compare data on hover": "悬停比较数据",
        "Produced with Plotly": "Plotly 制图",
        "Double-click to zoom back out": "双击还原",
    },
    "format": {
        "days": ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"],
        "shortDays": ["日", "一", "二", "三", "四", "五", "六"],
        "months": [f"{m}月" for m in range(1, 13)],
        "shortMonths": [f"{m}月" for m in range(1, 13)],
        "date": "%Y-%m-%d",
        "decimal": ".",
        "thousands": ",",
    },
}


# The few defaults of plotly's own template the charts rely on. A figure otherwise carries the
# whole default template (about 8 kB of JSON, mostly for 3-D, polar and map charts we never
# draw) in every callback answer.
_AXIS = {
    "ticks": "",
    "linecolor": "#ffffff",
    "zerolinecolor": "#ffffff",
    "zerolinewidth": 2,
    "title": {"standoff": 15},
    "automargin": True,
}
TEMPLATE = go.layout.Template(
    layout={
        "autotypenumbers": "strict",
        "colorway": ["#636efa", "#EF553B", "#00cc96", "#ab63fa", "#FFA15A", "#19d3f3"],
        "font": {"color": "#2a3f5f"},
        "hovermode": "closest",
        "hoverlabel": {"align": "left"},
        "xaxis": _AXIS,
        "yaxis": _AXIS,
        "coloraxis": {"colorbar": {"outlinewidth": 0, "ticks": ""}},
        "annotationdefaults": {"arrowcolor": "#2a3f5f", "arrowhead": 0, "arrowwidth": 1},
        "shapedefaults": {"line": {"color": "#2a3f5f"}},
    },
    data={
        "bar": [{"marker": {"line": {"color": "#E5ECF6", "width": 0.5}}}],
        "heatmap": [{"colorbar": {"outlinewidth": 0, "ticks": ""}}],
    },
)


def graph_config(filename: str) -> dict[str, Any]:
    """dcc.Graph config: Chinese toolbar, PNG download named after the chart, no logo."""
    return {
        "locale": "zh-CN",
        "locales": {"zh-CN": LOCALE},
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
        "modeBarButtonsToRemove": ["lasso2d", "select2d"],
    }


def graph(graph_id: Any, figure: go.Figure, filename: str, height: int | None = None) -> dcc.Graph:
    """A chart with the shared config; `filename` names its PNG download."""
    style = {"height": f"{height}px"} if height else None
    return dcc.Graph(id=graph_id, figure=figure, config=graph_config(filename), style=style)


# What every axis of every chart has.
AXIS = {"automargin": True, "gridcolor": "#e5e7eb"}


def layout_dict(title: str | None = None, height: int | None = None) -> dict[str, Any]:
    """The shared fonts, margins and background as a layout (axes not included: AXIS)."""
    layout: dict[str, Any] = {
        "template": TEMPLATE,
        "title": {"text": title, "x": 0, "font": {"size": 16}} if title else None,
        "font": {"family": FONT, "size": 13, "color": "#1f2937"},
        "margin": {"l": 10, "r": 10, "t": 40 if title else 10, "b": 10},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "hoverlabel": {"font": {"family": FONT}},
        "legend": {"orientation": "h", "y": -0.15},
        "separators": ".,",
    }
    if height:
        layout["height"] = height
    return layout


def base_layout(fig: go.Figure, title: str | None = None, height: int | None = None) -> go.Figure:
    """Apply the shared fonts, margins and background to a figure of one x and one y axis
    (returns it). One update: each update_* call walks plotly's property tree again."""
    fig.update_layout(layout_dict(title, height), xaxis=AXIS, yaxis=AXIS)
    return fig


def empty_figure(message: str, height: int = 240) -> go.Figure:
    """A blank chart carrying a Chinese message (no data yet)."""
    fig = go.Figure()
    fig.add_annotation(
        text=message,
        showarrow=False,
        font={"size": 16, "color": "#64748b"},
        xref="paper",
        yref="paper",
        x=0.5,
        y=0.5,
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return base_layout(fig, height=height)
