"""/admin/units — 评议单位: the roster of evaluated units with the chosen campaign's caseloads,
a form to add a unit, and one to rename, re-type, set the caseload of, retire or restore one."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.ids import AdminUnits as Ids
from dashboard.ids import FormIds
from dashboard.text import MISSING, T, fmt_date, fmt_int
from data.form_tokens import with_token
from data.labels import LIST_SEPARATOR, UNIT
from data.reference import KIND_NAMES
from data.units import UnitRow
from layouts.common import page_skeleton
from layouts.forms import Button, Field, form_buttons, form_card

TITLE = T["adm_units_title"]
PAGE = dict(path="/admin/units", name=TITLE, title=f"{TITLE} · {T['brand']}")
IMPORT_HREF = "/import"

ADD = FormIds(Ids.ADD)
EDIT = FormIds(Ids.EDIT)
KIND_OPTIONS = tuple(KIND_NAMES.items())
RETIRE = EDIT.button("retire")
RESTORE = EDIT.button("restore")
EDIT_FIELDS = ("name", "kind", "township", "cases")  # what choosing a unit fills in
# Messages of the data layer about something that has no field of its own on the form.
EXTRA_LABELS = {"unit": T["adm_units_choose"], "retired_on": UNIT["retired_on"]}


def layout(**query: Any) -> html.Div:
    """The page skeleton; a callback fills it for admins (others see why they cannot)."""
    return page_skeleton(TITLE, query, Ids.STATE, Ids.CONTENT, [dcc.Store(id=Ids.REFRESH)])


def caseload_label(year: int | None) -> str:
    """The caseload's heading, naming the campaign year it belongs to."""
    if year is None:
        return UNIT["cases"]
    return T["adm_units_cases_of"].format(cases=UNIT["cases"], year=year)


def add_fields() -> list[Field]:
    """The fields of 新增评议单位."""
    return [
        Field("name", UNIT["name"], required=True, width=12, placeholder=T["adm_units_name_hint"]),
        Field("kind", UNIT["kind"], "select", options=KIND_OPTIONS, required=True, width=6),
        Field("township", UNIT["township"], width=6, placeholder=T["adm_units_township_hint"]),
    ]


def unit_option(row: UnitRow) -> str:
    """A unit as the chooser lists it: name, kind, and whether it is retired."""
    kind = KIND_NAMES.get(row.kind, row.kind)
    if row.retired_on is not None:
        return T["adm_units_option_retired"].format(name=row.name, kind=kind)
    return T["adm_units_option"].format(name=row.name, kind=kind)


def edit_fields(rows: Sequence[UnitRow], year: int | None) -> list[Field]:
    """The fields of 修改评议单位: choose a unit, then its name, kind, township and caseload."""
    if year is None:
        cases_help = T["adm_units_cases_no_campaign"]
    else:
        cases_help = T["adm_units_cases_help"].format(year=year)
    return [
        Field(
            "unit",
            T["adm_units_choose"],
            "select",
            options=[(row.id, unit_option(row)) for row in rows],
            required=True,
            width=12,
            placeholder=T["adm_units_choose_hint"],
        ),
        Field("name", UNIT["name"], required=True, width=12),
        Field("kind", UNIT["kind"], "select", options=KIND_OPTIONS, required=True, width=6),
        Field("township", UNIT["township"], width=6),
        Field("cases", caseload_label(year), "number", width=6, step=1, help=cases_help),
    ]


def edit_values(row: UnitRow | None) -> dict[str, Any]:
    """What the edit form shows for a chosen unit (blank when none is chosen)."""
    if row is None:
        return {name: None for name in EDIT_FIELDS}
    return {
        "unit": row.id,
        "name": row.name,
        "kind": row.kind,
        "township": row.township,
        "cases": row.caseload,
    }


def edit_meta(row: UnitRow | None, year: int | None) -> dict[str, Any]:
    """The edit form's meta Store: the campaign year, and the chosen unit's version and the
    values shown, so a save over someone else's change is refused."""
    if row is None:
        return {"year": year}
    seen = {"name": row.name, "kind": row.kind, "township": row.township}
    return {"year": year, "unit_id": row.id, "version": row.version, "seen": seen}


def status_cell(row: UnitRow) -> html.Td:
    """在用, or 已停用 with the date."""
    if row.retired_on is None:
        return html.Td(dbc.Badge(T["adm_units_active"], color="success", className="fw-normal"))
    return html.Td(
        [
            dbc.Badge(T["adm_units_retired"], color="secondary", className="fw-normal"),
            html.Div(fmt_date(row.retired_on), className="small text-muted"),
        ],
        className="text-nowrap",
    )


