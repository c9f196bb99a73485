"""/complaints — 投诉分析: problem heatmaps (unit × month, township × criterion, channel × month).

The channel set and the 每百件案件 switch are this page's own query parameters (`channels`,
`per100`), next to the shared filters, so a bookmarked address reopens the same view. Clicking
a cell lists every problem it counts in a modal, as a grid (complainants masked).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.charts.base import graph
from dashboard.charts.complaints import heatmap
from dashboard.ids import Complaints as Ids
from dashboard.state import ViewState, parse_state, to_search
from dashboard.text import MISSING, T, fmt_date, fmt_int
from data.complaints import CellProblem, CellProblems, Grid
from data.figures import CHANNELS
from data.labels import PROBLEM
from data.reference import CHANNEL_NAMES, COMPLAINT_CHANNELS, CRITERIA, STATUS_NAMES
from layouts.common import search_from_query, unit_href
from layouts.grid import LINK, Column, grid

TITLE = T["cmp_title"]

PAGE = dict(path="/complaints", name=TITLE, title=f"{TITLE} · {T['brand']}")

CHANNELS_PARAM = "channels"
PER100_PARAM = "per100"
NO_CHANNEL = "none"  # `channels=none`: the user cleared every channel

GRID_IDS: dict[str, str] = {
    "unit_month": Ids.UNIT_MONTH,
    "township_criterion": Ids.TOWNSHIP_CRITERION,
    "channel_month": Ids.CHANNEL_MONTH,
}
GRID_TITLES: dict[str, str] = {
    "unit_month": T["cmp_unit_month"],
    "township_criterion": T["cmp_township_criterion"],
    "channel_month": T["cmp_channel_month"],
}


def channels_of(state: ViewState) -> tuple[str, ...]:
    """The channels a view counts: the URL's `channels`, or the complaint channels by default."""
    text = state.extra.get(CHANNELS_PARAM)
    if text is None:
        return tuple(COMPLAINT_CHANNELS)
    chosen = set(text.split(","))
    return tuple(c for c in CHANNELS if c in chosen)


def per100_of(state: ViewState) -> bool:
    """Whether the view shows counts per 100 cases."""
    return state.extra.get(PER100_PARAM) == "1"


def with_options(state: ViewState, channels: list[str], normalise: bool) -> str:
    """The query string of a view with another channel set and per-100 switch."""
    extra = {k: v for k, v in state.extra.items() if k not in (CHANNELS_PARAM, PER100_PARAM)}
    chosen = [c for c in CHANNELS if c in channels]
    if set(chosen) != set(COMPLAINT_CHANNELS):
        extra[CHANNELS_PARAM] = ",".join(chosen) or NO_CHANNEL
    if normalise:
        extra[PER100_PARAM] = "1"
    return to_search(replace(state, extra=extra))


def controls(state: ViewState) -> html.Div:
    """The channel set and the 每百件案件 switch, set from the URL."""
    return html.Div(
        [
            html.Span(T["cmp_channels"], className="small text-muted me-2"),
            dcc.Checklist(
                id=Ids.CHANNELS,
                options=[{"label": CHANNEL_NAMES[c], "value": c} for c in CHANNELS],
                value=list(channels_of(state)),
                inline=True,
                className="cmp-channels d-inline",
                inputClassName="form-check-input me-1",
                labelClassName="form-check-label me-3",
            ),
            dbc.Switch(
                id=Ids.PER100,
                label=T["cmp_per100"],
                value=per100_of(state),
                className="d-inline-block ms-2 mb-0",
            ),
        ],
        className="cmp-controls d-flex flex-wrap align-items-center mb-2",
    )


def drill_modal() -> dbc.Modal:
    """The modal listing a clicked cell's problems."""
    return dbc.Modal(
        [
            dbc.ModalHeader(dbc.ModalTitle(id=Ids.MODAL_TITLE)),
            dbc.ModalBody(id=Ids.MODAL_BODY),
            dbc.ModalFooter(dbc.Button(T["cmp_close"], id=Ids.MODAL_CLOSE, color="secondary")),
        ],
        id=Ids.MODAL,
        size="xl",
        scrollable=True,
        is_open=False,
    )


def layout(**query: Any) -> html.Div:
    """The page: title, its own controls, the URL state, a loading body and the drill-down modal."""
    search = search_from_query(query)
    return html.Div(
        [
            html.H4(TITLE, className="page-title mt-2 mb-3"),
            controls(parse_state(search)),
            dcc.Store(id=Ids.STATE, data=search),
            dcc.Loading(
                html.Div(id=Ids.CONTENT, className="page-body"), type="default", delay_show=300
            ),
            drill_modal(),
        ]
    )


