"""/admin/chase — 催办设置 (#15): how days are counted, the ladder, the leaders in charge, the
holiday calendar the library does not know yet, the notice templates, the outgoing channels."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.ids import AdminChase as Ids
from dashboard.ids import FormIds
from dashboard.text import MISSING, T
from data.chase_settings import SMTP_PASSWORD_ENV, ChaseSettings, Contact
from data.labels import CHASE, DAY_COUNT_NAMES, LIST_SEPARATOR
from data.reference import KIND_NAMES, ROLE_NAMES, Role
from data.workdays import CalendarEntry, ChaseAdminView
from layouts.common import page_skeleton
from layouts.forms import DROPDOWN_LABELS, Field, form_card, form_fields

TITLE = T["chase_admin_title"]
PAGE = dict(path="/admin/chase", name=TITLE, title=f"{TITLE} · {T['brand']}")

SETTINGS = FormIds(Ids.SETTINGS)
LEADERS = FormIds(Ids.LEADERS)
EMAIL = FormIds(Ids.EMAIL)
DAY_ADD = FormIds(Ids.DAY_ADD)
DAY_REMOVE = FormIds(Ids.DAY_REMOVE)
WEEKDAYS = T["chase_admin_weekdays"]
KIND_OPTIONS = tuple(KIND_NAMES.items())


def layout(**query: Any) -> html.Div:
    """The page skeleton; a callback fills it for admins (others see why they cannot)."""
    return page_skeleton(TITLE, query, Ids.STATE, Ids.CONTENT, [dcc.Store(id=Ids.REFRESH)])


# ---- the settings form -------------------------------------------------------------------------


def settings_fields() -> list[Field]:
    """The ladder's fields, then the channels'."""
    return [
        Field(
            "day_count",
            CHASE["day_count"],
            "select",
            options=tuple(DAY_COUNT_NAMES.items()),
            required=True,
            width=12,
            help=T["chase_admin_day_count_help"],
        ),
        Field(
            "remind_before",
            CHASE["remind_before"],
            "number",
            required=True,
            width=4,
            step=1,
            help=T["chase_admin_remind_help"],
        ),
        Field(
            "escalate_after",
            CHASE["escalate_after"],
            "number",
            required=True,
            width=4,
            step=1,
            help=T["chase_admin_escalate_help"],
        ),
        Field(
            "focus_after",
            CHASE["focus_after"],
            "number",
            required=True,
            width=4,
            step=1,
            help=T["chase_admin_focus_help"],
        ),
        Field("job_enabled", CHASE["job_enabled"], "checkbox", width=12),
    ]


def channel_fields() -> list[Field]:
    """The e-mail and group-robot fields (both off by default)."""
    return [
        Field("email_enabled", CHASE["email_enabled"], "checkbox", width=12),
        Field("smtp_host", CHASE["smtp_host"], width=6, placeholder="smtp.example.gov.cn"),
        Field("smtp_port", CHASE["smtp_port"], "number", width=2, step=1),
        Field("smtp_user", CHASE["smtp_user"], width=4),
        Field(
            "smtp_sender",
            CHASE["smtp_sender"],
            width=6,
            placeholder="jfb@example.gov.cn",
            help=T["chase_admin_password_help"].format(env=SMTP_PASSWORD_ENV),
        ),
        Field("smtp_starttls", CHASE["smtp_starttls"], "checkbox", width=6),
        Field("webhook_enabled", CHASE["webhook_enabled"], "checkbox", width=12),
        Field("webhook_url", CHASE["webhook_url"], width=12, placeholder="https://"),
    ]


def settings_card(settings: ChaseSettings, notice: str | None) -> dbc.Card:
    """The settings form, drawn with the stored settings (its meta: what it was drawn with)."""
    values = settings.to_dict()
    channels = html.Div(
        [
            html.H6(T["chase_admin_channels"], className="mt-3 mb-2 fw-semibold"),
            form_fields(SETTINGS, channel_fields(), values),
        ]
    )
    return form_card(
        SETTINGS,
        T["chase_admin_settings"],
        settings_fields(),
        values,
        meta={"seen": values},
        notice=notice,
        intro=html.P(T["chase_admin_intro"], className="small text-muted"),
        extra=[channels],
    )


# ---- leaders in charge and e-mail addresses ----------------------------------------------------


def leader_fields(leaders: Sequence[Contact]) -> list[Field]:
    """For each leader: the unit kinds in their charge, their e-mail."""
    fields: list[Field] = []
    for leader in leaders:
        fields.append(
            Field(
                f"kinds_{leader.id}",
                T["chase_admin_kinds"].format(name=leader.display_name, username=leader.username),
                "multiselect",
                options=KIND_OPTIONS,
                width=7,
                placeholder=T["chase_admin_kinds_hint"],
            )
        )
        fields.append(
            Field(
                f"email_{leader.id}",
                T["chase_admin_leader_email"].format(name=leader.display_name),
                width=5,
                placeholder="name@example.gov.cn",
            )
        )
    return fields


def leaders_card(contacts: Sequence[Contact], notice: str | None) -> dbc.Card:
    """Which leader is in charge of which kinds of unit (督办 goes to them), and their e-mail."""
    leaders = [c for c in contacts if c.role == Role.LEADER and c.active]
    intro = html.P(T["chase_admin_leaders_intro"], className="small text-muted")
    if not leaders:
        return dbc.Card(
            [
                dbc.CardHeader(html.Strong(T["chase_admin_leaders"])),
                dbc.CardBody([intro, dcc.Link(T["chase_admin_leaders_none"], href="/admin/users")]),
            ],
            className="mb-3",
            id=f"{LEADERS.prefix}-card",
        )
    values: dict[str, Any] = {}
    for leader in leaders:
        values[f"kinds_{leader.id}"] = list(leader.in_charge_of)
        values[f"email_{leader.id}"] = leader.email
    return form_card(
        LEADERS,
        T["chase_admin_leaders"],
        leader_fields(leaders),
        values,
        meta={
            "versions": {str(c.id): c.version for c in leaders},
            "seen": values,
            "names": {str(c.id): c.display_name for c in leaders},
        },
        notice=notice,
        intro=intro,
    )


def email_fields(contacts: Sequence[Contact]) -> list[Field]:
    """Choose an account, type its e-mail."""
    options = [
        (
            c.id,
            " · ".join(
                part
                for part in (c.display_name, c.username, ROLE_NAMES.get(c.role, c.role), c.unit)
                if part
            ),
        )
        for c in contacts
        if c.active
    ]
    return [
        Field(
            "account", T["chase_admin_account"], "select", options=options, required=True, width=6
        ),
        Field("email", T["chase_admin_email_field"], width=6, placeholder="name@example.gov.cn"),
    ]


def emails_table(contacts: Sequence[Contact]) -> Any:
    """The accounts that have an e-mail address."""
    rows = [
        html.Tr(
            [
                html.Td(T["chase_admin_contact"].format(name=c.display_name, username=c.username)),
                html.Td(ROLE_NAMES.get(c.role, c.role)),
                html.Td(c.unit or MISSING, className="text-wrap"),
                html.Td(c.email),
            ]
        )
        for c in contacts
        if c.email
    ]
    if not rows:
        return html.P(T["chase_admin_emails_none"], className="small text-muted mb-0")
    head = (
        T["chase_admin_col_account"],
        T["chase_admin_col_role"],
        T["chase_admin_col_unit"],
        T["chase_admin_col_email"],
    )
    return dbc.Table(
        [
            html.Thead(html.Tr([html.Th(text) for text in head])),
            html.Tbody(rows),
        ],
        size="sm",
        bordered=True,
        responsive=True,
        className="mb-0 small",
        id=Ids.CONTACTS,
    )


def email_card(contacts: Sequence[Contact], notice: str | None) -> dbc.Card:
    """Set one account's e-mail; the accounts that have one below."""
    versions = {str(c.id): c.version for c in contacts}
    return form_card(
        EMAIL,
        T["chase_admin_email"],
        email_fields(contacts),
        {},
        meta={"versions": versions, "seen": {str(c.id): c.email for c in contacts}},
        notice=notice,
        intro=html.P(T["chase_admin_email_intro"], className="small text-muted"),
        extra=[html.Div(emails_table(contacts), className="mb-2")],
    )


