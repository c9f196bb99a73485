"""/commitments callbacks: the list, the commitment opened and the form from the URL; record or
edit a commitment, withdraw it, link and unlink complaints — every write checked here on the
server (role and unit) and again in data/commitments.py, a refusal said in words and recorded."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, no_update
from dash.exceptions import PreventUpdate
from sqlalchemy.orm import Session

from callbacks.access import refused
from callbacks.content import read_view
from callbacks.forms import Refusals, answered_save, feedback_names, form_values, pressed
from dashboard import params
from dashboard.auth import Account, current_account
from dashboard.context import today
from dashboard.ids import Commitments as Ids
from dashboard.ids import Shell
from dashboard.state import parse_state, to_search
from dashboard.text import T
from dashboard.view import View, may_read_unit
from data.commitments import (
    WRITERS,
    CommitmentDetail,
    CommitmentForm,
    commitment_detail,
    commitment_history,
    commitment_rows,
    committing_units,
    is_committing,
    link_complaint,
    save_commitment,
    unit_commitments,
    unlink_complaint,
    withdraw_commitment,
)
from data.edits import snapshot
from data.form_tokens import META_KEY, with_token
from data.forms import FormError, validate
from data.models import Commitment, Unit
from data.reference import KIND_NAMES, Role
from layouts.commitments import (
    FORM,
    LABELS,
    LINK_LABELS,
    commitment_form,
    commitments_grid,
    commitments_page,
    detail_card,
    page_href,
    unit_commitments_section,
)
from layouts.common import empty_state

EDITED = ("content", "published_on", "published_where")  # what an edit form shows, for conflicts
FORM_REFUSALS = Refusals(
    LABELS,
    FORM.errors,
    heading=T["commitments_refused"],
    conflict_heading=T["commitments_conflict"],
    entity="commitment",
)
DETAIL_REFUSALS = Refusals(
    LINK_LABELS,
    Ids.DETAIL_ERRORS,
    heading=T["commitments_refused"],
    conflict_heading=T["commitments_conflict"],
    entity="commitment",
)


def may_write(account: Account, unit_id: int) -> bool:
    """The admin writes any legal-service unit's commitments, unit staff their own unit's."""
    return account.role == Role.ADMIN or (account.role == Role.UNIT and account.unit_id == unit_id)


def _form_part(
    session: Session, account: Account, view: View, detail: CommitmentDetail | None, notice: Any
) -> Any:
    """The record / edit form for those who may write, or the words saying why there is none."""
    if account.role not in WRITERS:
        return dbc.Alert(T["commitments_read_only"], color="light", className="py-2 border")
    own = (account.unit_id,) if account.role == Role.UNIT else ()
    units = (
        committing_units(session, own) if account.role == Role.UNIT else committing_units(session)
    )
    if not units:
        unit = session.get(Unit, account.unit_id) if account.unit_id else None
        if unit is not None and not is_committing(unit.kind):
            words = T["commitments_no_commitment_unit"].format(
                unit=unit.name, kind=KIND_NAMES[unit.kind]
            )
            return dbc.Alert(words, color="light", className="py-2 border", id="commitments-none")
        return None
    extra = view.state.extra
    if detail is not None and extra.get("edit") and detail.row.withdrawn_at is None:
        commitment = session.get_one(Commitment, detail.row.id)
        values = {
            "unit_id": detail.row.unit_id,
            "content": detail.row.content,
            "published_on": detail.row.published_on.isoformat(),
            "published_where": detail.row.published_where,
        }
        meta = {
            "id": detail.row.id,
            "version": detail.row.version,
            "seen": snapshot(commitment, list(EDITED)),
            "year": view.year,
        }
        chosen = [(detail.row.unit_id, detail.row.unit)]
        return commitment_form(chosen, values, meta, editing=True, notice=notice)
    values = {
        "unit_id": units[0][0] if len(units) == 1 else None,
        "published_on": min(today(), view.as_of).isoformat(),
    }
    return commitment_form(
        units, values, with_token({"year": view.year}), editing=False, notice=notice
    )


@callback(
    Output(Ids.CONTENT, "children"),
    Input(Ids.STATE, "data"),
    Input(Ids.REFRESH, "data"),
)
def render_commitments(search: str | None, refresh: dict | None) -> Any:
    """The form (or why there is none), the commitment the URL opens, every commitment."""
    account = current_account()
    refresh = params.mapping(refresh)
    with read_view(search) as (session, view):
        if view is None:
            return empty_state(T["no_campaign"])
        extra = view.state.extra
        refusal, detail, history = None, None, None
        commitment_id = params.record_id(extra.get("commitment"))
        if commitment_id is not None:
            detail = commitment_detail(session, commitment_id, view.as_of)
            if detail is not None and not may_read_unit(account, detail.row.unit_id):
                refusal, detail = refused(account, "commitment", commitment_id), None
        saved = T["commitments_saved"] if extra.get("saved") else None
        form = _form_part(session, account, view, detail, saved if detail is None else None)
        detail_part: Any = None
        if detail is not None:
            history = commitment_history(session, detail.row.id)
            edit_href = page_href(view.state, commitment=str(detail.row.id), edit="1")
            detail_part = detail_card(
                detail,
                history,
                view.as_of,
                may_write=may_write(account, detail.row.unit_id),
                edit_href=edit_href,
                notice=refresh.get("notice") or saved,
            )
        elif commitment_id is not None and refusal is None:
            detail_part = dbc.Alert(T["commitments_not_found"], color="warning")
        rows = commitment_rows(session, view.year, view.as_of, view.filters)
        listing = commitments_grid(rows, view.state, view.year)
    return commitments_page(None, form, detail_part, listing, refusal)


@callback(
    Output(FORM.message, "children"),
    Output(FORM.feedbacks(), "children"),
    Output(Shell.URL, "search", allow_duplicate=True),
    Input(FORM.save, "n_clicks"),
    State(FORM.fields(), "value"),
    State(FORM.fields(), "id"),
    State(FORM.meta, "data"),
    State(Ids.STATE, "data"),
    prevent_initial_call=True,
)
def save(
    clicks: int, values: list, field_ids: list, meta: dict | None, search: str | None
) -> tuple[Any, ...]:
    """Record a commitment, or save an edit at the version it was opened at."""
    if not params.clicked(clicks):
        raise PreventUpdate
    meta = params.mapping(meta)
    raw = form_values(values, field_ids)

    def write(session: Session, account: Account) -> int:
        year = params.year(meta.get("year"))
        if year is None:
            raise FormError({"commitment": T["no_campaign"]})
        form = validate(CommitmentForm, raw)
        commitment = save_commitment(
            session,
            account.role,
            account.unit_id,
            year,
            form,
            params.meta_id(meta.get("id")),
            meta.get("version"),
            meta.get("seen"),
            meta.get(META_KEY),
        )
        return commitment.id

    outcome = answered_save(
        WRITERS, FORM_REFUSALS, write, feedback_names(), what=T["commitments_save_what"]
    )
    if not outcome.saved:
        return outcome.alert, outcome.messages, no_update
    state = parse_state(search)
    extra = {"commitment": str(outcome.result), "saved": str(clicks)}
    return None, outcome.messages, to_search(replace(state, extra=extra))


def now() -> dt.datetime:
    """The time of a withdrawal: the app's today (pinned in a demo or a test), the time now."""
    return dt.datetime.combine(today(), dt.datetime.now().time())


