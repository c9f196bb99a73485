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
    "nav_evaluation": "评议结果",
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
    "yoy_label": "去年同期",
    # /supervision 督导检查
    "sup_title": "督导检查",
    "sup_form_new": "记录督导检查",
    "sup_form_edit": "修改督导记录",
    "sup_unit": "被督导单位",
    "sup_date": "督导日期",
    "sup_supervisors": "督导人员",
    "sup_kind": "督导类型",
    "sup_ratings": "评议内容评定",
    "sup_ratings_hint": "请先选择单位",
    "sup_findings": "发现问题",
    "sup_notes": "备注",
    "sup_follow_ups": "整改跟进事项",
    "sup_follow_up_add": "添加整改事项",
    "sup_follow_up_desc": "整改事项",
    "sup_follow_up_deadline": "整改时限",
    "sup_follow_up_owner": "责任人",
    "sup_follow_up_serious": "严重问题",
    "sup_next_visit": "下次督导日期",
    "sup_save": "保存督导记录",
    "sup_saved": "督导记录已保存。",
    "sup_saved_follow_ups": "已生成整改事项 {n} 件，纳入整改台账跟踪。",
    "sup_errors": "请修改以下内容后再保存：",
    "sup_conflict": "保存失败：这条记录在您打开后已被他人修改。请核对以下变化后重新打开再改：",
    "sup_conflict_none": "保存失败：这条记录在您打开后已被他人修改，请重新打开后再改。",
    "sup_readonly": "督导记录由督导员录入；您可以查看记录与整改进展。",
    "sup_list": "督导记录",
    "sup_calendar": "督导日历",
    "sup_no_visits": "本年度还没有督导记录。",
    "sup_open_problems": "该单位待整改问题",
    "sup_no_open_problems": "该单位目前没有待整改的问题。",
    "sup_detail": "督导记录详情",
    "sup_edit": "修改",
    "sup_history": "修改历史",
    "sup_not_found": "督导记录不存在或无权查看。",
    "sup_for_unit": "{unit} 的督导记录",
    "sup_all_units": "查看全部单位",
    # /rectification 整改情况
    "rect_title": "整改情况",
    "rect_rate": "整改完成率",
    "rect_on_time_rate": "按期整改率",
    "rect_summary_problems": "问题 {problems} 件（不含不属实 {unfounded} 件）",
    "rect_summary_rate": "整改完成率 {rate}（已整改 {rectified} / {base} 件）",
    "rect_summary_on_time": "按期整改率 {rate}（按期 {on_time} / 到期 {due} 件）",
    "rect_units": "各单位整改情况",
    "rect_group_units": "{group}（{n} 个单位）",
    "rect_sorted_note": "按整改完成率由低到高排列，最差的在最上面；右栏为同一单位的按期整改率。",
    "rect_worst_n": "最差 {n} 个",
    "rect_all_n": "全部 {n} 个",
    "rect_showing_worst": "显示整改完成率最低的 {n} 个单位（共 {total} 个）。",
    "rect_unrated": "整改完成率为“—”（没有应整改的问题）的单位 {n} 个：",
    "rect_no_units_in_group": "所选范围内没有{group}单位。",
    "rect_no_rated_units": "所选范围内的{group}单位还没有应整改的问题。",
    "rect_by_channel": "按问题来源",
    "rect_by_criterion": "按评议内容",
    "rect_dash_note": "“—”表示没有可计算的问题（分母为 0），不是 0%。",
    "rect_timeline": "问题发现与整改累计趋势",
    "rect_timeline_note": (
        "累计发现：发现日期在当日及以前的问题；累计整改：当日及以前已整改（已整改、已销号）的问题。"
    ),
    "rect_found": "累计发现",
    "rect_rectified": "累计整改",
    "rect_phase_rectify": "落实整改阶段",
    "rect_days": "整改用时分布",
    "rect_days_summary": "已整改 {n} 件 · 用时中位数 {median} 天 · 平均 {mean} 天",
    "rect_days_note": "整改用时 = 完成日期 − 发现日期。",
    "rect_days_bin": "{low}–{high} 天",
    "rect_days_open": "超过 {n} 天",
    "rect_days_axis": "整改用时",
    "rect_count_axis": "问题数（件）",
    "rect_no_problems": "截至 {date}，所选范围内还没有发现问题。",
    "rect_no_problems_short": "还没有发现问题",
    "rect_no_rectified": "还没有已整改的问题",
    "rect_hover_rate": "整改完成率：{rate}（已整改 {rectified} / 应整改 {base} 件）",
    "rect_hover_on_time": "按期整改率：{rate}（按期 {on_time} / 到期 {due} 件）",
    "rect_hover_no_base": "没有应整改的问题",
    "rect_hover_no_due": "没有到期的问题",
    "rect_applies": "适用：{group}",
    "rect_common": "各类单位通用",
    # /overdue 逾期单位
    "overdue_title": "逾期单位",
    "overdue_summary_units": "逾期单位 {n} 个",
    "overdue_summary_problems": "逾期问题 {n} 件",
    "overdue_summary_tasks": "逾期任务 {n} 项",
    "overdue_summary_focus": "重点督查对象 {n} 个",
    "overdue_units": "逾期单位排名",
    "overdue_units_note": "有逾期问题或逾期任务的单位，按逾期问题件数、再按最长逾期天数排序。",
    "overdue_col_rank": "序号",
    "overdue_col_unit": "单位",
    "overdue_col_kind": "类型",
    "overdue_col_township": "乡镇",
    "overdue_col_problems": "逾期问题",
    "overdue_col_max_days": "最长逾期（天）",
    "overdue_col_tasks": "逾期任务",
    "overdue_col_rate": "整改完成率",
    "overdue_problems": "逾期问题清单",
    "overdue_problems_note": "未整改且已过整改时限的问题，逾期最久的在前。",
    "overdue_col_description": "问题描述",
    "overdue_col_channel": "问题来源",
    "overdue_col_deadline": "整改时限",
    "overdue_col_days": "逾期（天）",
    "overdue_col_owner": "责任人",
    "overdue_col_status": "整改状态",
    "overdue_col_severity": "严重程度",
    "overdue_tasks": "逾期任务",
    "overdue_tasks_note": "所属阶段已结束、尚未完成的阶段任务；逾期天数自阶段截止日起算。",
    "overdue_col_task": "任务",
    "overdue_col_phase": "所属阶段",
    "overdue_col_phase_end": "阶段截止",
    "overdue_focus": "重点督查对象",
    "overdue_focus_note": (
        "有未整改的严重问题、逾期问题或整改完成率低于局设定标准的单位"
        "（工作方案：“问题比较严重或整改不到位”）。"
    ),
    "overdue_col_reasons": "列入原因",
    "overdue_focus_log": "记录督导",
    "overdue_none_units": "截至 {date}，所选范围内没有逾期单位。",
    "overdue_none_problems": "没有逾期问题。",
    "overdue_none_tasks": "没有逾期任务。",
    "overdue_none_focus": "没有需要重点督查的单位。",
    "overdue_show_all": "显示全部 {n} 条",
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
