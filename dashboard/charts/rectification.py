"""Figures of the /rectification page: rate bars, found-vs-rectified lines, days-to-rectify bars."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go

from dashboard.charts.base import AXIS, empty_figure, layout_dict
from dashboard.colors import HEX, NEUTRAL, rate_level
from dashboard.text import MISSING, T, fmt_date, fmt_int, fmt_rate
from data.figures import BreakdownRow, UnitFigures
from data.rectification import DaysToRectify, Timeline
from data.reference import PhaseCode

ROW_HEIGHT = 26
LABEL_CHARS = 12
RATE_RANGE = [0, 1.22]  # room to the right of a 100 % bar for its label


@dataclass(frozen=True)
class RateRow:
    """One bar pair: a category's rectification rate and on-time rate with their counts."""

    key: str
    name: str
    rectified: int
    base: int
    rate: float | None
    on_time: int
    due: int
    on_time_rate: float | None
    note: str = ""


def short_label(name: str, limit: int = LABEL_CHARS) -> str:
    """A name cut to `limit` characters with an ellipsis (long unit names keep the axis narrow)."""
    return name if len(name) <= limit else f"{name[: limit - 1]}…"


def unit_rows(units: Iterable[UnitFigures]) -> list[RateRow]:
    """A bar pair per unit (keyed by unit name, which is unique)."""
    return [
        RateRow(
            key=unit.unit,
            name=unit.unit,
            rectified=unit.rectified,
            base=unit.problems - unit.unfounded,
            rate=unit.rectification_rate,
            on_time=unit.on_time,
            due=unit.due,
            on_time_rate=unit.on_time_rate,
        )
        for unit in units
    ]


def breakdown_rows(
    rows: Iterable[BreakdownRow], names: dict[str, str], notes: dict[str, str] | None = None
) -> list[RateRow]:
    """A bar pair per code of `names`, in its order; codes without problems get "—"."""
    by_code = {str(row.key[0]): row for row in rows}
    result = []
    for code, name in names.items():
        row = by_code.get(code)
        result.append(
            RateRow(
                key=code,
                name=name,
                rectified=row.rectified if row else 0,
                base=row.problems - row.unfounded if row else 0,
                rate=row.rectification_rate if row else None,
                on_time=row.on_time if row else 0,
                due=row.due if row else 0,
                on_time_rate=row.on_time_rate if row else None,
                note=(notes or {}).get(code, ""),
            )
        )
    return result


def worst_first(rows: Iterable[RateRow]) -> list[RateRow]:
    """Lowest rectification rate first, then lowest on-time rate, then name; "—" rates last."""

    def key(row: RateRow) -> tuple[bool, float, bool, float, str]:
        return (
            row.rate is None,
            row.rate or 0.0,
            row.on_time_rate is None,
            row.on_time_rate or 0.0,
            row.name,
        )

    return sorted(rows, key=key)


def _hover(row: RateRow, on_time: bool) -> str:
    """The Chinese hover text of one bar."""
    if on_time:
        detail = (
            T["rect_hover_on_time"].format(
                rate=fmt_rate(row.on_time_rate), on_time=row.on_time, due=row.due
            )
            if row.due
            else f"{T['rect_on_time_rate']}：{MISSING}（{T['rect_hover_no_due']}）"
        )
    else:
        detail = (
            T["rect_hover_rate"].format(
                rate=fmt_rate(row.rate), rectified=row.rectified, base=row.base
            )
            if row.base
            else f"{T['rect_rate']}：{MISSING}（{T['rect_hover_no_base']}）"
        )
    note = f"<br>{row.note}" if row.note else ""
    return f"<b>{row.name}</b>{note}<br>{detail}"


def _panel_traces(
    rows: Sequence[RateRow], on_time: bool, threshold: float
) -> tuple[go.Bar, go.Scatter]:
    """The bars of one rate and a "—" marker for the rows whose rate has no denominator."""
    rates = [row.on_time_rate if on_time else row.rate for row in rows]
    hovers = [_hover(row, on_time) for row in rows]
    bars = go.Bar(
        y=[row.key for row in rows],
        x=rates,
        orientation="h",
        marker_color=[HEX[rate_level(r, threshold)] for r in rates],
        text=[fmt_rate(r) if r is not None else "" for r in rates],
        textposition="outside",
        cliponaxis=False,
        customdata=hovers,
        hovertemplate="%{customdata}<extra></extra>",
        showlegend=False,
    )
    missing = [i for i, r in enumerate(rates) if r is None]
    dashes = go.Scatter(
        y=[rows[i].key for i in missing],
        x=[0] * len(missing),
        mode="text",
        text=[MISSING] * len(missing),
        textposition="middle right",
        textfont={"color": HEX[NEUTRAL]},
        customdata=[hovers[i] for i in missing],
        hovertemplate="%{customdata}<extra></extra>",
        showlegend=False,
    )
    return bars, dashes


