"""The 评议大会 callbacks: the deck, its live questions slide, and the question-entry page."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import dash_bootstrap_components as dbc
from dash import (
    ClientsideFunction,
    Input,
    Output,
    State,
    callback,
    clientside_callback,
    dcc,
    html,
    no_update,
)
from dash.exceptions import PreventUpdate
from sqlalchemy.orm import Session

from callbacks.content import read_view
from callbacks.forms import Refusals, checked_save, feedback_names
from dashboard import params
from dashboard.auth import Account, current_account
from dashboard.context import get_db, today
from dashboard.ids import ANSWER_FORM, QUESTION_FORM, Shell
from dashboard.ids import Present as Ids
from dashboard.ids import PresentQuestions as Q
from dashboard.state import ViewState, parse_state, to_search
from dashboard.text import T, fmt_date
from dashboard.view import reads_every_unit, resolve_view
from data.form_tokens import META_KEY, with_token
from data.forms import FormError, parse_date
from data.meetings import add_question as add_meeting_question
from data.meetings import (
    answer_form,
    answer_question,
    deck_data,
    list_questions,
    question_form,
    question_summary,
    representatives,
)
from data.snapshots import published_deck, snapshot_of
from data.supervision import applicable_criteria, units_for_selection
from layouts.common import empty_state
from layouts.present import deck_body, questions_body
from layouts.present_questions import (
    LABELS,
    WRITERS,
    criterion_options,
    pending_meta,
    pending_options,
    question_list,
    questions_page,
)


def _notice(text: str) -> html.Div:
    """What the deck shows instead of slides, with the way back (the app's frame is hidden)."""
    return html.Div(
        [empty_state(text), dcc.Link(T["nav_overview"], href="/", className="present-control")],
        className="present-notice",
    )


@callback(
    Output(Ids.CONTENT, "children"),
    Output(Shell.URL, "search", allow_duplicate=True),
    Input(Ids.STATE, "data"),
    prevent_initial_call="initial_duplicate",
)
def render_deck(search: str | None) -> tuple[Any, Any]:
    """Every slide for the URL's campaign at its as-of date (frozen into the URL when missing);
    the deck shows every unit's records, so not to unit staff."""
    if not reads_every_unit(current_account()):
        return _notice(T["present_denied"]), no_update
    state = parse_state(search)
    if "snapshot" in state.extra:
        return _published(state)
    if state.as_of is None:
        return no_update, to_search(replace(state, as_of=today()))
    with read_view(search) as (session, view):
        if view is None:
            return _notice(T["no_campaign"]), no_update
        deck = deck_data(session, view.year, view.as_of)
    return deck_body(deck, view.state), no_update


def _published(state: ViewState) -> tuple[Any, Any]:
    """The deck as published (`?snapshot=ID`): every slide as the records stood when the
    snapshot was published; the address names its campaign and date."""
    snapshot_id = params.record_id(state.extra.get("snapshot"))
    with get_db().read() as session:
        snapshot = snapshot_of(session, snapshot_id) if snapshot_id else None
        if snapshot is None:
            return _notice(T["present_snapshot_missing"]), no_update
        if (state.campaign, state.as_of) != (snapshot.year, snapshot.as_of):
            fixed = replace(state, campaign=snapshot.year, as_of=snapshot.as_of)
            return no_update, to_search(fixed)
        deck = published_deck(session, snapshot)
    return deck_body(deck, state), no_update


@callback(
    Output(Shell.URL, "search", allow_duplicate=True),
    Input(Ids.AS_OF, "value"),
    State(Ids.STATE, "data"),
    prevent_initial_call=True,
)
def pick_as_of(value: str | None, search: str | None) -> str:
    """The presenter picks the snapshot date: it goes into the URL, and every slide follows."""
    state = parse_state(search)
    try:
        day = parse_date(value)
    except ValueError:
        raise PreventUpdate from None
    if day is None or day == state.as_of:
        raise PreventUpdate
    # Another date is live figures again: a published deck has only its own date.
    extra = {key: value for key, value in state.extra.items() if key != "snapshot"}
    return to_search(replace(state, as_of=day, extra=extra))


@callback(
    Output(Ids.QUESTIONS, "children"),
    Input(Ids.QUESTIONS_TIMER, "n_intervals"),
    State(Ids.STATE, "data"),
    prevent_initial_call=True,
)
def refresh_questions(_ticks: int | None, search: str | None) -> list[Any]:
    """The questions slide again, with what was entered since (the deck stays where it is)."""
    state = parse_state(search)
    if not reads_every_unit(current_account()) or state.as_of is None or "snapshot" in state.extra:
        raise PreventUpdate  # a published deck's questions are those of its moment
    with read_view(search) as (session, view):
        if view is None:
            raise PreventUpdate
        summary = question_summary(session, view.year, view.as_of)
        questions = list_questions(session, view.year, view.as_of)
    return questions_body(summary, questions)


clientside_callback(
    ClientsideFunction(namespace="present", function_name="advance"),
    Output(Ids.AUTO_SINK, "data"),
    Input(Ids.AUTO_TIMER, "n_intervals"),
    State(Ids.AUTO_TIMER, "interval"),
    prevent_initial_call=True,
)


@callback(Output(Q.CONTENT, "children"), Input(Q.STATE, "data"))
def render_questions_page(search: str | None) -> Any:
    """The entry forms (for supervisors and admins) and the meeting's questions."""
    account = current_account()
    if not reads_every_unit(account):  # every unit's questions: not for unit staff
        return empty_state(T["pq_readonly"])
    with read_view(search) as (session, view):
        if view is None:
            return empty_state(T["no_campaign"])
        questions = list_questions(session, view.year, today())
        reps = representatives(session)
        units = units_for_selection(session)
    return questions_page(account.role in WRITERS, params.search(search), reps, units, questions)


def _refreshed(search: str | None) -> tuple[Any, list[dict[str, Any]], dict[str, Any]]:
    """The list, the waiting questions' options and their versions, as of now."""
    with read_view(search) as (session, view):
        questions = list_questions(session, view.year, today()) if view else []
    return question_list(questions), pending_options(questions), pending_meta(questions)


ADD_REFUSALS = Refusals(LABELS, Q.ADD_ERRORS, heading=T["pq_errors"])
ANSWER_REFUSALS = Refusals(
    LABELS, Q.ANSWER_ERRORS, Q.ANSWER_CONFLICT, T["pq_errors"], unchanged=T["pq_conflict"]
)


@callback(
    Output(Q.ADD_MESSAGE, "children"),
    Output(QUESTION_FORM.feedbacks(), "children"),
    Output(Q.QUESTION, "value"),
    Output(Q.LIST, "children"),
    Output(Q.PICK, "options"),
    Output(Q.PENDING, "data"),
    Output(Q.ADD_META, "data"),
    Input(Q.ADD, "n_clicks"),
    State(Q.STATE, "data"),
    State(Q.ADD_META, "data"),
    State(Q.REP, "value"),
    State(Q.ASKER, "value"),
    State(Q.UNIT, "value"),
    State(Q.QUESTION, "value"),
    prevent_initial_call=True,
)
def add_question(
    clicks: int | None,
    search: str | None,
    meta: dict[str, Any] | None,
    rep: int | None,
    asker: str | None,
    unit: int | None,
    question: str | None,
) -> tuple[Any, ...]:
    """Check the role on the server, validate, record the question (the form keeps its input
    when refused)."""
    if not params.clicked(clicks):
        raise PreventUpdate
    raw = {"representative_id": rep, "asker": asker, "unit_id": unit, "question": question}

    def write(session: Session, _account: Account) -> None:
        form = question_form(raw)
        view = resolve_view(session, search, today())
        if view is None:
            raise FormError({"question": T["no_campaign"]})
        token = params.mapping(meta).get(META_KEY)  # the same form posted again saves nothing
        add_meeting_question(session, view.year, form, today(), token)

    outcome = checked_save(WRITERS, ADD_REFUSALS, write, feedback_names())
    if not outcome.saved:
        return (outcome.alert, outcome.messages, *((no_update,) * 5))
    listing, options, pending = _refreshed(search)
    done = dbc.Alert(T["pq_added"], color="success", id="pq-added", duration=6000)
    # Saved: the form starts over for the next question, with a new token.
    return done, outcome.messages, "", listing, options, pending, with_token()


@callback(
    Output(Q.CRITERION, "options"),
    Output(Q.CRITERION, "value"),
    Input(Q.PICK, "value"),
    State(Q.PENDING, "data"),
    prevent_initial_call=True,
)
def criteria_for_question(question_id: int | None, pending: dict[str, Any] | None) -> tuple:
    """The criteria that apply to the picked question's unit (none for a general question)."""
    kind = params.mapping(params.mapping(pending).get(str(question_id))).get("kind")
    return (criterion_options(applicable_criteria(kind)) if kind else []), None


@callback(
    Output(Q.ANSWER_MESSAGE, "children"),
    Output(ANSWER_FORM.feedbacks(), "children"),
    Output(Q.LIST, "children", allow_duplicate=True),
    Output(Q.PICK, "options", allow_duplicate=True),
    Output(Q.PICK, "value"),
    Output(Q.PENDING, "data", allow_duplicate=True),
    Output(Q.ANSWER, "value"),
    Input(Q.SAVE_ANSWER, "n_clicks"),
    State(Q.STATE, "data"),
    State(Q.PICK, "value"),
    State(Q.MODE, "value"),
    State(Q.ANSWER, "value"),
    State(Q.DEADLINE, "value"),
    State(Q.CRITERION, "value"),
    State(Q.PENDING, "data"),
    prevent_initial_call=True,
)
def save_answer(
    clicks: int | None,
    search: str | None,
    question_id: int | None,
    mode: str | None,
    answer: str | None,
    deadline: str | None,
    criterion: str | None,
    pending: dict[str, Any] | None,
) -> tuple[Any, ...]:
    """Check the role on the server, validate, record the answer; a 会后反馈 about a unit
    files its follow-up problem in the same transaction."""
    if not params.clicked(clicks):
        raise PreventUpdate
    raw = {"mode": mode, "answer": answer, "deadline": deadline, "criterion_code": criterion}

    def write(session: Session, _account: Account) -> Any:
        if question_id is None:
            raise FormError({"question_id": T["pq_pick_missing"]})
        form = answer_form(raw)
        picked = params.meta_id(question_id) or params.NO_RECORD
        version = params.mapping(params.mapping(pending).get(str(picked))).get("version")
        _, problem = answer_question(session, picked, form, version)
        return problem.deadline if problem is not None else None

    outcome = checked_save(WRITERS, ANSWER_REFUSALS, write, feedback_names())
    if not outcome.saved:
        return (outcome.alert, outcome.messages, *((no_update,) * 5))
    listing, options, meta = _refreshed(search)
    problem_deadline = outcome.result
    text = (
        T["pq_answered_problem"].format(date=fmt_date(problem_deadline))
        if problem_deadline
        else T["pq_answered"]
    )
    done = dbc.Alert(text, color="success", id="pq-answered", duration=8000)
    return done, outcome.messages, listing, options, None, meta, ""
