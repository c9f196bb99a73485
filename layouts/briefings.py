"""/briefings — 情况通报 (#18): the campaign's briefings to the 民评代表, each with its figures
in brief, its recipients and its PDF and Word files; leaders and admins issue the next one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.ids import Briefings as Ids
from dashboard.ids import FormIds
from dashboard.text import T, fmt_date, fmt_rate
from data.briefings import BriefingRow, Recipient
from data.form_tokens import with_token
from data.labels import LIST_SEPARATOR
from layouts.common import empty_state, search_from_query
from layouts.forms import Field, dropdown, field_message, form_card

TITLE = T["briefings_title"]
PAGE = dict(path="/briefings", name=TITLE, title=f"{TITLE} · {T['brand']}")
ISSUE = FormIds(Ids.ISSUE)
DOWNLOAD = "/download/briefing/{id}.{ext}"
DROPDOWN_LABELS = {
    "select_all": T["briefings_select_all"],
    "deselect_all": T["briefings_deselect_all"],
    "selected_count": T["briefings_selected_count"],
    "search": T["briefings_search"],
    "clear_search": T["briefings_clear_search"],
    "clear_selection": T["briefings_clear_selection"],
    "no_options_found": T["briefings_no_options"],
}


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


def download_href(briefing_id: int, ext: str) -> str:
    """Where a briefing's PDF or Word file is downloaded."""
    return DOWNLOAD.format(id=briefing_id, ext=ext)


def issue_fields() -> list[Field]:
    """The fields of the issue form (the last, the recipients, drawn by recipients_field)."""
    return [
        Field("title", T["briefings_field_title"], required=True, width=8),
        Field("as_of", T["briefings_field_as_of"], "date", required=True, width=4),
        Field(
            "body",
            T["briefings_field_body"],
            "textarea",
            placeholder=T["briefings_body_hint"],
            width=12,
        ),
        Field("recipients", T["briefings_field_recipients"], "multiselect", required=True),
    ]


def recipients_field(representatives: Sequence[tuple[int, str, str]]) -> html.Div:
    """The recipients' picker (every active representative chosen to begin with), its own so
    that the dropdown's words are Chinese too."""
    return html.Div(
        [
            dbc.Label(
                [T["briefings_field_recipients"], html.Span(" *", className="text-danger")],
                className="small fw-semibold mb-1",
            ),
            dropdown(
                id=ISSUE.field("recipients"),
                options=[
                    {
                        "label": T["briefings_recipient_option"].format(name=name, sector=sector),
                        "value": rid,
                    }
                    for rid, name, sector in representatives
                ],
                value=[rid for rid, _name, _sector in representatives],
                multi=True,
                placeholder=T["form_choose"],
                labels=DROPDOWN_LABELS,
                className="form-dropdown briefings-recipients",
            ),
            html.Div(T["briefings_recipients_help"], className="form-text"),
            field_message(ISSUE, "recipients"),
        ],
        className="mb-2",
    )


def issue_card(
    year: int,
    as_of: dt.date,
    title: str,
    representatives: Sequence[tuple[int, str, str]],
    notice: str | None,
) -> dbc.Card:
    """The form issuing the campaign's next briefing (defaults: its title, the view's date,
    every active representative)."""
    intro = html.P(T["briefings_issue_intro"].format(year=year), className="small mb-2")
    values = {"title": title, "as_of": as_of.isoformat(), "body": ""}
    return form_card(
        ISSUE,
        T["briefings_issue"],
        issue_fields()[:-1],
        values,
        extra=[recipients_field(representatives)],
        submit=T["briefings_issue_button"],
        meta=with_token({"year": year}),
        notice=notice,
        intro=intro,
    )


def summary_line(content: dict[str, Any]) -> str:
    """The briefing's headline figures in one sentence."""
    f = content["figures"]
    return T["briefings_doc_overall"].format(
        date=fmt_date(dt.date.fromisoformat(content["as_of"])),
        problems=f["problems"],
        unfounded=f["unfounded"],
        rectified=f["rectified"],
        rate=fmt_rate(f["rectification_rate"]),
        due=f["due"],
        on_time=f["on_time"],
        on_time_rate=fmt_rate(f["on_time_rate"]),
        overdue=f["overdue_problems"],
        complaints=f["complaints"],
    )


def briefing_card(row: BriefingRow, recipients: Sequence[Recipient]) -> dbc.Card:
    """One issued briefing: number, title, dates, who issued it, its figures, recipients, files."""
    snapshot = row.content.get("snapshot") or {}
    names = LIST_SEPARATOR.join(r.name for r in recipients)
    return dbc.Card(
        [
            dbc.CardHeader(
                [
                    html.Div(
                        [
                            dbc.Badge(
                                T["briefings_number"].format(number=row.number),
                                color="primary",
                                className="me-2 briefing-number",
                            ),
                            html.Strong(row.title, className="briefing-title"),
                        ]
                    ),
                    html.Div(
                        T["briefings_meta"].format(
                            as_of=fmt_date(row.as_of),
                            issued_on=fmt_date(row.issued_on),
                            by=row.issued_by,
                            n=row.recipients,
                        ),
                        className="small text-muted briefing-meta",
                    ),
                ]
            ),
            dbc.CardBody(
                [
                    html.P(row.body, className="mb-1 briefing-body") if row.body else None,
                    html.P(summary_line(row.content), className="mb-1 briefing-figures"),
                    html.P(
                        [html.Span(T["briefings_recipients"], className="fw-semibold"), names],
                        className="small mb-1 briefing-recipients",
                    ),
                    html.P(
                        [
                            T["briefings_snapshot"].format(id=snapshot.get("id", "—")),
                            html.Code(snapshot.get("digest", "")[:16]),
                        ],
                        className="small text-muted mb-2 text-break",
                    )
                    if snapshot
                    else None,
                    html.A(
                        T["briefings_pdf"],
                        href=download_href(row.id, "pdf"),
                        className="btn btn-outline-primary btn-sm me-2 briefing-pdf",
                    ),
                    html.A(
                        T["briefings_docx"],
                        href=download_href(row.id, "docx"),
                        className="btn btn-outline-secondary btn-sm briefing-docx",
                    ),
                ]
            ),
        ],
        className="mb-3 briefing-card",
        id=f"briefing-{row.id}",
    )


def briefings_page(issue: Any, cards: list[dbc.Card], year: int) -> html.Div:
    """The issue form (or who issues) and the campaign's briefings, newest first."""
    listed = cards or [empty_state(T["briefings_none"].format(year=year))]
    return html.Div(
        [
            issue,
            html.H5(T["briefings_list"].format(year=year), className="mt-3"),
            html.Div(listed, id=Ids.LIST),
        ]
    )


def latest_link(latest: tuple[int, int, str] | None, class_name: str) -> Any:
    """A link to the campaign's latest briefing's PDF (nothing when there is none)."""
    if latest is None:
        return None
    briefing_id, number, title = latest
    return html.A(
        T["briefings_latest"].format(number=number),
        href=download_href(briefing_id, "pdf"),
        title=title,
        className=class_name,
        target="_blank",
    )