def name_cell(row: UnitRow) -> html.Td:
    """The unit's name, its former names in small text under it, and on a phone (where those
    columns are hidden) its kind and township."""
    aliases = (
        html.Div(
            T["adm_units_aliases"].format(names=LIST_SEPARATOR.join(row.aliases)),
            className="small text-muted",
        )
        if row.aliases
        else None
    )
    where = " · ".join(filter(None, (KIND_NAMES.get(row.kind, row.kind), row.township)))
    return html.Td(
        [html.Div(row.name), aliases, html.Div(where, className="small text-muted d-sm-none")],
        className="text-break",
    )


def unit_table(rows: Sequence[UnitRow], year: int | None) -> html.Div:
    """Every unit: name (and former names), kind, township, the year's caseload, status."""
    wide = "d-none d-sm-table-cell"  # columns shown under the name on a phone instead
    caseload = [
        html.Div(UNIT["cases"]),
        html.Div(T["adm_units_year"].format(year=year), className="small fw-normal"),
    ]
    header = html.Tr(
        [
            html.Th(UNIT["name"]),
            html.Th(UNIT["kind"], className=wide),
            html.Th(UNIT["township"], className=wide),
            html.Th(
                caseload if year is not None else UNIT["cases"], className="text-end text-nowrap"
            ),
            html.Th(UNIT["retired_on"]),
        ]
    )
    body = [
        html.Tr(
            [
                name_cell(row),
                html.Td(KIND_NAMES.get(row.kind, row.kind), className=f"{wide} text-nowrap"),
                html.Td(row.township or MISSING, className=f"{wide} text-break"),
                html.Td(fmt_int(row.caseload), className="text-end text-nowrap"),
                status_cell(row),
            ],
            className="text-muted" if row.retired_on is not None else None,
        )
        for row in rows
    ]
    return html.Div(
        dbc.Table(
            [html.Thead(header), html.Tbody(body)],
            size="sm",
            hover=True,
            className="mb-0 align-middle",
            id=Ids.TABLE,
        ),
        className="table-responsive",
    )


def counts_line(rows: Sequence[UnitRow]) -> html.Div:
    """How many units are in use and retired, and where to import a roster file."""
    retired = sum(1 for row in rows if row.retired_on is not None)
    return html.Div(
        [
            html.Span(
                T["adm_units_counts"].format(active=len(rows) - retired, retired=retired),
                className="me-3",
            ),
            dcc.Link(T["adm_units_import"], href=IMPORT_HREF),
        ],
        className="mb-2",
        id=Ids.COUNTS,
    )


def no_units() -> dbc.Alert:
    """The empty roster: where to add units one by one, or import a roster file."""
    return dbc.Alert(
        [
            html.Div(T["adm_units_none"], className="fw-semibold mb-1"),
            html.Div(
                [
                    T["adm_units_none_add"],
                    dcc.Link(T["adm_units_none_import"], href=IMPORT_HREF),
                    T["adm_units_none_page"],
                ]
            ),
        ],
        color="light",
        className="empty-state border text-center py-4 mb-0",
        id=Ids.TABLE,
    )


def roster_card(rows: Sequence[UnitRow], year: int | None) -> dbc.Card:
    """The table of units with its counts line (or the empty state)."""
    body = [counts_line(rows), unit_table(rows, year)] if rows else [no_units()]
    return dbc.Card(
        [dbc.CardHeader(html.Strong(T["adm_units_roster"])), dbc.CardBody(body)],
        className="mb-3",
    )


def edit_buttons(row: UnitRow | None) -> html.Div:
    """停用 and 恢复, each enabled only when it applies to the chosen unit."""
    retired = row is not None and row.retired_on is not None
    return form_buttons(
        [
            Button(RETIRE, T["adm_units_retire"], disabled=row is None or retired),
            Button(RESTORE, T["adm_units_restore"], disabled=row is None or not retired),
        ]
    )


def units_page(
    rows: Sequence[UnitRow],
    year: int | None,
    notices: Mapping[str, str],
    chosen: int | None = None,
) -> html.Div:
    """The whole page for an admin; `chosen` is the unit the edit form opens with."""
    row = next((r for r in rows if r.id == chosen), None)
    add = form_card(
        ADD,
        T["adm_units_add"],
        add_fields(),
        submit=T["adm_units_add_submit"],
        meta=with_token(),  # a double-clicked 新增 adds the unit once
        notice=notices.get(ADD.prefix),
        intro=html.P(T["adm_units_add_intro"], className="small text-muted"),
    )
    edit = form_card(
        EDIT,
        T["adm_units_edit"],
        edit_fields(rows, year),
        edit_values(row),
        meta=edit_meta(row, year),
        notice=notices.get(EDIT.prefix),
        intro=html.P(T["adm_units_edit_intro"], className="small text-muted"),
        extra=[edit_buttons(row)],
    )
    return html.Div(
        [
            roster_card(rows, year),
            dbc.Row([dbc.Col(edit, lg=7), dbc.Col(add, lg=5)]),
        ]
    )
