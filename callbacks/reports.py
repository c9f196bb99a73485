"""/reports callbacks: the loop's counts, batches and units for leaders, supervisors and the
admin; the admin's new batch (the count shown before confirming, made once however often it is
posted) and the 纠风办's feedback import (kept in the database between its preview and its
confirmation, like /import). Every write is checked for the admin role on the server; anyone
else is told so where they are looking, and the refusal is recorded."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, clientside_callback, html, no_update
from dash.exceptions import PreventUpdate
from sqlalchemy.orm import Session

from callbacks.access import refused_write
from callbacks.content import read_view
from callbacks.forms import Action, Once, register_form
from callbacks.imports import MAX_UPLOAD, UPLOAD_NAME, decode_upload, drop_upload, load_upload
from callbacks.imports import save_upload as keep_upload
from dashboard import params
from dashboard.auth import Account, current_account
from dashboard.context import get_db, today
from dashboard.ids import Reports as Ids
from dashboard.text import T
from dashboard.view import resolve_view
from data.catalog import unit_options
from data.forms import FormError, clean_text
from data.import_files import ImportFailed
from data.reference import CHANNEL_NAMES, STATUS_NAMES, Role
from data.report_batches import (
    Selection,
    batch_size,
    candidate_count,
    candidates,
    create_batch,
    import_feedback,
    next_number,
    report_counts,
)
from layouts.common import empty_state
from layouts.imports import failed_view, ok_view
from layouts.reports import (
    BATCH,
    batch_card,
    batch_labels,
    batches_table,
    count_block,
    feedback_card,
    refused,
    summary,
    units_grid,
)

READERS = (Role.LEADER, Role.SUPERVISOR, Role.ADMIN)
WRITERS = (Role.ADMIN,)


@callback(
    Output(Ids.SUMMARY, "children"),
    Output(Ids.FORM, "children"),
    Output(Ids.TABLES, "children"),
    Input(Ids.STATE, "data"),
    Input(Ids.REFRESH, "data"),
)
def render_reports(search: str | None, refresh: dict | None) -> tuple[Any, Any, Any]:
    """The counts at the view's date, the new-batch form (admin) and the batches and units."""
    account = current_account()
    if account.role not in READERS:
        return refused(account.role_name), None, None
    notices = params.mapping(params.mapping(refresh).get("notices"))
    search = params.search(search)
    with read_view(search) as (session, view):
        if view is None:
            return empty_state(T["no_campaign"]), None, None
        counts = report_counts(session, view.year, view.as_of, view.filters)
        form: Any = html.P(T["reports_readers_note"], className="text-muted small")
        if account.role in WRITERS:
            form = batch_card(
                view.year,
                next_number(session, view.year),
                unit_options(session),
                today(),
                notices.get(BATCH.prefix),
            )
    tables = html.Div(
        [batches_table(view.year, counts.by_batch), units_grid(counts.by_unit, search)]
    )
    return summary(counts.overall, view.as_of), form, tables


@callback(Output(Ids.FEEDBACK, "children"), Input(Ids.STATE, "data"))
def render_feedback(search: str | None) -> Any:
    """The feedback import for the admin (drawn once: a redraw of the counts keeps it)."""
    if current_account().role not in WRITERS:
        return None
    year = _year(search)
    return feedback_card(year) if year is not None else None


# ---- a new batch ---------------------------------------------------------------------------


def selection_of(unit_ids: Any, channels: Any, statuses: Any) -> Selection:
    """The filters as sent (whatever a forged request sends: only known values are kept)."""
    return Selection(
        unit_ids=tuple(params.items(unit_ids, params.record_id)),
        channels=tuple(params.chosen(channels, CHANNEL_NAMES)),
        statuses=tuple(params.chosen(statuses, STATUS_NAMES)),
    )


@callback(
    Output(Ids.COUNT, "children"),
    Output(BATCH.meta, "data", allow_duplicate=True),
    Input(BATCH.field("unit_ids"), "value"),
    Input(BATCH.field("channels"), "value"),
    Input(BATCH.field("statuses"), "value"),
    State(BATCH.meta, "data"),
    prevent_initial_call="initial_duplicate",
)
def count_candidates(unit_ids: Any, channels: Any, statuses: Any, meta: Any) -> tuple[Any, Any]:
    """How many problems the batch would take (and which), shown before it is confirmed; the
    count goes into the form's meta so that the save refuses a batch that is no longer it."""
    if current_account().role not in WRITERS:
        raise PreventUpdate
    meta = params.mapping(meta)
    year = params.year(meta.get("year"))
    if year is None:
        raise PreventUpdate
    selection = selection_of(unit_ids, channels, statuses)
    with get_db().read() as session:
        n = candidate_count(session, year, selection)
        rows = candidates(session, year, selection)
    return count_block(n, rows), {**meta, "expected": n}


