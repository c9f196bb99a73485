"""/commitments — 公开承诺 (#18 item 4): the legal-service units' public commitments, the
complaints that concern each, and the form that records them; also the unit page's section."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.ids import Commitments as Ids
from dashboard.ids import FormIds
from dashboard.state import ViewState, to_search
from dashboard.text import MISSING, T, fmt_date
from data.commitments import CommitmentDetail, CommitmentRow, LinkedComplaint
from data.history import History
from data.labels import status_at
from data.reference import CHANNEL_NAMES
from layouts.common import empty_state, search_from_query, unit_href
from layouts.forms import Field, dropdown, form_card, labels_of
from layouts.grid import LINK, NUMBER, Column, grid
from layouts.history import history_table

TITLE = T["commitments_title"]
PAGE = dict(path="/commitments", name=TITLE, title=f"{TITLE} · {T['brand']}")
FORM = FormIds(Ids.FORM)
OPTION_TEXT = 60  # characters of a complaint's text in the link form's choices


def layout(**query: Any) -> html.Div:
    """The page skeleton; a callback fills it."""
    return html.Div(
        [
            html.H4(TITLE, className="page-title mt-2 mb-3"),
            dcc.Store(id=Ids.STATE, data=search_from_query(query)),
            dcc.Store(id=Ids.REFRESH),
            html.Div(id=Ids.CONTENT, className="page-body"),
        ]
    )


# ---- addresses ---------------------------------------------------------------------------


def page_href(state: ViewState, **extra: str) -> str:
    """This page with the view's shared filters and some of its own parameters."""
    return f"{PAGE['path']}{to_search(replace(state, extra=dict(extra)))}"


# ---- the form ----------------------------------------------------------------------------


def form_fields(units: Sequence[tuple[int, str]]) -> list[Field]:
    """The fields of the record / edit form; `units` are those the user may choose."""
    return [
        Field(
            "unit_id", T["commitments_unit"], "select", options=list(units), required=True, width=12
        ),
        Field(
            "content",
            T["commitments_content"],
            "textarea",
            required=True,
            width=12,
            placeholder=T["commitments_content_hint"],
        ),
        Field("published_on", T["commitments_published_on"], "date", required=True, width=4),
        Field(
            "published_where",
            T["commitments_published_where"],
            required=True,
            width=8,
            placeholder=T["commitments_where_hint"],
        ),
    ]


LABELS = {**labels_of(form_fields(())), "commitment": T["commitments_detail"]}
LINK_LABELS = {"problem_id": T["commitments_link_label"], "commitment": T["commitments_detail"]}


def commitment_form(
    units: Sequence[tuple[int, str]],
    values: dict[str, Any],
    meta: dict[str, Any],
    *,
    editing: bool,
    notice: str | None,
) -> dbc.Card:
    """Record a new commitment, or edit the one opened (its version in `meta`)."""
    return form_card(
        FORM,
        T["commitments_edit"] if editing else T["commitments_new"],
        form_fields(units),
        values,
        submit=T["commitments_save"],
        meta=meta,
        notice=notice,
    )


# ---- the list ----------------------------------------------------------------------------


def state_text(withdrawn_at: dt.datetime | None) -> str:
    """有效, or 已撤回 with its date."""
    if withdrawn_at is None:
        return T["commitments_in_force"]
    return T["commitments_withdrawn_on"].format(date=withdrawn_at.date().isoformat())


def grid_columns() -> list[Column]:
    """The list's columns: the unit links to its page, 查看 to the commitment."""
    return [
        Column(
            "unit",
            T["commitments_col_unit"],
            LINK,
            href_field="unit_href",
            min_width=180,
            wrap=True,
        ),
        Column("content", T["commitments_col_content"], min_width=260, flex=3, wrap=True),
        Column("published_on", T["commitments_col_published_on"], width=120),
        Column("where", T["commitments_col_where"], min_width=150, flex=1, wrap=True),
        Column("complaints", T["commitments_col_complaints"], NUMBER, width=110),
        Column("open", T["commitments_col_open"], NUMBER, width=110),
        Column("state", T["commitments_col_state"], width=150),
        Column(
            "open_text",
            T["commitments_col_open_link"],
            LINK,
            href_field="href",
            width=90,
            filter=False,
        ),
    ]


