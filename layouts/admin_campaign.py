"""/admin/campaign — 评议活动设置: create a year's campaign (from the work plan or last year),
then adjust its phases, meeting date, deliverables and evaluation settings while it runs."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.ids import Admin as Ids
from dashboard.ids import FormIds
from dashboard.text import T, fmt_date
from data.campaign_view import CampaignSetup, TemplateRow, category_name
from data.form_tokens import with_token
from data.labels import CAMPAIGN, EVALUATION, LIST_SEPARATOR, PHASE, TEMPLATE
from data.reference import KIND_NAMES, PHASE_NAMES
from layouts.common import empty_state, page_skeleton
from layouts.forms import Button, Field, form_buttons, form_card

TITLE = T["adm_campaign_title"]
PAGE = dict(path="/admin/campaign", name=TITLE, title=f"{TITLE} · {T['brand']}")

NEW = FormIds(Ids.NEW_CAMPAIGN)
SETUP = FormIds(Ids.SETUP)
TEMPLATE_ADD = FormIds(Ids.TEMPLATE_ADD)
TEMPLATE_EDIT = FormIds(Ids.TEMPLATE_EDIT)
SETTINGS = FormIds(Ids.SETTINGS)
PHASE_OPTIONS = tuple(PHASE_NAMES.items())
KIND_OPTIONS = tuple(KIND_NAMES.items())


def new_campaign_fields(years: list[int]) -> list[Field]:
    """The fields of 新建评议活动 (copy-from offers the existing years)."""
    return [
        Field(
            "year",
            CAMPAIGN["year"],
            "number",
            required=True,
            width=3,
            placeholder=T["adm_campaign_year_hint"],
        ),
        Field("title", CAMPAIGN["title"], width=5, placeholder=T["adm_campaign_title_hint"]),
        Field(
            "meeting_date",
            CAMPAIGN["meeting_date"],
            "date",
            width=4,
            help=T["adm_campaign_meeting_help"],
        ),
        Field(
            "copy_from",
            CAMPAIGN["copy_from"],
            "select",
            options=[(y, T["adm_campaign_copy_option"].format(year=y)) for y in years],
            width=12,
            placeholder=T["adm_campaign_copy_hint"],
            help=T["adm_campaign_copy_help"],
        ),
    ]


def setup_fields() -> list[Field]:
    """Title, meeting date and the four phase windows."""
    fields = [
        Field("title", CAMPAIGN["title"], required=True, width=8),
        Field("meeting_date", CAMPAIGN["meeting_date"], "date", width=4),
    ]
    for code, name in PHASE_NAMES.items():
        for part in ("starts_on", "ends_on"):
            label = T["adm_campaign_phase_date"].format(phase=name, part=PHASE[part])
            fields.append(Field(f"{code}.{part}", label, "date", required=True, width=3))
    return fields


def template_add_fields() -> list[Field]:
    """A new deliverable: phase, name, the unit kinds it applies to."""
    return [
        Field(
            "phase_code",
            TEMPLATE["phase_code"],
            "select",
            options=PHASE_OPTIONS,
            required=True,
            width=3,
        ),
        Field(
            "name",
            TEMPLATE["name"],
            required=True,
            width=4,
            placeholder=T["adm_campaign_task_hint"],
        ),
        Field(
            "kinds",
            TEMPLATE["kinds"],
            "multiselect",
            options=KIND_OPTIONS,
            width=5,
            placeholder=T["adm_campaign_all_kinds"],
        ),
    ]


def template_edit_fields(templates: tuple[TemplateRow, ...]) -> list[Field]:
    """Choose a deliverable, then rename, retire, restore or delete it."""
    options = [
        (
            t.id,
            T["adm_campaign_task_option"].format(
                phase=PHASE_NAMES.get(t.phase_code, t.phase_code),
                name=t.name,
                retired=T["adm_campaign_task_retired"] if t.retired else "",
                done=t.done,
                tasks=t.tasks,
            ),
        )
        for t in templates
    ]
    return [
        Field("template", TEMPLATE["template"], "select", options=options, required=True, width=7),
        Field("name", T["adm_campaign_new_name"], width=5),
    ]


def settings_fields() -> list[Field]:
    """Every evaluation setting as a number field."""
    return [
        Field(name, label, "number", required=True, width=4, step="any")
        for name, label in EVALUATION.items()
    ]


def layout(**query: Any) -> html.Div:
    """The page skeleton; a callback fills it for admins (others see why they cannot)."""
    return page_skeleton(TITLE, query, Ids.STATE, Ids.CONTENT, [dcc.Store(id=Ids.REFRESH)])


def admin_only(what: str, role_name: str) -> dbc.Alert:
    """What a role that may not set the campaign up sees."""
    return dbc.Alert(
        T["adm_campaign_admin_only"].format(what=what, role=role_name),
        color="secondary",
        id="admin-only",
    )


def phase_table(setup: CampaignSetup) -> dbc.Table:
    """The phases with their windows."""
    rows = [
        html.Tr(
            [
                html.Td(PHASE_NAMES.get(p.code, p.code)),
                html.Td(fmt_date(p.starts_on)),
                html.Td(fmt_date(p.ends_on)),
            ]
        )
        for p in setup.phases
    ]
    return dbc.Table(
        [
            html.Thead(
                html.Tr(
                    [html.Th(PHASE["code"]), html.Th(PHASE["starts_on"]), html.Th(PHASE["ends_on"])]
                )
            ),
            html.Tbody(rows),
        ],
        size="sm",
        className="mb-0",
    )


def template_table(setup: CampaignSetup) -> html.Div:
    """Every deliverable by phase: which kinds it applies to, how many units have done it."""
    rows = []
    for t in setup.templates:
        kinds = (
            LIST_SEPARATOR.join(KIND_NAMES[k] for k in t.kinds)
            if t.kinds
            else T["adm_campaign_kinds_all"]
        )
        rows.append(
            html.Tr(
                [
                    html.Td(PHASE_NAMES.get(t.phase_code, t.phase_code), className="text-nowrap"),
                    html.Td(
                        [
                            html.Span(t.name, className="text-nowrap me-1"),
                            dbc.Badge(T["adm_campaign_retired"], color="secondary")
                            if t.retired
                            else None,
                        ]
                    ),
                    html.Td(kinds, className="small"),
                    html.Td(f"{t.done}/{t.tasks}", className="text-end text-nowrap"),
                ],
                className="text-muted" if t.retired else None,
            )
        )
    if not rows:
        return empty_state(T["adm_campaign_no_tasks"])
    header = html.Tr(
        [
            html.Th(TEMPLATE["phase_code"]),
            html.Th(T["adm_campaign_col_task"]),
            html.Th(T["adm_campaign_col_kinds"]),
            html.Th(T["adm_campaign_col_done"], className="text-end text-nowrap"),
        ]
    )
    return html.Div(
        dbc.Table(
            [html.Thead(header), html.Tbody(rows)], size="sm", hover=True, id="admin-templates"
        ),
        className="table-responsive",
    )


def archive_list(setup: CampaignSetup) -> html.Div:
    """The archive checklist (文件、资料、照片) every unit compiles."""
    if not setup.archive:
        return empty_state(T["adm_campaign_no_archive"])
    return html.Ul(
        [
            html.Li(T["adm_campaign_archive_item"].format(name=name, category=category_name(c)))
            for name, c in setup.archive
        ],
        className="mb-0",
        id="admin-archive-list",
    )


def summary_line(setup: CampaignSetup) -> html.P:
    """How many units and unit tasks the campaign has."""
    live = sum(1 for t in setup.templates if not t.retired)
    return html.P(
        T["adm_campaign_summary"].format(
            title=setup.title,
            units=setup.units,
            tasks=live,
            unit_tasks=setup.unit_tasks,
            meeting=fmt_date(setup.meeting_date),
        ),
        className="mb-2",
        id="admin-campaign-summary",
    )


def campaign_page(
    years: list[int],
    setup: CampaignSetup | None,
    setup_values: dict[str, Any] | None,
    notices: dict[str, str],
) -> html.Div:
    """The whole page for an admin: create a campaign, and set up the chosen one."""
    create = form_card(
        NEW,
        T["adm_campaign_new"],
        new_campaign_fields(years),
        {"year": (max(years) + 1) if years else None},
        submit=T["adm_campaign_create"],
        meta=with_token(),  # a double-clicked 建立 creates the campaign once
        notice=notices.get(NEW.prefix),
        intro=html.P(T["adm_campaign_new_intro"], className="small text-muted"),
    )
    if setup is None:
        return html.Div([create, empty_state(T["adm_campaign_none"])])
    settings = form_card(
        SETTINGS,
        T["adm_campaign_settings"].format(year=setup.year),
        settings_fields(),
        setup.settings.to_dict(),
        meta={"year": setup.year, "seen": setup.settings.to_dict()},
        notice=notices.get(SETTINGS.prefix),
        intro=html.P(T["adm_campaign_settings_intro"], className="small text-muted"),
    )
    edit = form_card(
        SETUP,
        T["adm_campaign_setup"].format(year=setup.year),
        setup_fields(),
        setup_values,
        meta={"year": setup.year, "seen": setup_values},
        notice=notices.get(SETUP.prefix),
        intro=summary_line(setup),
    )
    add = form_card(
        TEMPLATE_ADD,
        T["adm_campaign_task_add"],
        template_add_fields(),
        meta=with_token({"year": setup.year}),  # a double-clicked 添加 adds it once
        submit=T["adm_campaign_task_add_submit"],
        notice=notices.get(TEMPLATE_ADD.prefix),
    )
    change = dbc.Card(
        [
            dbc.CardHeader(html.Strong(T["adm_campaign_tasks"].format(year=setup.year))),
            dbc.CardBody(
                [
                    template_table(setup),
                    html.Hr(),
                    form_card(
                        TEMPLATE_EDIT,
                        T["adm_campaign_task_edit"],
                        template_edit_fields(setup.templates),
                        meta={"year": setup.year},
                        submit=T["adm_campaign_rename"],
                        notice=notices.get(TEMPLATE_EDIT.prefix),
                        extra=[
                            form_buttons(
                                [
                                    Button(
                                        TEMPLATE_EDIT.button("retire"), T["adm_campaign_retire"]
                                    ),
                                    Button(
                                        TEMPLATE_EDIT.button("restore"), T["adm_campaign_restore"]
                                    ),
                                    Button(
                                        TEMPLATE_EDIT.button("delete"),
                                        T["adm_campaign_delete"],
                                        "outline-danger",
                                    ),
                                ]
                            ),
                            html.P(
                                T["adm_campaign_retire_note"], className="small text-muted mb-1"
                            ),
                        ],
                    ),
                    add,
                ]
            ),
        ],
        className="mb-3",
    )
    archive = dbc.Card(
        [
            dbc.CardHeader(html.Strong(T["adm_campaign_archive"])),
            dbc.CardBody(archive_list(setup)),
        ],
        className="mb-3",
    )
    return html.Div(
        [
            dbc.Row(
                [
                    dbc.Col([edit, change], lg=7),
                    dbc.Col([settings, archive, create], lg=5),
                ]
            )
        ]
    )