def _make_batch(session: Session, raw: dict[str, Any], meta: dict[str, Any]) -> dict[str, Any]:
    """Make the batch the form was filled for; what the notice needs."""
    year = params.year(meta.get("year"))
    if year is None:
        raise FormError({"selection": T["reports_bad_batch"]})
    reported_on = params.day(raw.get("reported_on"))
    if raw.get("reported_on") and reported_on is None:
        raise FormError({"reported_on": T["reports_bad_date"]})
    expected = meta.get("expected")
    account = current_account()
    batch = create_batch(
        session,
        year,
        selection_of(raw.get("unit_ids"), raw.get("channels"), raw.get("statuses")),
        reported_on,
        clean_text(params.string(raw.get("note"))),
        account.display_name or account.username,
        today(),
        expected=expected if isinstance(expected, int) else None,
    )
    return {"number": batch.number, "count": batch_size(session, batch.id)}


save_batch = register_form(
    BATCH,
    Ids.REFRESH,
    batch_labels(()),
    {
        BATCH.save: Action(
            T["reports_what"],
            _make_batch,
            lambda done: T["reports_made"].format(**done),
            once=Once("report_batch"),
        )
    },
    roles=WRITERS,
)


# ---- the feedback import -------------------------------------------------------------------


def _refusal(account: Account) -> html.Div | None:
    """The words refusing the feedback import to anyone but the admin (recorded)."""
    if account.role in WRITERS:
        return None
    words = refused_write(account, T["reports_admin_only"], T["reports_feedback_what"])
    return html.Div(words, className="alert alert-danger", id="reports-feedback-refused")


def _year(search: Any) -> int | None:
    with get_db().read() as session:
        view = resolve_view(session, params.search(search), today())
    return view.year if view is not None else None


@callback(
    Output(Ids.TOKEN, "data"),
    Output(Ids.PREVIEW, "children"),
    Output(Ids.CONFIRM, "disabled"),
    Output(Ids.UPLOAD, "contents"),
    Output(Ids.RESULT, "children"),
    Input(Ids.UPLOAD, "contents"),
    State(Ids.UPLOAD, "filename"),
    State(Ids.TOKEN, "data"),
    State(Ids.STATE, "data"),
    prevent_initial_call=True,
)
def preview_feedback(
    contents: str | None, filename: str | None, stored: Any, search: Any
) -> tuple[Any, ...]:
    """Keep the uploaded file on the server and show what it would write, or every error."""
    account = current_account()
    refused_alert = _refusal(account)
    if refused_alert is not None:
        return None, refused_alert, True, None, None
    data = decode_upload(contents)
    if not data:
        alert = html.Div(T["import_unreadable"], className="alert alert-danger")
        return None, alert, True, None, None
    if len(data) > MAX_UPLOAD:
        size = f"{len(data) / 1024 / 1024:.1f} MB"
        alert = html.Div(T["import_too_large"].format(size=size), className="alert alert-danger")
        return None, alert, True, None, None
    drop_upload(stored, account)
    name = params.text(filename, params.MAX_TEXT * 5) or UPLOAD_NAME
    stored = keep_upload(data, name, account)
    year = _year(search)
    with get_db().read() as session:
        try:
            result = import_feedback(session, data, name, year, today(), dry_run=True)
        except ImportFailed as error:
            return stored, failed_view(error), True, None, None
    return stored, ok_view(result, {}), not result.updated, None, None


@callback(
    Output(Ids.RESULT, "children", allow_duplicate=True),
    Output(Ids.TOKEN, "data", allow_duplicate=True),
    Output(Ids.CONFIRM, "disabled", allow_duplicate=True),
    Output(Ids.PREVIEW, "children", allow_duplicate=True),
    Output(Ids.REFRESH, "data", allow_duplicate=True),
    Input(Ids.CONFIRM, "n_clicks"),
    State(Ids.TOKEN, "data"),
    State(Ids.STATE, "data"),
    prevent_initial_call=True,
)
def confirm_feedback(n_clicks: Any, stored: Any, search: Any) -> tuple[Any, ...]:
    """Write the previewed feedback (all or nothing) as the signed-in admin; the counts move."""
    if not params.clicked(n_clicks):
        raise PreventUpdate
    account = current_account()
    refused_alert = _refusal(account)
    if refused_alert is not None:
        return refused_alert, no_update, True, None, no_update
    loaded = load_upload(stored, account)
    if loaded is None:
        alert = html.Div(T["import_expired"], className="alert alert-warning")
        return alert, None, True, None, no_update
    data, filename = loaded
    year = _year(search)
    try:
        with get_db().write(account.username, account.id) as session:
            result = import_feedback(session, data, filename, year, today())
    except ImportFailed as error:
        return failed_view(error), no_update, True, None, no_update
    drop_upload(stored, account)
    notice = T["reports_feedback_done"].format(updated=result.updated, unchanged=result.unchanged)
    done = dbc.Alert(notice, color="success", id="reports-feedback-result")
    return done, None, True, None, {"at": dt.datetime.now().isoformat()}


clientside_callback(
    f"""function(contents) {{
        return contents && contents.length > {MAX_UPLOAD * 4 // 3 + 1024}
            ? {json.dumps(T["import_too_large_client"])} : "";
    }}""",
    Output(Ids.SIZE_WARNING, "children"),
    Input(Ids.UPLOAD, "contents"),
)
