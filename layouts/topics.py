"""/topics — 评议选题 (#18 item 1): the campaign's topics with their completeness, a note on units
outside 2–3 topics, the form to create one, and the candidates suggested from the problems."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.ids import FormIds
from dashboard.ids import Topics as Ids
from dashboard.text import MISSING, T
from data.form_tokens import with_token
from data.labels import LIST_SEPARATOR
from data.reference import CRITERIA
from data.topics import Suggestion, TopicCount, TopicRow
from layouts.common import empty_state, search_from_query
from layouts.forms import Field, dropdown, form_card
from layouts.grid import LINK, NUMBER, Column, grid

TITLE = T["topics_title"]
PAGE = dict(path="/topics", name=TITLE, title=f"{TITLE} · {T['brand']}")
CREATE = FormIds(Ids.CREATE)
NOTE_UNITS = 8  # units a note names before 等
BUREAU = ""  # the suggestions' chooser value for the bureau's own (全系统) candidates


def layout(**query: Any) -> html.Div:
    """The page skeleton; a callback fills it."""
    return html.Div(
        [
            html.H4(TITLE, className="page-title mt-2 mb-3"),
            dcc.Store(id=Ids.STATE, data=search_from_query(query)),
            dcc.Store(id=Ids.REFRESH),
            dcc.Store(id=Ids.SUGGESTION_DATA, data=[]),
            html.Div(id=Ids.CONTENT, className="page-body"),
        ]
    )


def topic_href(topic_id: int, search: str = "") -> str:
    """The address of a topic's page, keeping the shared view (campaign, date)."""
    return f"/topics/{topic_id}{search}"


def unit_name(unit: str | None) -> str:
    """A topic's unit, or 全局 for the bureau's own."""
    return unit or T["topics_bureau"]


def topic_columns() -> list[Column]:
    """Unit, title (opens the topic), criterion, linked problems, completeness n/4."""
    return [
        Column("unit", T["topics_col_unit"], min_width=150, flex=2, wrap=True),
        Column(
            "title",
            T["topics_col_title"],
            LINK,
            href_field="href",
            min_width=180,
            flex=3,
            wrap=True,
        ),
        Column("criterion", T["topics_col_criterion"], width=110),
        Column("problems", T["topics_col_problems"], NUMBER, width=100),
        Column(
            "rectified",
            T["topics_col_rectified"],
            NUMBER,
            text_field="rectified_text",
            width=100,
        ),
        Column(
            "done",
            T["topics_col_done"],
            NUMBER,
            text_field="done_text",
            level_field="done_level",
            width=104,
        ),
    ]


def topic_row(r: TopicRow, search: str) -> dict[str, Any]:
    """One topic as plain values."""
    done = r.completeness.done
    return {
        "id": r.id,
        "unit": unit_name(r.unit),
        "title": r.title,
        "href": topic_href(r.id, search),
        "criterion": CRITERIA[r.criterion_code][0] if r.criterion_code else MISSING,
        "problems": r.problems,
        "rectified": r.rectified,
        "rectified_text": f"{r.rectified}/{r.problems}" if r.problems else MISSING,
        "done": done,
        "done_text": f"{done}/4",
        "done_level": "good" if done == 4 else ("bad" if done == 0 else ""),
    }


def topic_grid(rows: Sequence[TopicRow], search: str, year: int) -> Any:
    """The campaign's topics, or a line saying there are none."""
    if not rows:
        return empty_state(T["topics_none"].format(year=year))
    return grid(
        Ids.GRID,
        topic_columns(),
        [topic_row(r, search) for r in rows],
        row_id="id",
        class_name="topics-grid",
    )


def _names(counts: Sequence[TopicCount]) -> str:
    names = [T["topics_unit_count"].format(unit=c.unit, n=c.topics) for c in counts[:NOTE_UNITS]]
    more = T["topics_and_more"] if len(counts) > NOTE_UNITS else ""
    return LIST_SEPARATOR.join(names) + more


def count_note(counts: Sequence[TopicCount], own_unit: bool) -> Any:
    """A gentle note on units with fewer than 2 or more than 3 topics (not a refusal)."""
    if not counts:
        return None
    if own_unit:
        c = counts[0]
        words = T["topics_few"] if c.topics < 2 else T["topics_more"]
        lines = [words.format(unit=c.unit, n=c.topics)]
    else:
        few = [c for c in counts if c.topics < 2]
        many = [c for c in counts if c.topics > 3]
        lines = []
        if few:
            lines.append(T["topics_few_many"].format(n=len(few), units=_names(few)))
        if many:
            lines.append(T["topics_more_many"].format(n=len(many), units=_names(many)))
    return dbc.Alert(
        [html.Div(line) for line in lines], color="info", className="py-2 small topics-note"
    )


