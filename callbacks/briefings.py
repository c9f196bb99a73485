"""/briefings: the campaign's briefings to the 民评代表 for every role, the issue form for leaders
and admins (checked again on the server when it is posted); the links to the latest briefing on
the unit page and on /present (#18 item 2)."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import Input, Output, callback
from sqlalchemy.orm import Session

from callbacks.content import read_view
from callbacks.forms import Action, Once, register_form
from dashboard import params
from dashboard.auth import current_account
from dashboard.context import get_db, today
from dashboard.ids import Briefings as Ids
from dashboard.ids import UnitPage as UnitIds
from dashboard.text import T
from data.briefings import (
    active_representatives,
    briefings,
    default_title,
    issue_briefing,
    latest_briefing,
    next_number,
    recipients_of,
)
from data.forms import FormError
from data.reference import Role
from layouts.briefings import (
    ISSUE,
    briefing_card,
    briefings_page,
    issue_card,
    issue_fields,
    latest_link,
)
from layouts.common import empty_state
from layouts.forms import labels_of

ISSUERS = (Role.LEADER, Role.ADMIN)


@callback(
    Output(Ids.CONTENT, "children"),
    Input(Ids.STATE, "data"),
    Input(Ids.REFRESH, "data"),
)
def render_briefings(search: str | None, refresh: dict | None) -> Any:
    """The issue form for those who issue, then the campaign's briefings, newest first."""
    account = current_account()
    notices = params.mapping(params.mapping(refresh).get("notices"))
    with read_view(search) as (session, view):
        if view is None:
            return empty_state(T["no_campaign"])
        rows = briefings(session, view.year)
        recipients = recipients_of(session, [row.id for row in rows])
        cards = [briefing_card(row, recipients[row.id]) for row in rows]
        if account.role not in ISSUERS:
            form: Any = dbc.Alert(T["briefings_who"], color="light", id="briefings-who")
        else:
            representatives = active_representatives(session)
            number = next_number(session, view.year)
            form = issue_card(
                view.year,
                view.as_of,
                default_title(view.year, number),
                representatives,
                notices.get(ISSUE.prefix),
            )
            if not representatives:
                form = dbc.Alert(T["briefings_no_reps"], color="warning", id="briefings-no-reps")
    return briefings_page(form, cards, view.year)


def _issue(session: Session, raw: dict[str, Any], meta: dict[str, Any]) -> dict[str, Any]:
    """Issue the briefing the form describes; what the notice needs."""
    year = params.record_id(meta.get("year"))
    if year is None:
        raise FormError({"title": T["briefings_bad_form"]})
    briefing = issue_briefing(
        session,
        year,
        raw.get("as_of"),
        raw.get("title"),
        raw.get("body"),
        raw.get("recipients"),
        issued_on=today(),
    )
    return {"number": briefing.number, "n": len(raw.get("recipients") or [])}


def _labels(_meta: dict[str, Any]) -> dict[str, str]:
    return labels_of(issue_fields())


save_issue = register_form(
    ISSUE,
    Ids.REFRESH,
    _labels,
    {
        ISSUE.save: Action(
            T["briefings_issue_what"],
            _issue,
            lambda done: T["briefings_issued_notice"].format(**done),
            once=Once("briefing"),
        )
    },
    roles=ISSUERS,
)


@callback(Output(Ids.UNIT_LINK, "children"), Input(UnitIds.STATE, "data"))
def unit_briefing_link(state: dict[str, Any] | None) -> Any:
    """On the unit page: the link to the campaign's latest briefing."""
    with read_view(params.mapping(state).get("search")) as (session, view):
        latest = None if view is None else latest_briefing(session, view.year)
    return latest_link(latest, "small d-inline-block mb-2 briefings-latest")


@callback(Output(Ids.PRESENT_LINK, "children"), Input(Ids.PRESENT_YEAR, "data"))
def present_briefing_link(year: Any) -> Any:
    """On the /present title slide: the link to the campaign's latest briefing."""
    found = params.record_id(year)
    if found is None:
        return None
    with get_db().read() as session:
        latest = latest_briefing(session, found)
    return latest_link(latest, "present-control briefings-latest")
