"""/reports — 纠风办上报 (#18 item 3, work plan §四(三)2): reported / fed back / outstanding at
the view's date, a new dated batch (第N批) of not-yet-reported problems (admin), the 纠风办's
case-by-case feedback imported by 编号 (admin, preview then confirm), the batches with their
downloads, and the counts per unit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.ids import FormIds
from dashboard.ids import Reports as Ids
from dashboard.text import MISSING, T, fmt_date
from dashboard.urls import PREFIX
from data.form_tokens import with_token
from data.labels import PROBLEM
from data.reference import CHANNEL_NAMES, STATUS_NAMES
from data.report_batches import BatchCounts, Candidate, Counts, UnitCounts
from layouts.common import empty_state, search_from_query, unit_href
from layouts.forms import Field, form_card
from layouts.grid import LINK, NUMBER, Column, grid

TITLE = T["reports_title"]
PAGE = dict(path="/reports", name=TITLE, title=f"{TITLE} · {T['brand']}")
BATCH = FormIds(Ids.BATCH)
FILTERS = ("unit_ids", "channels", "statuses")


def layout(**query: Any) -> html.Div:
    """The page skeleton; callbacks fill it (the admin's two forms side by side)."""
    return html.Div(
        [
            html.H4(TITLE, className="page-title mt-2 mb-3"),
            dcc.Store(id=Ids.STATE, data=search_from_query(query)),
            dcc.Store(id=Ids.REFRESH),
            html.Div(id=Ids.CONTENT, className="page-body"),
            dcc.Loading(html.Div(id=Ids.SUMMARY), type="default", delay_show=300),
            dbc.Row(
                [
                    dbc.Col(html.Div(id=Ids.FORM), lg=6),
                    dbc.Col(html.Div(id=Ids.FEEDBACK), lg=6),
                ],
                className="g-3",
            ),
            html.Div(id=Ids.TABLES),
        ]
    )


def batch_path(year: int, number: int) -> str:
    """The address of a batch's .xlsx (dashboard/downloads_reports.py)."""
    return f"{PREFIX}/report-batch/{year}/{number}.xlsx"


# ---- the counts ----------------------------------------------------------------------------


def _stat(card_id: str, title: str, value: int, level: str) -> dbc.Col:
    return dbc.Col(
        dbc.Card(
            dbc.CardBody(
                [
                    html.Div(title, className="stat-title"),
                    html.Div(
                        f"{value}{T['reports_unit_suffix']}",
                        className=f"stat-value level-{level}",
                        id=card_id,
                    ),
                ]
            ),
            className=f"stat-card h-100 border-level-{level}",
        ),
        xs=4,
    )


def summary(counts: Counts, as_of: dt.date) -> html.Div:
    """The three numbers of the loop at the view's date."""
    outstanding_level = "warn" if counts.outstanding else "neutral"
    return html.Div(
        [
            html.P(T["reports_intro"], className="text-muted small mb-2"),
            dbc.Row(
                [
                    _stat("reports-n-reported", T["reports_reported"], counts.reported, "neutral"),
                    _stat("reports-n-fed-back", T["reports_fed_back"], counts.fed_back, "good"),
                    _stat(
                        "reports-n-outstanding",
                        T["reports_outstanding"],
                        counts.outstanding,
                        outstanding_level,
                    ),
                ],
                className="g-2 mb-1",
            ),
            html.Div(
                T["reports_as_of"].format(date=fmt_date(as_of)), className="small text-muted mb-3"
            ),
        ]
    )


def refused(role: str) -> dbc.Alert:
    """What a role that may not read the page sees."""
    return dbc.Alert(
        T["reports_refused"].format(role=role), color="secondary", id="reports-refused"
    )


# ---- a new batch (admin) -------------------------------------------------------------------


def batch_fields(units: Sequence[tuple[int, str]]) -> list[Field]:
    """The filters choosing the problems, then the batch's date and note."""
    return [
        Field(
            "unit_ids",
            PROBLEM["unit_id"],
            "multiselect",
            units,
            width=12,
            placeholder=T["reports_all"],
        ),
        Field(
            "channels",
            PROBLEM["channel"],
            "multiselect",
            list(CHANNEL_NAMES.items()),
            placeholder=T["reports_all"],
        ),
        Field(
            "statuses",
            PROBLEM["status"],
            "multiselect",
            list(STATUS_NAMES.items()),
            placeholder=T["reports_all"],
        ),
        Field("reported_on", T["reports_reported_on"], "date", required=True),
        Field("note", T["reports_note"], placeholder=T["reports_note_hint"]),
    ]


def batch_labels(units: Sequence[tuple[int, str]]) -> dict[str, str]:
    """The form's names for its fields (and for what it selects)."""
    labels = {spec.name: spec.label for spec in batch_fields(units)}
    return {**labels, "selection": T["reports_selection"]}


def batch_card(
    year: int,
    number: int,
    units: Sequence[tuple[int, str]],
    today: dt.date,
    notice: str | None,
) -> dbc.Card:
    """Make the campaign's next batch: which problems (the count shown before confirming), the
    date it is reported on, a note."""
    intro = html.P(
        T["reports_batch_intro"].format(year=year, number=number), className="small mb-2"
    )
    return form_card(
        BATCH,
        T["reports_batch_form"],
        batch_fields(units),
        {"unit_ids": [], "channels": [], "statuses": [], "reported_on": today.isoformat()},
        submit=T["reports_confirm"],
        meta=with_token({"year": year}),
        notice=notice,
        intro=intro,
        extra=[html.Div(id=Ids.COUNT, className="mb-2")],
    )


CANDIDATE_COLUMNS = (
    Column("key", PROBLEM["ledger_key"], width=110),
    Column("unit", T["reports_col_unit"], min_width=130, flex=2, wrap=True),
    Column("channel", PROBLEM["channel"], width=96),
    Column("status", PROBLEM["status"], width=90),
    Column("description", PROBLEM["description"], min_width=160, flex=3, wrap=True),
)


def count_block(n: int, rows: Sequence[Candidate]) -> html.Div:
    """How many problems the batch would take, and which (the first few hundred)."""
    if n == 0:
        return html.Div(
            T["reports_count_none"], className="alert alert-warning py-2 mb-0", id="reports-n"
        )
    more = T["reports_count_more"].format(shown=len(rows)) if n > len(rows) else ""
    return html.Div(
        [
            html.Div(
                [html.Strong(T["reports_count"].format(n=n)), more],
                className="alert alert-info py-2 mb-2",
                id="reports-n",
            ),
            grid(
                Ids.CANDIDATES,
                CANDIDATE_COLUMNS,
                [
                    {
                        "id": c.id,
                        "key": c.key or T["reports_key_later"],
                        "unit": c.unit,
                        "channel": c.channel,
                        "status": c.status,
                        "description": c.description,
                    }
                    for c in rows
                ],
                row_id="id",
                view_rows=8,
                auto_height_rows=8,
                filters=False,
            ),
        ]
    )


# ---- the feedback import (admin) -----------------------------------------------------------


def feedback_card(year: int) -> dbc.Card:
    """Upload the 纠风办's feedback on `year`'s problems, see every error or what it writes,
    then confirm."""
    return dbc.Card(
        [
            dbc.CardHeader(html.Strong(T["reports_feedback_title"])),
            dbc.CardBody(
                [
                    html.P(T["reports_feedback_intro"].format(year=year), className="small mb-2"),
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
                        className="import-upload",
                    ),
                    html.Div(id=Ids.SIZE_WARNING, className="text-danger small mt-1"),
                    dcc.Store(id=Ids.TOKEN),
                    dcc.Loading(html.Div(id=Ids.PREVIEW), type="default"),
                    dbc.Button(
                        T["reports_feedback_confirm"],
                        id=Ids.CONFIRM,
                        color="primary",
                        disabled=True,
                        className="mt-2",
                    ),
                    dcc.Loading(html.Div(id=Ids.RESULT, className="mt-2"), type="default"),
                ]
            ),
        ],
        className="mb-3",
        id="reports-feedback-card",
    )


