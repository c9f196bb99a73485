"""/present/questions — entering the 评议大会's questions and the leader's answers live.

Supervisors (and admins) type here on a laptop while the deck is projected; the deck's
questions slide picks up what they save within a few seconds.
"""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.ids import ANSWER_FORM, QUESTION_FORM
from dashboard.ids import PresentQuestions as Ids
from dashboard.state import parse_state, to_search
from dashboard.text import MISSING, T, fmt_date
from data.form_tokens import with_token
from data.labels import QUESTION, QUESTION_FORMS, pick
from data.meetings import QuestionRow
from data.reference import CRITERIA, KIND_NAMES, Role
from layouts.common import page_skeleton
from layouts.forms import dropdown, field_message
from layouts.grid import Column, grid

TITLE = T["pq_title"]

PAGE = dict(path="/present/questions", name=TITLE, title=f"{TITLE} · {T['brand']}")
WRITERS = (Role.SUPERVISOR, Role.ADMIN)
QUESTION_FIELDS = ("representative_id", "asker", "unit_id", "question")
ANSWER_FIELDS = ("question_id", "mode", "answer", "deadline", "criterion_code")
# Every name the two forms give a field: on screen, and in the messages of a refused save.
LABELS = pick(QUESTION_FORMS, *QUESTION_FIELDS, *ANSWER_FIELDS)
# How a question was answered, as the list says it (any other mode: 会后反馈).
MODE_NAMES = {"pending": T["unit_question_pending"], "on_the_spot": T["present_q_spot"]}


def layout(**query: Any) -> html.Div:
    """The page skeleton; a callback fills the forms and the list."""
    return page_skeleton(TITLE, query, Ids.STATE, Ids.CONTENT)


def question_card(reps: list[tuple[int, str, str]], units: list[tuple[int, str, str]]) -> dbc.Card:
    """The new-question form: who asked, about which unit, what."""
    return dbc.Card(
        [
            dbc.CardHeader(html.H6(T["pq_new"], className="mb-0")),
            dbc.CardBody(
                [
                    dbc.Label(LABELS["representative_id"], html_for=Ids.REP),
                    dropdown(
                        id=Ids.REP,
                        options=[
                            {"label": T["pq_rep_option"].format(name=n, sector=s), "value": i}
                            for i, n, s in reps
                        ],
                        placeholder=T["pq_rep_hint"],
                    ),
                    field_message(QUESTION_FORM, "representative_id"),
                    dbc.Label(LABELS["asker"], html_for=Ids.ASKER, className="mt-2"),
                    dbc.Input(id=Ids.ASKER, maxLength=100),
                    field_message(QUESTION_FORM, "asker"),
                    dbc.Label(LABELS["unit_id"], html_for=Ids.UNIT, className="mt-2"),
                    dropdown(
                        id=Ids.UNIT,
                        options=[
                            {
                                "label": T["pq_unit_option"].format(
                                    name=n, kind=KIND_NAMES.get(k, k)
                                ),
                                "value": i,
                            }
                            for i, n, k in units
                        ],
                        placeholder=T["pq_unit_hint"],
                    ),
                    field_message(QUESTION_FORM, "unit_id"),
                    dbc.Label(LABELS["question"], html_for=Ids.QUESTION, className="mt-2"),
                    dbc.Textarea(id=Ids.QUESTION, rows=3, maxLength=2000),
                    field_message(QUESTION_FORM, "question"),
                    dbc.Button(T["pq_add"], id=Ids.ADD, color="primary", className="mt-3"),
                    html.Div(id=Ids.ADD_MESSAGE, className="mt-2"),
                    dcc.Store(id=Ids.ADD_META, data=with_token()),
                ]
            ),
        ],
        className="mb-3",
    )


def answer_card() -> dbc.Card:
    """The answer form: which question, 当场答复 or 会后反馈 with a deadline."""
    modes = [
        {"label": T["present_q_spot"], "value": "on_the_spot"},
        {"label": T["present_q_follow"], "value": "follow_up"},
    ]
    return dbc.Card(
        [
            dbc.CardHeader(html.H6(T["pq_answer_title"], className="mb-0")),
            dbc.CardBody(
                [
                    dbc.Label(LABELS["question_id"], html_for=Ids.PICK),
                    dropdown(id=Ids.PICK, placeholder=T["pq_pick_hint"]),
                    field_message(ANSWER_FORM, "question_id"),
                    dbc.Label(LABELS["mode"], className="mt-2"),
                    dbc.RadioItems(id=Ids.MODE, options=modes, value="on_the_spot", inline=True),
                    field_message(ANSWER_FORM, "mode"),
                    dbc.Label(LABELS["answer"], html_for=Ids.ANSWER, className="mt-2"),
                    dbc.Textarea(id=Ids.ANSWER, rows=2, maxLength=5000),
                    field_message(ANSWER_FORM, "answer"),
                    dbc.Row(
                        [
                            dbc.Col(
                                [
                                    dbc.Label(LABELS["deadline"], html_for=Ids.DEADLINE),
                                    dbc.Input(id=Ids.DEADLINE, type="date"),
                                    field_message(ANSWER_FORM, "deadline"),
                                ],
                                md=5,
                            ),
                            dbc.Col(
                                [
                                    dbc.Label(LABELS["criterion_code"], html_for=Ids.CRITERION),
                                    dropdown(id=Ids.CRITERION, placeholder=T["pq_criterion_hint"]),
                                    field_message(ANSWER_FORM, "criterion_code"),
                                ],
                                md=7,
                            ),
                        ],
                        className="mt-2",
                    ),
                    dbc.Button(
                        T["pq_save_answer"], id=Ids.SAVE_ANSWER, color="primary", className="mt-3"
                    ),
                    html.Div(id=Ids.ANSWER_MESSAGE, className="mt-2"),
                ]
            ),
        ],
        className="mb-3",
    )


