"""/archives — 工作档案 (#18): every unit's checklist progress (bureau), a unit's checklist with
its 已归档 / 已上传 boxes, note and files (the unit's staff and the admin edit it)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.colors import BAD, GOOD, NEUTRAL, WARN
from dashboard.ids import Archives as Ids
from dashboard.state import parse_state, to_search
from dashboard.text import MISSING, T, fmt_date
from data.archives import DerivedTask, ItemRow, OverviewRow, UnitArchive
from data.labels import KIND_NAMES, value_name
from layouts.common import empty_state, search_from_query, unit_href
from layouts.grid import LEVEL, LINK, NUMBER, Column, grid

TITLE = T["archives_title"]
PAGE = dict(path="/archives", name=TITLE, title=f"{TITLE} · {T['brand']}")


def layout(**query: Any) -> html.Div:
    """The page skeleton; a callback fills it."""
    return html.Div(
        [
            html.H4(TITLE, className="page-title mt-2 mb-3"),
            dcc.Store(id=Ids.STATE, data=search_from_query(query)),
            dcc.Loading(
                html.Div(id=Ids.CONTENT, className="page-body"), type="default", delay_show=300
            ),
        ]
    )


# ---- links ---------------------------------------------------------------------------------


def archives_href(search: str, unit_id: int | None = None) -> str:
    """/archives for a unit (or the overview), keeping the shared filters of `search`."""
    state = parse_state(search)
    extra = {"unit": str(unit_id)} if unit_id is not None else {}
    return f"/archives{to_search(replace(state, extra=extra))}"


def download_href(unit_id: int, year: int) -> str:
    """The zip of a unit's archive for a campaign year."""
    return f"/download/archive/{unit_id}.zip?{urlencode({'campaign': year})}"


def back_link(search: str) -> dcc.Link:
    """Back to every unit's progress."""
    return dcc.Link(T["archives_back"], href=archives_href(search), id=Ids.BACK, className="me-3")


def derived_task_alert(reason: str, unit_id: int | None, alert_id: str, color: str) -> dbc.Alert:
    """Why a task that follows the archive checklist is not marked by hand, with the way there."""
    link = (
        dcc.Link(T["archives_derived_link"], href=f"/archives?unit={unit_id}", className="ms-1")
        if unit_id is not None
        else None
    )
    return dbc.Alert([reason, link], color=color, id=alert_id, className="py-2")


# ---- the overview --------------------------------------------------------------------------


def _level(total: int, n_in: int, n_up: int) -> tuple[str, str]:
    """A unit's archive state in words and level."""
    if total == 0:
        return T["archives_state_none"], NEUTRAL
    if n_up == total:
        return T["archives_state_done"], GOOD
    if n_in == total:
        return T["archives_state_archived"], WARN
    return T["archives_state_partial"], BAD


def overview_rows(rows: list[OverviewRow], search: str) -> list[dict[str, Any]]:
    """The overview grid's rows (plain values)."""
    out = []
    for r in rows:
        state, level = _level(r.total, r.in_archive, r.uploaded)
        out.append(
            {
                "unit_id": r.unit_id,
                "unit": r.name,
                "href": archives_href(search, r.unit_id),
                "kind": KIND_NAMES.get(r.kind, r.kind),
                "township": r.township or "",
                "total": r.total,
                "in": r.in_archive / r.total if r.total else -1,
                "in_text": T["archives_count"].format(n=r.in_archive, total=r.total),
                "in_level": GOOD if r.total and r.in_archive == r.total else WARN,
                "up": r.uploaded / r.total if r.total else -1,
                "up_text": T["archives_count"].format(n=r.uploaded, total=r.total),
                "up_level": GOOD if r.total and r.uploaded == r.total else WARN,
                "state": state,
                "level": level,
            }
        )
    return out


OVERVIEW_COLUMNS = (
    Column("unit", T["archives_col_unit"], LINK, href_field="href", min_width=220, flex=3),
    Column("kind", T["archives_col_kind"], min_width=110, flex=1),
    Column("township", T["archives_col_township"], min_width=90, flex=1),
    Column("total", T["archives_col_total"], NUMBER, width=100),
    Column("in", T["archives_col_in"], NUMBER, text_field="in_text", level_field="in_level"),
    Column("up", T["archives_col_up"], NUMBER, text_field="up_text", level_field="up_level"),
    Column("state", T["archives_col_state"], LEVEL, level_field="level", width=140),
)


def overview(rows: list[OverviewRow], search: str) -> html.Div:
    """Every unit's checklist progress, each a link to its checklist."""
    if not rows:
        return html.Div([_intro(), empty_state(T["archives_empty_units"])])
    total = sum(r.total for r in rows)
    n_in = sum(r.in_archive for r in rows)
    n_up = sum(r.uploaded for r in rows)
    summary = html.Div(
        T["archives_summary"].format(n_in=n_in, n_up=n_up, total=total),
        id=Ids.SUMMARY,
        className="fw-semibold mb-2",
    )
    table = grid(Ids.GRID, OVERVIEW_COLUMNS, overview_rows(rows, search), row_id="unit_id")
    return html.Div([_intro(), summary, table])


def _intro() -> html.P:
    return html.P(T["archives_intro"], className="text-muted small mb-3")


# ---- a unit's checklist --------------------------------------------------------------------


