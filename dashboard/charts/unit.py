"""The unit page's chart: its complaints month by month (pure: counts in, figure out)."""

from __future__ import annotations

import plotly.graph_objects as go

from dashboard.charts.base import base_layout, empty_figure
from dashboard.colors import HEX
from dashboard.text import T

HEIGHT = 230


def month_label(key: str, same_year: bool) -> str:
    """'2026-06' as `6月`, or `2026年6月` when the months span more than one year."""
    year, month = int(key[:4]), int(key[5:7])
    return f"{month}月" if same_year else f"{year}年{month}月"


def complaints_figure(by_month: dict[str, int]) -> go.Figure:
    """Complaints (投诉举报 + 纠风办交办) per month as bars; a message when there are none."""
    if not any(by_month.values()):
        return empty_figure(T["unit_no_complaints"], height=HEIGHT)
    same_year = len({key[:4] for key in by_month}) == 1
    labels = [month_label(key, same_year) for key in by_month]
    counts = list(by_month.values())
    fig = go.Figure(
        go.Bar(
            x=labels,
            y=counts,
            marker_color=HEX["bad"],
            text=[str(n) if n else "" for n in counts],
            textposition="outside",
            cliponaxis=False,
            hovertemplate=T["unit_complaints_hover"] + "<extra></extra>",
        )
    )
    fig.update_yaxes(
        title_text=T["unit_complaints_axis"],
        rangemode="tozero",
        tickformat=",d",
        dtick=1 if max(counts) <= 5 else None,
    )
    fig.update_xaxes(type="category")
    return base_layout(fig, height=HEIGHT)