def pending_options(questions: list[QuestionRow]) -> list[dict[str, Any]]:
    """The questions still waiting for an answer, as dropdown options."""
    return [
        {
            "label": T["pq_pending_option"].format(asker=q.asker, question=q.question[:40]),
            "value": q.id,
        }
        for q in questions
        if q.mode == "pending"
    ]


def pending_meta(questions: list[QuestionRow]) -> dict[str, Any]:
    """Question id → its version and its unit's kind (the answer form's criterion choices)."""
    return {
        str(q.id): {"version": q.version, "kind": q.unit_kind}
        for q in questions
        if q.mode == "pending"
    }


def criterion_options(codes: list[str]) -> list[dict[str, str]]:
    """Criteria as dropdown options."""
    return [{"label": CRITERIA[code][0], "value": code} for code in codes]


def question_columns() -> list[Column]:
    """The list's columns (a wide screen): the question's text wraps, the rest stays on a line."""
    return [
        Column("asked_on", T["pq_col_date"], text_field="asked_on_text", width=130),
        Column("asker", QUESTION["asker"], width=130),
        Column("unit", QUESTION["unit_id"], min_width=160, flex=1, wrap=True),
        Column("question", T["pq_col_question"], min_width=260, flex=3, wrap=True),
        Column("mode", QUESTION["answer_mode"], width=120),
        Column("deadline", QUESTION["reply_deadline"], text_field="deadline_text", width=140),
    ]


def question_row(q: QuestionRow) -> dict[str, Any]:
    """One question as a row of plain values (dates sort as ISO dates, show as 2024年6月3日)."""
    return {
        "id": q.id,
        "asked_on": q.asked_on.isoformat(),
        "asked_on_text": fmt_date(q.asked_on),
        "asker": q.asker,
        "unit": q.unit or T["present_q_general"],
        "question": q.question,
        "mode": MODE_NAMES.get(q.mode, T["present_q_follow"]),
        "deadline": q.deadline.isoformat() if q.deadline else "",
        "deadline_text": fmt_date(q.deadline) if q.deadline else MISSING,
    }


def _cell(label: str, value: Any, class_name: str = "") -> html.Td:
    """One line of a phone's card; `data-label` names its column (assets/present.css)."""
    return html.Td(value, className=class_name or None, **{"data-label": label})


def question_cards(rows: list[dict[str, Any]]) -> dbc.Table:
    """The same rows as one card a question, for a phone (assets/present.css makes each table
    row a card, a line a column), so 反馈时限 is on screen without scrolling sideways."""
    columns = question_columns()
    shown = [c.text_field or c.field for c in columns]
    return dbc.Table(
        html.Tbody(
            [
                html.Tr(
                    [
                        _cell(c.header, row[field], "pq-question" if c.field == "question" else "")
                        for c, field in zip(columns, shown, strict=True)
                    ],
                    className="pq-row",
                )
                for row in rows
            ]
        ),
        size="sm",
        striped=True,
        className="mb-0 pq-table",
    )


def question_list(questions: list[QuestionRow]) -> Any:
    """Every question of the meeting (waiting ones on top, newest first): a grid that sorts
    and filters from 768 px up, a card a question below (Bootstrap's d-md-* classes)."""
    if not questions:
        return html.Div(T["present_q_none"], className="empty-state text-muted py-3")
    rows = [question_row(q) for q in questions]
    return html.Div(
        [
            html.Div(
                grid(Ids.GRID, question_columns(), rows, row_id="id"), className="d-none d-md-block"
            ),
            html.Div(question_cards(rows), className="d-md-none"),
        ]
    )


def questions_page(
    may_write: bool,
    search: str,
    reps: list[tuple[int, str, str]],
    units: list[tuple[int, str, str]],
    questions: list[QuestionRow],
) -> html.Div:
    """The whole page: forms for writers (a notice for others), then the list."""
    deck_href = f"/present{to_search(parse_state(search))}"
    forms: Any = (
        dbc.Row(
            [
                dbc.Col(question_card(reps, units), lg=6),
                dbc.Col(answer_card(), lg=6),
            ]
        )
        if may_write
        else dbc.Alert(T["pq_readonly"], color="secondary")
    )
    return html.Div(
        [
            html.Div(
                dcc.Link(
                    T["pq_open_deck"], href=deck_href, className="btn btn-outline-primary btn-sm"
                ),
                className="mb-2",
            ),
            forms,
            dbc.Card(
                [
                    dbc.CardHeader(html.H6(T["pq_list"], className="mb-0")),
                    dbc.CardBody(html.Div(question_list(questions), id=Ids.LIST)),
                ]
            ),
            dcc.Store(id=Ids.PENDING, data=pending_meta(questions)),
        ]
    )
