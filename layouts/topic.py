"""/topics/<topic_id> — 选题详情 (#18 item 1): the topic's 安排部署, 评议方案 and 工作总结, its
linked problems and their rectification, the checks that name it, its completeness (four ticks, n/4)
and its history."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.ids import FormIds
from dashboard.ids import Topic as Ids
from dashboard.text import MISSING, T, fmt_date
from data.history import History
from data.reference import CHANNEL_NAMES, CRITERIA, STATUS_NAMES, VISIT_KIND_NAMES
from data.topics import Completeness, LinkedProblem, TopicDetail, TopicVisit
from layouts.common import search_from_query
from layouts.forms import Field, field_group, form_card
from layouts.grid import BUTTON, LINK, Column, grid
from layouts.history import TIME_FORMAT, history_table
from layouts.topics import unit_name

TITLE = T["topic_title"]
PAGE = dict(path_template="/topics/<topic_id>", name=TITLE, title=f"{TITLE} · {T['brand']}")
TEXTS, LINK_FORM, UNLINK, WITHDRAW = (
    FormIds(Ids.TEXTS),
    FormIds(Ids.LINK),
    FormIds(Ids.UNLINK),
    FormIds(Ids.WITHDRAW),
)
UNLINK_COLUMN = "unlink"


def layout(topic_id: str | None = None, **query: Any) -> html.Div:
    """The page skeleton; a callback fills it."""
    return html.Div(
        [
            html.H4(TITLE, className="page-title mt-2 mb-3"),
            dcc.Store(id=Ids.STATE, data=search_from_query(query)),
            dcc.Store(id=Ids.TOPIC_ID, data=topic_id),
            dcc.Store(id=Ids.REFRESH),
            html.Div(id=Ids.CONTENT, className="page-body"),
        ]
    )


def completeness_block(c: Completeness) -> html.Div:
    """The four things a topic needs, each ticked or not, and n/4."""
    items = [
        (T["topic_done_deployment"], c.deployment),
        (T["topic_done_plan"], c.plan),
        (T["topic_done_checked"], c.checked),
        (T["topic_done_summary"], c.summary),
    ]
    return html.Div(
        [
            html.Strong(T["topic_completeness"].format(n=c.done), className="me-3"),
            *[
                html.Span(
                    [("✓ " if ok else "✗ "), label],
                    className="me-3 " + ("text-success topic-tick" if ok else "text-danger"),
                )
                for label, ok in items
            ],
        ],
        className="topic-completeness mb-2",
        id="topic-completeness",
    )


def header_card(d: TopicDetail, back: str) -> dbc.Card:
    """The topic: title, unit, criterion, reason, whether withdrawn, its completeness."""
    badges = [dbc.Badge(unit_name(d.unit), color="info", className="me-2 text-wrap")]
    if d.criterion_code:
        badges.append(dbc.Badge(CRITERIA[d.criterion_code][0], color="secondary", className="me-2"))
    if d.withdrawn_at is not None:
        badges.append(
            dbc.Badge(
                T["topic_withdrawn"].format(when=d.withdrawn_at.strftime(TIME_FORMAT)),
                color="dark",
            )
        )
    return dbc.Card(
        dbc.CardBody(
            [
                dcc.Link(T["topic_back"], href=back, className="small"),
                html.H5(d.title, className="mt-1 mb-2 topic-heading"),
                html.Div(badges, className="mb-2"),
                completeness_block(d.completeness),
                html.Div(
                    [html.Strong(T["topic_reason"]), d.reason or MISSING],
                    className="small pre-wrap",
                ),
            ]
        ),
        className="mb-3",
    )


def text_fields() -> list[Field]:
    """安排部署, 评议方案, 工作总结."""
    return [
        Field("deployment", T["topic_deployment"], "textarea", width=12),
        Field("plan", T["topic_plan"], "textarea", width=12),
        Field("summary", T["topic_summary"], "textarea", width=12),
    ]


def texts_card(d: TopicDetail, notice: str | None) -> dbc.Card:
    """The texts, editable, with the version they were loaded at."""
    return form_card(
        TEXTS,
        T["topic_texts"],
        text_fields(),
        {"deployment": d.deployment, "plan": d.plan, "summary": d.summary},
        submit=T["topic_texts_save"],
        meta={"topic_id": d.id, "version": d.version, "seen": d.seen},
        notice=notice,
    )


def texts_readonly(d: TopicDetail) -> dbc.Card:
    """The texts, to read."""
    parts: list[Any] = []
    for key, value in (("deployment", d.deployment), ("plan", d.plan), ("summary", d.summary)):
        parts += [html.H6(T[f"topic_{key}"]), html.P(value or MISSING, className="pre-wrap")]
    return dbc.Card(
        [dbc.CardHeader(html.Strong(T["topic_texts"])), dbc.CardBody(parts)],
        className="mb-3 topic-texts",
    )


def problem_columns(editable: bool) -> list[Column]:
    """What, whose, whence, where its rectification stands; 取消关联 for those who may."""
    columns = [
        Column("description", T["topic_col_description"], min_width=200, flex=3, wrap=True),
        Column("unit", T["topic_col_unit"], min_width=120, flex=1, wrap=True),
        Column("channel", T["topic_col_channel"], width=100),
        Column("status", T["topic_col_status"], width=96),
        Column("deadline", T["topic_col_deadline"], text_field="deadline_text", width=124),
        Column("completed", T["topic_col_completed"], text_field="completed_text", width=124),
    ]
    if editable:
        columns.append(
            Column(UNLINK_COLUMN, "", BUTTON, label=T["topic_unlink"], width=104, filter=False)
        )
    return columns


def problem_row(p: LinkedProblem) -> dict[str, Any]:
    """One linked problem as plain values (complainant data never selected)."""
    return {
        "id": p.id,
        "description": p.description,
        "unit": p.unit,
        "channel": CHANNEL_NAMES[p.channel],
        "status": STATUS_NAMES[p.status],
        "deadline": p.deadline.isoformat(),
        "deadline_text": fmt_date(p.deadline),
        "completed": p.completed_on.isoformat() if p.completed_on else "",
        "completed_text": fmt_date(p.completed_on),
        UNLINK_COLUMN: p.id,
    }


def problems_card(
    problems: Sequence[LinkedProblem], editable: bool, link_form: Any, notice: str | None
) -> dbc.Card:
    """The linked problems and their rectification, and the form to link more."""
    message = dbc.Alert(notice, color="success", className="py-2") if notice else None
    body: Any = (
        grid(
            Ids.PROBLEMS,
            problem_columns(editable),
            [problem_row(p) for p in problems],
            row_id="id",
            class_name="topic-problems",
        )
        if problems
        else html.P(T["topic_no_problems"], className="text-muted")
    )
    return dbc.Card(
        [
            dbc.CardHeader(html.Strong(T["topic_problems"].format(n=len(problems)))),
            dbc.CardBody([html.Div(message, id=UNLINK.message), body, link_form]),
        ],
        className="mb-3",
    )


def link_card(options: Sequence[tuple[int, str]]) -> Any:
    """Link more problems (only those the topic may have)."""
    return html.Div(
        form_card(
            LINK_FORM,
            T["topic_link"],
            [
                Field(
                    "problem_ids",
                    T["topic_link_field"],
                    "multiselect",
                    options=options,
                    width=12,
                )
            ],
            {"problem_ids": []},
            submit=T["topic_link_save"],
            meta={},
        ),
        className="mt-3",
    )


def visits_card(visits: Sequence[TopicVisit], search: str) -> dbc.Card:
    """The supervision visits that name the topic (its 检查记录)."""
    if visits:
        body: Any = grid(
            Ids.VISITS,
            [
                Column("date", T["topic_col_date"], text_field="date_text", width=128),
                Column("supervisors", T["topic_col_supervisors"], min_width=140, flex=2),
                Column("kind", T["topic_col_kind"], width=104),
                Column("open", "", LINK, href_field="href", width=80, filter=False),
            ],
            [
                {
                    "id": v.id,
                    "date": v.visited_on.isoformat(),
                    "date_text": fmt_date(v.visited_on),
                    "supervisors": v.supervisors,
                    "kind": VISIT_KIND_NAMES[v.kind],
                    "open": T["topic_visit_open"],
                    "href": f"/supervision?visit={v.id}",
                }
                for v in visits
            ],
            row_id="id",
            class_name="topic-visits",
        )
    else:
        body = html.P(T["topic_no_visits"], className="text-muted mb-0")
    return dbc.Card(
        [
            dbc.CardHeader(html.Strong(T["topic_visits"].format(n=len(visits)))),
            dbc.CardBody(body),
        ],
        className="mb-3",
    )


def withdraw_card(d: TopicDetail) -> dbc.Card:
    """Withdraw the topic (said twice: it no longer counts); a red button, unlike a save."""
    confirm = Field("confirm", T["topic_withdraw_confirm"], "checkbox", width=12)
    return dbc.Card(
        [
            dbc.CardHeader(html.Strong(T["topic_withdraw"])),
            dbc.CardBody(
                [
                    dbc.Row(field_group(WITHDRAW, confirm, False), className="g-2"),
                    dcc.Store(id=WITHDRAW.meta, data={"topic_id": d.id, "version": d.version}),
                    html.Div(id=WITHDRAW.message, className="mt-2"),
                    dbc.Button(
                        T["topic_withdraw"], id=WITHDRAW.save, color="danger", className="mt-1"
                    ),
                ]
            ),
        ],
        className="mb-3 admin-form",
        id=f"{WITHDRAW.prefix}-card",
    )


def history_card(history: History) -> dbc.Card:
    """Who changed the topic, when, and what it was before and after."""
    return dbc.Card(
        dbc.CardBody([html.H6(T["topic_history"]), history_table(history)]),
        className="mb-3",
        id="topic-history",
    )


def topic_page(
    d: TopicDetail,
    back: str,
    search: str,
    editable: bool,
    notices: dict[str, Any],
    linkable: Sequence[tuple[int, str]],
    history: History,
    files: Any = None,
) -> html.Div:
    """The whole topic page; `files`, the topic's attachment panel for those who may see its
    files (layouts/attachments.attachment_panel)."""
    texts = texts_card(d, notices.get(TEXTS.prefix)) if editable else texts_readonly(d)
    link_form = link_card(linkable) if editable else None
    notice = notices.get(LINK_FORM.prefix) or notices.get(UNLINK.prefix)
    side = [visits_card(d.visits, search)]
    if files is not None:
        side.append(html.Div(files, className="mb-3 bg-white rounded", id=Ids.FILES))
    if editable:
        side.append(withdraw_card(d))
    elif d.withdrawn_at is None:
        side.append(html.P(T["topic_readonly"], className="small text-muted"))
    return html.Div(
        [
            header_card(d, back),
            dbc.Row(
                [
                    dbc.Col(texts, xs=12, lg=6),
                    dbc.Col(side, xs=12, lg=6),
                ]
            ),
            problems_card(d.problems, editable, link_form, notice),
            history_card(history),
        ]
    )
