"""/inspections — 明查暗访: the inspections (list) and, for supervisors, the form to log one."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.auth import signed_in
from dashboard.ids import Inspections as Ids
from dashboard.text import MISSING, T, fmt_date
from data.inspections import InspectionCounts, InspectionRow
from data.reference import CRITERIA, GROUP_NAMES, INSPECTION_MODE_NAMES, InspectionMode, Role
from layouts.common import empty_state, search_from_query, unit_href

TITLE = T["insp_title"]
PAGE = dict(path="/inspections", name=TITLE, title=f"{TITLE} · 评议督导")
WRITERS = (Role.SUPERVISOR, Role.ADMIN)
FIRST = 60  # rows shown before "show all": the renderer slows down with many components
SHOW_ALL_LIMIT = 1000
FIELDS = ("unit_ids", "inspected_on", "mode", "representative_ids", "findings", "follow_ups")


def feedback(field: str) -> html.Div:
    """Where a field's error message appears."""
    return html.Div(id={"type": Ids.FEEDBACK, "field": field}, className="field-error")


def criterion_options() -> list[dict[str, str]]:
    """Every criterion, named with the group it belongs to (checked against the unit on save)."""
    return [
        {"label": name if group is None else f"{name}（{GROUP_NAMES[group]}）", "value": code}
        for code, (name, group, _order) in CRITERIA.items()
    ]


def finding_row(index: int, units: list[dict[str, Any]]) -> dbc.Card:
    """One finding: description, unit (when several), criterion, deadline, owner, severity."""
    return dbc.Card(
        dbc.CardBody(
            [
                dbc.Textarea(
                    id={"type": Ids.FU_DESC, "index": index},
                    placeholder=T["insp_fu_desc"],
                    rows=2,
                    maxLength=2000,
                    className="mb-2",
                ),
                dbc.Row(
                    [
                        dbc.Col(
                            dcc.Dropdown(
                                id={"type": Ids.FU_UNIT, "index": index},
                                options=units,
                                value=units[0]["value"] if len(units) == 1 else None,
                                placeholder=T["insp_fu_unit"],
                                clearable=False,
                            ),
                            xs=12,
                            sm=6,
                        ),
                        dbc.Col(
                            dcc.Dropdown(
                                id={"type": Ids.FU_CRITERION, "index": index},
                                options=criterion_options(),
                                placeholder=T["insp_fu_criterion"],
                                clearable=False,
                            ),
                            xs=12,
                            sm=6,
                        ),
                        dbc.Col(
                            [
                                dbc.Label(T["insp_fu_deadline"], className="small mb-0"),
                                dbc.Input(
                                    id={"type": Ids.FU_DEADLINE, "index": index}, type="date"
                                ),
                            ],
                            xs=6,
                        ),
                        dbc.Col(
                            [
                                dbc.Label(T["insp_fu_owner"], className="small mb-0"),
                                dbc.Input(id={"type": Ids.FU_OWNER, "index": index}, maxLength=100),
                            ],
                            xs=6,
                        ),
                    ],
                    className="g-2",
                ),
                dbc.Checkbox(
                    id={"type": Ids.FU_SERIOUS, "index": index},
                    label=T["insp_fu_serious"],
                    value=False,
                    className="mt-2",
                ),
                html.Div(id={"type": Ids.FU_FEEDBACK, "index": index}, className="field-error"),
            ],
            className="p-2",
        ),
        className="mb-2 follow-up-row",
    )


def inspection_form() -> dbc.Card:
    """The form a supervisor fills in; values stay when a save is refused."""
    modes = [{"label": name, "value": code} for code, name in INSPECTION_MODE_NAMES.items()]
    return dbc.Card(
        dbc.CardBody(
            [
                html.H5(T["insp_form_new"], className="mb-3"),
                dbc.Label(T["insp_units"], html_for=Ids.UNITS),
                dcc.Dropdown(id=Ids.UNITS, multi=True, placeholder=T["insp_units_hint"]),
                feedback("unit_ids"),
                dbc.Row(
                    [
                        dbc.Col(
                            [
                                dbc.Label(T["insp_date"], html_for=Ids.DATE, className="mt-2"),
                                dbc.Input(id=Ids.DATE, type="date"),
                                feedback("inspected_on"),
                            ],
                            xs=12,
                            sm=6,
                        ),
                        dbc.Col(
                            [
                                dbc.Label(T["insp_mode"], className="mt-2"),
                                dbc.RadioItems(
                                    id=Ids.MODE,
                                    options=modes,
                                    value=InspectionMode.OPEN,
                                    inline=True,
                                ),
                                feedback("mode"),
                            ],
                            xs=12,
                            sm=6,
                        ),
                    ]
                ),
                html.Div(T["insp_date_hint"], className="form-text"),
                dbc.Label(T["insp_reps"], html_for=Ids.REPS, className="mt-2"),
                dcc.Dropdown(id=Ids.REPS, multi=True, placeholder=T["insp_reps_hint"]),
                feedback("representative_ids"),
                dbc.Label(T["insp_findings"], html_for=Ids.FINDINGS, className="mt-2"),
                dbc.Textarea(id=Ids.FINDINGS, rows=3, maxLength=5000),
                feedback("findings"),
                dbc.Label(T["insp_follow_ups"], className="mt-3 d-block"),
                html.Div(id=Ids.FOLLOW_UPS),
                feedback("follow_ups"),
                dbc.Button(
                    T["insp_follow_up_add"],
                    id=Ids.FOLLOW_UP_ADD,
                    color="secondary",
                    outline=True,
                    size="sm",
                    className="mb-2",
                ),
                html.Div(id=Ids.MESSAGE, className="mt-3"),
                dbc.Button(T["insp_save"], id=Ids.SAVE, color="primary", className="mt-2 w-100"),
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
                    "、".join(r.representatives) or MISSING
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
