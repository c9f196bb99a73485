"""/archives (工作档案, #18): the bureau's overview of every unit's checklist, a unit's checklist,
and the save of one item (own unit or admin, checked here and in the data layer)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from dash import Input, Output, State, callback, ctx, html, no_update
from dash.exceptions import PreventUpdate
from sqlalchemy import select
from sqlalchemy.orm import Session

from callbacks.content import read_view
from callbacks.forms import Refusals, answered_save
from dashboard import params
from dashboard.auth import Account, current_account
from dashboard.context import today
from dashboard.ids import Archives as Ids
from dashboard.state import to_search
from dashboard.text import T
from dashboard.view import reads_every_unit, refuse_read
from data.archives import EDITORS, item_snapshot, may_edit_unit, unit_archive, update_item
from data.archives import archive_overview as overview_of
from data.labels import ARCHIVE_ITEM
from data.models import Campaign
from data.reference import Role
from layouts.archives import back_link, checklist, overview, refusal_message, saved_message
from layouts.attachments import attachment_panel
from layouts.common import empty_state

LABELS = {**ARCHIVE_ITEM, "archive_item": T["archives_title"]}


def _files(item_ids: list[int], may_edit: bool) -> dict[int, Any]:
    """Each item's attachment panel (its list fills itself when shown)."""
    return {i: attachment_panel("archive_item", i, can_upload=may_edit) for i in item_ids}


@callback(Output(Ids.CONTENT, "children"), Input(Ids.STATE, "data"))
def render_archives(search: str | None) -> Any:
    """The bureau's overview (or a unit's checklist when the URL names one); unit staff always
    their own unit's checklist, told so when they asked for another's."""
    account = current_account()
    with read_view(search) as (session, view):
        if view is None:
            return empty_state(T["no_campaign"])
        page_search = to_search(replace(view.state, extra={}))  # the shared filters only
        asked = params.record_id(view.state.extra.get("unit"))
        notice = None
        if account.role == Role.UNIT:
            if account.unit_id is None:
                return refusal_message(T["archives_no_unit"])
            if asked is not None and asked != account.unit_id:
                refuse_read(account, "unit", asked)
                notice = refusal_message(T["archives_own_only"])
            asked = account.unit_id
        elif asked is None:
            return overview(overview_of(session, view.year, view.filters), page_search)
        archive = unit_archive(session, view.year, asked)
    if archive is None:
        return html.Div([refusal_message(T["archives_not_found"]), back_link(page_search)])
    may_edit = may_edit_unit(account.role, account.unit_id, archive.unit_id)
    return checklist(
        archive,
        page_search,
        may_edit=may_edit,
        back=reads_every_unit(account),
        files=_files([item.id for item in archive.items], may_edit),
        notice=notice,
    )


def _write(item_id: int, values: dict[str, Any], meta: dict[str, Any]) -> Any:
    """The write of one item's save; returns the unit's checklist as it now stands."""

    def write(session: Session, account: Account) -> Any:
        item = update_item(
            session,
            item_id,
            values,
            account.role,
            account.unit_id,
            today(),
            meta.get("version"),
            meta.get("seen"),
        )
        year = session.scalar(select(Campaign.year).where(Campaign.id == item.campaign_id))
        new_meta = {"item_id": item.id, "version": item.version, "seen": item_snapshot(item)}
        return unit_archive(session, year, item.unit_id), new_meta

    return write


@callback(
    Output(Ids.item("message"), "children"),
    Output(Ids.item("meta"), "data"),
    Input(Ids.item("save"), "n_clicks"),
    State(Ids.item("in"), "value"),
    State(Ids.item("up"), "value"),
    State(Ids.item("note"), "value"),
    State(Ids.item("meta"), "data"),
    prevent_initial_call=True,
)
def save_item(
    clicks: int | None,
    in_archive: Any,
    uploaded: Any,
    note: Any,
    meta: dict[str, Any] | None,
) -> tuple[Any, Any]:
    """Save one item's boxes and note (unit staff their own unit's, the admin any; the version
    it was opened at, or refused with what changed); the unit's counts and tasks are said."""
    if not params.clicked(clicks):
        raise PreventUpdate
    meta = params.mapping(meta)
    item_id = params.meta_id(meta.get("item_id")) or params.NO_RECORD
    refusals = Refusals(
        LABELS,
        f"archives-alert-{item_id}",
        conflict_heading=T["archives_changed"],
        entity="archive_item",
    )
    values = {"in_archive": in_archive, "uploaded": uploaded, "note": note}
    outcome = answered_save(
        EDITORS, refusals, _write(item_id, values, meta), what=T["archives_what"]
    )
    if not outcome.saved:
        return outcome.alert, no_update
    archive, new_meta = outcome.result
    return saved_message(archive), new_meta


@callback(
    Output(Ids.item("in"), "value"),
    Output(Ids.item("up"), "value"),
    Input(Ids.item("in"), "value"),
    Input(Ids.item("up"), "value"),
    prevent_initial_call=True,
)
def keep_boxes(in_archive: Any, uploaded: Any) -> tuple[Any, Any]:
    """已上传 implies 已归档: ticking 已上传 ticks 已归档, unticking 已归档 unticks 已上传."""
    part = params.mapping(ctx.triggered_id).get("type", "")
    if part == Ids.item("up", 0)["type"] and uploaded is True and in_archive is not True:
        return True, no_update
    if part == Ids.item("in", 0)["type"] and in_archive is not True and uploaded is True:
        return no_update, False
    raise PreventUpdate
