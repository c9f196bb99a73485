"""/complaints — 投诉分析: problem heatmaps (unit × month, township × criterion, channel × month).

The channel set and the 每百件案件 switch are this page's own query parameters (`channels`,
`per100`), next to the shared filters, so a bookmarked address reopens the same view. Clicking
a cell lists the problems it counts in a modal (complainants masked).
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
from data.complaints import CellProblems, Grid
from data.figures import CHANNELS
from data.labels import PROBLEM
from data.reference import CHANNEL_NAMES, COMPLAINT_CHANNELS, CRITERIA, STATUS_NAMES
from layouts.common import search_from_query, unit_link

TITLE = T["cmp_title"]

PAGE = dict(path="/complaints", name=TITLE, title=f"{TITLE} · {T['brand']}")

CHANNELS_PARAM = "channels"
PER100_PARAM = "per100"
NO_CHANNEL = "none"  # `channels=none`: the user cleared every channel
LIST_LIMIT = 50

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


def cell_table(cell: CellProblems, search: str) -> Any:
    """The problems of a cell (the first LIST_LIMIT) with a line saying how many there are."""
    if not cell.problems:
        return html.Div(T["cmp_modal_none"], className="empty-state text-center py-3")
    header = [
        T["cmp_col_unit"],
        PROBLEM["found_on"],
        T["cmp_col_channel"],
        PROBLEM["criterion_code"],
        PROBLEM["description"],
        T["cmp_col_status"],
        PROBLEM["complainant_name"],
    ]
    rows = [
        html.Tr(
            [
                html.Td(unit_link(p.unit_id, p.unit, search), className="col-unit"),
                html.Td(fmt_date(p.found_on), className="col-nowrap"),
                html.Td(CHANNEL_NAMES.get(p.channel, p.channel), className="col-nowrap"),
                html.Td(
                    CRITERIA[p.criterion][0] if p.criterion in CRITERIA else p.criterion,
                    className="col-nowrap",
                ),
                html.Td(p.description, className="col-desc"),
                html.Td(STATUS_NAMES.get(p.status, p.status), className="col-nowrap"),
                html.Td(p.complainant or MISSING, className="col-nowrap cmp-complainant"),
            ],
            className="cmp-problem-row",
        )
        for p in cell.problems
    ]
    parts: list[Any] = []
    if cell.total > len(cell.problems):
        parts.append(
            html.Div(
                T["cmp_modal_more"].format(shown=len(cell.problems), n=fmt_int(cell.total)),
                className="small text-muted mb-2",
                id=f"{Ids.MODAL_BODY}-more",
            )
        )
    parts.append(
        dbc.Table(
            [
                html.Thead(html.Tr([html.Th(h) for h in header])),
                html.Tbody(rows),
            ],
            striped=True,
            hover=True,
            size="sm",
            responsive=True,  # on a phone the table scrolls sideways in its own box
            className="cmp-table mb-1",
        )
    )
    parts.append(html.Div(T["cmp_modal_masked"], className="small text-muted"))
    return html.Div(parts)
