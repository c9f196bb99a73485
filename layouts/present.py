"""/present — 评议大会 projection mode: a 1920×1080 slide deck at one frozen as-of date.

The URL carries the campaign, the as-of date (the snapshot every slide uses), the theme
(`theme=light`, dark otherwise) and optional auto-advance (`auto=<seconds>`). Which slide is
shown is the browser's business (assets/present.js keeps it in the address's #fragment), so
refreshing the questions slide never reloads the deck or moves it.

A list longer than a slide holds (the overdue units, the meeting's questions) is cut into
pages inside its slide: every page is in the page, the browser shows one at a time (keys and
auto-advance step through the pages before the next slide) and a print shows them all, so the
handout lists every item.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any, TypeVar

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import params
from dashboard.charts.present import (
    HEATMAP_HEIGHT,
    Theme,
    evaluation_figure,
    heatmap_figure,
    projector_graph,
    rectification_figure,
    theme_of,
)
from dashboard.colors import BAD, GOOD, NEUTRAL, WARN, count_level, rate_level
from dashboard.ids import Briefings as BriefingIds
from dashboard.ids import Present as Ids
from dashboard.state import ViewState, parse_state, to_search
from dashboard.text import MISSING, T, fmt_date, fmt_int, fmt_rate
from data.figures import UnitFigures
from data.meetings import Deck, QuestionRow, QuestionSummary
from data.reference import ANSWER_MODE_NAMES, PHASE_NAMES, UnitGroup
from layouts.common import search_from_query

TITLE = T["present_title"]
Item = TypeVar("Item")

PAGE = dict(path="/present", name=TITLE, title=f"{TITLE} · {T['brand']}")

QUESTIONS_REFRESH_MS = 5000
MIN_AUTO_SECONDS = 5
MAX_AUTO_SECONDS = 3600
UNIT_LIMIT = 15
OVERDUE_PER_PAGE = 10
QUESTIONS_PER_PAGE = 5
STATE_LEVEL = {
    "on_the_spot": GOOD,
    "replied": GOOD,
    "replied_late": WARN,
    "overdue": BAD,
    "waiting": NEUTRAL,
    "pending": WARN,
}
STATE_TEXT = {
    "on_the_spot": T["unit_question_on_the_spot"],
    "replied": T["unit_question_replied"],
    "replied_late": T["unit_question_replied_late"],
    "overdue": T["unit_question_overdue"],
    "waiting": T["unit_question_waiting"],
    "pending": T["unit_question_pending"],
}


def auto_seconds(value: str | None) -> int | None:
    """The auto-advance interval a URL asks for (MIN_AUTO_SECONDS to MAX_AUTO_SECONDS), or
    None (also for what is not a number of seconds)."""
    seconds = params.integer(value, 1, MAX_AUTO_SECONDS)
    return None if seconds is None else max(MIN_AUTO_SECONDS, seconds)


def layout(**query: Any) -> html.Div:
    """The deck's frame; a callback fills the slides for the URL's campaign and as-of date."""
    search = search_from_query(query)
    state = parse_state(search)
    theme = theme_of(state.extra.get("theme"))
    auto = auto_seconds(state.extra.get("auto"))
    return html.Div(
        [
            dcc.Store(id=Ids.STATE, data=search),
            html.Div(id=Ids.CONTENT, className="present-stage"),
            dcc.Interval(id=Ids.QUESTIONS_TIMER, interval=QUESTIONS_REFRESH_MS),
            dcc.Interval(id=Ids.AUTO_TIMER, interval=(auto or 60) * 1000, disabled=auto is None),
            dcc.Store(id=Ids.AUTO_SINK),
        ],
        id=Ids.DECK,
        className=f"present-root present-{theme.name}",
    )


def _heading(title: str) -> html.Header:
    return html.Header(html.H2(title, className="present-h2"), className="present-head")


def _slide(n: int, total: int, title: str | None, body: Any, deck: Deck) -> html.Section:
    """One 1920×1080 slide: its heading, its body, and a footer naming the snapshot."""
    footer = html.Footer(
        [
            html.Span(deck.title),
            html.Span(T["present_as_of"].format(date=fmt_date(deck.as_of))),
            html.Span(T["present_slide_of"].format(n=n, total=total), className="present-pageno"),
        ],
        className="present-foot",
    )
    return html.Section(
        [_heading(title) if title else None, html.Div(body, className="present-body"), footer],
        id=f"{Ids.SLIDE}-{n}",
        className="present-slide",
    )


def _switch_theme(state: ViewState, theme: Theme) -> str:
    """The same deck in the other theme."""
    other = "light" if theme.name == "dark" else "dark"
    return f"{PAGE['path']}{to_search(replace(state, extra={**state.extra, 'theme': other}))}"


def _published_line(deck: Deck) -> html.Div | None:
    """On a published deck: which snapshot, when and what for, and its digest."""
    if deck.published is None:
        return None
    p = deck.published
    return html.Div(
        T["present_published"].format(
            id=p.snapshot_id,
            when=p.published_at.strftime("%Y-%m-%d %H:%M"),
            purpose=p.purpose,
            digest=p.digest[:16],
        ),
        className="present-published",
        id="present-published",
    )


def title_body(deck: Deck, state: ViewState, theme: Theme) -> list[Any]:
    """The title slide: campaign, meeting date, the snapshot date and the presenter's controls."""
    meeting = (
        T["present_meeting"].format(date=fmt_date(deck.meeting_date))
        if deck.meeting_date
        else T["present_no_meeting"]
    )
    return [
        html.Div(T["present_kicker"], className="present-kicker"),
        html.H1(deck.title, className="present-h1"),
        html.Div(meeting, className="present-subtitle"),
        html.Div(
            T["present_as_of"].format(date=fmt_date(deck.as_of)),
            className="present-asof",
        ),
        _published_line(deck),
        html.Div(
            [
                dbc.Input(
                    id=Ids.AS_OF,
                    type="date",
                    value=deck.as_of.isoformat(),
                    debounce=True,
                    className="present-date",
                ),
                dcc.Link(
                    T["present_theme_light"] if theme.name == "dark" else T["present_theme_dark"],
                    href=_switch_theme(state, theme),
                    className="present-control",
                    id=Ids.THEME_LINK,
                ),
                dcc.Link(
                    T["present_q_entry"],
                    href=f"/present/questions{to_search(state)}",
                    className="present-control",
                    target="_blank",
                ),
                dcc.Store(id=BriefingIds.PRESENT_YEAR, data=deck.year),  # #18: latest briefing
                html.Span(id=BriefingIds.PRESENT_LINK),
                html.Span(T["present_keys"], className="present-hint"),
            ],
            className="present-controls no-print",
        ),
    ]