def _detail_write(what: str, notice: str, write: Any) -> tuple[Any, Any]:
    """Run a write of the commitment opened; the message under it and the page's redraw."""
    outcome = answered_save(WRITERS, DETAIL_REFUSALS, write, what=what)
    if not outcome.saved:
        return outcome.alert, no_update
    return None, {"at": dt.datetime.now().isoformat(), "notice": notice}


DETAIL_OUTPUTS = (
    Output(Ids.DETAIL_MESSAGE, "children", allow_duplicate=True),
    Output(Ids.REFRESH, "data", allow_duplicate=True),
)


@callback(
    *DETAIL_OUTPUTS,
    Input(Ids.WITHDRAW, "n_clicks"),
    State(Ids.DETAIL_META, "data"),
    prevent_initial_call=True,
)
def withdraw(clicks: int, meta: dict | None) -> tuple[Any, Any]:
    """Withdraw the commitment opened (kept in the list and its history)."""
    if not params.clicked(clicks):
        raise PreventUpdate
    meta = params.mapping(meta)

    def write(session: Session, account: Account) -> None:
        withdraw_commitment(
            session,
            account.role,
            account.unit_id,
            params.meta_id(meta.get("id")),
            meta.get("version"),
            now(),
        )

    return _detail_write(T["commitments_withdraw_what"], T["commitments_withdrawn_notice"], write)


@callback(
    *DETAIL_OUTPUTS,
    Input(Ids.LINK, "n_clicks"),
    State(Ids.LINK_PROBLEM, "value"),
    State(Ids.DETAIL_META, "data"),
    prevent_initial_call=True,
)
def link(clicks: int, problem_id: Any, meta: dict | None) -> tuple[Any, Any]:
    """Link a complaint of the same unit and campaign to the commitment opened."""
    if not params.clicked(clicks):
        raise PreventUpdate
    meta = params.mapping(meta)

    def write(session: Session, account: Account) -> None:
        link_complaint(
            session,
            account.role,
            account.unit_id,
            params.meta_id(meta.get("id")),
            params.record_id(problem_id),
        )

    return _detail_write(T["commitments_link_what"], T["commitments_linked_notice"], write)


@callback(
    *DETAIL_OUTPUTS,
    Input(Ids.unlink(), "n_clicks"),
    State(Ids.DETAIL_META, "data"),
    prevent_initial_call=True,
)
def unlink(clicks: list, meta: dict | None) -> tuple[Any, Any]:
    """Take a complaint off the commitment opened (unlinked_at set; the link stays recorded)."""
    problem_id = pressed(clicks, "problem")
    meta = params.mapping(meta)

    def write(session: Session, account: Account) -> None:
        unlink_complaint(
            session, account.role, account.unit_id, params.meta_id(meta.get("id")), problem_id
        )

    return _detail_write(T["commitments_unlink_what"], T["commitments_unlinked_notice"], write)


def unit_commitments_part(session: Session, view: View, unit_id: int) -> Any:
    """The unit page's 公开承诺 section: a legal-service unit's commitments and the complaints
    that concern them (None for a 司法所, which makes none)."""
    unit = session.get(Unit, unit_id)
    if unit is None or not is_committing(unit.kind):
        return None
    details = unit_commitments(session, view.year, unit_id, view.as_of)
    shared = replace(view.state, kinds=(), townships=())
    return unit_commitments_section(details, view.as_of, page_href(shared))
