"""督导检查 callbacks: fill the page from the URL, build the form, save a visit (checked here)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import dash_bootstrap_components as dbc
from dash import Input, Output, Patch, State, callback, ctx, html, no_update
from dash.exceptions import PreventUpdate
from sqlalchemy import select
from sqlalchemy.orm import Session

from callbacks.access import refused
from callbacks.content import with_view
from callbacks.forms import (
    Refusals,
    filled_rows,
    label_of,
    register_row_removal,
    row_states,
    save_with_rows,
)
from dashboard import params
from dashboard.auth import Account, current_account
from dashboard.context import get_db, today
from dashboard.ids import Shell, Topics
from dashboard.ids import Supervision as Ids
from dashboard.state import parse_state, to_search
from dashboard.text import T
from dashboard.view import View, may_read_unit, readable_units, refuse_read, resolve_view
from data.figures import Filters
from data.form_tokens import META_KEY, with_token
from data.forms import FormError, VisitForm, validate
from data.history import record_history
from data.models import Campaign, Unit
from data.reference import CRITERIA
from data.supervision import (
    applicable_criteria,
    count_visits,
    list_visits,
    save_visit,
    unit_open_problems,
    units_for_selection,
    visit_calendar,
    visit_detail,
)
from data.topics import topics_of_unit, with_topic_links
from layouts.supervision import (
    FORM,
    LABELS,
    ROW_NAME,
    ROWS,
    WRITERS,
    follow_up_row,
    history_card,
    month_calendar,
    month_start,
    open_problems_panel,
    ratings_block,
    visit_detail_card,
    visit_grid,
)


def _int(text: Any) -> int | None:
    """A record id of the URL (None for anything that is not one)."""
    return params.record_id(text)


def ratings_of(rating_ids: Any, rating_values: Any) -> dict[str, Any]:
    """Criterion code → rating chosen, from the rating choices' ids and values (pairs that do
    not name a criterion, as a forged request's may not, are left out)."""
    if not isinstance(rating_ids, list) or not isinstance(rating_values, list):
        return {}
    pairs = zip(
        (params.mapping(i).get("criterion") for i in rating_ids), rating_values, strict=False
    )
    return {code: value for code, value in pairs if isinstance(code, str) and value}


def field_label(path: str) -> str:
    """A field path in words: `ratings.<code>` → 评议内容评定·<criterion>, and a follow-up's
    field `follow_ups.0.deadline` → 第1项整改事项·整改时限."""
    head, _, code = path.partition(".")
    if head == "ratings" and code:
        return f"{LABELS['ratings']}·{CRITERIA.get(code, (code,))[0]}"
    return label_of(path, LABELS, ROW_NAME)


REFUSALS = Refusals(
    labels=field_label,
    errors_id=Ids.ERRORS,
    conflict_id=Ids.CONFLICT,
    heading=T["sup_errors"],
    conflict_heading=T["sup_conflict"],
    unchanged=T["sup_conflict_none"],
)


def _criteria_of(unit_id: Any) -> list[tuple[str, str]]:
    """(code, name) of the criteria that apply to a unit."""
    unit_id = params.record_id(unit_id)
    if unit_id is None:
        return []
    with get_db().read() as session:
        kind = session.scalar(select(Unit.kind).where(Unit.id == unit_id))
    if kind is None:
        return []
    return [(code, CRITERIA[code][0]) for code in applicable_criteria(kind)]


@callback(Output(Ids.CONTENT, "children"), Input(Ids.STATE, "data"))
@with_view
def render_content(session: Session, view: View) -> Any:
    """The visits (list and calendar), the chosen visit and the chosen unit's open problems —
    of another unit than their own, unit staff are told they may not read them."""
    account = current_account()
    search = to_search(view.state)  # the Store holds it in this normal form already
    extra = view.state.extra
    unit_id, visit_id = _int(extra.get("unit")), _int(extra.get("visit"))
    refusal = None
    if unit_id is not None and not may_read_unit(account, unit_id):
        refusal, unit_id = refused(account, "unit", unit_id), None
    # Every visit: the grid draws only the rows in view, so no list is cut short.
    rows = list_visits(session, view.year, view.as_of, view.filters, unit_id=unit_id, limit=None)
    total = count_visits(session, view.year, view.filters, unit_id=unit_id)
    days = visit_calendar(session, view.year, month_start(view.as_of), view.filters)
    detail = visit_detail(session, visit_id, view.as_of) if visit_id else None
    if detail is not None and not may_read_unit(account, detail.unit_id):
        refusal = refusal or refused(account, "supervision_visit", detail.id)
        detail = None
    history = record_history(session, "supervision_visit", visit_id) if detail else None
    if history is not None and detail is not None:  # the 评议选题 it named (#18)
        history = with_topic_links(session, history, detail.id)
    unit = session.get(Unit, unit_id) if unit_id else None
    open_problems = (
        unit_open_problems(session, view.year, unit_id, view.as_of, limit=None) if unit else []
    )
    shared = to_search(replace(view.state, extra={}))
    parts: list[Any] = [] if refusal is None else [refusal]
    if extra.get("saved") and detail is not None:
        parts.append(dbc.Alert(T["sup_saved"], color="success", id="sup-saved"))
    if detail is not None:
        parts.append(visit_detail_card(detail, search, account.role in WRITERS))
        if history is not None:
            parts.append(history_card(history))
    elif visit_id and refusal is None:
        parts.append(dbc.Alert(T["sup_not_found"], color="warning"))
    if unit is not None:
        parts.append(open_problems_panel(unit.name, open_problems))
        parts.append(
            html.Div(
                [
                    html.Strong(T["sup_for_unit"].format(unit=unit.name)),
                    " ",
                    html.A(T["sup_all_units"], href=f"/supervision{shared}", className="small"),
                ],
                className="mb-2",
            )
        )
    parts.append(
        dbc.Tabs(
            [
                dbc.Tab(
                    visit_grid(rows, shared),
                    label=T["sup_list_count"].format(n=total),
                    tab_id="list",
                ),
                dbc.Tab(
                    month_calendar(month_start(view.as_of), days),
                    label=T["sup_calendar"],
                    tab_id="calendar",
                ),
            ],
            active_tab="list",
        )
    )
    return parts