# ---- the calendar ------------------------------------------------------------------------------


def fmt_day(day: dt.date) -> str:
    """`2024-10-01`."""
    return day.isoformat()


def calendar_table(year: int, entries: Sequence[CalendarEntry]) -> Any:
    """A year's holidays and 调休 days, the admin's own marked as such."""
    if not entries:
        return dbc.Alert(
            T["chase_admin_year_empty"].format(year=year), color="light", className="border mb-0"
        )
    rows = []
    for entry in entries:
        kind = T["chase_admin_work"] if entry.workday else T["chase_admin_off"]
        if entry.source == "library":
            source = T["chase_admin_source_library"]
        elif entry.library_workday == entry.workday:
            source = T["chase_admin_source_admin"]
        else:
            library = T["chase_admin_work"] if entry.library_workday else T["chase_admin_off"]
            source = T["chase_admin_source_overrides"].format(what=library)
        rows.append(
            html.Tr(
                [
                    html.Td(fmt_day(entry.day)),
                    html.Td(WEEKDAYS[entry.day.weekday()]),
                    html.Td(kind, className="text-success" if entry.workday else "text-danger"),
                    html.Td(entry.name or MISSING),
                    html.Td(source),
                ],
                className="table-warning" if entry.source == "admin" else None,
            )
        )
    head = (
        T["chase_admin_col_day"],
        T["chase_admin_col_weekday"],
        T["chase_admin_col_kind"],
        T["chase_admin_col_name"],
        T["chase_admin_col_source"],
    )
    return dbc.Table(
        [
            html.Thead(html.Tr([html.Th(text) for text in head])),
            html.Tbody(rows),
        ],
        size="sm",
        bordered=True,
        responsive=True,
        className="mb-0 small",
    )