def _tile(label: str, value: str, level: str, big: bool = True) -> html.Div:
    return html.Div(
        [
            html.Div(value, className=f"present-value level-{level}"),
            html.Div(label, className="present-label"),
        ],
        className="present-tile" + (" present-tile-big" if big else ""),
    )


def figures_body(deck: Deck) -> list[Any]:
    """The headline figures in very large type."""
    f = deck.figures
    tiles = [
        (T["present_fig_problems"], fmt_int(f.problems), NEUTRAL),
        (T["present_fig_rectified"], fmt_int(f.rectified), NEUTRAL),
        (
            T["present_fig_rate"],
            fmt_rate(f.rectification_rate),
            rate_level(f.rectification_rate, deck.threshold),
        ),
        (T["present_fig_on_time"], fmt_rate(f.on_time_rate), rate_level(f.on_time_rate)),
        (T["present_fig_overdue"], fmt_int(f.overdue_problems), count_level(f.overdue_problems)),
        (T["present_fig_complaints"], fmt_int(f.complaints), NEUTRAL),
    ]
    return [
        html.Div([_tile(*tile) for tile in tiles], className="present-tiles"),
        html.Div(
            T["present_fig_units"].format(n=len(f.by_unit)), className="present-note text-center"
        ),
    ]


def phases_body(deck: Deck) -> list[Any]:
    """The four phases: window, share of tasks done, the current one marked."""
    f = deck.figures
    rows = []
    for code, name in PHASE_NAMES.items():
        progress = f.phase_progress.get(code)
        window = f.phase_windows.get(code)
        dates = (
            T["present_phase_dates"].format(start=fmt_date(window[0]), end=fmt_date(window[1]))
            if window
            else MISSING
        )
        width = f"{(progress or 0) * 100:.1f}%"
        rows.append(
            html.Div(
                [
                    html.Div(name, className="present-phase-name"),
                    html.Div(dates, className="present-phase-dates"),
                    html.Div(
                        html.Div(
                            className=f"present-bar-fill level-bg-{rate_level(progress)}",
                            style={"width": width},
                        ),
                        className="present-bar",
                    ),
                    html.Div(fmt_rate(progress), className="present-phase-rate"),
                ],
                className="present-phase"
                + (" present-phase-current" if code == f.current_phase else ""),
            )
        )
    current = (
        T["present_phase_current"].format(phase=PHASE_NAMES[f.current_phase], days=f.days_left or 0)
        if f.current_phase
        else T["present_phase_none"]
    )
    return [html.Div(rows, className="present-phases"), html.Div(current, className="present-note")]


def _months(deck: Deck) -> list[str]:
    """The months the heatmap spans: the campaign's months up to the as-of date."""
    return list(deck.figures.complaints_by_month)


