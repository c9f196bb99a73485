"""/inspections — 明查暗访: the inspections (list) and, for supervisors, the form to log one."""

from __future__ import annotations

from functools import partial
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.auth import signed_in
from dashboard.ids import INSPECTION_FORM, INSPECTION_ROWS
from dashboard.ids import Inspections as Ids
from dashboard.text import MISSING, T, fmt_date
from data.inspections import InspectionCounts, InspectionRow
from data.labels import INSPECTION, INSPECTION_FINDING, LIST_SEPARATOR
from data.reference import CRITERIA, GROUP_NAMES, INSPECTION_MODE_NAMES, InspectionMode, Role
from layouts.common import empty_state, search_from_query, unit_href
from layouts.forms import (
    RowText,
    field_message,
    follow_up_row,
    follow_up_section,
    labelled,
    side_by_side,
    submit_area,
)

TITLE = T["insp_title"]
PAGE = dict(path="/inspections", name=TITLE, title=f"{TITLE} · {T['brand']}")
WRITERS = (Role.SUPERVISOR, Role.ADMIN)
FIRST = 60  # rows shown before "show all": the renderer slows down with many components
SHOW_ALL_LIMIT = 1000
FORM, ROWS = INSPECTION_FORM, INSPECTION_ROWS
# Every name the inspection form gives a field (an inspection's, and the parts of a finding
# row): on screen, and in the messages of a refused save.
LABELS = {**INSPECTION, **INSPECTION_FINDING}
ROW_NAME = T["insp_row"]  # a finding row in messages: 第1项问题·整改时限
field = partial(labelled, FORM, LABELS)  # a field of the form, named from LABELS
UNITS_HINT, REPS_HINT = T["insp_units_hint"], T["insp_reps_hint"]
ROW_TEXT = RowText(LABELS, T["insp_fu_serious"])


def criterion_options() -> list[dict[str, str]]:
    """Every criterion, named with the group it belongs to (checked against the unit on save)."""
    return [
        {
            "label": name
            if group is None
            else T["insp_criterion_option"].format(name=name, group=GROUP_NAMES[group]),
            "value": code,
        }
        for code, (name, group, _order) in CRITERIA.items()
    ]


def finding_row(index: int, units: list[dict[str, Any]]) -> dbc.Card:
    """One finding: description, unit (when several), criterion, deadline, owner, severity."""
    return follow_up_row(ROWS, index, ROW_TEXT, criterion_options(), units)


def inspection_form() -> dbc.Card:
    """The form a supervisor fills in; values stay when a save is refused."""
    modes = [{"label": name, "value": code} for code, name in INSPECTION_MODE_NAMES.items()]
    mode = dbc.RadioItems(id=Ids.MODE, options=modes, value=InspectionMode.OPEN, inline=True)
    return dbc.Card(
        dbc.CardBody(
            [
                html.H5(T["insp_form_new"], className="mb-3"),
                *field(
                    "unit_ids", dcc.Dropdown(id=Ids.UNITS, multi=True, placeholder=UNITS_HINT), None
                ),
                side_by_side(
                    field("inspected_on", dbc.Input(id=Ids.DATE, type="date")),
                    field("mode", mode, html_for=False),
                ),
                html.Div(T["insp_date_hint"], className="form-text"),
                *field(
                    "representative_ids",
                    dcc.Dropdown(id=Ids.REPS, multi=True, placeholder=REPS_HINT),
                ),
                *field("findings", dbc.Textarea(id=Ids.FINDINGS, rows=3, maxLength=5000)),
                *follow_up_section(
                    LABELS["follow_ups"],
                    Ids.FOLLOW_UPS,
                    Ids.FOLLOW_UP_ADD,
                    T["insp_follow_up_add"],
                    field_message(FORM, "follow_ups"),
                ),
                *submit_area(Ids.MESSAGE, Ids.SAVE, T["insp_save"]),
                dcc.Store(id=Ids.META),
            ]
        ),
        id=Ids.FORM_CARD,
        className="mb-3 inspection-form",
    )


def layout(**query: Any) -> html.Div:
    """The form (supervisors and admins only) beside the inspections; a callback fills both."""
    account = signed_in()
    may_write = account is not None and account.role in WRITERS
    content = dcc.Loading(html.Div(id=Ids.CONTENT), delay_show=300)
    if may_write:
        body = dbc.Row([dbc.Col(inspection_form(), xs=12, lg=5), dbc.Col(content, xs=12, lg=7)])
    else:
        body = html.Div(
            [dbc.Alert(T["insp_readonly"], color="light", className="py-2 small"), content]
        )
    return html.Div(
        [
            html.H4(TITLE, className="page-title mt-2 mb-3"),
            dcc.Store(id=Ids.STATE, data=search_from_query(query)),
            body,
        ]
    )


def _mode_badge(row: InspectionRow) -> list[Any]:
    badges: list[Any] = [
        dbc.Badge(
            INSPECTION_MODE_NAMES[row.mode],
            color="dark" if row.mode == InspectionMode.COVERT else "info",
        )
    ]
    if row.planned:
        badges += [" ", dbc.Badge(T["insp_planned"], color="secondary")]
    return badges


def inspection_table(
    rows: list[InspectionRow], counts: InspectionCounts, search: str, show_all_href: str = ""
) -> Any:
    """The inspections, newest first; representatives only where the viewer may see them."""
    summary = html.Div(
        T["insp_counts"].format(
            total=counts.total,
            covert=counts.covert,
            planned=counts.planned,
            problems=counts.problems,
        ),
        className="text-muted small mb-2",
        id=Ids.COUNTS,
    )
    if not rows:
        return [summary, empty_state(T["insp_none"])]
    head = [
        T["insp_col_date"],
        T["insp_col_unit"],
        T["insp_col_mode"],
        T["insp_col_reps"],
        T["insp_col_findings"],
        T["insp_col_problems"],
    ]
    body = [
        html.Tr(
            [
                html.Td(fmt_date(r.inspected_on), className="text-nowrap"),
                html.Td(dcc.Link(r.unit, href=unit_href(r.unit_id, search), className="unit-link")),
                html.Td(_mode_badge(r), className="text-nowrap"),
                html.Td(
                    LIST_SEPARATOR.join(r.representatives) or MISSING
                    if r.representatives is not None
                    else html.Span(T["insp_hidden"], className="text-muted"),
                    className="small",
                ),
                html.Td(r.findings or MISSING, className="pre-wrap small unit-desc"),
                html.Td(f"{r.open_problems} / {r.problems}", className="text-end text-nowrap"),
            ],
            className="inspection-row",
        )
        for r in rows
    ]
    parts: list[Any] = [
        summary,
        html.Div(
            dbc.Table(
                [
                    html.Thead(html.Tr([html.Th(h, className="text-nowrap") for h in head])),
                    html.Tbody(body),
                ],
                size="sm",
                hover=True,
                className="mb-0 inspection-table",
            ),
            className="table-responsive",
            id=Ids.LIST,
        ),
    ]
    if counts.total > len(rows) and show_all_href:
        parts.append(
            html.Div(
                [
                    T["insp_first"].format(n=len(rows)),
                    " ",
                    dcc.Link(T["insp_show_all"], href=show_all_href, id="insp-show-all"),
                ],
                className="small text-muted mt-2",
            )
        )
    return parts