# ---- batches and units ---------------------------------------------------------------------


def _batch_row(year: int, batch: BatchCounts) -> html.Tr:
    counts = batch.counts
    if batch.number is None:
        name: Any = T["reports_loose"]
        download: Any = MISSING
    else:
        name = T["reports_batch_name"].format(number=batch.number)
        download = html.A(
            T["reports_download"],
            href=batch_path(year, batch.number),
            className="btn btn-outline-secondary btn-sm reports-download",
            id=f"reports-download-{batch.number}",
        )
    return html.Tr(
        [
            html.Td(name, className="text-nowrap fw-semibold"),
            html.Td(
                fmt_date(batch.reported_on) if batch.reported_on else MISSING,
                className="text-nowrap",
            ),
            html.Td(counts.reported, className="text-end"),
            html.Td(counts.fed_back, className="text-end"),
            html.Td(counts.outstanding, className="text-end"),
            html.Td(batch.note or MISSING, className="text-break"),
            html.Td(batch.reported_by or MISSING, className="text-nowrap"),
            html.Td(download, className="text-nowrap pe-3"),
        ],
        className="reports-batch-row",
    )


def batches_table(year: int, batches: Sequence[BatchCounts]) -> html.Div:
    """Each batch with its counts and its download; the problems reported outside a batch."""
    if not batches:
        body: Any = empty_state(T["reports_batches_none"].format(year=year))
    else:
        headers = (
            T["reports_col_batch"],
            T["reports_col_reported_on"],
            T["reports_reported"],
            T["reports_fed_back"],
            T["reports_outstanding"],
            T["reports_col_note"],
            T["reports_col_by"],
            T["reports_col_download"],
        )
        body = dbc.Table(
            [
                html.Thead(
                    html.Tr(
                        [
                            html.Th(text, className="text-end" if 2 <= i <= 4 else None)
                            for i, text in enumerate(headers)
                        ]
                    )
                ),
                html.Tbody([_batch_row(year, b) for b in batches]),
            ],
            size="sm",
            hover=True,
            responsive=True,
            className="reports-batches",
            style={"minWidth": "760px"},  # a phone scrolls it sideways rather than crushing it
        )
    loose = any(b.number is None for b in batches)
    note = html.P(T["reports_loose_tip"], className="small text-muted") if loose else None
    return html.Div([html.H5(T["reports_batches"], className="mt-3"), body, note], id=Ids.BATCHES)


UNIT_COLUMNS = (
    Column(
        "unit", T["reports_col_unit"], LINK, href_field="href", min_width=200, flex=3, wrap=True
    ),
    Column("reported", T["reports_reported"], NUMBER, width=110),
    Column("fed_back", T["reports_fed_back"], NUMBER, width=130),
    Column("outstanding", T["reports_outstanding"], NUMBER, width=110, sort="desc"),
)


def units_grid(units: Sequence[UnitCounts], search: str) -> html.Div:
    """Reported / fed back / outstanding for each unit that has reported problems."""
    body: Any
    if not units:
        body = empty_state(T["reports_by_unit_none"])
    else:
        body = grid(
            Ids.UNITS,
            UNIT_COLUMNS,
            [
                {
                    "id": u.unit_id,
                    "unit": u.unit,
                    "href": unit_href(u.unit_id, search),
                    "reported": u.counts.reported,
                    "fed_back": u.counts.fed_back,
                    "outstanding": u.counts.outstanding,
                }
                for u in units
            ],
            row_id="id",
        )
    return html.Div([html.H5(T["reports_by_unit"], className="mt-3"), body])