def group_units(deck: Deck, group: str) -> list[UnitFigures]:
    """The units of one group (agency or legal service)."""
    return [u for u in deck.figures.by_unit if u.group == group]


def rectification_body(deck: Deck, group: str, theme: Theme) -> list[Any]:
    """One group's units by rectification rate, lowest first, with the group's overall rate."""
    units = group_units(deck, group)
    rated = [u for u in units if u.rectification_rate is not None]
    rectified = sum(u.rectified for u in units)
    base = sum(u.problems - u.unfounded for u in units)
    overall = rectified / base if base else None
    note = T["present_rect_note"].format(
        shown=min(UNIT_LIMIT, len(rated)), total=len(units), rate=fmt_rate(overall)
    )
    figure = rectification_figure(units, theme, deck.threshold, UNIT_LIMIT)
    return [
        html.Div(note, className="present-note"),
        projector_graph(Ids.graph(f"rect-{group}"), figure),
    ]


def overdue_units(deck: Deck) -> list[UnitFigures]:
    """Units with an overdue problem or task, the most overdue problems first."""
    units = [u for u in deck.figures.by_unit if u.overdue_problems or u.overdue_tasks]
    return sorted(
        units,
        key=lambda u: (-u.overdue_problems, -(u.max_days_overdue or 0), -u.overdue_tasks, u.unit),
    )


def pages_of(items: Sequence[Item], size: int) -> list[list[Item]]:
    """`items` cut into pages of `size` (at least one page, maybe empty)."""
    return [list(items[i : i + size]) for i in range(0, len(items), size)] or [[]]


def page_attrs(page: int, class_name: str = "") -> dict[str, str]:
    """What marks an element as one page of its slide's list (assets/present.js shows one)."""
    return {"className": f"present-page {class_name}".strip(), "data-page": str(page)}


def page_labels(total: int) -> Any:
    """ "第 k / n 页" for each page of a list that has more than one (hidden in print)."""
    if total < 2:
        return None
    return html.Div(
        [
            html.Div(
                T["present_page_of"].format(page=k, total=total),
                **page_attrs(k, "present-page-label"),
            )
            for k in range(1, total + 1)
        ],
        className="present-page-labels",
    )


def pager(children: list[Any], total: int) -> html.Div:
    """A slide's paged list: its pages and their labels; `data-pages` tells the browser how many
    pages the keys and auto-advance step through before the next slide."""
    return html.Div(
        [*children, page_labels(total)],
        className="present-pager",
        **{"data-pages": str(total)},
    )


def _overdue_row(u: UnitFigures, threshold: float) -> html.Tr:
    return html.Tr(
        [
            html.Td(u.unit, className="present-cell-unit"),
            html.Td(fmt_int(u.overdue_problems), className=_num(count_level(u.overdue_problems))),
            html.Td(
                fmt_int(u.max_days_overdue),
                className=_num(BAD if u.max_days_overdue else NEUTRAL),
            ),
            html.Td(fmt_int(u.overdue_tasks), className=_num(count_level(u.overdue_tasks))),
            html.Td(
                fmt_rate(u.rectification_rate),
                className=_num(rate_level(u.rectification_rate, threshold)),
            ),
        ]
    )


def overdue_body(deck: Deck) -> list[Any]:
    """Every overdue unit in a large-type table, a page of rows at a time (one <tbody> a page,
    so the header stays, and repeats on every printed page)."""
    units = overdue_units(deck)
    if not units:
        return [html.Div(T["present_overdue_none"], className="present-empty level-good")]
    header = [
        T["present_col_unit"],
        T["present_col_overdue"],
        T["present_col_days"],
        T["present_col_tasks"],
        T["present_col_rate"],
    ]
    pages = pages_of(units, OVERDUE_PER_PAGE)
    bodies = [
        html.Tbody([_overdue_row(u, deck.threshold) for u in rows], **page_attrs(k))
        for k, rows in enumerate(pages, start=1)
    ]
    table = html.Table(
        [html.Thead(html.Tr([html.Th(h) for h in header])), *bodies],
        className="present-table",
        id=Ids.OVERDUE_TABLE,
    )
    return [
        html.Div(T["present_overdue_note"].format(n=len(units)), className="present-note"),
        pager([table], len(pages)),
    ]


def _num(level: str) -> str:
    return f"present-num level-{level}"


def evaluation_body(deck: Deck, group: str, theme: Theme) -> list[Any]:
    """One group's evaluation result in rank order (ranked within the group only)."""
    evaluations = [e for e in deck.evaluations if e.group == group]
    ranked = [e for e in evaluations if e.rank is not None]
    note = T["present_eval_note"].format(shown=min(UNIT_LIMIT, len(ranked)), total=len(evaluations))
    figure = evaluation_figure(evaluations, theme, UNIT_LIMIT)
    return [
        html.Div(note, className="present-note"),
        projector_graph(Ids.graph(f"eval-{group}"), figure),
    ]


