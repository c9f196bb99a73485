"""/import — 数据导入: upload a roster, ledger, survey results or representatives, see every error
(a grid of them, and the rows with errors, bad cells in red beside their reasons) or every row of
a valid file, then confirm; and the exports of the chosen campaign."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html
from openpyxl.utils import column_index_from_string

from dashboard.colors import BAD
from dashboard.ids import Imports as Ids
from dashboard.text import MISSING, T
from dashboard.urls import download_href
from data.import_files import ImportFailed, Issue, Sheet
from data.import_plan import ImportKind, ImportResult
from data.import_schema import as_text
from data.imports import COLUMNS, NEEDS_CAMPAIGN, describe_change
from data.labels import IMPORT_KIND_NAMES, LIST_SEPARATOR
from layouts.common import page_skeleton
from layouts.forms import dropdown
from layouts.grid import LEVEL, NUMBER, Column, grid

TITLE = T["import_title"]
PAGE = dict(path="/import", name=TITLE, title=f"{TITLE} · {T['brand']}")


def layout(**query: Any) -> html.Div:
    """The page skeleton; a callback fills it (the form for admins, a notice for others)."""
    return page_skeleton(TITLE, query, Ids.STATE, Ids.CONTENT)


def format_help() -> dbc.Accordion:
    """Which columns each kind of file needs, with the header variants accepted."""
    items = []
    for kind, columns in COLUMNS.items():
        rows = [
            html.Li(
                [
                    html.Strong(column.header),
                    " ",
                    html.Span(
                        T["import_required"] if column.required else T["import_optional"],
                        className="badge text-bg-danger"
                        if column.required
                        else "badge text-bg-light border",
                    ),
                    html.Span(
                        f" {T['import_also'].format(names=LIST_SEPARATOR.join(column.aliases))}"
                        if column.aliases
                        else "",
                        className="text-muted small",
                    ),
                ]
            )
            for column in columns
        ]
        items.append(
            dbc.AccordionItem(
                html.Ul(rows, className="import-columns"), title=IMPORT_KIND_NAMES[kind]
            )
        )
    return dbc.Accordion(items, start_collapsed=True, always_open=True, flush=True)


def import_form(years: list[int], year: int | None) -> html.Div:
    """Choose the kind and the campaign, upload, preview, confirm."""
    kinds = [{"label": IMPORT_KIND_NAMES[kind], "value": kind} for kind in ImportKind]
    steps = dbc.Card(
        dbc.CardBody(
            [
                dbc.Label(T["import_kind"], html_for=Ids.KIND, className="fw-bold"),
                dbc.RadioItems(id=Ids.KIND, options=kinds, value=ImportKind.PROBLEMS, inline=True),
                dbc.Label(T["import_campaign"], html_for=Ids.CAMPAIGN, className="fw-bold mt-3"),
                dropdown(
                    id=Ids.CAMPAIGN,
                    options=[
                        {"label": T["import_year_option"].format(year=y), "value": y} for y in years
                    ],
                    value=year,
                    clearable=False,
                    searchable=False,
                    placeholder=T["import_no_campaign"],
                    className="import-campaign",
                ),
                html.Div(T["import_campaign_hint"], className="form-text"),
                dcc.Upload(
                    id=Ids.UPLOAD,
                    children=html.Div(
                        [
                            T["import_upload"],
                            " ",
                            html.A(T["import_upload_link"], className="link-primary"),
                            html.Div(T["import_upload_hint"], className="small text-muted"),
                        ]
                    ),
                    accept=".xlsx,.csv,.txt",
                    multiple=False,
                    className="import-upload mt-3",
                ),
                html.Div(id=Ids.SIZE_WARNING, className="text-danger small mt-1"),
                dcc.Store(id=Ids.TOKEN),
            ]
        ),
        className="h-100",
    )
    help_card = dbc.Card(
        [
            dbc.CardHeader(T["import_formats"]),
            dbc.CardBody(
                [html.P(T["import_formats_note"], className="small text-muted"), format_help()]
            ),
        ],
        className="h-100",
    )
    return html.Div(
        [
            dbc.Row(
                [dbc.Col(steps, lg=7, className="mb-3"), dbc.Col(help_card, lg=5, className="mb-3")]
            ),
            dcc.Loading(html.Div(id=Ids.PREVIEW), type="default"),
            html.Div(
                [
                    dbc.Button(T["import_confirm"], id=Ids.CONFIRM, color="primary", disabled=True),
                    html.Span(T["import_confirm_hint"], className="small text-muted ms-2"),
                ],
                className="my-3",
            ),
            dcc.Loading(html.Div(id=Ids.RESULT), type="default"),
        ]
    )


def admin_only() -> dbc.Alert:
    """What other roles see instead of the form."""
    return dbc.Alert(T["import_admin_only"], color="secondary", id="import-admin-only")


def export_card(search: str, may_reveal: bool) -> dbc.Card:
    """Links to the exports of the view in the URL."""
    links = [
        ("ledger.xlsx", T["export_ledger"], {}),
        ("overdue.xlsx", T["export_overdue"], {}),
        ("supervision.xlsx", T["export_supervision"], {}),
        ("report.xlsx", T["export_report"], {}),
        ("archive.xlsx", T["export_archive"], {}),
        ("chart/complaints-by-month.png", T["export_chart_complaints"], {}),
        ("chart/rectification-by-channel.png", T["export_chart_channel"], {}),
    ]
    return dbc.Card(
        [
            dbc.CardHeader(T["import_exports"]),
            dbc.CardBody(
                [
                    html.P(T["import_exports_note"], className="small text-muted mb-2"),
                    html.Div(
                        [
                            html.A(
                                label,
                                href=download_href(name, search, **extra),
                                className="btn btn-outline-secondary btn-sm me-2 mb-2",
                                id=f"import-export-{i}",
                            )
                            for i, (name, label, extra) in enumerate(links)
                        ]
                    ),
                    reveal_form(search) if may_reveal else None,
                ]
            ),
        ],
        className="mt-4",
    )


def reveal_form(search: str) -> html.Form:
    """The unmasked ledger: a form whose 确认 button POSTs to the reveal download (a link
    would let a page elsewhere reveal in the admin's name; see dashboard/downloads.py)."""
    return html.Form(
        [
            html.Button(
                T["reveal_ledger_confirm"],
                type="submit",
                name="confirm",
                value="1",
                className="btn btn-outline-danger btn-sm me-2",
                id="import-export-reveal",
            ),
            html.Span(T["reveal_ledger_note"], className="small text-muted"),
        ],
        method="post",
        action=download_href("ledger.xlsx", search, reveal="1"),
        className="mt-1",
    )


def _column_index(issue: Issue) -> int | None:
    """The file's column index of an issue (None: the row as a whole)."""
    return column_index_from_string(issue.letter) - 1 if issue.letter else None


def _in_row(issue: Issue) -> str:
    """An issue as its row's reasons name it: `E 列「发现日期」：…` (the row is the grid's)."""
    return replace(issue, row=None).text()


def preview_columns(sheet: Sheet, with_reasons: bool) -> list[Column]:
    """The row number, the reasons (when the file has errors), then every column of the file,
    each cell coloured red when it is wrong."""
    columns = [
        Column("n", T["import_row"], NUMBER, level_field="n_lv", width=90, pinned=True),
    ]
    if with_reasons:
        columns.append(Column("reasons", T["import_col_reasons"], min_width=260, flex=2, wrap=True))
    columns += [
        Column(f"c{i}", header or f"({sheet.letter(i)})", LEVEL, level_field=f"c{i}_lv", width=140)
        for i, header in enumerate(sheet.headers)
    ]
    return columns


def preview_row(number: int, cells: list[Any], width: int, issues: list[Issue]) -> dict[str, Any]:
    """One file row as the preview shows it: each cell as text (a bad blank cell as "（空）"),
    the level of each cell ("bad" where an issue points) and the row's reasons."""
    bad = {_column_index(issue) for issue in issues}
    # Only the fields with something in them: a valid file's rows are sent whole, and a blank
    # or a None costs as much to encode as a word (the grid shows a missing field as blank).
    row: dict[str, Any] = {"n": number}
    if issues:
        row["reasons"] = T["import_reasons_sep"].join(_in_row(issue) for issue in issues)
    if None in bad:
        row["n_lv"] = BAD
    for i, value in enumerate(cells[:width]):
        text = "" if value is None else as_text(value)
        if text:
            row[f"c{i}"] = text
    for i in bad - {None}:
        row.setdefault(f"c{i}", T["import_blank_cell"])
        row[f"c{i}_lv"] = BAD
    return row


def preview_table(sheet: Sheet, issues: list[Issue]) -> html.Div:
    """Every row of the file with an error (each bad cell red, the reasons beside it), or, for a
    valid file, every row it holds: all in a grid that sorts and filters."""
    by_row: dict[int, list[Issue]] = {}
    for issue in issues:
        if issue.row is not None and issue.row != sheet.header_row:
            by_row.setdefault(issue.row, []).append(issue)
    if by_row:
        rows = [(n, cells) for n, cells in sheet.rows if n in by_row]
        caption = T["import_rows_with_errors"].format(n=len(rows))
    else:
        rows = sheet.rows
        caption = T["import_rows_all"].format(n=len(rows))
    width = len(sheet.headers)
    return html.Div(
        [
            html.Div(caption, className="small text-muted mb-1"),
            grid(
                Ids.TABLE,
                preview_columns(sheet, bool(by_row)),
                [preview_row(n, cells, width, by_row.get(n, [])) for n, cells in rows],
                row_id="n",
                class_name="import-grid",
            ),
        ],
        className="mt-3",
    )


# Narrow enough minimums for a phone to show the three columns side by side.
ISSUE_COLUMNS = (
    Column("row", T["import_row"], NUMBER, text_field="row_text", width=80),
    Column("column", T["import_col_column"], min_width=110, flex=1, wrap=True),
    Column("message", T["import_col_message"], min_width=160, flex=3, wrap=True),
)


def issue_row(index: int, issue: Issue) -> dict[str, Any]:
    """One error: its row (or "—" for the file as a whole), its column, and why, in Chinese."""
    column = replace(issue, row=None).where()
    return {
        "id": index,
        "row": issue.row,
        "row_text": MISSING if issue.row is None else str(issue.row),
        "column": column or MISSING,
        "message": issue.message,
    }


def issue_list(issues: list[Issue]) -> html.Div:
    """Every issue, in file order: row, column `E 列「发现日期」` and the reason."""
    return grid(
        Ids.ISSUES,
        ISSUE_COLUMNS,
        [issue_row(i, issue) for i, issue in enumerate(issues)],
        row_id="id",
        class_name="import-issues",
    )


def failed_view(error: ImportFailed) -> html.Div:
    """Why the file cannot be imported: the count, the list of errors and the marked rows."""
    parts: list[Any] = [
        dbc.Alert(
            [
                html.Div(T["import_file"].format(name=error.filename), className="small"),
                html.Strong(T["import_errors"].format(n=len(error.issues))),
            ],
            color="danger",
            id="import-failed",
            className="mb-2",
        ),
        issue_list(error.issues),
    ]
    if error.sheet is not None and error.sheet.headers and error.sheet.rows:
        parts.append(preview_table(error.sheet, error.issues))
    return html.Div(parts)


def _change_list(result: ImportResult, units: dict[int, str], title: str) -> html.Div | None:
    """The records an import changes (or changed), each with its fields before → after."""
    if not result.changes:
        return None
    items = [html.Li(describe_change(change, units)) for change in result.changes]
    more = result.updated - len(result.changes)
    tail = [html.Div(T["import_changes_more"].format(n=more), className="small")] if more else []
    return html.Div([html.Div(title, className="fw-bold small mt-2"), html.Ul(items), *tail])


def ok_view(result: ImportResult, units: dict[int, str]) -> html.Div:
    """A valid file: what confirming would write, and every row it holds."""
    if result.created == 0 and result.updated == 0:
        message: Any = T["import_nothing"]
    else:
        message = T["import_ok"].format(
            rows=result.rows,
            created=result.created,
            updated=result.updated,
            unchanged=result.unchanged,
        )
    parts: list[Any] = [
        dbc.Alert(
            [
                html.Div(T["import_file"].format(name=result.filename), className="small"),
                html.Strong(message),
                _change_list(result, units, T["import_changes"]),
            ],
            color="info",
            id="import-ok",
        )
    ]
    if result.sheet is not None:
        parts.append(preview_table(result.sheet, []))
    return html.Div(parts)


def done_view(result: ImportResult, units: dict[int, str]) -> dbc.Alert:
    """What the confirmed import wrote."""
    return dbc.Alert(
        [
            html.Strong(
                T["import_done"].format(
                    created=result.created, updated=result.updated, unchanged=result.unchanged
                )
            ),
            _change_list(result, units, T["import_done_changes"]),
        ],
        color="success",
        id="import-done",
    )


def needs_campaign(kind: str | None) -> bool:
    """Whether a kind of import goes into a campaign year."""
    return kind in NEEDS_CAMPAIGN