@callback(
    Output(Ids.META, "data"),
    Output(Ids.FORM_TITLE, "children"),
    Output(Ids.UNIT, "options"),
    Output(Ids.UNIT, "value"),
    Output(Ids.DATE, "value"),
    Output(Ids.SUPERVISORS, "value"),
    Output(Ids.KIND, "value"),
    Output(Ids.FINDINGS, "value"),
    Output(Ids.NOTES, "value"),
    Output(Ids.NEXT_VISIT, "value"),
    Input(Ids.FORM_CARD, "id"),
    State(Ids.STATE, "data"),
)
def init_form(_card: str, search: str | None) -> tuple[Any, ...]:
    """Start the form empty, for the unit in the URL, or from the visit being edited (if the
    user may read it: otherwise the form's title says so and the form starts empty)."""
    account = current_account()
    state = parse_state(search)
    extra = state.extra
    raw = params.search(search).lstrip("?")
    focus = extra.get("visit_kind") == "focus" or "kind=focus" in raw.split("&")
    title, refused_visit = T["sup_form_new"], None
    with get_db().read() as session:
        units = units_for_selection(session, Filters(unit_ids=readable_units(account)))
        options = [{"label": name, "value": uid} for uid, name, _kind in units]
        visit_id = _int(extra.get("visit"))
        if extra.get("edit") and visit_id:
            detail = visit_detail(session, visit_id, state.resolved_as_of(today()))
            if detail is not None and not may_read_unit(account, detail.unit_id):
                refused_visit = detail.id
            elif detail is not None:
                meta = {
                    "visit_id": detail.id,
                    "version": detail.version,
                    "seen": detail.seen,
                    "ratings": detail.ratings,
                    "unit_id": detail.unit_id,
                    "campaign": detail.campaign,
                    "topic_ids": [topic_id for topic_id, _ in detail.topics],
                }
                return (
                    meta,
                    T["sup_form_edit"],
                    options,
                    detail.unit_id,
                    detail.visited_on.isoformat(),
                    detail.supervisors,
                    detail.kind,
                    detail.findings,
                    detail.notes,
                    detail.next_visit_on.isoformat() if detail.next_visit_on else None,
                )
    if refused_visit is not None:
        title = refuse_read(account, "supervision_visit", refused_visit)
    day = min(today(), state.as_of) if state.as_of else today()
    return (
        with_token(),  # a new visit: saved once however often the form is posted
        title,
        options,
        _int(extra.get("unit")),
        day.isoformat(),
        account.display_name,
        "focus" if focus else "routine",
        None,
        None,
        None,
    )


@callback(
    Output(Ids.RATINGS, "children"),
    Input(Ids.UNIT, "value"),
    State(Ids.META, "data"),
    State(Ids.rating(), "value"),
    State(Ids.rating(), "id"),
)
def show_ratings(
    unit_id: int | None, meta: dict | None, rating_values: list | None, rating_ids: list | None
) -> Any:
    """The criteria to rate are the ones of the unit's group: the visit's saved ratings when it
    is the visit's unit, and whatever was chosen already on the form for a criterion that still
    applies. Drawn only when the unit changes: adding or removing a follow-up row leaves the
    choices alone (it once redrew them blank)."""
    criteria = _criteria_of(unit_id)
    meta = params.mapping(meta)
    saved = params.mapping(meta.get("ratings")) if meta.get("unit_id") == unit_id else {}
    return ratings_block(criteria, {**saved, **ratings_of(rating_ids, rating_values)})


@callback(
    Output(ROWS.part("criterion"), "options"),
    Input(Ids.UNIT, "value"),
    prevent_initial_call=True,
)
def row_criteria(unit_id: int | None) -> list[list[dict[str, str]]]:
    """A follow-up is filed under a criterion of the unit's group: the rows there follow a
    change of unit (a row added later is drawn with the unit's criteria already, so this does
    not run when one is added)."""
    options = [{"label": name, "value": code} for code, name in _criteria_of(unit_id)]
    # One list of options per row the browser has (its outputs).
    return [options for _ in ctx.outputs_list]


