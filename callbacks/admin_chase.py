"""催办设置 callbacks: draw the page for admins, the calendar of the chosen year, and the five
forms' saves — each checked for the admin role on the server, refused at the field with nothing
written, recorded in the history."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dash import Input, Output, callback

from callbacks.content import admin_content
from callbacks.forms import Action, register_form
from dashboard import params
from dashboard.auth import current_account
from dashboard.context import get_db, today
from dashboard.ids import AdminChase as Ids
from dashboard.text import T
from data.chase_settings import update_chase_settings, update_email, update_leaders
from data.labels import USER
from data.reference import Role
from data.workdays import (
    add_calendar_day,
    chase_admin_view,
    remove_calendar_day_form,
    year_calendar,
)
from layouts.admin_chase import (
    DAY_ADD,
    DAY_REMOVE,
    EMAIL,
    LEADERS,
    SETTINGS,
    calendar_table,
    channel_fields,
    chase_page,
    day_add_fields,
    email_fields,
    settings_fields,
)
from layouts.forms import labels_of
from layouts.notices import notice_template_panel


@admin_content(Ids.CONTENT, Ids.STATE, Ids.REFRESH, what=T["chase_admin_what"])
def render_chase_admin(_search: str | None, refresh: dict | None) -> Any:
    """The page for admins; after a calendar save, the calendar stays on that day's year."""
    refresh = params.mapping(refresh)
    notices = params.mapping(refresh.get("notices"))
    with get_db().read() as session:
        view = chase_admin_view(session, today())
    year = params.year(refresh.get("year")) or view.default_year(today())
    return chase_page(view, year, notices, notice_template_panel())


@callback(Output(Ids.CAL_TABLE, "children"), Input(Ids.CAL_YEAR, "value"))
def show_calendar(year: Any) -> Any:
    """The chosen year's holidays and 调休 days (for admins only, like the page)."""
    if current_account().role != Role.ADMIN:
        return None
    chosen = params.year(year) or today().year
    with get_db().read() as session:
        return calendar_table(chosen, year_calendar(session, chosen))


def _versions(meta: dict[str, Any]) -> dict[str, Any]:
    """The account versions a form was drawn with."""
    return params.mapping(meta.get("versions"))


def _seen(meta: dict[str, Any]) -> dict[str, Any]:
    """The values the form showed when it was drawn (by field, or by account for e-mails)."""
    return params.mapping(meta.get("seen"))


def _contact_names(meta: dict[str, Any]) -> Callable[[str], str]:
    """A leaders-form field in words: 王局长的分管单位类别 / 电子邮箱 (the leader's name from the
    form's meta; a field's own message stands under the leader's name anyway)."""
    names = params.mapping(meta.get("names"))

    def name(path: str) -> str:
        prefix, _, number = path.partition("_")
        field = {"kinds": USER["in_charge_of"], "email": USER["email"]}.get(prefix)
        if field is None:
            return T["chase_admin_account"]
        who = names.get(number)
        return T["chase_admin_leader_field"].format(name=who, field=field) if who else field

    return name


def _year_of(day: Any) -> dict[str, Any]:
    """What the redraw keeps after a calendar save: that day's year."""
    return {"year": day.year}


save_settings = register_form(
    SETTINGS,
    Ids.REFRESH,
    labels_of(settings_fields() + channel_fields()),
    {
        SETTINGS.save: Action(
            T["chase_admin_settings_what"],
            lambda s, raw, meta: update_chase_settings(s, raw, params.mapping(meta.get("seen"))),
            lambda _: T["chase_admin_settings_saved"],
        )
    },
    entity="setting",
)

save_leaders = register_form(
    LEADERS,
    Ids.REFRESH,
    _contact_names,
    {
        LEADERS.save: Action(
            T["chase_admin_leaders_what"],
            lambda s, raw, meta: update_leaders(s, raw, _versions(meta), _seen(meta)),
            lambda n: T["chase_admin_leaders_saved"].format(n=n),
        )
    },
    entity="app_user",
)

save_email = register_form(
    EMAIL,
    Ids.REFRESH,
    labels_of(email_fields([])),
    {
        EMAIL.save: Action(
            T["chase_admin_email_what"],
            lambda s, raw, meta: update_email(s, raw, _versions(meta), _seen(meta)),
            lambda name: T["chase_admin_email_saved"].format(name=name),
        )
    },
    entity="app_user",
)

add_day = register_form(
    DAY_ADD,
    Ids.REFRESH,
    labels_of(day_add_fields()),
    {
        DAY_ADD.save: Action(
            T["chase_admin_day_add_what"],
            lambda s, raw, _meta: add_calendar_day(s, raw),
            lambda day: T["chase_admin_day_added"].format(day=day.isoformat()),
            keep=_year_of,
        )
    },
)

remove_day = register_form(
    DAY_REMOVE,
    Ids.REFRESH,
    {"day": T["chase_admin_day_field"]},
    {
        DAY_REMOVE.save: Action(
            T["chase_admin_day_remove_what"],
            lambda s, raw, _meta: remove_calendar_day_form(s, raw),
            lambda day: T["chase_admin_day_removed"].format(day=day.isoformat()),
            keep=_year_of,
        )
    },
)
