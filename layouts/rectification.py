"""/rectification — 整改情况: rates by unit (each group apart), channel and criterion; progress."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import dash_bootstrap_components as dbc
from dash import html

from dashboard.charts.base import empty_figure, graph
from dashboard.charts.rectification import (
    RateRow,
    breakdown_rows,
    days_figure,
    rate_bars,
    timeline_figure,
    unit_rows,
    worst_first,
)
from dashboard.colors import rate_level
from dashboard.ids import Rectification as Ids
from dashboard.state import ViewState, to_search
from dashboard.text import MISSING, T, fmt_date, fmt_rate
from data.figures import UnitFigures
from data.labels import PROBLEM
from data.rectification import GROUPS, RectificationData
from data.reference import CHANNEL_NAMES, CRITERIA, GROUP_NAMES, KIND_GROUP
from layouts.common import download_bar, empty_state, page_skeleton, unit_href
from layouts.grid import LINK, NUMBER, Column, grid

TITLE = T["rect_title"]

PAGE = dict(path="/rectification", name=TITLE, title=f"{TITLE} · {T['brand']}")

# A group's chart draws its worst TOP_N units: more bars than this are a wall no one reads (and
# long names are cut on the axis). The grid under the chart holds every unit of the group.
TOP_N = 20
UNITS_CHART = {"agency": Ids.UNITS_AGENCY, "legal_service": Ids.UNITS_LEGAL_SERVICE}
UNITS_NOTE = {"agency": Ids.NOTE_AGENCY, "legal_service": Ids.NOTE_LEGAL_SERVICE}
UNITS_GRID = {"agency": Ids.GRID_AGENCY, "legal_service": Ids.GRID_LEGAL_SERVICE}


def layout(**query: Any) -> html.Div:
    """The page skeleton; a callback fills it for the URL's campaign, date and filters."""
    return page_skeleton(TITLE, query, Ids.STATE, Ids.CONTENT)


def shared_search(state: ViewState) -> str:
    """The query string of the shared filters only (for links to other pages)."""
    return to_search(ViewState(state.campaign, state.as_of, state.kinds, state.townships))


def _level_span(text: str, rate: float | None, threshold: float) -> html.Span:
    """A figure coloured by its rate level."""
    return html.Span(text, className=f"level-{rate_level(rate, threshold)} fw-semibold")


def summary_line(data: RectificationData) -> html.Div:
    """Problems, rectification rate and on-time rate of the units in view, in one line."""
    f = data.figures
    return html.Div(
        [
            html.Span(
                T["rect_summary_problems"].format(problems=f.problems, unfounded=f.unfounded)
            ),
            html.Span(" · "),
            _level_span(
                T["rect_summary_rate"].format(
                    rate=fmt_rate(f.rectification_rate),
                    rectified=f.rectified,
                    base=f.problems - f.unfounded,
                ),
                f.rectification_rate,
                data.threshold,
            ),
            html.Span(" · "),
            _level_span(
                T["rect_summary_on_time"].format(
                    rate=fmt_rate(f.on_time_rate), on_time=f.on_time, due=f.due
                ),
                f.on_time_rate,
                data.threshold,
            ),
        ],
        id=Ids.SUMMARY,
        className="rect-summary mb-3",
    )


def grid_columns() -> list[Column]:
    """The by-unit grid's columns: rates sort as numbers and keep their level colours; the
    widths let a half-width card show all five on a laptop (the unit stays pinned on a phone)."""
    return [
        Column(
            "unit", T["rect_col_unit"], LINK, href_field="href", width=170, pinned=True, wrap=True
        ),
        Column(
            "rate",
            T["rect_rate"],
            NUMBER,
            text_field="rate_text",
            level_field="rate_level",
            width=100,
        ),
        Column("base", T["rect_col_rectified"], NUMBER, text_field="base_text", width=115),
        Column(
            "on_time_rate",
            T["rect_on_time_rate"],
            NUMBER,
            text_field="on_time_rate_text",
            level_field="on_time_level",
            width=100,
        ),
        Column("due", T["rect_col_on_time"], NUMBER, text_field="due_text", width=95),
    ]