@callback(
    Output(Ids.FOLLOW_UPS, "children"),
    Input(Ids.FOLLOW_UP_ADD, "n_clicks"),
    State(Ids.UNIT, "value"),
    prevent_initial_call=True,
)
def add_follow_up(n_clicks: int, unit_id: int | None) -> Patch:
    """Add one more follow-up row (a Patch: the rows there and every other field keep what was
    typed)."""
    row = params.clicks(n_clicks)
    if row is None:
        raise PreventUpdate
    rows = Patch()
    rows.append(follow_up_row(row, _criteria_of(unit_id)))
    return rows


remove_follow_up = register_row_removal(ROWS, Ids.FOLLOW_UPS)


@callback(
    Output(Topics.VISIT_TOPICS, "options"),
    Output(Topics.VISIT_TOPICS, "value"),
    Input(Ids.UNIT, "value"),
    State(Ids.META, "data"),
    State(Ids.STATE, "data"),
    State(Topics.VISIT_TOPICS, "value"),
)
def topic_choices(unit_id: Any, meta: Any, search: str | None, chosen: Any) -> tuple[Any, Any]:
    """The 评议选题 a visit to the unit may check (the unit's and the bureau's): a visit being
    edited starts from those it named; a change of unit keeps those that still apply."""
    unit_id, meta = params.record_id(unit_id), params.mapping(meta)
    if unit_id is None:
        return [], []
    with get_db().read() as session:
        view = resolve_view(session, search, today())
        year = params.year(meta.get("campaign")) or (view.year if view else None)
        campaign_id = session.scalar(select(Campaign.id).where(Campaign.year == year))
        topics = topics_of_unit(session, campaign_id, unit_id) if campaign_id else []
    ids = {topic_id for topic_id, _ in topics}
    start = meta.get("topic_ids") if meta.get("unit_id") == unit_id and not chosen else chosen
    value = [i for i in params.items(start, params.record_id) if i in ids]
    return [{"label": title, "value": topic_id} for topic_id, title in topics], value


@callback(
    Output(Ids.MESSAGE, "children"),
    Output(FORM.feedbacks(), "children"),
    Output(ROWS.feedback(), "children"),
    Output(Shell.URL, "search", allow_duplicate=True),
    Input(Ids.SAVE, "n_clicks"),
    State(Ids.STATE, "data"),
    State(Ids.META, "data"),
    State(Ids.UNIT, "value"),
    State(Ids.DATE, "value"),
    State(Ids.SUPERVISORS, "value"),
    State(Ids.KIND, "value"),
    State(Ids.rating(), "value"),
    State(Ids.rating(), "id"),
    State(Ids.FINDINGS, "value"),
    State(Ids.NOTES, "value"),
    State(Ids.NEXT_VISIT, "value"),
    State(Topics.VISIT_TOPICS, "value"),
    *row_states(ROWS),
    prevent_initial_call=True,
)
def save(
    clicks: int,
    search: str | None,
    meta: dict | None,
    unit_id: int | None,
    visited_on: str | None,
    supervisors: str | None,
    kind: str | None,
    rating_values: list[str | None],
    rating_ids: list[dict[str, str]],
    findings: str | None,
    notes: str | None,
    next_visit_on: str | None,
    topic_ids: Any,
    *rows: list,
) -> tuple[Any, ...]:
    """Check the role on the server, validate every field, save in one transaction."""
    if not params.clicked(clicks):
        raise PreventUpdate
    meta = params.mapping(meta)
    raw: dict[str, Any] = {
        "unit_id": unit_id,
        "visited_on": visited_on,
        "supervisors": supervisors,
        "kind": kind,
        "ratings": ratings_of(rating_ids, rating_values),
        "findings": findings,
        "notes": notes,
        "next_visit_on": next_visit_on,
        "topic_ids": params.items(topic_ids, params.record_id),
    }
    raw["follow_ups"], positions = filled_rows(ROWS, rows)

    def write(session: Session, _account: Account) -> tuple[int, int]:
        view = resolve_view(session, search, today())
        year = params.year(meta.get("campaign")) or (view.year if view else None)
        if year is None:
            raise FormError({"campaign": T["no_campaign"]})
        form = validate(VisitForm, raw)
        visit_id, version = params.meta_id(meta.get("visit_id")), meta.get("version")
        token = meta.get(META_KEY)  # a new visit's form: saved once however often it is posted
        visit = save_visit(session, form, year, visit_id, version, meta.get("seen"), token)
        return visit.id, form.unit_id

    outcome, at_rows = save_with_rows(WRITERS, REFUSALS, LABELS, positions, write, T["sup_save"])
    if not outcome.saved:
        return outcome.alert, outcome.messages, at_rows, no_update
    visit_id, unit = outcome.result
    state = parse_state(search)
    extra = {k: v for k, v in state.extra.items() if k not in ("edit", "visit", "saved")}
    extra.update(visit=str(visit_id), saved=str(clicks), unit=str(unit))
    return None, outcome.messages, at_rows, to_search(replace(state, extra=extra))
