"""#15 notices in pages: the template panel (on /admin/chase: download, replace or remove each
kind's .docx template; callbacks in callbacks/notices.py) and a small list of notices with their
download links (on /todo). Pure builders: no database access."""

from __future__ import annotations

import datetime as dt
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.ids import Notices as Ids
from dashboard.text import T, fmt_date
from dashboard.urls import PREFIX
from data.notices import KIND_TITLES, KINDS, NOTICE_FIELDS, NoticeRow, TemplateInfo


def notice_href(notice_id: int) -> str:
    return f"{PREFIX}/notice/{notice_id}.docx"


def day_href(day: dt.date) -> str:
    return f"{PREFIX}/notices/{day.isoformat()}.zip"


def template_href(kind: str) -> str:
    return f"{PREFIX}/notice-template/{kind}.docx"


def _kind_block(kind: str) -> html.Div:
    """One kind's template: what is in use, download, upload to replace, back to built-in."""
    return html.Div(
        [
            html.Div(KIND_TITLES[kind], className="fw-semibold mb-1"),
            dcc.Store(id=Ids.template("refresh", kind), data=0),
            html.Div(
                T["notices_tpl_loading"],
                id=Ids.template("status", kind),
                className="small text-muted mb-1",
            ),
            html.Div(
                [
                    html.A(
                        T["notices_tpl_download"],
                        href=template_href(kind),
                        className="btn btn-outline-primary btn-sm me-2",
                        id=Ids.template("download", kind),
                    ),
                    dbc.Button(
                        T["notices_tpl_remove"],
                        id=Ids.template("remove", kind),
                        color="outline-secondary",
                        size="sm",
                        disabled=True,
                    ),
                ],
                className="mb-2",
            ),
            dcc.Upload(
                html.Div(T["notices_tpl_upload"]),
                id=Ids.template("upload", kind),
                multiple=False,
                className="border border-secondary-subtle rounded text-center p-2 small",
                style={"borderStyle": "dashed", "cursor": "pointer"},
            ),
            html.Div(id=Ids.template("message", kind), className="mt-1"),
        ],
        className="notices-tpl-kind border rounded p-2 h-100",
        **{"data-kind": kind},
    )


def notice_template_panel() -> dbc.Card:
    """The notice templates of both kinds, to download, replace or go back to the built-in."""
    fields = html.Details(
        [
            html.Summary(T["notices_tpl_fields"], className="small"),
            html.Ul(
                [
                    html.Li([html.Code("{{ " + name + " }}"), " ", words], className="small")
                    for name, words in NOTICE_FIELDS.items()
                ],
                className="mb-1 mt-1",
            ),
            html.Div(T["notices_tpl_rows"], className="small text-muted"),
        ],
        className="mt-2",
    )
    return dbc.Card(
        [
            dbc.CardHeader(T["notices_tpl_title"], className="fw-semibold"),
            dbc.CardBody(
                [
                    html.P(T["notices_tpl_hint"], className="small text-muted mb-2"),
                    dbc.Row(
                        [dbc.Col(_kind_block(kind), xs=12, md=6) for kind in KINDS],
                        className="g-2",
                    ),
                    fields,
                ]
            ),
        ],
        id=Ids.PANEL,
        className="mb-3",
    )


def template_status(info: TemplateInfo | None) -> str:
    """What a kind's template in use is, in words."""
    if info is None:
        return T["notices_tpl_builtin"]
    return T["notices_tpl_custom"].format(
        name=info.filename, by=info.uploaded_by, at=f"{info.uploaded_at:%Y-%m-%d %H:%M}"
    )


def notices_list(rows: list[NoticeRow], day: dt.date | None = None) -> html.Div:
    """Notices as a small table with a download link each (and the day's .zip when `day`)."""
    if not rows:
        return html.Div(T["notices_list_empty"], className="text-muted small", id=Ids.LIST)
    head = html.Thead(
        html.Tr(
            [
                html.Th(text)
                for text in (
                    T["notices_col_number"],
                    T["notices_col_kind"],
                    T["notices_col_unit"],
                    T["notices_col_date"],
                    T["notices_col_items"],
                    T["notices_col_file"],
                )
            ]
        )
    )
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Td(row.number, className="text-nowrap"),
                    html.Td(row.title, className="text-nowrap"),
                    html.Td(row.unit, className="text-break"),
                    html.Td(fmt_date(row.issued_on), className="text-nowrap"),
                    html.Td(str(row.items), className="text-end"),
                    html.Td(
                        html.A(T["notices_download"], href=notice_href(row.id)),
                        className="text-nowrap",
                    ),
                ],
                **{"data-notice": str(row.id)},
            )
            for row in rows
        ]
    )
    parts: list[Any] = []
    if day is not None:
        parts.append(
            html.A(
                T["notices_day_zip"].format(day=fmt_date(day)),
                href=day_href(day),
                className="btn btn-outline-primary btn-sm mb-2",
                id=Ids.DAY_ZIP,
            )
        )
    parts.append(
        dbc.Table([head, body], bordered=True, hover=True, size="sm", className="mb-0 small")
    )
    return html.Div(parts, id=Ids.LIST, className="table-responsive")