def grid_row(row: CommitmentRow, state: ViewState) -> dict[str, Any]:
    """One commitment's row: plain values, its links."""
    shared = to_search(replace(state, extra={}))
    return {
        "id": row.id,
        "unit": row.unit,
        "unit_href": unit_href(row.unit_id, shared),
        "content": row.content,
        "published_on": row.published_on.isoformat(),
        "where": row.published_where,
        "complaints": row.complaints,
        "open": row.open_complaints,
        "state": state_text(row.withdrawn_at),
        "open_text": T["commitments_open_link"],
        "href": page_href(state, commitment=str(row.id)),
    }


def commitments_grid(rows: Sequence[CommitmentRow], state: ViewState, year: int) -> html.Div:
    """Every commitment of the campaign, or the words saying there is none yet."""
    title = html.H5(T["commitments_list"].format(year=year, n=len(rows)), className="mt-3")
    if not rows:
        return html.Div([title, empty_state(T["commitments_none"].format(year=year))])
    return html.Div(
        [
            title,
            grid(
                Ids.GRID,
                grid_columns(),
                [grid_row(row, state) for row in rows],
                row_id="id",
                class_name="commitments-grid",
            ),
        ]
    )


# ---- one commitment ----------------------------------------------------------------------


def complaint_item(complaint: LinkedComplaint, as_of: dt.date, unlink: bool = False) -> html.Li:
    """One complaint: date, channel, status, its text, the complainant masked; `unlink` adds
    the button that takes it off the commitment."""
    line = T["commitments_complaint_line"].format(
        date=complaint.found_on.isoformat(),
        channel=CHANNEL_NAMES.get(complaint.channel, complaint.channel),
        status=status_at(complaint.status, complaint.completed_on, as_of),
    )
    who = (
        html.Span(
            T["commitments_complainant"].format(who=complaint.complainant),
            className="text-muted ms-2",
        )
        if complaint.complainant
        else None
    )
    button = (
        dbc.Button(
            T["commitments_unlink"],
            id=Ids.unlink(complaint.id),
            color="link",
            size="sm",
            className="text-danger p-0 ms-2",
        )
        if unlink
        else None
    )
    return html.Li(
        [
            html.Div([html.Span(line, className="small text-muted"), who, button]),
            html.Div(complaint.description, className="text-break"),
        ],
        className="mb-2 commitment-complaint",
    )


def linked_list(
    linked: Sequence[LinkedComplaint],
    as_of: dt.date,
    unlink: bool = False,
    list_id: str | None = None,
) -> html.Div:
    """The complaints that concern a commitment."""
    heading = html.Div(
        T["commitments_linked"].format(n=len(linked)), className="fw-semibold mt-2 mb-1"
    )
    if not linked:
        return html.Div(
            [heading, html.P(T["commitments_linked_none"], className="text-muted small")]
        )
    items = [complaint_item(c, as_of, unlink) for c in linked]
    extra = {"id": list_id} if list_id else {}
    return html.Div([heading, html.Ul(items, className="ps-3 mb-2", **extra)])


def link_form(candidates: Sequence[LinkedComplaint]) -> html.Div:
    """Choose one of the unit's complaints to link (the complainant never shown)."""
    options = [
        {
            "label": T["commitments_link_option"].format(
                date=c.found_on.isoformat(),
                channel=CHANNEL_NAMES.get(c.channel, c.channel),
                text=c.description[:OPTION_TEXT],
            ),
            "value": c.id,
        }
        for c in candidates
    ]
    return html.Div(
        [
            html.Label(T["commitments_link_label"], className="small fw-semibold mb-1"),
            html.Div(
                [
                    html.Div(
                        dropdown(
                            id=Ids.LINK_PROBLEM,
                            options=options,
                            placeholder=T["commitments_link_hint"],
                            className="form-dropdown",
                        ),
                        className="flex-grow-1",
                        style={"minWidth": 0},
                    ),
                    dbc.Button(T["commitments_link"], id=Ids.LINK, color="primary", size="sm"),
                ],
                className="d-flex gap-2 align-items-center",
            ),
        ],
        className="mb-2",
    )


