"""/snapshots — 发布记录: the figures published for the 评议大会 and the 纠风办 reports, each
against today's computation of the same figures, with the recorded changes that explain any
difference (#14 item 2)."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.ids import FormIds
from dashboard.ids import Snapshots as Ids
from dashboard.text import T, fmt_date, fmt_rate
from dashboard.urls import download_href
from data.form_tokens import with_token
from data.models import Snapshot
from data.snapshots import Comparison
from layouts.common import empty_state, search_from_query
from layouts.forms import Field, form_card
from layouts.history import TIME_FORMAT

TITLE = T["snap_title"]
PAGE = dict(path="/snapshots", name=TITLE, title=f"{TITLE} · {T['brand']}")
PUBLISH = FormIds(Ids.PUBLISH)
RATES = ("rectification_rate", "on_time_rate")
NOTICE_FIGURES = 4  # the figures a page's notice names; /snapshots lists them all


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


def publish_fields() -> list[Field]:
    """The one field of the publish form."""
    return [
        Field("purpose", T["snap_purpose"], placeholder=T["snap_purpose_hint"], width=12),
        Field("confirm", T["snap_confirm"], "checkbox", width=12),
    ]


def publish_card(year: int, as_of: Any, notice: str | None) -> dbc.Card:
    """Publish the figures of the view's campaign and date."""
    intro = html.P(
        T["snap_publish_intro"].format(year=year, date=fmt_date(as_of)), className="small mb-2"
    )
    return form_card(
        PUBLISH,
        T["snap_publish"],
        publish_fields(),
        {"purpose": "", "confirm": False},
        submit=T["snap_publish_button"],
        meta=with_token({"year": year, "as_of": as_of.isoformat()}),
        notice=notice,
        intro=intro,
    )


def _value(key: str, value: Any) -> str:
    if value is None:
        return "—"
    if key in RATES or isinstance(value, float):
        return fmt_rate(value)
    return str(value)


def comparison_block(comparison: Comparison) -> html.Div:
    """Same as published, or the differences and the recorded changes behind them."""
    if comparison.same:
        return dbc.Alert(T["snap_same"], color="success", className="py-2 mb-0 snap-same")
    rows = [
        html.Tr([html.Td(d.figure), html.Td(_value("", d.published)), html.Td(_value("", d.live))])
        for d in comparison.differences
    ]
    changes = [
        html.Li(
            [
                html.Span(
                    T["snap_change_by"].format(when=c.at.strftime(TIME_FORMAT), who=c.actor),
                    className="text-muted me-1",
                ),
                html.Span(c.description or f"{c.entity} #{c.entity_id}", className="fw-semibold"),
                html.Span(
                    T["snap_change_what"].format(what=T["snap_sep"].join(c.changes))
                    if c.changes
                    else ""
                ),
            ]
        )
        for c in comparison.changes
    ]
    return dbc.Alert(
        [
            html.Strong(T["snap_differs"]),
            dbc.Table(
                [
                    html.Thead(
                        html.Tr(
                            [
                                html.Th(T["snap_figure"]),
                                html.Th(T["snap_published"]),
                                html.Th(T["snap_live"]),
                            ]
                        )
                    ),
                    html.Tbody(rows),
                ],
                size="sm",
                className="my-2 snap-differences",
            ),
            html.Div(T["snap_changes"], className="fw-semibold"),
            html.Ul(changes, className="mb-0 snap-changes")
            if changes
            else html.P(T["snap_no_changes"], className="mb-0"),
        ],
        color="warning",
        className="mb-0 snap-differs",
    )


def published_query(snapshot: Snapshot) -> str:
    """The query string of a snapshot's campaign, date and id."""
    return f"?campaign={snapshot.year}&as_of={snapshot.as_of.isoformat()}&snapshot={snapshot.id}"


def published_deck_href(snapshot: Snapshot) -> str:
    """The 评议大会 deck as published."""
    return f"/present{published_query(snapshot)}"


def snapshot_card(snapshot: Snapshot, comparison: Comparison) -> dbc.Card:
    """One published snapshot: what, who, when, its digest, and today against it."""
    stats = snapshot.stats
    figures = [
        html.Span(
            T["snap_line"].format(
                problems=stats["problems"],
                unfounded=stats["unfounded"],
                rectified=stats["rectified"],
                rate=_value("rectification_rate", stats["rectification_rate"]),
                overdue=stats["overdue_problems"],
                complaints=stats["complaints"],
            )
        )
    ]
    return dbc.Card(
        [
            dbc.CardHeader(
                [
                    html.Strong(
                        T["snap_heading"].format(
                            id=snapshot.id,
                            year=snapshot.year,
                            date=fmt_date(snapshot.as_of),
                            purpose=snapshot.purpose,
                        )
                    ),
                    html.Div(
                        T["snap_by"].format(
                            who=snapshot.published_by,
                            when=snapshot.published_at.strftime(TIME_FORMAT),
                        ),
                        className="small text-muted",
                    ),
                ]
            ),
            dbc.CardBody(
                [
                    html.P(figures, className="mb-1"),
                    html.P(
                        [T["snap_digest"], html.Code(snapshot.digest, className="snap-digest")],
                        className="small text-muted mb-2 text-break",
                    ),
                    comparison_block(comparison),
                    html.A(
                        T["snap_open_deck"],
                        href=published_deck_href(snapshot),
                        target="_blank",
                        className="btn btn-outline-primary btn-sm mt-2 me-2 snap-open-deck",
                    ),
                    html.A(
                        T["snap_report"],
                        href=download_href("report.xlsx", published_query(snapshot)),
                        className="btn btn-outline-secondary btn-sm mt-2 snap-report",
                    ),
                ]
            ),
        ],
        className="mb-3 snapshot-card",
        id=f"snapshot-{snapshot.id}",
    )


def snapshots_page(publish: dbc.Card | None, cards: list[dbc.Card], year: int) -> html.Div:
    """The publish form (for those who may publish) and the year's snapshots."""
    listed = cards or [empty_state(T["snap_none"].format(year=year))]
    return html.Div(
        [
            publish if publish is not None else html.P(T["snap_who"], className="text-muted"),
            html.H5(T["snap_list"].format(year=year), className="mt-3"),
            html.Div(listed, id=Ids.LIST),
        ]
    )


def published_notice(comparison: Comparison, search: str) -> dbc.Alert:
    """On a page showing a published date: published when and for what, and whether today's
    computation still says the same (the figures that moved named, with a link to why)."""
    snapshot = comparison.snapshot
    when = snapshot.published_at.strftime(TIME_FORMAT)
    link = dcc.Link(T["snap_notice_link"], href=f"{PAGE['path']}{search}", className="ms-1")
    if comparison.same:
        text = T["snap_notice_same"].format(when=when, purpose=snapshot.purpose)
        return dbc.Alert([text, link], color="success", className="py-2", id="published-notice")
    figures = T["snap_sep"].join(
        T["snap_notice_figure"].format(
            figure=d.figure, published=_value("", d.published), live=_value("", d.live)
        )
        for d in comparison.differences[:NOTICE_FIGURES]
    )
    text = T["snap_notice_differs"].format(when=when, purpose=snapshot.purpose, figures=figures)
    return dbc.Alert([text, link], color="warning", className="py-2", id="published-notice")
