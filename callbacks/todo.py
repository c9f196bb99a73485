"""/todo's callbacks (#15 催办): the page by role, the navbar's number, the overview's line.

Reads only: each answers for the signed-in account (a unit's staff see their own unit's items,
whatever the request says), from one data call per part."""

from __future__ import annotations

from typing import Any

from dash import Input, Output, callback, clientside_callback, html
from sqlalchemy.orm import Session

from callbacks.content import read_view, with_view
from dashboard.auth import current_account, signed_in
from dashboard.context import get_db, today
from dashboard.ids import Overview, Shell, UnitPage
from dashboard.ids import Todo as Ids
from dashboard.text import T
from dashboard.view import View
from data.chase_settings import chase_settings
from data.notices import notice_rows
from data.reference import Role
from data.todo import (
    STEP_LIMIT,
    day_steps,
    escalation_counts,
    escalation_units,
    escalations,
    focus_list,
    in_charge_of,
    last_run,
    outbox_log,
    step_counts,
    todo_count,
    todo_rows,
)
from layouts.notices import notices_list
from layouts.overdue import shared_search
from layouts.todo import bureau_body, leader_body, nav_count, overview_line, unit_body

UNIT_NOTICES = 50  # the latest notices a unit's page lists


@callback(Output(Ids.CONTENT, "children"), Input(Ids.STATE, "data"))
@with_view
def render_todo(session: Session, view: View) -> html.Div:
    """The page for the signed-in account at the URL's date: a unit's 待办, a leader's
    escalations, or the 纠风办's day."""
    account = current_account()
    settings = chase_settings(session)
    filters = (view.filters.kinds, view.filters.townships)
    if account.role == Role.UNIT:
        return unit_body(
            todo_rows(session, account, view.as_of, view.year),
            view.as_of,
            view.state,
            working=settings.working_days,
            remind_before=settings.remind_before,
            has_unit=account.unit_id is not None,
            notices=notices_list(notice_rows(session, unit_id=account.unit_id, limit=UNIT_NOTICES))
            if account.unit_id is not None
            else None,
        )
    if account.role == Role.LEADER:
        return leader_body(
            escalation_units(session, account, view.as_of, *filters),
            escalations(session, account, view.as_of, *filters, limit=STEP_LIMIT),
            in_charge_of(session, account),
            view.as_of,
            view.state,
            settings.working_days,
        )
    day = view.as_of
    return bureau_body(
        day=day,
        steps=day_steps(session, day, *filters, limit=STEP_LIMIT),
        focus=focus_list(session, day, *filters, limit=STEP_LIMIT),
        counts=step_counts(session, day, *filters),
        notices=notices_list(notice_rows(session, day=day), day),
        run=last_run(session),
        messages=outbox_log(session),
        state=view.state,
        working=settings.working_days,
    )


@callback(
    Output(Ids.NAV_COUNT, "children"),
    Output(Ids.NAV_COUNT, "className"),
    Output(Ids.NAV_COUNT, "title"),
    Input(Shell.URL, "pathname"),
)
def show_nav_count(_path: str | None) -> tuple[str, str, str]:
    """The navbar's number, counted again on each move between pages (one cheap count)."""
    account = signed_in()
    if account is None:
        return nav_count(0)
    with get_db().read() as session:
        return nav_count(todo_count(session, account, today()))


@callback(Output(Ids.OVERVIEW_LINK, "children"), Input(Overview.STATE, "data"))
def show_overview_line(search: str | None) -> Any:
    """On the overview: the open escalations (or a unit's chased items) and the way to them;
    nothing when there is none."""
    account = current_account()
    with read_view(search) as (session, view):
        if view is None:
            return None
        link_search = shared_search(view.state)
        if account.role == Role.UNIT:
            n = todo_count(session, account, view.as_of)
            if not n:
                return None
            return overview_line(T["todo_overview_unit"].format(n=n), link_search)
        counts = escalation_counts(session, account, view.as_of)
    if not any(counts.values()):
        return None
    text = T["todo_overview_escalations"].format(**counts)
    return overview_line(text, link_search)


# A 待办 item links to its section of the unit's page (/units/<id>?…#unit-problems-section):
# once the page's content is drawn, scroll there — once: the mark is then taken off the address
# so that a redraw after a save does not jump back.
clientside_callback(
    """function(children) {
        const mark = window.location.hash;
        const target = mark.length > 1 && document.getElementById(mark.slice(1));
        if (target) {
            setTimeout(() => target.scrollIntoView({block: "start"}), 100);
            const url = window.location.pathname + window.location.search;
            window.history.replaceState(window.history.state, "", url);
        }
        return window.dash_clientside.no_update;
    }""",
    Output(UnitPage.CONTENT, "title", allow_duplicate=True),
    Input(UnitPage.CONTENT, "children"),
    prevent_initial_call=True,
)
