"""/rectification — 整改情况: rates by unit (each group apart), channel and criterion; progress."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

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
from data.labels import LIST_SEPARATOR, PROBLEM
from data.rectification import GROUPS, RectificationData
from data.reference import CHANNEL_NAMES, CRITERIA, GROUP_NAMES, KIND_GROUP
from layouts.common import download_bar, empty_state, page_skeleton, unit_link

TITLE = T["rect_title"]

PAGE = dict(path="/rectification", name=TITLE, title=f"{TITLE} · {T['brand']}")

# With more rated units than this, a group shows its worst TOP_N unless the URL asks for all.
TOP_N = 20
SCOPE_PARAM = "units"
SCOPE_ALL = "all"
UNITS_CHART = {"agency": Ids.UNITS_AGENCY, "legal_service": Ids.UNITS_LEGAL_SERVICE}
UNRATED_LIST = {"agency": Ids.UNRATED_AGENCY, "legal_service": Ids.UNRATED_LEGAL_SERVICE}
UNRATED_SHOWN = 40


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


def scope_toggle(state: ViewState, show_all: bool, total: int) -> html.Div:
    """Two links switching the long group between its worst TOP_N units and all of them."""
    worst = {k: v for k, v in state.extra.items() if k != SCOPE_PARAM}
    links = [
        (T["rect_worst_n"].format(n=TOP_N), worst, not show_all),
        (T["rect_all_n"].format(n=total), {**worst, SCOPE_PARAM: SCOPE_ALL}, show_all),
    ]
    return html.Div(
        [
            dcc.Link(
                label,
                href=f"{PAGE['path']}{to_search(replace(state, extra=extra))}",
                className="btn btn-sm "
                + ("btn-secondary active" if active else "btn-outline-secondary"),
            )
            for label, extra, active in links
        ],
        className="btn-group rect-scope",
        role="group",
        id=Ids.UNITS_SCOPE,
    )


def unrated_list(units: list[UnitFigures], group: str, search: str) -> html.Div | None:
    """The units whose rectification rate is "—", by name (not drawn as bars)."""
    if not units:
        return None
    shown = units[:UNRATED_SHOWN]
    links: list[Any] = []
    for i, unit in enumerate(shown):
        if i:
            links.append(LIST_SEPARATOR)
        links.append(unit_link(unit.unit_id, unit.unit, search))
    if len(units) > len(shown):
        links.append(T["rect_unrated_more"].format(n=len(units) - len(shown)))
    return html.Div(
        [html.Span(T["rect_unrated"].format(n=len(units)), className="text-muted"), *links],
        id=UNRATED_LIST[group],
        className="small mt-2 rect-unrated",
    )


def group_card(
    group: str, units: list[UnitFigures], threshold: float, state: ViewState
) -> dbc.Card:
    """One group's units: rate bars worst first, the "—" units listed by name."""
    name = GROUP_NAMES[group]
    header = html.H6(T["rect_group_units"].format(group=name, n=len(units)), className="mb-0")
    if not units:
        body: list[Any] = [empty_state(T["rect_no_units_in_group"].format(group=name))]
        return dbc.Card([dbc.CardHeader(header), dbc.CardBody(body)], className="h-100")
    rated = worst_first(unit_rows(u for u in units if u.rectification_rate is not None))
    unrated = [u for u in units if u.rectification_rate is None]
    show_all = state.extra.get(SCOPE_PARAM) == SCOPE_ALL
    long_group = len(rated) > TOP_N
    shown = rated if show_all or not long_group else rated[:TOP_N]
    tools: list[Any] = []
    if long_group:
        tools.append(scope_toggle(state, show_all, len(rated)))
        if not show_all:
            tools.append(
                html.Span(
                    T["rect_showing_worst"].format(n=TOP_N, total=len(rated)),
                    className="small text-muted ms-2",
                )
            )
    if shown:
        figure = rate_bars(shown, threshold)
        chart: Any = graph(UNITS_CHART[group], figure, f"{TITLE}-{name}")
        if show_all and long_group:
            chart = html.Div(chart, className="rect-scroll")
    else:
        chart = graph(
            UNITS_CHART[group],
            empty_figure(T["rect_no_rated_units"].format(group=name)),
            f"{TITLE}-{name}",
        )
    body = [
        html.Div(tools, className="d-flex align-items-center flex-wrap mb-2") if tools else None,
        chart,
        unrated_list(unrated, group, shared_search(state)),
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