def _task_line(task: DerivedTask) -> html.Li:
    done = task.completed_on is not None
    text = (
        T["archives_task_done"].format(name=task.name, date=fmt_date(task.completed_on))
        if done
        else T["archives_task_open"].format(name=task.name)
    )
    return html.Li(
        html.Span(("✓ " if done else "○ ") + text, className=f"level-{GOOD if done else NEUTRAL}"),
        id={"type": "archives-task", "name": task.derived_from},
    )


def tasks_block(tasks: list[DerivedTask]) -> html.Div:
    """The phase tasks that follow the checklist, and where each stands."""
    if not tasks:
        return html.Div(T["archives_no_tasks"], id=Ids.TASKS, className="text-muted small mb-3")
    return html.Div(
        [
            html.Div(T["archives_tasks_note"], className="small text-muted"),
            html.Ul([_task_line(t) for t in tasks], className="mb-0 list-unstyled"),
        ],
        id=Ids.TASKS,
        className="mb-3",
    )


def summary_text(archive: UnitArchive) -> str:
    """已归档 n/N · 已上传 n/N of a unit."""
    return T["archives_summary"].format(
        n_in=archive.in_archive, n_up=archive.uploaded, total=archive.total
    )


def item_card(item: ItemRow, may_edit: bool, files: Any = None) -> dbc.Card:
    """One checklist item: its name and category, the two boxes, the note, save, its files."""
    category = value_name("archive_item", "category", item.category)
    disabled = not may_edit
    controls = [
        dbc.Checkbox(
            id=Ids.item("in", item.id),
            label=T["archives_in"],
            value=item.in_archive,
            disabled=disabled,
            className="me-3",
        ),
        dbc.Checkbox(
            id=Ids.item("up", item.id),
            label=T["archives_up"],
            value=item.uploaded,
            disabled=disabled,
            className="me-3",
        ),
    ]
    note = (
        dbc.Textarea(
            id=Ids.item("note", item.id),
            value=item.note or "",
            placeholder=T["archives_note_hint"],
            rows=1,
            maxLength=500,
            className="mb-2",
        )
        if may_edit
        else html.Div(item.note or MISSING, className="mb-2 text-break archive-item-note")
    )
    save = (
        dbc.Button(T["archives_save"], id=Ids.item("save", item.id), size="sm", color="primary")
        if may_edit
        else None
    )
    meta = dcc.Store(
        id=Ids.item("meta", item.id),
        data={"item_id": item.id, "version": item.version, "seen": item.seen()},
    )
    head = html.Div(
        [
            html.Strong(item.name, className="archive-item-name text-break"),
            html.Span(category, className="badge bg-level-neutral ms-2"),
        ],
        className="mb-2",
    )
    record = [
        head,
        html.Div(controls, className="d-flex flex-wrap mb-2"),
        html.Label(T["archives_note"], className="form-label small mb-1"),
        note,
        html.Div([save, html.Div(id=Ids.item("message", item.id), className="mt-2")]),
        meta,
    ]
    # Wide screens: the record beside its files; a phone: one under the other.
    body = dbc.Row(
        [dbc.Col(record, xs=12, lg=5), dbc.Col(files, xs=12, lg=7, className="mt-2 mt-lg-0")]
        if files is not None
        else [dbc.Col(record, xs=12)],
        className="gx-3 gy-0",
    )
    return dbc.Card(
        dbc.CardBody(body, className="py-2 pb-0"),
        id=Ids.item("row", item.id),
        className="mb-2 archive-item",
    )


def checklist(
    archive: UnitArchive,
    search: str,
    *,
    may_edit: bool,
    back: bool,
    files: dict[int, Any] | None = None,
    notice: Any = None,
) -> html.Div:
    """A unit's checklist: where it stands, its tasks, each item (editable when `may_edit`)."""
    links = [
        back_link(search) if back else None,
        dcc.Link(
            T["archives_unit_page"], href=unit_href(archive.unit_id, search), className="me-3"
        ),
        html.A(
            T["archives_download"],
            href=download_href(archive.unit_id, archive.year),
            id=Ids.DOWNLOAD,
        )
        if archive.items
        else None,
    ]
    head = [
        notice,
        html.H5(archive.unit_name, className="text-break"),
        html.Div(links, className="mb-2 small d-flex flex-wrap"),
        html.Div(summary_text(archive), id=Ids.SUMMARY, className="fw-semibold mb-2"),
        tasks_block(archive.tasks),
    ]
    if not archive.items:
        return html.Div([*head, empty_state(T["archives_empty_unit"])])
    if not may_edit:
        head.append(html.Div(T["archives_read_only"], className="small text-muted mb-2"))
    files = files or {}
    cards = [item_card(item, may_edit, files.get(item.id)) for item in archive.items]
    return html.Div([*head, html.Div(cards, id=Ids.ITEMS)])


def saved_message(archive: UnitArchive) -> dbc.Alert:
    """What a save says: the unit's counts now, and its archive tasks."""
    parts = [T["archives_saved"].format(summary=summary_text(archive))]
    parts += [
        T["archives_saved_task"].format(
            name=t.name,
            state=T["archives_task_state_done"]
            if t.completed_on
            else T["archives_task_state_open"],
        )
        for t in archive.tasks
    ]
    return dbc.Alert(
        T["archives_sep"].join(parts), color="success", className="py-2 mb-0 archives-saved"
    )


def refusal_message(text: str) -> dbc.Alert:
    """A refused read or write, in words."""
    return dbc.Alert(text, color="danger", id=Ids.NOTICE, className="py-2")