def create_fields(
    units: Sequence[tuple[int, str]],
    problems: Sequence[tuple[int, str]],
    criteria: Sequence[tuple[str, str]],
    fixed_unit: bool,
) -> list[Field]:
    """The create form: unit (unit staff: their own, fixed), title, criterion, reason, problems."""
    unit = Field(
        "unit_id",
        T["topics_unit"],
        "select",
        options=units,
        required=fixed_unit,
        placeholder=None if fixed_unit else T["topics_unit_hint"],
    )
    return [
        unit,
        Field("criterion_code", T["topics_criterion"], "select", options=criteria),
        Field("title", T["topics_title_field"], required=True, width=12),
        Field("reason", T["topics_reason"], "textarea", width=12),
        Field(
            "problem_ids",
            T["topics_problems"],
            "multiselect",
            options=problems,
            help=T["topics_problems_hint"],
            width=12,
        ),
    ]


def create_card(fields: list[Field], values: dict[str, Any], notice: str | None) -> dbc.Card:
    """The form to create a topic (a new one each time it is drawn: saved once)."""
    return form_card(
        CREATE,
        T["topics_create"],
        fields,
        values,
        submit=T["topics_create_save"],
        meta=with_token({}),
        notice=notice,
        intro=html.P(T["topics_create_hint"], className="small text-muted mb-2"),
    )


def suggestions_card(chooser: Any) -> dbc.Card:
    """The candidates, for the unit the chooser names; a callback fills the list."""
    return dbc.Card(
        [
            dbc.CardHeader(html.Strong(T["topics_suggest"])),
            dbc.CardBody(
                [
                    html.P(T["topics_suggest_intro"], className="small text-muted mb-2"),
                    chooser,
                    dcc.Loading(html.Div(id=Ids.SUGGESTIONS, className="mt-2"), delay_show=300),
                ]
            ),
        ],
        className="mb-3 topics-suggest",
    )


def suggest_chooser(units: Sequence[tuple[int, str]], fixed: int | None) -> Any:
    """Which unit the candidates are for: unit staff their own; others any unit or 全局."""
    options = [{"label": name, "value": uid} for uid, name in units]
    if fixed is None:
        options.insert(0, {"label": T["topics_bureau"], "value": BUREAU})
    return html.Div(
        [
            dbc.Label(T["topics_suggest_unit"], className="small fw-semibold mb-1"),
            dropdown(
                id=Ids.SUGGEST_UNIT,
                options=options,
                value=fixed if fixed is not None else BUREAU,
                clearable=False,
                disabled=fixed is not None,
                className="form-dropdown",
            ),
        ]
    )


def plain(text: str) -> str:
    """A core text as read: its numbers (#) said as 若干."""
    return text.replace("#", T["topics_some"])


def suggestion_item(index: int, s: Suggestion, usable: bool) -> html.Li:
    """One candidate: criterion, sample wording, counts, other wordings, and its button."""
    counts = T["topics_suggest_counts"].format(n=s.count, c=s.complaints)
    if s.units > 1:
        counts += T["topics_suggest_units"].format(n=s.units)
    others = [plain(w) for w in s.wordings[1:4]]
    return html.Li(
        [
            html.Div(
                [
                    dbc.Badge(CRITERIA[s.criterion_code][0], color="secondary", className="me-2"),
                    html.Span(plain(s.sample), className="fw-semibold"),
                ]
            ),
            html.Div(counts, className="small text-muted"),
            html.Div(
                T["topics_suggest_wordings"].format(texts=LIST_SEPARATOR.join(others)),
                className="small text-muted",
            )
            if others
            else None,
            dbc.Button(
                T["topics_suggest_use"],
                id=Ids.use(index),
                size="sm",
                color="outline-primary",
                className="mt-1",
            )
            if usable
            else None,
        ],
        className="list-group-item topics-suggestion",
    )


def suggestion_list(found: Sequence[Suggestion], usable: bool) -> Any:
    """The candidates, most complained-about first."""
    if not found:
        return html.P(T["topics_suggest_none"], className="text-muted small mb-0")
    return html.Ul(
        [suggestion_item(i, s, usable) for i, s in enumerate(found)],
        className="list-group topics-suggestions",
    )


def topics_page(
    note: Any, table: Any, form: Any, suggest: Any, year: int, n: int, readonly: bool
) -> html.Div:
    """The note, the topics, and beside them (for those who write) the form; the candidates."""
    head = [
        html.P(T["topics_intro"], className="small text-muted"),
        note,
        dbc.Alert(T["topics_readonly"], color="light", className="py-2 small")
        if readonly
        else None,
    ]
    listing = [html.H5(T["topics_list"].format(year=year, n=n)), table]
    if form is None:
        return html.Div([*head, *listing, suggest])
    return html.Div(
        [
            *head,
            dbc.Row(
                [
                    dbc.Col([*listing, html.Div(suggest, className="mt-3")], xs=12, lg=7),
                    dbc.Col(form, xs=12, lg=5),
                ]
            ),
        ]
    )