def rate_bars(rows: Sequence[RateRow], threshold: float = 0.8) -> go.Figure:
    """Rectification rate (left) and on-time rate (right) per row, first row at the top.

    Colours follow rate_level; a rate without a denominator is written "—", never drawn as 0.
    The two panels share the rows (y) axis. The figure is built in one go, layout included:
    make_subplots and update_* calls cost ten times as much for the same JSON.
    """
    keys = [row.key for row in rows]
    traces = []
    for axis, on_time in (("", False), ("2", True)):
        for trace in _panel_traces(rows, on_time, threshold):
            trace.update(xaxis=f"x{axis}", yaxis=f"y{axis}")
            traces.append(trace)
    rows_axis = {
        **AXIS,
        "type": "category",
        "categoryorder": "array",
        "categoryarray": keys,
        # A fixed range, first row on top: "—" text markers must not pad the axis.
        "range": [len(rows) - 0.5, -0.5],
        "tickmode": "array",
        "tickvals": keys,
        "ticktext": [short_label(row.name) for row in rows],
        "showgrid": False,
    }
    rates_axis = {**AXIS, "range": RATE_RANGE, "tickformat": ".0%", "tickvals": [0, 0.5, 0.8, 1]}
    panels = ((0.0, 0.475, T["rect_rate"]), (0.525, 1.0, T["rect_on_time_rate"]))
    layout = {
        **layout_dict(height=ROW_HEIGHT * len(rows) + 70),
        "xaxis": {**rates_axis, "anchor": "y", "domain": list(panels[0][:2])},
        "yaxis": {**rows_axis, "anchor": "x", "domain": [0.0, 1.0]},
        "xaxis2": {**rates_axis, "anchor": "y2", "domain": list(panels[1][:2])},
        "yaxis2": {
            **rows_axis,
            "anchor": "x2",
            "domain": [0.0, 1.0],
            "matches": "y",
            "showticklabels": False,
        },
        "annotations": [
            {
                "text": title,
                "x": (start + end) / 2,
                "xanchor": "center",
                "xref": "paper",
                "y": 1.0,
                "yanchor": "bottom",
                "yref": "paper",
                "showarrow": False,
                "font": {"size": 13},
            }
            for start, end, title in panels
        ],
        "margin": {"t": 40, "b": 10, "l": 10, "r": 10},
        "bargap": 0.25,
    }
    return go.Figure(data=traces, layout=layout)


def _phase_shading(timeline: Timeline) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The 落实整改 phase shaded behind the lines where it overlaps the series, with its
    label: (shapes, annotations), empty when it does not overlap."""
    window = timeline.phases.get(PhaseCode.RECTIFY)
    if window is None or not timeline.points:
        return [], []
    start = max(window[0], timeline.points[0].day)
    end = min(window[1], timeline.points[-1].day)
    if start > end:
        return [], []
    shape = {
        "type": "rect",
        "x0": start,
        "x1": end,
        "xref": "x",
        "y0": 0,
        "y1": 1,
        "yref": "y domain",
        "fillcolor": "#e0f2fe",
        "opacity": 0.6,
        "layer": "below",
        "line": {"width": 0},
    }
    label = {
        "text": T["rect_phase_rectify"],
        "x": start,
        "xref": "x",
        "xanchor": "left",
        "y": 1,
        "yref": "y domain",
        "yanchor": "top",
        "showarrow": False,
        "font": {"size": 12, "color": "#0369a1"},
    }
    return [shape], [label]


def timeline_figure(timeline: Timeline) -> go.Figure:
    """Cumulative problems found and rectified by day, up to the as-of date."""
    if not timeline.points:
        return empty_figure(T["rect_no_problems_short"], height=320)
    days = [point.day for point in timeline.points]
    labels = [fmt_date(day) for day in days]
    traces = [
        {
            "type": "scatter",
            "x": days,
            "y": values,
            "name": name,
            "mode": "lines",
            "line": {"color": colour, "width": 2.5, "shape": "hv"},
            "customdata": labels,
            "hovertemplate": f"%{{customdata}}<br>{name}：%{{y}} 件<extra></extra>",
        }
        for name, values, colour in (
            (T["rect_found"], [p.found for p in timeline.points], HEX[NEUTRAL]),
            (T["rect_rectified"], [p.rectified for p in timeline.points], HEX["good"]),
        )
    ]
    shapes, annotations = _phase_shading(timeline)
    one_year = days[0].year == days[-1].year
    layout = {
        **layout_dict(height=320),
        "legend": {"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
        "margin": {"l": 10, "r": 10, "t": 40, "b": 10},
        "xaxis": {**AXIS, "tickformat": "%-m月%-d日" if one_year else "%Y年%-m月%-d日"},
        "yaxis": {**AXIS, "title": {"text": T["rect_count_axis"]}, "rangemode": "tozero"},
        "shapes": shapes,
        "annotations": annotations,
    }
    return go.Figure(data=traces, layout=layout)


def days_label(low: int, high: int | None) -> str:
    """A bin's label: `8–15 天`, or `超过 60 天` for the open-ended one."""
    if high is None:
        return T["rect_days_open"].format(n=low - 1)
    return T["rect_days_bin"].format(low=low, high=high)


def days_figure(days: DaysToRectify) -> go.Figure:
    """Rectified problems by the days they took, one bar per bin."""
    if not days.total:
        return empty_figure(T["rect_no_rectified"], height=320)
    labels = [days_label(b.low, b.high) for b in days.bins]
    counts = [b.count for b in days.bins]
    shares = [fmt_rate(b.count / days.total) for b in days.bins]
    bars = {
        "type": "bar",
        "x": labels,
        "y": counts,
        "marker": {"color": HEX[NEUTRAL]},
        "text": [fmt_int(n) for n in counts],
        "textposition": "outside",
        "cliponaxis": False,
        "customdata": shares,
        "hovertemplate": (
            f"{T['rect_days_axis']} %{{x}}：%{{y}} 件（%{{customdata}}）<extra></extra>"
        ),
        "showlegend": False,
    }
    layout = {
        **layout_dict(height=320),
        "margin": {"l": 10, "r": 10, "t": 30, "b": 10},
        "xaxis": {**AXIS, "title": {"text": T["rect_days_axis"]}, "type": "category"},
        "yaxis": {**AXIS, "title": {"text": T["rect_count_axis"]}, "rangemode": "tozero"},
    }
    return go.Figure(data=[bars], layout=layout)