def detail_card(
    detail: CommitmentDetail,
    history: History,
    as_of: dt.date,
    *,
    may_write: bool,
    edit_href: str,
    notice: str | None,
) -> dbc.Card:
    """A commitment: what, where, since when; the complaints that concern it; for those who may
    write it, the link form, 修改 and 撤回; its history."""
    row = detail.row
    open_ = row.withdrawn_at is None
    writing = may_write and open_
    actions = (
        html.Div(
            [
                dcc.Link(
                    T["commitments_edit_link"],
                    href=edit_href,
                    className="btn btn-outline-primary btn-sm me-2",
                ),
                dbc.Button(
                    T["commitments_withdraw"],
                    id=Ids.WITHDRAW,
                    color="outline-danger",
                    size="sm",
                ),
            ],
            className="mb-2",
        )
        if writing
        else None
    )
    message = dbc.Alert(notice, color="success", className="py-2") if notice else None
    return dbc.Card(
        [
            dbc.CardHeader(
                [
                    html.Strong(T["commitments_detail"]),
                    html.Span(state_text(row.withdrawn_at), className="ms-2 small text-muted"),
                ]
            ),
            dbc.CardBody(
                [
                    dcc.Store(id=Ids.DETAIL_META, data={"id": row.id, "version": row.version}),
                    html.Div(
                        T["commitments_detail_of"].format(
                            unit=row.unit,
                            date=fmt_date(row.published_on),
                            where=row.published_where or MISSING,
                        ),
                        className="text-muted small mb-1",
                    ),
                    html.P(row.content, className="fw-semibold text-break mb-2"),
                    actions,
                    linked_list(detail.linked, as_of, unlink=may_write, list_id=Ids.LINKED),
                    link_form(detail.candidates) if writing else None,
                    html.Div(message, id=Ids.DETAIL_MESSAGE),
                    html.Details(
                        [
                            html.Summary(T["commitments_history"], className="small"),
                            history_table(history),
                        ],
                        className="mt-2",
                    ),
                ]
            ),
        ],
        className="mb-3",
        id=Ids.DETAIL,
    )


def commitments_page(
    intro: Any, form: Any, detail: Any, listing: html.Div, refusal: Any = None
) -> html.Div:
    """The page: what §五.2 asks, a refusal, the commitment opened, the form (or why there is
    none), the list."""
    return html.Div(
        [
            html.P(T["commitments_intro"], className="text-muted small"),
            refusal,
            intro,
            detail,
            form,
            listing,
        ]
    )


# ---- the unit page's section -------------------------------------------------------------


def unit_commitments_section(
    details: Sequence[CommitmentDetail], as_of: dt.date, href: str
) -> dbc.Card:
    """A legal-service unit's commitments and the complaints that concern each (unit page)."""
    if details:
        body: list[Any] = [
            html.Div(
                [
                    html.Div(
                        [
                            html.Strong(d.row.content, className="text-break"),
                            html.Span(
                                T["commitments_unit_withdrawn"],
                                className="badge unit-badge bg-level-neutral ms-2",
                            )
                            if d.row.withdrawn_at
                            else None,
                        ]
                    ),
                    html.Div(
                        T["commitments_detail_of"].format(
                            unit=d.row.unit,
                            date=fmt_date(d.row.published_on),
                            where=d.row.published_where or MISSING,
                        ),
                        className="text-muted small",
                    ),
                    linked_list(d.linked, as_of),
                ],
                className="border-bottom pb-2 mb-2 unit-commitment",
            )
            for d in details
        ]
    else:
        body = [html.P(T["commitments_unit_none"], className="text-muted")]
    body.append(dcc.Link(T["commitments_record_link"], href=href, className="small"))
    return dbc.Card(
        [
            dbc.CardHeader(html.H5(T["commitments_unit_section"], className="mb-0")),
            dbc.CardBody(body),
        ],
        id=Ids.UNIT_SECTION,
        className="mb-3 unit-section",
    )
