"""评议活动设置 callbacks: draw the page for admins, and the five forms' saves — each checked for
the admin role on the server, refused at the field with nothing written, recorded in history."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from dash import Input, Output, State, callback, ctx, no_update
from dash.exceptions import PreventUpdate

from callbacks.forms import feedback_names, form_values, save_form
from dashboard.auth import current_account
from dashboard.context import get_db
from dashboard.ids import Admin as Ids
from dashboard.ids import Shell
from dashboard.state import parse_state, to_search
from data.campaigns import (
    add_template,
    campaign_by_year,
    campaign_setup,
    create_campaign,
    delete_template,
    rename_template,
    restore_template,
    retire_template,
    setup_snapshot,
    update_campaign,
    update_settings,
)
from data.figures import campaign_years
from data.forms import FormError
from data.reference import PHASE_NAMES, Role
from layouts.admin_campaign import (
    NEW,
    SETTINGS,
    SETUP,
    TEMPLATE_ADD,
    TEMPLATE_EDIT,
    admin_only,
    campaign_page,
    new_campaign_fields,
    settings_fields,
    setup_fields,
    template_add_fields,
)
from layouts.forms import labels_of

ADMIN = (Role.ADMIN,)


@callback(
    Output(Ids.CONTENT, "children"),
    Input(Ids.STATE, "data"),
    Input(Ids.REFRESH, "data"),
)
def render_campaign_admin(search: str | None, refresh: dict | None) -> Any:
    """The set-up of the campaign in the URL (default: the newest) for admins."""
    account = current_account()
    if account.role != Role.ADMIN:
        return admin_only("设置评议活动", account.role_name)
    state = parse_state(search)
    notices = dict((refresh or {}).get("notices") or {})
    created = state.extra.get("created")
    if created:
        notices[NEW.prefix] = f"已建立 {created} 年评议活动，各单位的阶段任务和工作档案清单已生成。"
    with get_db().read() as session:
        years = campaign_years(session)
        year = state.campaign if state.campaign in years else (years[0] if years else None)
        if year is None:
            return campaign_page(years, None, None, notices)
        setup = campaign_setup(session, year)
        values = setup_snapshot(campaign_by_year(session, year))
    return campaign_page(years, setup, values, notices)


def _redraw(prefix: str, notice: str) -> dict[str, Any]:
    """The REFRESH store's value after a save: redraw the page, with a notice on that form."""
    return {"at": dt.datetime.now().isoformat(), "notices": {prefix: notice}}


def _year(meta: dict | None) -> int:
    year = (meta or {}).get("year")
    if not isinstance(year, int):
        raise PreventUpdate
    return year


@callback(
    Output(NEW.message, "children"),
    Output(NEW.feedbacks(), "children"),
    Output(Shell.URL, "search", allow_duplicate=True),
    Input(NEW.save, "n_clicks"),
    State(NEW.fields(), "value"),
    State(NEW.fields(), "id"),
    State(Ids.STATE, "data"),
    prevent_initial_call=True,
)
def create(clicks: int | None, values: list, ids: list, search: str | None) -> tuple[Any, ...]:
    """Create a campaign from the work plan, or copied from another year."""
    if not clicks:
        raise PreventUpdate
    raw = form_values(values, ids)
    names = feedback_names()
    fields = new_campaign_fields([])
    outcome = save_form(
        roles=ADMIN,
        what="建立评议活动",
        labels=labels_of(fields),
        alert_id="adm-new-errors",
        names=names,
        write=lambda s: (
            create_campaign(
                s, raw.get("year"), raw.get("title"), raw.get("meeting_date"), raw.get("copy_from")
            ).year
        ),
    )
    if not outcome.saved:
        return outcome.alert, outcome.messages, no_update
    state = parse_state(search)
    extra = {**state.extra, "created": str(outcome.result)}
    return None, outcome.messages, to_search(replace(state, campaign=outcome.result, extra=extra))


@callback(
    Output(SETUP.message, "children"),
    Output(SETUP.feedbacks(), "children"),
    Output(Ids.REFRESH, "data", allow_duplicate=True),
    Input(SETUP.save, "n_clicks"),
    State(SETUP.fields(), "value"),
    State(SETUP.fields(), "id"),
    State(SETUP.meta, "data"),
    prevent_initial_call=True,
)
def save_setup(clicks: int | None, values: list, ids: list, meta: dict | None) -> tuple[Any, ...]:
    """Change the title, meeting date and phase windows (checked together)."""
    if not clicks:
        raise PreventUpdate
    year = _year(meta)
    raw = form_values(values, ids)
    outcome = save_form(
        roles=ADMIN,
        what="修改评议活动",
        labels={**labels_of(setup_fields()), **PHASE_NAMES},
        alert_id="adm-setup-errors",
        names=feedback_names(),
        write=lambda s: update_campaign(s, year, raw, (meta or {}).get("seen")),
    )
    if not outcome.saved:
        return outcome.alert, outcome.messages, no_update
    return None, outcome.messages, _redraw(SETUP.prefix, "已保存，各统计数字已按新的日期重新计算。")