def _question_item(q: QuestionRow) -> html.Li:
    """One question: who asked about which unit, the question, and where its answer stands."""
    state = STATE_TEXT.get(q.state, ANSWER_MODE_NAMES.get(q.mode, q.mode))
    detail = state
    if q.mode == "follow_up" and q.deadline:
        detail = f"{state} · {T['present_q_deadline'].format(date=fmt_date(q.deadline))}"
    if q.follow_ups:
        detail += T["present_q_rectified"].format(done=q.follow_ups_rectified, total=q.follow_ups)
    return html.Li(
        [
            html.Div(
                [
                    html.Span(q.asker, className="present-q-asker"),
                    html.Span(q.unit or T["present_q_general"], className="present-q-unit"),
                    html.Span(
                        detail,
                        className=f"present-q-state level-{STATE_LEVEL.get(q.state, NEUTRAL)}",
                    ),
                ],
                className="present-q-meta",
            ),
            html.Div(q.question, className="present-q-text"),
        ],
        className="present-q",
    )


def questions_body(summary: QuestionSummary, questions: list[QuestionRow]) -> list[Any]:
    """The meeting's questions counted by answer state, then every one of them, a page at a
    time (waiting ones first)."""
    s = summary
    tiles = [
        (T["present_q_total"], fmt_int(s.total), NEUTRAL),
        (T["present_q_pending"], fmt_int(s.pending), WARN if s.pending else GOOD),
        (T["present_q_spot"], fmt_int(s.on_the_spot), NEUTRAL),
        (T["present_q_follow"], fmt_int(s.follow_up), NEUTRAL),
        (T["present_q_replied"], fmt_int(s.replied), GOOD if s.replied else NEUTRAL),
        (T["present_q_overdue"], fmt_int(s.overdue), count_level(s.overdue)),
    ]
    pages = pages_of(questions, QUESTIONS_PER_PAGE)
    items: Any = (
        pager(
            [
                html.Ol(
                    [_question_item(q) for q in rows],
                    start=(k - 1) * QUESTIONS_PER_PAGE + 1,
                    **page_attrs(k, "present-q-list"),
                )
                for k, rows in enumerate(pages, start=1)
            ],
            len(pages),
        )
        if questions
        else html.Div(T["present_q_none"], className="present-empty")
    )
    return [
        html.Div(
            [_tile(*t, big=False) for t in tiles], className="present-tiles present-tiles-small"
        ),
        html.Div(
            T["present_q_problems"].format(n=s.follow_up_problems, done=s.follow_up_rectified),
            className="present-note",
        ),
        items,
    ]


def deck_body(deck: Deck, state: ViewState) -> list[Any]:
    """Every slide, then the dots that jump to them."""
    theme = theme_of(state.extra.get("theme"))
    agency, legal = UnitGroup.AGENCY, UnitGroup.LEGAL_SERVICE
    slides: list[tuple[str | None, str, Any]] = [
        (None, deck.title, title_body(deck, state, theme)),
        (T["present_s_figures"], "", figures_body(deck)),
        (T["present_s_phases"], "", phases_body(deck)),
        (
            T["present_s_heatmap"],
            "",
            projector_graph(
                Ids.graph("heatmap"),
                heatmap_figure(deck.complaints, _months(deck), theme),
                HEATMAP_HEIGHT,
            ),
        ),
        (T["present_s_rect_agency"], "", rectification_body(deck, agency, theme)),
        (T["present_s_rect_legal"], "", rectification_body(deck, legal, theme)),
        (T["present_s_overdue"], "", overdue_body(deck)),
        (T["present_s_eval_agency"], "", evaluation_body(deck, agency, theme)),
        (T["present_s_eval_legal"], "", evaluation_body(deck, legal, theme)),
        (
            T["present_s_questions"],
            "",
            html.Div(
                questions_body(deck.summary, deck.questions),
                id=Ids.QUESTIONS,
                className="present-fill",
            ),
        ),
    ]
    total = len(slides)
    sections = [
        _slide(n, total, heading, body, deck)
        for n, (heading, _, body) in enumerate(slides, start=1)
    ]
    dots = [
        html.Button(
            str(n),
            className="present-dot",
            title=T["present_dot"].format(n=n, title=heading or name),
            **{
                "data-slide": str(n),
                "aria-label": T["present_dot"].format(n=n, title=heading or name),
            },
        )
        for n, (heading, name, _) in enumerate(slides, start=1)
    ]
    return [
        html.Div(sections, className="present-slides"),
        html.Nav(dots, className="present-dots no-print", id=Ids.DOTS),
    ]
