"""/admin/campaign — 评议活动设置: create a year's campaign (from the work plan or last year),
then adjust its phases, meeting date, deliverables and evaluation settings while it runs."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.ids import Admin as Ids
from dashboard.ids import FormIds
from dashboard.text import fmt_date
from data.campaign_view import CampaignSetup, TemplateRow, category_name
from data.reference import KIND_NAMES, PHASE_NAMES
from layouts.common import empty_state, page_skeleton
from layouts.forms import Button, Field, form_buttons, form_card

TITLE = "评议活动设置"
PAGE = dict(path="/admin/campaign", name=TITLE, title=f"{TITLE} · 评议督导")

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
        Field("year", "评议年度", "number", required=True, width=3, placeholder="如 2025"),
        Field("title", "活动名称", width=5, placeholder="默认为“某年司法民主评议”"),
        Field("meeting_date", "评议大会日期", "date", width=4, help="可以以后再填"),
        Field(
            "copy_from",
            "沿用往年设置",
            "select",
            options=[
                (y, f"沿用 {y} 年（阶段日期顺延，任务清单、档案清单、评分设置照搬）") for y in years
            ],
            width=12,
            placeholder="不沿用：按工作方案建立四个阶段、阶段任务和工作档案清单",
            help="不复制往年的问题、督导记录和评议结果。",
        ),
    ]


def setup_fields() -> list[Field]:
    """Title, meeting date and the four phase windows."""
    fields = [
        Field("title", "活动名称", required=True, width=8),
        Field("meeting_date", "评议大会日期", "date", width=4),
    ]
    for code, name in PHASE_NAMES.items():
        fields.append(Field(f"{code}.starts_on", f"{name} 开始", "date", required=True, width=3))
        fields.append(Field(f"{code}.ends_on", f"{name} 结束", "date", required=True, width=3))
    return fields


def template_add_fields() -> list[Field]:
    """A new deliverable: phase, name, the unit kinds it applies to."""
    return [
        Field("phase_code", "阶段", "select", options=PHASE_OPTIONS, required=True, width=3),
        Field("name", "任务名称", required=True, width=4, placeholder="如 公开服务承诺"),
        Field(
            "kinds",
            "适用单位类型",
            "multiselect",
            options=KIND_OPTIONS,
            width=5,
            placeholder="全部单位类型",
        ),
    ]


def template_edit_fields(templates: tuple[TemplateRow, ...]) -> list[Field]:
    """Choose a deliverable, then rename, retire, restore or delete it."""
    options = [
        (
            t.id,
            f"【{PHASE_NAMES.get(t.phase_code, t.phase_code)}】{t.name}"
            f"{'（已停用）' if t.retired else ''}（已完成 {t.done}/{t.tasks}）",
        )
        for t in templates
    ]
    return [
        Field("template", "阶段任务", "select", options=options, required=True, width=7),
        Field("name", "新名称（改名时填写）", width=5),
    ]


SETTINGS_GROUPS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "综合得分",
        (("satisfaction_weight", "满意度测评权重"), ("work_weight", "工作评分权重")),
    ),
    (
        "工作评分",
        (
            ("tasks_weight", "阶段任务完成权重"),
            ("on_time_weight", "按期整改权重"),
            ("conformity_weight", "督导评定权重"),
        ),
    ),
    (
        "督导评定计分",
        (
            ("rating_conform", "“符合”计分"),
            ("rating_basic", "“基本符合”计分"),
            ("rating_nonconform", "“不符合”计分"),
        ),
    ),
    (
        "满意度分值",
        (
            ("points_satisfied", "“满意”分值"),
            ("points_basic", "“基本满意”分值"),
            ("points_dissatisfied", "“不满意”分值"),
        ),
    ),
    (
        "等次分数线",
        (
            ("grade_satisfied", "“满意”不低于"),
            ("grade_fairly_satisfied", "“比较满意”不低于"),
            ("grade_basic", "“基本满意”不低于"),
        ),
    ),
    (
        "重点督查",
        (("focus_threshold", "整改完成率低于（0–1，0.8 即 80%）"),),
    ),
)


def settings_fields() -> list[Field]:
    """Every evaluation setting as a number field."""
    return [
        Field(name, f"{group}·{label}", "number", required=True, width=4, step="any")
        for group, items in SETTINGS_GROUPS
        for name, label in items
    ]


def layout(**query: Any) -> html.Div:
    """The page skeleton; a callback fills it for admins (others see why they cannot)."""
    return page_skeleton(TITLE, query, Ids.STATE, Ids.CONTENT, [dcc.Store(id=Ids.REFRESH)])


def admin_only(what: str, role_name: str) -> dbc.Alert:
    """What a role that may not set the campaign up sees."""
    return dbc.Alert(
        f"只有管理员可以{what}。您当前的角色是{role_name}，可以查看各统计页面。",
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
            html.Thead(html.Tr([html.Th("阶段"), html.Th("开始"), html.Th("结束")])),
            html.Tbody(rows),
        ],
        size="sm",
        className="mb-0",
    )


def template_table(setup: CampaignSetup) -> html.Div:
    """Every deliverable by phase: which kinds it applies to, how many units have done it."""
    rows = []
    for t in setup.templates:
        kinds = "、".join(KIND_NAMES[k] for k in t.kinds) if t.kinds else "全部"
        rows.append(
            html.Tr(
                [
                    html.Td(PHASE_NAMES.get(t.phase_code, t.phase_code), className="text-nowrap"),
                    html.Td(
                        [
                            html.Span(t.name, className="text-nowrap me-1"),
                            dbc.Badge("已停用", color="secondary") if t.retired else None,
                        ]
                    ),
                    html.Td(kinds, className="small"),
                    html.Td(f"{t.done}/{t.tasks}", className="text-end text-nowrap"),
                ],
                className="text-muted" if t.retired else None,
            )
        )
    if not rows:
        return empty_state("还没有阶段任务")
    header = html.Tr(
        [
            html.Th("阶段"),
            html.Th("任务"),
            html.Th("适用单位"),
            html.Th("完成", className="text-end text-nowrap"),
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
        return empty_state("没有工作档案清单")
    return html.Ul(
        [html.Li(f"{name}（{category_name(category)}）") for name, category in setup.archive],
        className="mb-0",
        id="admin-archive-list",
    )


def summary_line(setup: CampaignSetup) -> html.P:
    """How many units and unit tasks the campaign has."""
    live = sum(1 for t in setup.templates if not t.retired)
    return html.P(
        f"{setup.title}：评议单位 {setup.units} 个，阶段任务 {live} 项，"
        f"各单位任务共 {setup.unit_tasks} 项；评议大会 {fmt_date(setup.meeting_date)}。",
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
        "新建评议活动",
        new_campaign_fields(years),
        {"year": (max(years) + 1) if years else None},
        submit="建立评议活动",
        notice=notices.get(NEW.prefix),
        intro=html.P(
            "按《工作方案》建立四个阶段（动员部署 4月1日—5月31日、调查评议 6月1日—8月31日、"
            "落实整改 9月1日—10月31日、工作考评 11月1日—12月31日）、各阶段任务和工作档案清单，"
            "并为每个评议单位生成任务。",
            className="small text-muted",
        ),
    )
    if setup is None:
        return html.Div([create, empty_state("还没有评议活动。请先在上面建立本年度的评议活动。")])
    settings = form_card(
        SETTINGS,
        f"{setup.year}年 评议结果计分设置",
        settings_fields(),
        setup.settings.to_dict(),
        meta={"year": setup.year, "seen": setup.settings.to_dict()},
        notice=notices.get(SETTINGS.prefix),
        intro=html.P(
            "综合得分 = 满意度得分 × 满意度权重 + 工作评分 × 工作评分权重；两组权重之和均应为 1。",
            className="small text-muted",
        ),
    )
    edit = form_card(
        SETUP,
        f"{setup.year}年 活动名称、评议大会与阶段日期",
        setup_fields(),
        setup_values,
        meta={"year": setup.year, "seen": setup_values},
        notice=notices.get(SETUP.prefix),
        intro=summary_line(setup),
    )
    add = form_card(
        TEMPLATE_ADD,
        "添加阶段任务",
        template_add_fields(),
        meta={"year": setup.year},
        submit="添加",
        notice=notices.get(TEMPLATE_ADD.prefix),
    )
    change = dbc.Card(
        [
            dbc.CardHeader(html.Strong(f"{setup.year}年 阶段任务")),
            dbc.CardBody(
                [
                    template_table(setup),
                    html.Hr(),
                    form_card(
                        TEMPLATE_EDIT,
                        "修改阶段任务",
                        template_edit_fields(setup.templates),
                        meta={"year": setup.year},
                        submit="改名",
                        notice=notices.get(TEMPLATE_EDIT.prefix),
                        extra=[
                            form_buttons(
                                [
                                    Button(TEMPLATE_EDIT.button("retire"), "停用"),
                                    Button(TEMPLATE_EDIT.button("restore"), "恢复使用"),
                                    Button(
                                        TEMPLATE_EDIT.button("delete"),
                                        "删除（仅限无人完成的任务）",
                                        "outline-danger",
                                    ),
                                ]
                            ),
                            html.P(
                                "已有单位完成的任务只能停用：停用后保留各单位的完成记录，"
                                "但不再计入进度和评分。",
                                className="small text-muted mb-1",
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
        [dbc.CardHeader(html.Strong("工作档案清单")), dbc.CardBody(archive_list(setup))],
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
