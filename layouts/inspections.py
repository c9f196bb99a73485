"""/inspections — 明查暗访: the inspections (list) and, for supervisors, the form to log one."""

from __future__ import annotations

from functools import partial
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.auth import signed_in
from dashboard.colors import NEUTRAL
from dashboard.ids import INSPECTION_FORM, INSPECTION_ROWS
from dashboard.ids import Inspections as Ids
from dashboard.text import MISSING, T, fmt_date
from data.inspections import InspectionCounts, InspectionRow
from data.labels import INSPECTION, INSPECTION_FINDING, LIST_SEPARATOR
from data.reference import CRITERIA, GROUP_NAMES, INSPECTION_MODE_NAMES, InspectionMode, Role
from layouts.attachments import INSPECTION_SLOT
from layouts.common import empty_state, search_from_query, unit_href
from layouts.forms import (
    RowText,
    dropdown,
    field_message,
    follow_up_row,
    follow_up_section,
    labelled,
    side_by_side,
    submit_area,
)
from layouts.grid import LEVEL, LINK, NUMBER, Column, grid

TITLE = T["insp_title"]
PAGE = dict(path="/inspections", name=TITLE, title=f"{TITLE} · {T['brand']}")
WRITERS = (Role.SUPERVISOR, Role.ADMIN)
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
                    "unit_ids", dropdown(id=Ids.UNITS, multi=True, placeholder=UNITS_HINT), None
                ),
                side_by_side(
                    field("inspected_on", dbc.Input(id=Ids.DATE, type="date")),
                    field("mode", mode, html_for=False),
                ),
                html.Div(T["insp_date_hint"], className="form-text"),
                *field(
                    "representative_ids",
                    dropdown(id=Ids.REPS, multi=True, placeholder=REPS_HINT),
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


def inspection_columns() -> list[Column]:
    """The inspections' columns: the unit links to its page; findings and teams wrap."""
    return [
        Column("inspected_on", T["insp_col_date"], text_field="date_text", width=125),
        Column(
            "unit",
            T["insp_col_unit"],
            LINK,
            href_field="unit_href",
            min_width=110,
            flex=2,
            wrap=True,
        ),
        Column("mode", T["insp_col_mode"], LEVEL, level_field="mode_level", width=100),
        Column("representatives", T["insp_col_reps"], min_width=110, flex=2, wrap=True),
        Column("findings", T["insp_col_findings"], min_width=140, flex=3, wrap=True),
        Column(
            "open_problems",
            T["insp_col_problems"],
            NUMBER,
            text_field="problems_text",
            width=150,
        ),
    ]


def inspection_row(r: InspectionRow, search: str) -> dict[str, Any]:
    """One inspection as plain values. Its representatives are sent only where the viewer may
    see them (list_inspections leaves them None otherwise): the row says 不公开 instead."""
    mode = INSPECTION_MODE_NAMES[r.mode]
    if r.representatives is None:
        team = T["insp_hidden"]
    else:
        team = LIST_SEPARATOR.join(r.representatives) or MISSING
    return {
        "id": r.id,
        "inspected_on": r.inspected_on.isoformat(),
        "date_text": fmt_date(r.inspected_on),
        "unit": r.unit,
        "unit_href": unit_href(r.unit_id, search),
        "mode": T["insp_mode_planned"].format(mode=mode) if r.planned else mode,
        "mode_level": NEUTRAL if r.planned else "",
        "representatives": team,
        "findings": r.findings or MISSING,
        "open_problems": r.open_problems,
        "problems_text": f"{r.open_problems} / {r.problems}",
    }


def inspection_table(rows: list[InspectionRow], counts: InspectionCounts, search: str) -> Any:
    """Every inspection the viewer may see, newest first, in a grid that sorts and filters;
    representatives only where the viewer may see them."""
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
    table = grid(
        Ids.GRID,
        inspection_columns(),
        [inspection_row(r, search) for r in rows],
        row_id="id",
        class_name="inspection-grid",
    )
    # #18: the files of the inspection clicked in the grid (callbacks/attachments.py fills it).
    files = html.Div(
        T["att_pick_inspection"], id=INSPECTION_SLOT, className="small text-muted mt-2"
    )
    return [summary, html.Div(table, id=Ids.LIST), files]