def day_add_fields() -> list[Field]:
    """The date, worked or off, a name."""
    return [
        Field("day", T["chase_admin_day_field"], "date", required=True, width=4),
        Field(
            "workday",
            T["chase_admin_day_kind"],
            "select",
            options=(("off", T["chase_admin_off"]), ("work", T["chase_admin_work"])),
            required=True,
            width=3,
        ),
        Field("name", T["chase_admin_day_name"], width=5),
    ]


def day_remove_fields(days: Sequence[CalendarEntry]) -> list[Field]:
    """Choose one of the admin's own days."""
    options = [
        (
            entry.day.isoformat(),
            f"{fmt_day(entry.day)} "
            f"{T['chase_admin_work'] if entry.workday else T['chase_admin_off']}"
            f"{' ' + entry.name if entry.name else ''}",
        )
        for entry in days
    ]
    return [
        Field(
            "day",
            T["chase_admin_day_field"],
            "select",
            options=options,
            required=True,
            width=12,
            placeholder=T["chase_admin_day_remove_choose"],
        )
    ]


def year_options(years: Sequence[int], unknown: Sequence[int]) -> list[dict[str, Any]]:
    """The calendar chooser's years, the unknown ones said so."""
    return [
        {
            "label": (
                T["chase_admin_year_unknown"] if y in unknown else T["chase_admin_year_option"]
            ).format(year=y),
            "value": y,
        }
        for y in years
    ]


def calendar_card(page: ChaseAdminView, year: int, notices: dict[str, str]) -> dbc.Card:
    """The chooser of a year and its table (filled by a callback), the forms that add and
    remove a day."""
    first, last = page.library_years
    add = form_card(
        DAY_ADD,
        T["chase_admin_day_add"],
        day_add_fields(),
        {"workday": "off"},
        submit=T["chase_admin_day_add"],
        notice=notices.get(DAY_ADD.prefix),
    )
    if page.admin_days:
        remove: Any = form_card(
            DAY_REMOVE,
            T["chase_admin_day_remove"],
            day_remove_fields(page.admin_days),
            {},
            submit=T["chase_admin_day_remove"],
            notice=notices.get(DAY_REMOVE.prefix),
        )
    else:
        remove = dbc.Alert(
            [notices.get(DAY_REMOVE.prefix) or "", T["chase_admin_day_remove_none"]],
            color="light",
            className="border small",
        )
    return dbc.Card(
        [
            dbc.CardHeader(html.Strong(T["chase_admin_calendar"])),
            dbc.CardBody(
                [
                    html.P(
                        T["chase_admin_calendar_intro"].format(first=first, last=last),
                        className="small text-muted",
                    ),
                    dbc.Row(
                        [
                            dbc.Col(
                                dbc.Label(T["chase_admin_year"], html_for=Ids.CAL_YEAR),
                                width="auto",
                            ),
                            dbc.Col(
                                dcc.Dropdown(
                                    id=Ids.CAL_YEAR,
                                    options=year_options(page.years, page.unknown),
                                    value=year,
                                    clearable=False,
                                    labels=DROPDOWN_LABELS,
                                ),
                                xs=8,
                                sm=4,
                            ),
                        ],
                        className="align-items-center g-2 mb-2",
                    ),
                    html.Div(id=Ids.CAL_TABLE, className="mb-3 admin-chase-calendar"),
                    dbc.Row(
                        [dbc.Col(add, xs=12, lg=7), dbc.Col(remove, xs=12, lg=5)],
                        className="g-2",
                    ),
                ]
            ),
        ],
        className="mb-3",
        id=Ids.CALENDAR,
    )


def unknown_warning(unknown: Sequence[int], settings: ChaseSettings) -> Any:
    """The warning that a year a campaign touches has no holidays yet (None when none)."""
    if not unknown:
        return None
    years = LIST_SEPARATOR.join(T["chase_admin_year_option"].format(year=y) for y in unknown)
    text = T["chase_admin_unknown"].format(years=years)
    if not settings.working_days:
        text += T["chase_admin_unknown_calendar_mode"]
    return dbc.Alert(text, color="warning", id=Ids.UNKNOWN)


# ---- the whole page ------------------------------------------------------------------------------


def chase_page(
    page: ChaseAdminView, year: int, notices: dict[str, str], templates: Any = None
) -> html.Div:
    """The page for an admin: settings, leaders, e-mail, calendar, notice templates."""
    return html.Div(
        [
            unknown_warning(page.unknown, page.settings),
            dbc.Row(
                [
                    dbc.Col(settings_card(page.settings, notices.get(SETTINGS.prefix)), lg=6),
                    dbc.Col(
                        [
                            leaders_card(page.contacts, notices.get(LEADERS.prefix)),
                            email_card(page.contacts, notices.get(EMAIL.prefix)),
                        ],
                        lg=6,
                    ),
                ],
                className="g-3",
            ),
            calendar_card(page, year, notices),
            templates,
        ]
    )
