"""评议活动设置 callbacks: draw the page for admins, and the five forms' saves — each checked for
the admin role on the server, refused at the field with nothing written, recorded in history."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from dash import Input, Output, State, callback, no_update
from dash.exceptions import PreventUpdate
from sqlalchemy.orm import Session

from callbacks.content import admin_content
from callbacks.forms import Action, Once, feedback_names, form_values, register_form, save_form
from dashboard import params
from dashboard.context import get_db
from dashboard.ids import Admin as Ids
from dashboard.ids import Shell
from dashboard.state import parse_state, to_search
from dashboard.text import T
from data.campaign_view import campaign_setup
from data.campaigns import (
    campaign_by_year,
    create_campaign,
    setup_snapshot,
    update_campaign,
    update_settings,
)
from data.edits import VersionMissing
from data.figures import campaign_years
from data.forms import FormError
from data.labels import TEMPLATE
from data.models import TaskTemplate
from data.reference import PHASE_NAMES, Role
from data.templates import (
    add_template,
    delete_template,
    rename_template,
    restore_template,
    retire_template,
)
from layouts.admin_campaign import (
    NEW,
    SETTINGS,
    SETUP,
    TEMPLATE_ADD,
    TEMPLATE_EDIT,
    campaign_page,
    new_campaign_fields,
    settings_fields,
    setup_fields,
    template_add_fields,
)
from layouts.forms import labels_of

ADMIN = (Role.ADMIN,)  # who sets the campaign up (register_form's default too)
CREATE_ONCE = Once("campaign")  # the new-campaign form (data/form_tokens.py)


@admin_content(Ids.CONTENT, Ids.STATE, Ids.REFRESH, what=T["adm_campaign_what"])
def render_campaign_admin(search: str | None, refresh: dict | None) -> Any:
    """The set-up of the campaign in the URL (default: the newest) for admins."""
    state = parse_state(search)
    notices = params.mapping(params.mapping(refresh).get("notices"))
    created = state.extra.get("created")
    if created:
        notices[NEW.prefix] = T["adm_campaign_created"].format(year=created)
    with get_db().read() as session:
        years = campaign_years(session)
        year = state.campaign if state.campaign in years else (years[0] if years else None)
        if year is None:
            return campaign_page(years, None, None, notices)
        setup = campaign_setup(session, year)
        values = setup_snapshot(campaign_by_year(session, year))
    return campaign_page(years, setup, values, notices)


@callback(
    Output(NEW.message, "children"),
    Output(NEW.feedbacks(), "children"),
    Output(Shell.URL, "search", allow_duplicate=True),
    Input(NEW.save, "n_clicks"),
    State(NEW.fields(), "value"),
    State(NEW.fields(), "id"),
    State(NEW.meta, "data"),
    State(Ids.STATE, "data"),
    prevent_initial_call=True,
)
def create(
    clicks: int | None, values: list, ids: list, meta: dict | None, search: str | None
) -> tuple[Any, ...]:
    """Create a campaign from the work plan, or copied from another year (once per opening of
    the form: a double click creates it once and answers both the same)."""
    if not params.clicked(clicks):
        raise PreventUpdate
    raw = form_values(values, ids)
    names = feedback_names()
    fields = new_campaign_fields([])
    outcome = save_form(
        roles=ADMIN,
        what=T["adm_campaign_create"],
        labels=labels_of(fields),
        alert_id=NEW.errors,
        names=names,
        write=CREATE_ONCE.write(
            lambda s: (
                create_campaign(
                    s,
                    raw.get("year"),
                    raw.get("title"),
                    raw.get("meeting_date"),
                    raw.get("copy_from"),
                ).year
            ),
            params.mapping(meta),
        ),
    )
    if not outcome.saved:
        return outcome.alert, outcome.messages, no_update
    state = parse_state(search)
    extra = {**state.extra, "created": str(outcome.result)}
    return None, outcome.messages, to_search(replace(state, campaign=outcome.result, extra=extra))


def _seen(meta: dict[str, Any]) -> dict[str, Any]:
    """The values the form was drawn with (its version); a save without them is refused."""
    seen = meta.get("seen")
    if not isinstance(seen, dict) or not seen:
        raise VersionMissing
    return seen


def _year(meta: dict[str, Any]) -> int:
    """The campaign a set-up form was drawn for (PreventUpdate for a form without one)."""
    year = params.year(meta.get("year"))
    if year is None:
        raise PreventUpdate
    return year


save_setup = register_form(
    SETUP,
    Ids.REFRESH,
    {**labels_of(setup_fields()), **PHASE_NAMES},
    {
        SETUP.save: Action(
            T["adm_campaign_setup_what"],
            lambda s, raw, meta: update_campaign(s, _year(meta), raw, _seen(meta)),
            lambda _: T["adm_campaign_setup_saved"],
        )
    },
    check=_year,
)

add = register_form(
    TEMPLATE_ADD,
    Ids.REFRESH,
    labels_of(template_add_fields()),
    {
        TEMPLATE_ADD.save: Action(
            T["adm_campaign_task_add"],
            lambda s, raw, meta: add_template(s, _year(meta), raw).name,
            T["adm_campaign_task_added"].format,
            once=Once("task_template"),
        )
    },
    check=_year,
)


def _template(raw: dict[str, Any]) -> Any:
    """The deliverable chosen in the edit form (FormError at the chooser when none; one that is
    not an id names no deliverable)."""
    template_id = params.meta_id(raw.get("template"))
    if template_id is None:
        raise FormError({"template": T["adm_campaign_task_missing"]})
    return template_id


def _rename(session: Session, raw: dict[str, Any], _meta: dict[str, Any]) -> str:
    return rename_template(session, _template(raw), raw.get("name")).name


def _retire(session: Session, raw: dict[str, Any], _meta: dict[str, Any]) -> str:
    return retire_template(session, _template(raw), dt.datetime.now()).name


def _restore(session: Session, raw: dict[str, Any], _meta: dict[str, Any]) -> str:
    return restore_template(session, _template(raw)).name


def _delete(session: Session, raw: dict[str, Any], _meta: dict[str, Any]) -> str:
    """Delete the chosen deliverable; returns the name it had."""
    template_id = _template(raw)
    found = session.get(TaskTemplate, template_id) if isinstance(template_id, int) else None
    name = found.name if found is not None else ""
    delete_template(session, template_id)
    return name


edit_template = register_form(
    TEMPLATE_EDIT,
    Ids.REFRESH,
    {"template": TEMPLATE["template"], "name": T["adm_campaign_new_name_short"]},
    {
        TEMPLATE_EDIT.save: Action(
            T["adm_campaign_rename_what"], _rename, T["adm_campaign_renamed"].format
        ),
        TEMPLATE_EDIT.button("retire"): Action(
            T["adm_campaign_retire_what"], _retire, T["adm_campaign_retired_notice"].format
        ),
        TEMPLATE_EDIT.button("restore"): Action(
            T["adm_campaign_restore_what"], _restore, T["adm_campaign_restored"].format
        ),
        TEMPLATE_EDIT.button("delete"): Action(
            T["adm_campaign_delete_what"], _delete, T["adm_campaign_deleted"].format
        ),
    },
)

save_settings = register_form(
    SETTINGS,
    Ids.REFRESH,
    labels_of(settings_fields()),
    {
        SETTINGS.save: Action(
            T["adm_campaign_settings_what"],
            lambda s, raw, meta: update_settings(s, _year(meta), raw, _seen(meta)),
            lambda _: T["adm_campaign_settings_saved"],
        )
    },
    check=_year,
)