def grid_row(row: RateRow, unit_id: int, threshold: float, search: str) -> dict[str, Any]:
    """One unit's row: the rates and counts to sort by, and the text the page shows."""
    return {
        "id": unit_id,
        "unit": row.name,
        "href": unit_href(unit_id, search),
        "rate": row.rate,
        "rate_text": fmt_rate(row.rate),
        "rate_level": rate_level(row.rate, threshold),
        "base": row.base,
        "base_text": T["rect_count_of"].format(n=row.rectified, base=row.base),
        "on_time_rate": row.on_time_rate,
        "on_time_rate_text": fmt_rate(row.on_time_rate),
        "on_time_level": rate_level(row.on_time_rate, threshold),
        "due": row.due,
        "due_text": T["rect_count_of"].format(n=row.on_time, base=row.due),
    }


def unit_grid(group: str, units: list[UnitFigures], threshold: float, search: str) -> html.Div:
    """Every unit of a group, worst first ("—" rates last), in a grid that sorts and filters."""
    ids = {unit.unit: unit.unit_id for unit in units}
    rows = worst_first(unit_rows(units))
    return grid(
        UNITS_GRID[group],
        grid_columns(),
        [grid_row(row, ids[row.key], threshold, search) for row in rows],
        row_id="id",
        class_name="rect-grid mt-3",
    )


def group_card(
    group: str, units: list[UnitFigures], threshold: float, state: ViewState
) -> dbc.Card:
    """One group's units: the worst TOP_N as rate bars, and every unit in a grid under them."""
    name = GROUP_NAMES[group]
    header = html.H6(T["rect_group_units"].format(group=name, n=len(units)), className="mb-0")
    if not units:
        body: list[Any] = [empty_state(T["rect_no_units_in_group"].format(group=name))]
        return dbc.Card([dbc.CardHeader(header), dbc.CardBody(body)], className="h-100")
    rated = worst_first(unit_rows(u for u in units if u.rectification_rate is not None))
    if rated:
        figure = rate_bars(rated[:TOP_N], threshold)
    else:
        figure = empty_figure(T["rect_no_rated_units"].format(group=name))
    body = [
        graph(UNITS_CHART[group], figure, f"{TITLE}-{name}"),
        html.Div(
            T["rect_chart_worst"].format(n=TOP_N, rated=len(rated), total=len(units)),
            className="small text-muted mt-1",
            id=UNITS_NOTE[group],
        )
        if len(rated) > TOP_N
        else None,
        unit_grid(group, units, threshold, shared_search(state)),
        html.Div(T["rect_dash_note"], className="small text-muted mt-1")
        if len(rated) < len(units) or any(u.on_time_rate is None for u in units)
        else None,
    ]
    return dbc.Card(
        [dbc.CardHeader(header), dbc.CardBody([b for b in body if b is not None])],
        className="h-100",
    )


def criterion_names(
    state: ViewState, present: Collection[str] = ()
) -> tuple[dict[str, str], dict[str, str]]:
    """The criteria of the groups in view (and any with problems) and whom each applies to."""
    groups = {KIND_GROUP[kind] for kind in state.kinds} or set(GROUPS)
    names: dict[str, str] = {}
    notes: dict[str, str] = {}
    for code, (name, group, _order) in sorted(CRITERIA.items(), key=lambda kv: kv[1][2]):
        if group is None or group in groups or code in present:
            names[code] = name
            notes[code] = (
                T["rect_common"]
                if group is None
                else T["rect_applies"].format(group=GROUP_NAMES[group])
            )
    return names, notes


def _chart_card(title: str, chart: Any, note: str | None = None) -> dbc.Card:
    """A titled card around a chart, with an optional note under it."""
    children = [chart]
    if note:
        children.append(html.Div(note, className="small text-muted mt-1"))
    return dbc.Card(
        [dbc.CardHeader(html.H6(title, className="mb-0")), dbc.CardBody(children)],
        className="h-100",
    )