def _card(name: str, grid: Grid, normalise: bool, note: str | None = None) -> dbc.Card:
    """One heatmap in a titled card (on its own colour scale)."""
    body: list[Any] = []
    if note:
        body.append(html.Div(note, className="small text-muted mb-1"))
    box = "cmp-box cmp-scroll" if name == "unit_month" else "cmp-box"
    body.append(
        html.Div(
            graph(
                GRID_IDS[name],
                heatmap(grid, normalise),
                f"{TITLE}-{GRID_TITLES[name].replace(' ', '')}",
            ),
            className=box,
        )
    )
    return dbc.Card(
        [dbc.CardHeader(html.H6(GRID_TITLES[name], className="mb-0")), dbc.CardBody(body)],
        className="mb-3",
    )


def complaints_body(grids: dict[str, Grid], state: ViewState, as_of: Any) -> html.Div:
    """The page's heatmaps for one view; an empty state when there is nothing to show."""
    caption = html.Div(
        T["as_of_caption"].format(date=fmt_date(as_of)), className="text-muted small mb-1"
    )
    if not channels_of(state):
        return html.Div([caption, _empty(T["cmp_no_channels"])])
    total = sum(grids["channel_month"].counts.values())
    if total == 0:
        return html.Div([caption, _empty(T["cmp_empty"].format(date=fmt_date(as_of)))])
    normalise = per100_of(state)
    notes = [T["cmp_total"].format(n=fmt_int(total)), T["cmp_scale_note"], T["cmp_click_hint"]]
    if normalise:
        notes.append(T["cmp_per100_note"])
    return html.Div(
        [
            caption,
            html.Div(
                T["cmp_note_sep"].join(n.rstrip(T["cmp_note_end"]) for n in notes)
                + T["cmp_note_end"],
                className="small mb-2",
                id=f"{Ids.CONTENT}-summary",
            ),
            dbc.Row(
                [
                    dbc.Col(_card("channel_month", grids["channel_month"], normalise), xs=12, xl=6),
                    dbc.Col(
                        _card("township_criterion", grids["township_criterion"], normalise),
                        xs=12,
                        xl=6,
                    ),
                ]
            ),
            _card("unit_month", grids["unit_month"], normalise, T["cmp_unit_month_note"]),
        ]
    )


def _empty(message: str) -> dbc.Alert:
    """The page's empty state."""
    return dbc.Alert(message, color="light", className="empty-state border text-center py-5")


def cell_title(row_name: str, column: str, total: int) -> str:
    """The modal's title: the cell's row and column names and its count."""
    if column in CRITERIA:
        column_name = CRITERIA[column][0]
    else:
        column_name = T["fmt_month"].format(year=column[:4], month=int(column[5:]))
    return T["cmp_modal_title"].format(row=row_name, column=column_name, n=fmt_int(total))


def problem_columns() -> list[Column]:
    """The columns of a cell's problem list: the unit links to its page, the rest is text."""
    return [
        Column(
            "unit", T["cmp_col_unit"], LINK, href_field="href", min_width=180, flex=2, wrap=True
        ),
        Column("found_on", PROBLEM["found_on"], text_field="found_on_text", width=130),
        Column("channel", T["cmp_col_channel"], width=120),
        Column("criterion", PROBLEM["criterion_code"], width=130),
        Column("description", PROBLEM["description"], min_width=240, flex=3, wrap=True),
        Column("status", T["cmp_col_status"], width=110),
        Column("complainant", PROBLEM["complainant_name"], width=170),
    ]


def problem_row(p: CellProblem, search: str) -> dict[str, Any]:
    """One problem as a row of plain values; the complainant as the data layer masked it."""
    return {
        "id": p.id,
        "unit": p.unit,
        "href": unit_href(p.unit_id, search),
        "found_on": p.found_on.isoformat(),  # sorts as a date; the cell shows found_on_text
        "found_on_text": fmt_date(p.found_on),
        "channel": CHANNEL_NAMES.get(p.channel, p.channel),
        "criterion": CRITERIA[p.criterion][0] if p.criterion in CRITERIA else p.criterion,
        "description": p.description,
        "status": STATUS_NAMES.get(p.status, p.status),
        "complainant": p.complainant or MISSING,
    }


def cell_grid(cell: CellProblems, search: str) -> Any:
    """Every problem of a cell, newest first, in a grid that sorts and filters."""
    if not cell.problems:
        return html.Div(T["cmp_modal_none"], className="empty-state text-center py-3")
    return html.Div(
        [
            grid(
                Ids.PROBLEMS,
                problem_columns(),
                [problem_row(p, search) for p in cell.problems],
                row_id="id",
                view_rows=12,  # the dialog, title and buttons fit a 768 px high laptop screen
                class_name="cmp-problems mb-1",
            ),
            html.Div(T["cmp_modal_masked"], className="small text-muted"),
        ]
    )
