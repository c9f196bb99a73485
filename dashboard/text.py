"""The catalogue of Chinese UI strings and the formatters every view uses."""

from __future__ import annotations

import datetime as dt

MISSING = "—"

T: dict[str, str] = {
    "app_title": "民主评议政风行风 · 评议督导",
    "brand": "评议督导",
    "nav_overview": "总览",
    "nav_progress": "阶段进度",
    "nav_complaints": "投诉分析",
    "nav_rectification": "整改情况",
    "nav_overdue": "逾期单位",
    "nav_supervision": "督导检查",
    "nav_present": "评议大会",
    "filter_campaign": "评议年度",
    "filter_as_of": "数据截至",
    "filter_kind": "单位类型",
    "filter_township": "所属乡镇",
    "filter_all": "全部",
    "card_problems": "问题总数",
    "card_rectification_rate": "整改完成率",
    "card_on_time_rate": "按期整改率",
    "card_overdue_problems": "逾期问题",
    "card_overdue_units": "逾期单位",
    "card_complaints": "投诉件数",
    "card_phase": "当前阶段",
    "phase_none": "不在评议期内",
    "days_left": "剩余 {days} 天",
    "phase_last_day": "今天是本阶段最后一天",
    "under_construction": "建设中",
    "under_construction_hint": "此页面正在建设中，敬请期待。",
    "no_campaign": "还没有评议活动。请管理员导入数据或运行 dashboard demo 载入演示数据。",
    "not_found": "页面不存在",
    "not_found_hint": "您访问的页面不存在，请从上方导航进入。",
    "unfounded_note": "不含经核查不属实 {n} 件",
    "rectified_of": "已整改 {rectified} / {base} 件",
    "on_time_of": "按期 {on_time} / 到期 {due} 件",
    "overdue_units_hint": "有逾期问题或逾期任务的单位",
    "complaints_hint": "投诉举报 + 纠风办交办",
    "overview_title": "评议工作总览",
    "as_of_caption": "数据截至 {date}",
    "phase_progress": "各阶段任务完成率",
}


def fmt_rate(value: float | None) -> str:
    """A rate as `87.5%`; a missing rate (zero denominator) as `—`."""
    if value is None:
        return MISSING
    return f"{value * 100:.1f}%"


def fmt_date(value: dt.date | None) -> str:
    """A date as `2024年6月3日`."""
    if value is None:
        return MISSING
    return f"{value.year}年{value.month}月{value.day}日"


def fmt_int(value: int | None) -> str:
    """A count, or `—` when unknown."""
    return MISSING if value is None else f"{value:,}"