def breakdown_cards(data: RectificationData, state: ViewState) -> dbc.Row:
    """Rates by channel and by criterion, side by side."""
    channel_rows: list[RateRow] = breakdown_rows(data.by_channel, dict(CHANNEL_NAMES))
    present = {str(row.key[0]) for row in data.by_criterion}
    names, notes = criterion_names(state, present)
    criterion_rows = breakdown_rows(data.by_criterion, names, notes)
    return dbc.Row(
        [
            dbc.Col(
                _chart_card(
                    T["rect_by_channel"],
                    graph(
                        Ids.CHANNEL,
                        rate_bars(channel_rows, data.threshold),
                        f"{TITLE}-{PROBLEM['channel']}",
                    ),
                    T["rect_dash_note"],
                ),
                xs=12,
                xl=6,
                className="mb-3",
            ),
            dbc.Col(
                _chart_card(
                    T["rect_by_criterion"],
                    graph(
                        Ids.CRITERION,
                        rate_bars(criterion_rows, data.threshold),
                        f"{TITLE}-{PROBLEM['criterion_code']}",
                    ),
                    T["rect_dash_note"],
                ),
                xs=12,
                xl=6,
                className="mb-3",
            ),
        ]
    )


def _days(value: float | None) -> str:
    """A number of days with at most one decimal, or "—"."""
    return MISSING if value is None else f"{value:.1f}".removesuffix(".0")


def progress_cards(data: RectificationData) -> dbc.Row:
    """Found vs rectified over time, and the days rectification took."""
    days = data.days
    summary = T["rect_days_summary"].format(
        n=days.total, median=_days(days.median), mean=_days(days.mean)
    )
    days_note = T["rect_days_full"].format(summary=summary, note=T["rect_days_note"])
    return dbc.Row(
        [
            dbc.Col(
                _chart_card(
                    T["rect_timeline"],
                    graph(
                        Ids.TIMELINE,
                        timeline_figure(data.timeline),
                        f"{TITLE}-{T['rect_file_timeline']}",
                    ),
                    T["rect_timeline_note"],
                ),
                xs=12,
                lg=7,
                className="mb-3",
            ),
            dbc.Col(
                _chart_card(
                    T["rect_days"],
                    graph(Ids.DAYS, days_figure(days), f"{TITLE}-{T['rect_days_axis']}"),
                    days_note,
                ),
                xs=12,
                lg=5,
                className="mb-3",
            ),
        ]
    )


def rectification_body(data: RectificationData, state: ViewState) -> html.Div:
    """The whole page for one campaign's rectification data."""
    caption = html.Div(
        T["as_of_caption"].format(date=fmt_date(data.figures.as_of)),
        className="text-muted small mb-1",
    )
    if data.figures.problems == 0:
        return html.Div(
            [caption, empty_state(T["rect_no_problems"].format(date=fmt_date(data.figures.as_of)))]
        )
    # A group the filters leave without units gets no card; the other one takes the width.
    shown = [group for group in GROUPS if data.units_of(group)] or list(GROUPS)
    group_cols = [
        dbc.Col(
            group_card(group, data.units_of(group), data.threshold, state),
            xs=12,
            xl=12 // len(shown),
            className="mb-3",
        )
        for group in shown
    ]
    return html.Div(
        [
            caption,
            download_bar(
                shared_search(state),
                [
                    ("ledger.xlsx", T["export_ledger"]),
                    ("chart/rectification-by-channel.png", T["export_chart_channel"]),
                ],
                "rect",
            ),
            summary_line(data),
            html.H5(T["rect_units"], className="section-title"),
            html.Div(T["rect_sorted_note"], className="small text-muted mb-2"),
            dbc.Row(group_cols),
            breakdown_cards(data, state),
            progress_cards(data),
        ]
    )