@callback(
    Output(TEMPLATE_ADD.message, "children"),
    Output(TEMPLATE_ADD.feedbacks(), "children"),
    Output(Ids.REFRESH, "data", allow_duplicate=True),
    Input(TEMPLATE_ADD.save, "n_clicks"),
    State(TEMPLATE_ADD.fields(), "value"),
    State(TEMPLATE_ADD.fields(), "id"),
    State(TEMPLATE_ADD.meta, "data"),
    prevent_initial_call=True,
)
def add(clicks: int | None, values: list, ids: list, meta: dict | None) -> tuple[Any, ...]:
    """Add a deliverable; the units it applies to get it at once."""
    if not clicks:
        raise PreventUpdate
    year = _year(meta)
    raw = form_values(values, ids)
    outcome = save_form(
        roles=ADMIN,
        what="添加阶段任务",
        labels=labels_of(template_add_fields()),
        alert_id="adm-tpl-add-errors",
        names=feedback_names(),
        write=lambda s: add_template(s, year, raw).name,
    )
    if not outcome.saved:
        return outcome.alert, outcome.messages, no_update
    notice = f"已添加阶段任务“{outcome.result}”，适用的单位都已生成这项任务。"
    return None, outcome.messages, _redraw(TEMPLATE_ADD.prefix, notice)


EDIT_LABELS = {"template": "阶段任务", "name": "新名称"}
EDIT_ACTIONS = {
    TEMPLATE_EDIT.save: ("修改阶段任务名称", "已改名为“{name}”。"),
    TEMPLATE_EDIT.button("retire"): (
        "停用阶段任务",
        "已停用“{name}”：各单位的完成记录保留，不再计入进度和评分。",
    ),
    TEMPLATE_EDIT.button("restore"): ("恢复阶段任务", "已恢复“{name}”。"),
    TEMPLATE_EDIT.button("delete"): ("删除阶段任务", "已删除“{name}”。"),
}


def _edit_template(session: Any, action: str, raw: dict[str, Any]) -> str:
    """Run one of the four template actions; returns the template's name."""
    template_id = raw.get("template")
    if template_id is None:
        raise FormError({"template": "请选择阶段任务"})
    if action == TEMPLATE_EDIT.save:
        return rename_template(session, template_id, raw.get("name")).name
    if action == TEMPLATE_EDIT.button("retire"):
        return retire_template(session, template_id, dt.datetime.now()).name
    if action == TEMPLATE_EDIT.button("restore"):
        return restore_template(session, template_id).name
    from data.models import TaskTemplate

    found = session.get(TaskTemplate, template_id) if isinstance(template_id, int) else None
    name = found.name if found is not None else ""
    delete_template(session, template_id)
    return name


@callback(
    Output(TEMPLATE_EDIT.message, "children"),
    Output(TEMPLATE_EDIT.feedbacks(), "children"),
    Output(Ids.REFRESH, "data", allow_duplicate=True),
    Input(TEMPLATE_EDIT.save, "n_clicks"),
    Input(TEMPLATE_EDIT.button("retire"), "n_clicks"),
    Input(TEMPLATE_EDIT.button("restore"), "n_clicks"),
    Input(TEMPLATE_EDIT.button("delete"), "n_clicks"),
    State(TEMPLATE_EDIT.fields(), "value"),
    State(TEMPLATE_EDIT.fields(), "id"),
    prevent_initial_call=True,
)
def edit_template(*args: Any) -> tuple[Any, ...]:
    """Rename, retire, restore or delete the chosen deliverable."""
    *clicks, values, ids = args
    action = ctx.triggered_id
    if action not in EDIT_ACTIONS or not any(clicks):
        raise PreventUpdate
    raw = form_values(values, ids)
    what, done = EDIT_ACTIONS[action]
    outcome = save_form(
        roles=ADMIN,
        what=what,
        labels=EDIT_LABELS,
        alert_id="adm-tpl-edit-errors",
        names=feedback_names(),
        write=lambda s: _edit_template(s, action, raw),
    )
    if not outcome.saved:
        return outcome.alert, outcome.messages, no_update
    return None, outcome.messages, _redraw(TEMPLATE_EDIT.prefix, done.format(name=outcome.result))


@callback(
    Output(SETTINGS.message, "children"),
    Output(SETTINGS.feedbacks(), "children"),
    Output(Ids.REFRESH, "data", allow_duplicate=True),
    Input(SETTINGS.save, "n_clicks"),
    State(SETTINGS.fields(), "value"),
    State(SETTINGS.fields(), "id"),
    State(SETTINGS.meta, "data"),
    prevent_initial_call=True,
)
def save_settings(
    clicks: int | None, values: list, ids: list, meta: dict | None
) -> tuple[Any, ...]:
    """Replace the campaign's evaluation settings (checked as a whole)."""
    if not clicks:
        raise PreventUpdate
    year = _year(meta)
    raw = form_values(values, ids)
    outcome = save_form(
        roles=ADMIN,
        what="修改评议结果计分设置",
        labels=labels_of(settings_fields()),
        alert_id="adm-settings-errors",
        names=feedback_names(),
        write=lambda s: update_settings(s, year, raw, (meta or {}).get("seen")),
    )
    if not outcome.saved:
        return outcome.alert, outcome.messages, no_update
    notice = "已保存，评议结果已按新设置重新计算。"
    return None, outcome.messages, _redraw(SETTINGS.prefix, notice)
