"""/admin/units — 评议单位: the roster of evaluated units with the chosen campaign's caseloads,
a form to add a unit, and one to rename, re-type, set the caseload of, retire or restore one."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.ids import AdminUnits as Ids
from dashboard.ids import FormIds
from dashboard.text import MISSING, fmt_date, fmt_int
from data.reference import KIND_NAMES
from data.units import UnitRow
from layouts.common import page_skeleton
from layouts.forms import Button, Field, form_buttons, form_card

TITLE = "评议单位"
PAGE = dict(path="/admin/units", name=TITLE, title=f"{TITLE} · 评议督导")
IMPORT_HREF = "/import"

ADD = FormIds(Ids.ADD)
EDIT = FormIds(Ids.EDIT)
KIND_OPTIONS = tuple(KIND_NAMES.items())
RETIRE = EDIT.button("retire")
RESTORE = EDIT.button("restore")
EDIT_FIELDS = ("name", "kind", "township", "cases")  # what choosing a unit fills in
# Messages of the data layer about something that has no field of its own on the form.
EXTRA_LABELS = {"unit": "选择单位", "retired_on": "状态"}


def layout(**query: Any) -> html.Div:
    """The page skeleton; a callback fills it for admins (others see why they cannot)."""
    return page_skeleton(TITLE, query, Ids.STATE, Ids.CONTENT, [dcc.Store(id=Ids.REFRESH)])


def caseload_label(year: int | None) -> str:
    """The caseload's heading, naming the campaign year it belongs to."""
    return f"办案量（{year}年）" if year is not None else "办案量"


def add_fields() -> list[Field]:
    """The fields of 新增评议单位."""
    return [
        Field("name", "单位名称", required=True, width=12, placeholder="如 城关镇司法所"),
        Field("kind", "单位类型", "select", options=KIND_OPTIONS, required=True, width=6),
        Field("township", "所属乡镇", width=6, placeholder="如 城关镇"),
    ]


def unit_option(row: UnitRow) -> str:
    """A unit as the chooser lists it: name, kind, and whether it is retired."""
    retired = "，已停用" if row.retired_on is not None else ""
    return f"{row.name}（{KIND_NAMES.get(row.kind, row.kind)}{retired}）"


def edit_fields(rows: Sequence[UnitRow], year: int | None) -> list[Field]:
    """The fields of 修改评议单位: choose a unit, then its name, kind, township and caseload."""
    if year is None:
        cases_help = "还没有评议活动：建立评议活动后才能填写办案量。"
    else:
        cases_help = f"{year}年评议活动中该单位办理的案件数，用于按每百件办案量比较；留空则不修改。"
    return [
        Field(
            "unit",
            "选择单位",
            "select",
            options=[(row.id, unit_option(row)) for row in rows],
            required=True,
            width=12,
            placeholder="请选择要修改的单位（可输入名称查找）",
        ),
        Field("name", "单位名称", required=True, width=12),
        Field("kind", "单位类型", "select", options=KIND_OPTIONS, required=True, width=6),
        Field("township", "所属乡镇", width=6),
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
        return html.Td(dbc.Badge("在用", color="success", className="fw-normal"))
    return html.Td(
        [
            dbc.Badge("已停用", color="secondary", className="fw-normal"),
            html.Div(fmt_date(row.retired_on), className="small text-muted"),
        ],
        className="text-nowrap",
    )


def name_cell(row: UnitRow) -> html.Td:
    """The unit's name, its former names in small text under it, and on a phone (where those
    columns are hidden) its kind and township."""
    aliases = (
        html.Div(f"曾用名：{'、'.join(row.aliases)}", className="small text-muted")
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
    caseload = [html.Div("办案量"), html.Div(f"{year}年", className="small fw-normal")]
    header = html.Tr(
        [
            html.Th("单位名称"),
            html.Th("单位类型", className=wide),
            html.Th("所属乡镇", className=wide),
            html.Th(caseload if year is not None else "办案量", className="text-end text-nowrap"),
            html.Th("状态"),
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
            html.Span(f"在用 {len(rows) - retired} 个，已停用 {retired} 个", className="me-3"),
            dcc.Link("批量导入名册", href=IMPORT_HREF),
        ],
        className="mb-2",
        id=Ids.COUNTS,
    )


def no_units() -> dbc.Alert:
    """The empty roster: where to add units one by one, or import a roster file."""
    return dbc.Alert(
        [
            html.Div("还没有评议单位。", className="fw-semibold mb-1"),
            html.Div(
                [
                    "请在下方“新增评议单位”中逐个添加，或到",
                    dcc.Link("数据导入", href=IMPORT_HREF),
                    "页面批量导入单位名册。",
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
        [dbc.CardHeader(html.Strong("单位名册")), dbc.CardBody(body)],
        className="mb-3",
    )


def edit_buttons(row: UnitRow | None) -> html.Div:
    """停用 and 恢复, each enabled only when it applies to the chosen unit."""
    retired = row is not None and row.retired_on is not None
    return form_buttons(
        [
            Button(RETIRE, "停用", disabled=row is None or retired),
            Button(RESTORE, "恢复", disabled=row is None or not retired),
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
        "新增评议单位",
        add_fields(),
        submit="新增",
        notice=notices.get(ADD.prefix),
        intro=html.P(
            "新增的单位会自动获得各评议活动的阶段任务和工作档案清单。"
            "单位较多时，可在数据导入页面批量导入名册。",
            className="small text-muted",
        ),
    )
    edit = form_card(
        EDIT,
        "修改评议单位",
        edit_fields(rows, year),
        edit_values(row),
        meta=edit_meta(row, year),
        notice=notices.get(EDIT.prefix),
        intro=html.P(
            "改名后，原名称保留为曾用名，使用旧名称的台账仍可导入。"
            "停用的单位保留全部历史记录，不再参加此后开始的评议活动。",
            className="small text-muted",
        ),
        extra=[edit_buttons(row)],
    )
    return html.Div(
        [
            roster_card(rows, year),
            dbc.Row([dbc.Col(edit, lg=7), dbc.Col(add, lg=5)]),
        ]
    )
