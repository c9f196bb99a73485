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
    "nav_admin": "系统设置",
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
    "no_campaign": "还没有评议活动。请管理员在“系统设置”中建立本年度的评议活动。",
    "not_found": "页面不存在",
    "not_found_hint": "您访问的页面不存在，请从上方导航进入。",
    "unfounded_note": "其中经核查不属实 {n} 件",
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
    "sup_ratings_hint": "请先选择单位",
    "sup_follow_up_add": "添加整改事项",
    "sup_follow_up_serious": "严重问题",
    "sup_save": "保存督导记录",
    "sup_saved": "督导记录已保存。",
    "sup_errors": "请修改以下内容后再保存：",
    "sup_conflict": "保存失败：这条记录在您打开后已被他人修改。请核对以下变化后重新打开再改：",
    "sup_conflict_none": "保存失败：这条记录在您打开后已被他人修改，请重新打开后再改。",
    "sup_readonly": "督导记录由督导员录入；您可以查看记录与整改进展。",
    "sup_calendar": "督导日历",
    "sup_no_visits": "本年度还没有督导记录。",
    "sup_open_problems": "该单位待整改问题：{unit}",
    "sup_no_open_problems": "该单位目前没有待整改的问题。",
    "sup_edit": "修改",
    "sup_history": "修改历史",
    "sup_not_found": "督导记录不存在或无权查看。",
    "sup_for_unit": "{unit} 的督导记录",
    "sup_all_units": "查看全部单位",
    # /rectification 整改情况
    "rect_title": "整改情况",
    "rect_rate": "整改完成率",
    "rect_on_time_rate": "按期整改率",
    "rect_summary_problems": "问题 {problems} 件（其中经核查不属实 {unfounded} 件）",
    "rect_summary_rate": "整改完成率 {rate}（已整改 {rectified} / {base} 件）",
    "rect_summary_on_time": "按期整改率 {rate}（按期 {on_time} / 到期 {due} 件）",
    "rect_units": "各单位整改情况",
    "rect_group_units": "{group}（{n} 个单位）",
    "rect_sorted_note": "按整改完成率由低到高排列，最差的在最上面；右栏为同一单位的按期整改率。",
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
    "overdue_col_days": "逾期（天）",
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
    # /import 数据导入 and the exports
    "import_title": "数据导入",
    "import_admin_only": "数据导入仅限管理员（纠风办）使用。如需导入台账，请联系管理员。",
    "import_kind": "导入内容",
    "import_campaign": "评议年度",
    "import_campaign_hint": "问题整改台账和满意度测评导入到所选年度的评议活动。",
    "import_no_campaign": "还没有评议活动：可以先导入单位名册和民评代表。",
    "import_upload": "将文件拖放到这里，或",
    "import_upload_link": "点击选择文件",
    "import_upload_hint": "支持 Excel（.xlsx）和 CSV（UTF-8 或 GBK 编码），不超过 10 MB",
    "import_too_large": "文件超过 10 MB（{size}），无法导入。请分成几个文件分别导入。",
    "import_too_large_client": "文件超过 10 MB，无法导入。请分成几个文件分别导入。",
    "import_file": "文件：{name}",
    "import_errors": "发现 {n} 处错误，整个文件都没有导入。请在表格中修改后重新上传：",
    "import_ok": (
        "检查通过：共 {rows} 行，将新增 {created} 条，将更新 {updated} 条，{unchanged} 条没有变化。"
    ),
    "import_nothing": "文件内容与系统中已有数据一致，无需导入。",
    "import_changes": "将要修改的记录：",
    "import_done_changes": "已修改的记录：",
    "import_changes_more": "另有 {n} 条修改未列出。",
    "import_confirm": "确认导入",
    "import_confirm_hint": "确认后一次性写入；每一处新增和修改都记入变更历史。",
    "import_done": "导入完成：新增 {created} 条，更新 {updated} 条，未变化 {unchanged} 条。",
    "import_expired": "上传的文件已失效，请重新上传。",
    "import_pick_campaign": "请先选择评议年度。",
    "import_rows_with_errors": "有错误的行（{n} 行，错误的单元格标红，原因见“错误原因”列）",
    "import_row": "行号",
    "import_formats": "文件格式说明",
    "import_formats_note": (
        "第一行为表头（表头上方可以有一行标题），列的顺序不限；单元格前后的空格会被去掉。"
    ),
    "import_required": "必填",
    "import_optional": "选填",
    "import_also": "也可写作：{names}",
    "import_exports": "数据导出",
    "import_exports_note": "按当前选择的评议年度和数据截至日期导出。",
    "download_label": "下载（按当前筛选）：",
    "export_ledger": "问题整改台账",
    "export_overdue": "逾期单位清单",
    "export_supervision": "督导检查记录",
    "export_report": "纠风办报表",
    "export_archive": "工作档案目录",
    "export_chart_complaints": "投诉件数（按月）图",
    "export_chart_channel": "各来源整改完成率图",
    "export_file_ledger": "问题整改台账_{year}.xlsx",
    "export_file_ledger_on": "问题整改台账_{year}_截至{date}.xlsx",
    "export_file_overdue": "逾期单位清单_{year}_截至{date}.xlsx",
    "export_file_supervision": "督导检查记录_{year}_截至{date}.xlsx",
    "export_file_report": "纠风办报表_{year}_截至{date}.xlsx",
    "export_file_archive": "工作档案目录_{year}.xlsx",
    "export_file_chart": "{name}_{year}_截至{date}.png",
    "export_no_campaign": "还没有评议活动，无法导出。",
    "export_unknown_chart": "没有这个图表：{name}",
    "export_chart_complaints_title": "{year}年投诉件数（按月，截至{date}）",
    "export_chart_channel_title": "{year}年各来源问题整改完成率（截至{date}）",
    "export_chart_no_complaints": "还没有投诉",
    "export_chart_no_problems": "还没有发现问题",
    "export_chart_count_axis": "投诉件数（件）",
    # the unmasked ledger: only by a confirmed POST from this site (issue 16, finding 5)
    "reveal_ledger_note": "含投诉人姓名和电话，每次下载都记入变更历史。",
    "reveal_ledger_confirm": "确认下载含投诉人信息的台账",
    "reveal_page_title": "下载含投诉人信息的问题整改台账",
    "reveal_page_explain": (
        "这份台账将显示投诉人的姓名和联系电话（不打码）。按照评议纪律，"
        "每一次查看都以您的名义记入变更历史。确认需要时，请点击下面的按钮。"
    ),
    "reveal_page_back": "返回数据导入页",
    "reveal_bad_origin": (
        "请求来源无效：含投诉人信息的台账只能在本系统的页面上确认后下载，未下载，也未记入历史。"
    ),
    "reveal_not_confirmed": "尚未确认：请点击“确认下载”按钮后再下载。",
    "progress_title": "阶段进度",
    "progress_timeline": "评议阶段与完成情况",
    "progress_by_kind": "各阶段任务完成率（按单位类型）",
    "progress_by_township": "各阶段任务完成率（按乡镇）",
    "progress_overdue": "逾期未完成任务",
    "progress_overdue_count": "逾期未完成任务 {n} 项",
    "progress_no_tasks": "当前筛选范围内没有任务。",
    "progress_no_overdue": "没有逾期未完成的任务。",
    "progress_col_unit": "单位",
    "progress_col_task": "任务",
    "progress_col_phase": "阶段",
    "progress_col_end": "阶段截止",
    "progress_col_days": "逾期天数",
    "progress_data_as_of": "数据截至 {date}",
    "progress_phase_ended": "已结束",
    "progress_phase_running": "进行中",
    "progress_phase_future": "未开始",
    "progress_no_township": "未填乡镇",
    "progress_grid": "各单位任务完成情况",
    "progress_grid_hint": "鼠标停在格子上可查看完成日期或逾期天数；点单位名称查看该单位详情。",
    "progress_grid_counts": "已完成 {done} 项 · 未完成 {open} 项 · 逾期未完成 {overdue} 项",
    "progress_no_units": "当前筛选范围内没有评议单位。",
    "progress_status_done": "已完成",
    "progress_status_open": "未完成（阶段未结束）",
    "progress_status_overdue": "逾期未完成（天数）",
    "progress_status_none": "无此任务",
    "progress_hover_done": "已完成 {date}",
    "progress_hover_open": "未完成",
    "progress_hover_overdue": "逾期 {n} 天",
    # /units/<id> 单位详情
    "unit_title": "单位详情",
    "unit_not_found": "单位不存在，或您无权查看该单位。",
    "unit_not_in_campaign": "该单位不在本年度的评议对象中（已在本年度评议开始前撤销）。",
    "unit_no_township": "未填乡镇",
    "unit_cases": "办案量 {n} 件",
    "unit_cases_unknown": "办案量未填",
    "unit_retired": "已于 {date} 撤销",
    "unit_log_visit": "记录督导检查",
    "unit_view_visits": "查看督导记录",
    "unit_overdue_note": "最长逾期 {days} 天 · 逾期任务 {tasks} 项",
    "unit_overdue_tasks": "逾期任务 {tasks} 项",
    "unit_per_100": "每百件办案量 {n} 件",
    "unit_no_caseload": "办案量未填，无法折算",
    "unit_sec_evaluation": "评议结果",
    "unit_sec_satisfaction": "满意度测评",
    "unit_sec_tasks": "阶段任务",
    "unit_sec_complaints": "投诉件数（按月）",
    "unit_sec_problems": "问题与整改",
    "unit_sec_visits": "督导检查",
    "unit_sec_questions": "评议大会",
    "unit_sec_archive": "工作档案",
    "unit_no_tasks": "本年度还没有给该单位布置阶段任务。",
    "unit_phase_done": "完成 {done}/{total} 项 · {rate}",
    "unit_task_done": "{date} 完成",
    "unit_task_overdue": "逾期未完成（阶段 {date} 截止）",
    "unit_task_open": "未完成",
    "unit_task_upcoming": "阶段未开始",
    "unit_all_results": "全部单位评议结果",
    "unit_rank": "第 {rank} 名 / {n}（{group}）",
    "unit_unranked": "暂无名次（缺少满意度测评或工作数据）",
    "unit_eval_composite": "综合得分",
    "unit_eval_grade": "等次",
    "unit_eval_rank": "组内排名",
    "unit_eval_satisfaction_rate": "满意率",
    "unit_eval_satisfaction_score": "满意度得分",
    "unit_eval_work_score": "工作得分",
    "unit_eval_tasks": "阶段任务完成",
    "unit_eval_on_time": "按期整改率",
    "unit_eval_conformity": "督导评定",
    "unit_eval_note": "名次只在同一类别（司法行政机关 / 法律服务行业）的全县单位中排列。",
    "unit_survey_type": "测评对象",
    "unit_survey_valid": "有效答卷",
    "unit_survey_summary": "满意率 {rate}（“不了解”不计入有效答卷）· 满意度得分 {score}",
    "unit_no_surveys": "本年度还没有该单位的满意度测评数据。",
    "unit_complaints_hover": "%{x}<br>投诉 %{y} 件",
    "unit_complaints_axis": "投诉件数（件）",
    "unit_no_complaints": "本年度没有投诉",
    "unit_problems_count": "问题与整改（{n} 件）",
    "unit_no_problems": "截至所选日期，该单位本年度没有登记问题。",
    "unit_masked_note": "投诉人姓名和电话已隐去部分内容，保护投诉人。",
    "unit_status_overdue": "{status} · 逾期 {days} 天",
    "unit_status_open": "未整改",
    "unit_visits_count": "督导检查（{n} 次）",
    "unit_no_visits": "截至所选日期，本年度还没有对该单位的督导检查。",
    "unit_visit_detail": "详情",
    "unit_supervisors": "督导人员：{names}",
    "unit_no_ratings": "未逐项评定",
    "unit_findings": "发现问题",
    "unit_notes": "备注",
    "unit_next_visit": "下次督导",
    "unit_follow_ups": "整改跟进事项 {n} 件",
    "unit_no_follow_ups": "没有整改跟进事项。",
    "unit_follow_up_meta": "{criterion} · 时限 {deadline} · 完成 {done}",
    "unit_questions_count": "评议大会问题（{n} 个）",
    "unit_no_questions": "评议大会上没有涉及该单位的问题。",
    "unit_question_on_the_spot": "已当场答复",
    "unit_question_replied": "已反馈",
    "unit_question_replied_late": "超期反馈",
    "unit_question_overdue": "逾期未反馈",
    "unit_question_waiting": "待反馈",
    "unit_question_pending": "待答复",
    "unit_archive_in": "已归档 {n}/{total} 项",
    "unit_archive_uploaded": "已上传纠风网站 {n}/{total} 项",
    "unit_no_archive": "本年度还没有该单位的工作档案目录。",
    # /evaluation 评议结果
    "eval_title": "评议结果",
    "eval_col_rank": "名次",
    "eval_col_unit": "单位",
    "eval_col_kind": "类型",
    "eval_col_satisfaction_rate": "满意率",
    "eval_col_satisfaction_score": "满意度得分",
    "eval_col_work_score": "工作得分",
    "eval_col_composite": "综合得分",
    "eval_col_grade": "等次",
    "eval_group": "{group}（{n} 个单位）",
    "eval_unranked": "其中 {n} 个单位暂无综合得分（缺少满意度测评或工作数据），不参加排名。",
    "eval_no_units": "没有符合筛选条件的单位。",
    "eval_formula": (
        "综合得分 = 满意度得分 × {sat_w} + 工作得分 × {work_w}；"
        "满意度得分 = (满意×{p_sat} + 基本满意×{p_basic} + 不满意×{p_dis}) ÷ 有效答卷"
        "（“不了解”不计）；"
        "工作得分 = 100 ×（阶段任务完成率 × {tasks_w} + 按期整改率 × {on_time_w} + "
        "督导评定 × {conf_w}），督导评定中符合计 {r_conf}、基本符合计 {r_basic}、不符合计 {r_non}；"
        "某项尚无数据时按其余各项权重折算。"
    ),
    "eval_grades": (
        "等次：满意 ≥ {g_sat}，比较满意 ≥ {g_fair}，基本满意 ≥ {g_basic}，其余为不满意。"
        "名次只在同一类别的全县单位中排列，筛选只决定显示哪些单位，不改变名次。"
    ),
    # year over year on the overview
    "yoy_same": "持平",
    "yoy_points": " 个百分点",
    # --- complaints page (投诉分析) ---
    "cmp_title": "投诉分析",
    "cmp_channels": "问题来源",
    "cmp_per100": "每百件案件",
    "cmp_per100_note": "按单位办理案件数折算；灰色格表示案件数未知，不按 0 计。",
    "cmp_no_channels": "请至少选择一个问题来源。",
    "cmp_empty": "截至{date}，所选范围内没有问题。",
    "cmp_total": "所选来源问题共 {n} 件",
    "cmp_unit_month": "单位 × 月份",
    "cmp_unit_month_note": "按件数从多到少排列；单位名称过长时截断，悬停可见全称。",
    "cmp_township_criterion": "乡镇 × 评议内容",
    "cmp_channel_month": "问题来源 × 月份",
    "cmp_click_hint": "点击格子查看其中的问题。",
    "cmp_axis_unit": "单位",
    "cmp_axis_township": "乡镇",
    "cmp_axis_channel": "问题来源",
    "cmp_axis_month": "月份",
    "cmp_axis_criterion": "评议内容",
    "cmp_hover_count": "{n} 件",
    "cmp_hover_per100": "每百件案件 {v} 件（{n} 件 / 案件 {cases} 件）",
    "cmp_hover_unknown": "{n} 件；案件数未知，无法折算",
    "cmp_scale_count": "件数",
    "cmp_scale_per100": "件/百件案件",
    "cmp_grid_empty": "没有问题",
    "cmp_per100_all_unknown": "所选单位中有的案件数未知，无法按每百件案件折算",
    "cmp_modal_title": "{row} · {column}：{n} 件",
    "cmp_modal_none": "这一格没有问题。",
    "cmp_modal_masked": "投诉人信息已脱敏；管理员可在单位页面查看（查看记录留痕）。",
    "cmp_close": "关闭",
    "cmp_col_unit": "单位",
    "cmp_col_channel": "来源",
    "cmp_col_status": "状态",
    # --- projection mode (评议大会) ---
    "present_denied": "评议大会投影只供局领导、督导员和管理员使用。",
    "present_title": "评议大会",
    "present_meeting": "评议大会 · {date}",
    "present_no_meeting": "评议大会日期未定",
    "present_as_of": "数据截至 {date}",
    "present_keys": "← → 翻页 · 数字键跳转 · F 全屏",
    "present_slide_of": "{n} / {total}",
    "present_dot": "第 {n} 页：{title}",
    "present_s_figures": "评议工作总体情况",
    "present_s_phases": "四个阶段工作进度",
    "present_s_heatmap": "投诉件数分布（乡镇 × 月份）",
    "present_s_rect_agency": "整改情况 · 司法行政机关",
    "present_s_rect_legal": "整改情况 · 法律服务行业",
    "present_s_overdue": "逾期未完成整改的单位",
    "present_s_eval_agency": "评议结果 · 司法行政机关",
    "present_s_eval_legal": "评议结果 · 法律服务行业",
    "present_s_questions": "评议大会问题及落实情况",
    "present_fig_problems": "查摆问题",
    "present_fig_rectified": "已整改",
    "present_fig_rate": "整改完成率",
    "present_fig_on_time": "按期整改率",
    "present_fig_overdue": "逾期问题",
    "present_fig_complaints": "投诉件数",
    "present_fig_units": "评议单位 {n} 个",
    "present_phase_current": "当前阶段：{phase}，剩余 {days} 天",
    "present_phase_none": "评议活动不在任何阶段内",
    "present_phase_dates": "{start} — {end}",
    "present_heatmap_colorbar": "投诉件数",
    "present_heatmap_empty": "截至该日没有投诉",
    "present_no_township": "县直",
    "present_rect_note": "整改完成率最低的 {shown} 个单位（共 {total} 个单位，总体 {rate}）",
    "present_rect_empty": "该类别没有需要整改的问题",
    "present_overdue_note": "共 {n} 个单位存在逾期问题或逾期任务（按逾期问题数排列）",
    "present_overdue_none": "截至该日没有逾期单位",
    "present_col_unit": "单位",
    "present_col_overdue": "逾期问题",
    "present_col_days": "最长逾期（天）",
    "present_col_tasks": "逾期任务",
    "present_col_rate": "整改完成率",
    "present_eval_note": "综合得分前 {shown} 名（同类别 {total} 个单位中排名）",
    "present_eval_empty": "该类别尚无评议结果",
    "present_q_total": "提出问题",
    "present_q_spot": "当场答复",
    "present_q_follow": "会后反馈",
    "present_q_replied": "已反馈",
    "present_q_overdue": "逾期未反馈",
    "present_q_pending": "待答复",
    "present_q_problems": "转为整改问题 {n} 件，已整改 {done} 件",
    "present_q_none": "还没有登记问题",
    "present_q_deadline": "反馈时限 {date}",
    "present_q_general": "综合",
    "present_q_entry": "登记问题",
    "pq_title": "评议大会 · 问题登记",
    "pq_new": "登记代表提问",
    "pq_rep_hint": "选择民评代表",
    "pq_unit_hint": "选择单位（综合性问题可不选）",
    "pq_add": "登记问题",
    "pq_added": "问题已登记，投影页面将在几秒内显示。",
    "pq_answer_title": "记录领导答复",
    "pq_pick_hint": "选择问题",
    "pq_criterion_hint": "选择评议内容",
    "pq_save_answer": "保存答复",
    "pq_answered": "答复已保存。",
    "pq_answered_problem": "答复已保存，已生成整改问题（面对面评议，时限 {date}）。",
    "pq_errors": "请修改标出的内容后再保存：",
    "pq_conflict": "该问题已被他人修改，请刷新后再试。",
    "pq_list": "本次大会的问题",
    "pq_open_deck": "打开投影",
    "pq_readonly": "只有督导员和管理员可以登记问题和答复。",
    # --- inspections, meeting questions, voiding, reveal ---
    "nav_inspections": "明查暗访",
    "insp_title": "明查暗访",
    "insp_form_new": "登记明查暗访",
    "insp_units_hint": "选择一个或多个单位（可输入搜索）",
    "insp_date_hint": "暗访可预先登记计划日期；计划中的暗访不向被检查单位显示。",
    "insp_reps_hint": "选择民评代表",
    "insp_follow_up_add": "添加发现的问题",
    "insp_fu_serious": "严重问题",
    "insp_save": "保存明查暗访记录",
    "insp_saved": "已保存 {n} 条明查暗访记录，生成整改问题 {p} 件。",
    "insp_errors": "请修改以下内容后再保存：",
    "insp_readonly": "明查暗访由督导员登记；您可以查看记录。",
    "insp_none": "本年度还没有明查暗访记录。",
    "insp_counts": "共 {total} 次（暗访 {covert} 次，计划中 {planned} 次）· 发现问题 {problems} 件",
    "insp_hidden": "不公开",
    "insp_col_date": "日期",
    "insp_col_unit": "单位",
    "insp_col_mode": "方式",
    "insp_col_reps": "民评代表",
    "insp_col_findings": "检查情况",
    "insp_col_problems": "问题（未整改/全部）",
    "void_button": "作废",
    "void_title": "作废问题：{desc}",
    "void_reason": "作废原因（必填）",
    "void_reason_hint": "如：与第 12 号问题重复登记",
    "void_note": "作废后该问题不再计入任何统计，但记录与修改历史永久保留，不能删除。",
    "void_save": "确认作废",
    "detail_button": "详情",
    "detail_title": "问题详情：{desc}",
    "detail_history": "修改历史",
    "detail_no_history": "没有修改记录。",
    "detail_complainant": "投诉人",
    "reveal_button": "查看投诉人信息",
    "reveal_note": "查看将记入变更历史。",
    "reveal_none": "该问题没有投诉人信息。",
    "task_button": "标记完成",
    "task_edit_button": "修改",
    "task_title": "阶段任务完成情况：{name}",
    "task_completed": "完成日期（必填）",
    "task_evidence": "佐证材料",
    "task_evidence_hint": "文件名、会议纪要编号、照片说明等",
    "task_save": "保存",
    "unit_voided": "已作废的问题（{n} 件，不计入统计）",
    # --- moved from layouts/ and callbacks/ (one home for labels), by page ---
    # 修改历史 of any record (layouts/history.py)
    "history_at": "时间",
    "history_actor": "操作人",
    "history_action": "操作",
    "history_changes": "内容",
    # dates by month (supervision calendar, complaints)
    "fmt_month": "{year}年{month}月",
    # every form (layouts/forms.py, callbacks/forms.py)
    "form_choose": "请选择",
    "form_save": "保存",
    "form_refused": "未保存，请修改以下内容后再保存：",
    "form_conflict": "未保存：您打开后，他人已修改了这些内容。请刷新页面查看最新内容后再修改。",
    "form_conflict_field": "{field}：您打开时为“{seen}”，现在为“{now}”",
    "form_field_message": "{field}：{message}",
    "form_messages": "{}；{}",
    "form_row": "第{n}项{row}",
    "form_path": "{head}·{part}",
    "form_denied": "只有{roles}可以{what}（您的角色：{role}），未保存。",
    # / 总览
    "yoy_change": "{value}（{change}）",
    "overview_overdue_tasks": "逾期任务 {n} 项",
    # the shell (navigation bar)
    "shell_account": "{name}（{role}）",
    "shell_password": "修改密码",
    "shell_logout": "退出",
    # /supervision 督导检查
    "sup_unit_hint": "选择单位（可输入搜索）",
    "sup_supervisors_hint": "如：王督导、李督导",
    "sup_open_detail": "详情",
    "sup_col_date": "日期",
    "sup_col_unit": "单位",
    "sup_col_kind": "类型",
    "sup_col_follow_ups": "未整改/跟进",
    "sup_weekdays": "一二三四五六日",
    "sup_cal_visits": "督导 {n}",
    "sup_cal_planned": "计划 {n}",
    "sup_rating": "{criterion}：{rating}",
    "sup_status_overdue": "{status}（逾期）",
    "sup_detail_meta": "{date} · {supervisors} · 下次督导 {next}",
    "sup_follow_ups_count": "整改跟进事项（{n} 件）",
    "sup_fu_col_item": "事项",
    "sup_fu_col_deadline": "时限",
    "sup_fu_col_status": "状态",
    "sup_list_count": "督导记录（{n}）",
    # /inspections 明查暗访
    "insp_row": "问题",
    "insp_criterion_option": "{name}（{group}）",
    "insp_rep_option": "{name}（{sector}）",
    # /present/questions 评议大会 · 问题登记
    "pq_rep_option": "{name}（{sector}）",
    "pq_unit_option": "{name}（{kind}）",
    "pq_pending_option": "{asker}：{question}",
    "pq_col_date": "日期",
    "pq_col_question": "问题",
    "pq_pick_missing": "请选择要答复的问题",
    # /complaints 投诉分析
    "cmp_note_sep": "；",
    "cmp_note_end": "。",
    # /overdue 逾期单位
    "overdue_kind_township": "{kind}（{township}）",
    "overdue_reasons_sep": "；",
    # /import 数据导入
    "import_year_option": "{year}年",
    "import_reasons_sep": "；",
    # /present 评议大会
    "present_kicker": "民主评议政风行风",
    "present_theme_light": "浅色主题",
    "present_theme_dark": "深色主题",
    "present_q_rectified": " · 整改 {done}/{total}",
    # /progress 阶段进度
    "progress_days": "{n}天",
    "progress_axis_township": "乡镇",
    "progress_file_by_kind": "任务完成率_单位类型",
    "progress_file_by_township": "任务完成率_乡镇",
    # /rectification 整改情况
    "rect_days_full": "{summary}。{note}",
    "rect_file_timeline": "累计趋势",
    # /admin/units 评议单位
    "adm_units_title": "评议单位",
    "adm_units_what": "维护评议单位",
    "adm_units_choose": "选择单位",
    "adm_units_choose_hint": "请选择要修改的单位（可输入名称查找）",
    "adm_units_choose_missing": "请选择单位",
    "adm_units_cases_of": "{cases}（{year}年）",
    "adm_units_year": "{year}年",
    "adm_units_name_hint": "如 城关镇司法所",
    "adm_units_township_hint": "如 城关镇",
    "adm_units_option": "{name}（{kind}）",
    "adm_units_option_retired": "{name}（{kind}，已停用）",
    "adm_units_cases_no_campaign": "还没有评议活动：建立评议活动后才能填写办案量。",
    "adm_units_cases_help": (
        "{year}年评议活动中该单位办理的案件数，用于按每百件办案量比较；留空则不修改。"
    ),
    "adm_units_no_campaign": "还没有评议活动，无法填写办案量",
    "adm_units_active": "在用",
    "adm_units_retired": "已停用",
    "adm_units_aliases": "曾用名：{names}",
    "adm_units_counts": "在用 {active} 个，已停用 {retired} 个",
    "adm_units_import": "批量导入名册",
    "adm_units_none": "还没有评议单位。",
    "adm_units_none_add": "请在下方“新增评议单位”中逐个添加，或到",
    "adm_units_none_import": "数据导入",
    "adm_units_none_page": "页面批量导入单位名册。",
    "adm_units_roster": "单位名册",
    "adm_units_retire": "停用",
    "adm_units_restore": "恢复",
    "adm_units_add": "新增评议单位",
    "adm_units_add_submit": "新增",
    "adm_units_add_intro": (
        "新增的单位会自动获得各评议活动的阶段任务和工作档案清单。"
        "单位较多时，可在数据导入页面批量导入名册。"
    ),
    "adm_units_edit": "修改评议单位",
    "adm_units_edit_intro": (
        "改名后，原名称保留为曾用名，使用旧名称的台账仍可导入。"
        "停用的单位保留全部历史记录，不再参加此后开始的评议活动。"
    ),
    "adm_units_added": "已新增单位“{name}”，已为其生成各评议活动的阶段任务。",
    "adm_units_added_no_campaign": "已新增单位“{name}”。建立评议活动时将为其生成阶段任务。",
    "adm_units_renamed": (
        "已保存。单位已改名为“{name}”，原名称“{former}”保留为曾用名，使用旧名称的台账仍可导入。"
    ),
    "adm_units_saved": "已保存单位“{name}”。",
    "adm_units_retire_what": "停用评议单位",
    "adm_units_retired_notice": (
        "已停用单位“{name}”（{date}起）：历史记录全部保留，不再参加此后开始的评议活动。"
    ),
    "adm_units_restore_what": "恢复评议单位",
    "adm_units_restored": "已恢复单位“{name}”，并为其补齐了各评议活动的阶段任务。",
    # /admin/users 用户账号
    "adm_users_title": "用户账号",
    "adm_users_what": "管理用户账号",
    "adm_users_username_hint": "登录用，如 zhangsan",
    "adm_users_unit_required": "{label}（单位填报员必选）",
    "adm_users_unit_hint": "选择单位",
    "adm_users_option": "{user}（{name}，{role}）",
    "adm_users_choose": "选择账号",
    "adm_users_choose_missing": "请选择账号",
    "adm_users_account": "账号",
    "adm_users_disabled": "已停用",
    "adm_users_locked": "已锁定",
    "adm_users_must_change": "待修改初始密码",
    "adm_users_normal": "正常",
    "adm_users_none": "还没有账号",
    "adm_users_all": "全部账号（{n}）",
    "adm_users_add": "添加账号",
    "adm_users_add_submit": "添加",
    "adm_users_add_intro": (
        "系统生成一次性初始密码，只显示一次；对方首次登录时须改为自己的密码。{rule}。"
    ),
    "adm_users_edit": "修改账号",
    "adm_users_disable": "停用",
    "adm_users_enable": "启用",
    "adm_users_unlock": "解除锁定",
    "adm_users_reset": "重置密码",
    "adm_users_disable_what": "停用账号",
    "adm_users_enable_what": "启用账号",
    "adm_users_unlock_what": "解除账号锁定",
    "adm_users_required": "必填",
    "adm_users_too_long": "不能超过 {n} 个字",
    "adm_users_role_missing": "请选择角色",
    "adm_users_unit_missing": "单位填报员必须选择所属单位",
    "adm_users_added": "已添加账号 {user}，初始密码 {password}（只显示这一次，首次登录须修改）。",
    "adm_users_saved": "已保存账号 {user}。",
    "adm_users_disabled_notice": "已停用账号 {user}。",
    "adm_users_enabled_notice": "已启用账号 {user}。",
    "adm_users_unlocked_notice": "已解除账号 {user} 的登录锁定。",
    "adm_users_logout": "结束登录",
    "adm_users_logout_what": "结束账号登录",
    "adm_users_logout_notice": "已结束账号 {user} 的全部登录，该账号在各设备上须重新登录。",
    "adm_users_reset_notice": (
        "已重置账号 {user} 的密码，一次性密码 {password}（只显示这一次，登录后须修改）。"
    ),
    "adm_users_bulk": "一键建立单位账号",
    "adm_users_bulk_what": "批量建立单位账号",
    "adm_users_bulk_intro": (
        "为每个还没有单位填报账号的在用单位建立一个账号{without}，用户名为 dw 加单位编号；"
        "初始密码只显示一次并下载为 Excel，系统不保存明文。"
    ),
    "adm_users_bulk_without": "（目前 {n} 个单位没有）",
    "adm_users_bulk_all": "（目前所有在用单位都已有账号）",
    "adm_users_bulk_button": "建立单位账号并下载初始密码",
    "adm_users_bulk_none": "所有在用单位都已有单位填报账号，没有新建账号。",
    "adm_users_bulk_done": (
        "已为 {n} 个单位建立账号。初始密码只显示这一次，已同时下载为 Excel 文件；"
        "请分发给各单位，首次登录时须修改密码。"
    ),
    "adm_users_bulk_file": "单位账号初始密码_{date}.xlsx",
    # /admin/campaign 评议活动设置
    "adm_campaign_title": "评议活动设置",
    "adm_campaign_what": "设置评议活动",
    "adm_campaign_year_hint": "如 2025",
    "adm_campaign_title_hint": "默认为“某年司法民主评议”",
    "adm_campaign_meeting_help": "可以以后再填",
    "adm_campaign_copy_option": "沿用 {year} 年（阶段日期顺延，任务清单、档案清单、评分设置照搬）",
    "adm_campaign_copy_hint": "不沿用：按工作方案建立四个阶段、阶段任务和工作档案清单",
    "adm_campaign_copy_help": "不复制往年的问题、督导记录和评议结果。",
    "adm_campaign_phase_date": "{phase} {part}",
    "adm_campaign_task_hint": "如 公开服务承诺",
    "adm_campaign_all_kinds": "全部单位类型",
    "adm_campaign_task_option": "【{phase}】{name}{retired}（已完成 {done}/{tasks}）",
    "adm_campaign_task_retired": "（已停用）",
    "adm_campaign_new_name": "新名称（改名时填写）",
    "adm_campaign_new_name_short": "新名称",
    "adm_campaign_admin_only": "只有管理员可以{what}。您当前的角色是{role}，可以查看各统计页面。",
    "adm_campaign_kinds_all": "全部",
    "adm_campaign_retired": "已停用",
    "adm_campaign_no_tasks": "还没有阶段任务",
    "adm_campaign_col_task": "任务",
    "adm_campaign_col_kinds": "适用单位",
    "adm_campaign_col_done": "完成",
    "adm_campaign_no_archive": "没有工作档案清单",
    "adm_campaign_archive_item": "{name}（{category}）",
    "adm_campaign_summary": (
        "{title}：评议单位 {units} 个，阶段任务 {tasks} 项，各单位任务共 {unit_tasks} 项；"
        "评议大会 {meeting}。"
    ),
    "adm_campaign_new": "新建评议活动",
    "adm_campaign_create": "建立评议活动",
    "adm_campaign_new_intro": (
        "按《工作方案》建立四个阶段（动员部署 4月1日—5月31日、调查评议 6月1日—8月31日、"
        "落实整改 9月1日—10月31日、工作考评 11月1日—12月31日）、各阶段任务和工作档案清单，"
        "并为每个评议单位生成任务。"
    ),
    "adm_campaign_none": "还没有评议活动。请先在上面建立本年度的评议活动。",
    "adm_campaign_created": "已建立 {year} 年评议活动，各单位的阶段任务和工作档案清单已生成。",
    "adm_campaign_settings": "{year}年 评议结果计分设置",
    "adm_campaign_settings_what": "修改评议结果计分设置",
    "adm_campaign_settings_intro": (
        "综合得分 = 满意度得分 × 满意度权重 + 工作评分 × 工作评分权重；两组权重之和均应为 1。"
    ),
    "adm_campaign_settings_saved": "已保存，评议结果已按新设置重新计算。",
    "adm_campaign_setup": "{year}年 活动名称、评议大会与阶段日期",
    "adm_campaign_setup_what": "修改评议活动",
    "adm_campaign_setup_saved": "已保存，各统计数字已按新的日期重新计算。",
    "adm_campaign_tasks": "{year}年 阶段任务",
    "adm_campaign_task_add": "添加阶段任务",
    "adm_campaign_task_add_submit": "添加",
    "adm_campaign_task_added": "已添加阶段任务“{}”，适用的单位都已生成这项任务。",
    "adm_campaign_task_edit": "修改阶段任务",
    "adm_campaign_task_missing": "请选择阶段任务",
    "adm_campaign_rename": "改名",
    "adm_campaign_rename_what": "修改阶段任务名称",
    "adm_campaign_renamed": "已改名为“{}”。",
    "adm_campaign_retire": "停用",
    "adm_campaign_retire_what": "停用阶段任务",
    "adm_campaign_retired_notice": "已停用“{}”：各单位的完成记录保留，不再计入进度和评分。",
    "adm_campaign_restore": "恢复使用",
    "adm_campaign_restore_what": "恢复阶段任务",
    "adm_campaign_restored": "已恢复“{}”。",
    "adm_campaign_delete": "删除（仅限无人完成的任务）",
    "adm_campaign_delete_what": "删除阶段任务",
    "adm_campaign_deleted": "已删除“{}”。",
    "adm_campaign_retire_note": (
        "已有单位完成的任务只能停用：停用后保留各单位的完成记录，但不再计入进度和评分。"
    ),
    "adm_campaign_archive": "工作档案清单",
    # /admin 系统设置
    "adm_title": "系统设置",
    "adm_what": "进行系统设置",
    "adm_steps": "开始使用：四步建立本局的评议工作",
    "adm_steps_note": "名册和台账可以是 Excel（.xlsx）或 CSV 文件，列名见“数据导入”页的格式说明。",
    "adm_step_units": "导入评议单位名册",
    "adm_step_units_n": "个评议单位",
    "adm_step_campaign": "建立本年度评议活动",
    "adm_step_campaign_n": "个评议活动",
    "adm_step_accounts": "建立单位填报账号",
    "adm_step_accounts_n": "个单位账号",
    "adm_step_ledger": "导入问题整改台账",
    "adm_step_ledger_n": "件问题",
    "adm_step_done": "　已有 {n} {what}",
    "adm_step_todo": "　未完成",
    "adm_page_campaign": "建立年度评议活动；调整阶段日期、评议大会、阶段任务和计分设置",
    "adm_page_units": "新增、改名、调整类型和乡镇、填写办案量、停用单位",
    "adm_page_users": "添加账号、分配角色和单位、停用、解锁、重置密码、批量建立单位账号",
    "adm_page_import": "导入名册、问题整改台账、满意度测评、民评代表；导出报表",
    # --- reading another unit's records (issue 16, finding 1: dashboard/view.py may_read_unit) ---
    "access_read_denied": "无权查看：单位账号只能查看本单位的记录。",
    "access_read_denied_note": "查看其他单位的记录",
    "access_refused_title": "无法查看",
    # --- production (serve, backup, bench) ---
    # /units/<id> 单位详情
    "unit_menu_count": "{section}（{n}）",
    "unit_complaints_file": "{unit}_投诉件数",
    "unit_question_col_question": "问题",
    "unit_question_col_state": "状态",
    "unit_problem_col_channel": "来源",
    "unit_problem_col_severity": "程度",
    "unit_problem_col_status": "状态",
    "unit_problem_col_published": "公开",
    "unit_problem_col_reported": "上报",
    "unit_rect_button": "填报",
    "unit_rect_title": "填报整改情况",
    "unit_rect_title_of": "填报整改情况：{desc}",
    "unit_rect_evidence_hint": "文件名、照片说明等",
    "unit_rect_published": "已公开整改",
    "unit_rect_reported": "已上报纠风办",
    "unit_rect_save": "保存",
    "unit_record_problem": "问题",
    "unit_record_task": "任务",
    "unit_refused": "请修改以下内容后再保存：",
    "unit_changed": "保存失败：该{record}在您打开后已被他人修改。请关闭后重新打开再填报。",
    # --- malformed requests and double-clicked saves (issue 16, finding 8: dashboard/params.py) ---
    "import_unreadable": "无法读取上传的文件，请重新选择文件上传。",
    "export_bad_params": "下载地址中的参数无效：{params}。请回到页面重新下载。",
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


# Issue #19 (H1): a follow-up row's remove button, a save refused for a role or a rule.
T.update(
    {
        "form_row_remove": "删除此项",
        "form_not_allowed": "未保存：{reason}",
    }
)

# 评议大会 deck: a list longer than a slide is paged (helper H3, issue #19 item 6)
T.update({"present_page_of": "第 {page} / {total} 页"})
T.update(
    {
        "progress_grid_upcoming": " · 阶段未开始 {n} 项（不计入完成率）",
        "progress_phase_not_started": "{phase}（未开始）",
    }
)
# Phases not started at the as-of date count nowhere (helper H5, issue #19 item 7)
T.update(
    {
        "progress_none_started": "截至所选日期，评议阶段均未开始。",
        "progress_not_counted": "不计入完成率",
    }
)
T.update(
    {
        "days_left_on": "按{date}计，本阶段剩余 {days} 天",
        "phase_last_day_on": "{date}是本阶段最后一天",
    }
)
T.update(
    {
        "eval_not_started": "{phases}尚未开始：其任务不计入任务完成情况和工作得分。",
        "eval_phase_sep": "、",
    }
)

# Issue 19, item 2 (H2): what a refused write was, and the words of refusals said where the user is
T.update(
    {
        "unit_rect_what": "填报整改情况",
        "void_what": "作废问题",
        "task_what": "填报阶段任务完成情况",
        "reveal_denied": "只有管理员可以查看投诉人信息（您的角色：{role}）。",
        "import_what": "导入数据",
    }
)
T.update({"progress_status_upcoming": "阶段未开始"})
T.update({"cmp_scale_note": "每张图按自己的最大值着色，颜色深浅只在同一张图内比较。"})

# Published snapshots (#14 item 2): /snapshots
T.update(
    {
        "snap_title": "发布记录",
        "snap_purpose": "用途",
        "snap_purpose_hint": "如：评议大会、纠风办报表（默认“评议大会”）",
        "snap_publish": "发布统计数字",
        "snap_publish_intro": "发布 {year} 年度截至{date}的统计数字。发布后数字不可更改，"
        "可随时与当前计算比较。日期在页面上方的“数据截至”中选择。",
        "snap_publish_button": "发布",
        "snap_publish_what": "发布统计数字",
        "snap_published_notice": "已发布快照 #{id}，摘要 {digest}",
        "snap_who": "统计数字由局领导或管理员发布。",
        "snap_list": "{year} 年度已发布的统计数字",
        "snap_none": "{year} 年度还没有发布过统计数字。",
        "snap_heading": "#{id} · {year}年 截至{date} · {purpose}",
        "snap_by": "{who} 发布于 {when}",
        "snap_line": "问题总数 {problems}（其中经核查不属实 {unfounded}）· 已整改 {rectified} · "
        "整改完成率 {rate} · 逾期问题 {overdue} · 投诉件数 {complaints}",
        "snap_digest": "SHA-256 摘要：",
        "snap_same": "当前计算与发布时的数字一致。",
        "snap_differs": "当前计算与发布时的数字不同：",
        "snap_figure": "数字",
        "snap_published": "发布时",
        "snap_live": "当前计算",
        "snap_changes": "发布后记录的修改：",
        "snap_no_changes": (
            "发布后没有记录到相关修改（差异来自修改历史之外，请运行 dashboard verify 核验）。"
        ),
        "snap_notice_same": "该日的统计数字已于 {when} 发布（{purpose}），当前计算与之一致。",
        "snap_notice_differs": (
            "该日的统计数字已于 {when} 发布（{purpose}），当前计算与发布时不同：{figures}。"
        ),
        "snap_notice_link": "查看差异及其原因",
    }
)
T.update({"snap_change_by": "{when} {who}：", "snap_change_what": " — {what}", "snap_sep": "；"})
T.update(
    {
        "snap_refused": "发布记录供局领导、督导员和管理员查看（您的角色：{role}）。",
        "snap_bad_form": "发布表单已失效，请刷新页面后重新发布。",
    }
)
T.update({"snap_notice_figure": "{figure} {published} → {live}"})
T.update(
    {
        "present_published": "发布的数字：快照 #{id}，{when} 发布（{purpose}），摘要 {digest}…",
        "present_snapshot_missing": "没有这个发布快照。请从“发布记录”页打开已发布的数字。",
    }
)
T.update({"snap_open_deck": "按发布的数字打开评议大会投影"})
T.update(
    {
        "snap_report": "下载发布时的纠风办报表",
        "export_no_snapshot": "没有这个发布快照（或它不是所选年度和日期的）。",
    }
)
T.update(
    {
        "snap_confirm": "我已核对上述数字，确认发布（发布后不可更改）",
        "snap_confirm_needed": "发布后数字不可更改：请勾选确认后再发布。",
    }
)
T.update(
    {
        "snap_confirm": "我已核对上述数字，确认发布（发布后不可更改）",
        "snap_confirm_needed": "发布后数字不可更改：请勾选确认后再发布。",
    }
)
T.update({"grid_count": "共 {n} 行（可点表头排序，在表头下方的框内筛选）"})
# AG Grid's own words (filter menus, the empty overlay, page-size text), in Chinese: passed to
# every grid as localeText (layouts/grid.py). Keys are AG Grid's.
GRID_LOCALE: dict[str, str] = {
    "selectAll": "（全选）",
    "selectAllSearchResults": "（全选搜索结果）",
    "searchOoo": "搜索…",
    "blanks": "（空白）",
    "noMatches": "无匹配项",
    "filterOoo": "筛选…",
    "equals": "等于",
    "notEqual": "不等于",
    "blank": "为空",
    "notBlank": "不为空",
    "empty": "选择一个条件",
    "lessThan": "小于",
    "greaterThan": "大于",
    "lessThanOrEqual": "小于或等于",
    "greaterThanOrEqual": "大于或等于",
    "inRange": "介于",
    "inRangeStart": "从",
    "inRangeEnd": "到",
    "contains": "包含",
    "notContains": "不包含",
    "startsWith": "开头是",
    "endsWith": "结尾是",
    "dateFormatOoo": "yyyy-mm-dd",
    "before": "早于",
    "after": "晚于",
    "andCondition": "并且",
    "orCondition": "或者",
    "applyFilter": "应用",
    "resetFilter": "重置",
    "clearFilter": "清除",
    "cancelFilter": "取消",
    "textFilter": "文本筛选",
    "numberFilter": "数字筛选",
    "dateFilter": "日期筛选",
    "setFilter": "集合筛选",
    "filterTitle": "筛选",
    "columns": "列",
    "filters": "筛选",
    "pinColumn": "固定列",
    "noPin": "不固定",
    "pinLeft": "固定在左侧",
    "pinRight": "固定在右侧",
    "autosizeThisColumn": "自动调整此列宽度",
    "autosizeAllColumns": "自动调整所有列宽度",
    "resetColumns": "重置列",
    "sortAscending": "升序",
    "sortDescending": "降序",
    "sortUnSort": "取消排序",
    "loadingOoo": "加载中…",
    "loadingError": "加载出错",
    "noRowsToShow": "没有符合条件的行",
    "page": "第",
    "pageLastRowUnknown": "?",
    "more": "更多",
    "to": "至",
    "of": "共",
    "next": "下一页",
    "last": "末页",
    "first": "首页",
    "previous": "上一页",
    "pageSizeSelectorLabel": "每页行数：",
    "ariaFilterInput": "筛选输入",
    "ariaFilterColumn": "按此列筛选",
    "ariaFilteringOperator": "筛选条件",
    "ariaFilterValue": "筛选值",
    "ariaFilterFromValue": "起始值",
    "ariaFilterToValue": "结束值",
    "ariaSortableColumn": "按回车键排序",
    "ariaColumn": "列",
    "ariaRowSelect": "按空格键选择此行",
    "ariaSearch": "搜索",
    "ariaSearchFilterValues": "搜索筛选值",
    "ariaLabelColumnMenu": "列菜单",
    "ariaLabelDialog": "对话框",
    "ariaLabelGrid": "表格",
    "ariaRowCount": "行数",
    "ariaColumnCount": "列数",
    "ariaHeaderSelection": "选择列",
    "ariaMenuColumn": "按 Alt 加向下键打开列菜单",
    "ariaFilterMenuOpen": "打开筛选菜单",
}
T.update({"sup_op_col_overdue": "逾期天数", "insp_mode_planned": "{mode}（计划）"})
T.update(
    {
        "rect_col_unit": "单位",
        "rect_col_rectified": "已整改/应整改",
        "rect_col_on_time": "按期/到期",
        "rect_count_of": "{n} / {base}",
        "rect_chart_worst": (
            "图中为整改完成率最低的 {n} 个单位（共 {rated} 个单位有整改完成率）；"
            "下表列出全部 {total} 个单位。"
        ),
    }
)
T.update(
    {
        "progress_col_rate": "完成率",
        "progress_rate_tip": "已完成 {done} 项，共 {n} 项（未开始的阶段不计）",
        "progress_cell_upcoming": "未开始",
    }
)
T.update({"unit_voided_col_at": "作废时间", "unit_voided_col_reason": "作废原因"})
T.update(
    {
        "import_rows_all": "文件内容预览（全部 {n} 行）",
        "import_col_reasons": "错误原因",
        "import_col_column": "列",
        "import_col_message": "错误",
        "import_blank_cell": "（空）",
    }
)

# #18 评议选题 (topics)
T.update(
    {
        "topics_title": "评议选题",
        "topics_intro": "按工作方案，各单位针对群众反映强烈、意见集中的问题确定2—3个评议选题，"
        "并做到有安排部署、有评议方案、有检查记录和工作总结。",
        "topics_list": "{year}年评议选题（{n}个）",
        "topics_none": "{year}年还没有评议选题。",
        "topics_bureau": "全局（全系统）",
        "topics_col_unit": "单位",
        "topics_col_title": "选题",
        "topics_col_criterion": "评议内容",
        "topics_col_problems": "关联问题",
        "topics_col_rectified": "已整改",
        "topics_col_done": "完成情况",
        "topics_few": "{unit}目前有{n}个选题，工作方案要求确定2—3个。",
        "topics_few_many": "{n}个单位的选题少于2个：{units}",
        "topics_more_many": "{n}个单位的选题多于3个：{units}",
        "topics_more": "{unit}目前有{n}个选题，工作方案要求确定2—3个，请考虑集中力量。",
        "topics_and_more": "等",
        "topics_create": "新建评议选题",
        "topics_create_hint": "可从下方“候选选题”一键带入，核对后保存。",
        "topics_create_save": "保存选题",
        "topics_create_what": "新建评议选题",
        "topics_created": "已建立选题“{title}”（关联问题{n}个）。",
        "topics_unit": "单位",
        "topics_unit_hint": "不选即为全局选题",
        "topics_title_field": "选题名称",
        "topics_criterion": "评议内容",
        "topics_reason": "选题理由",
        "topics_problems": "关联问题",
        "topics_problems_hint": "只能关联该单位本年度的问题",
        "topics_suggest": "候选选题",
        "topics_suggest_intro": "从本年度问题中按评议内容和相近描述归并，投诉最多的在前；"
        "已关联到选题的问题不再计入。",
        "topics_suggest_unit": "为哪个单位推荐",
        "topics_suggest_none": "没有可推荐的候选选题（本年度问题都已关联到选题，或还没有问题）。",
        "topics_suggest_counts": "问题{n}件（其中投诉{c}件）",
        "topics_suggest_units": " · 涉及{n}个单位",
        "topics_suggest_wordings": "相近表述：{texts}",
        "topics_suggest_use": "以此建立选题",
        "topics_suggest_reason": "群众反映较集中：本年度同类问题{n}件，其中投诉{c}件。",
        "topics_suggest_used": "已带入新建表单，请核对后点“保存选题”。",
        "topics_readonly": "局领导和督导员可查看评议选题；选题由各单位填报员和管理员建立。",
        "topic_not_found": "选题不存在。",
        "topic_back": "返回评议选题",
        "topic_withdrawn": "已于{when}撤销（保留在历史记录中）",
        "topic_completeness": "完成情况 {n}/4",
        "topic_done_deployment": "有安排部署",
        "topic_done_plan": "有评议方案",
        "topic_done_checked": "有检查记录",
        "topic_done_summary": "有工作总结",
        "topic_reason": "选题理由：",
        "topic_deployment": "安排部署",
        "topic_plan": "评议方案",
        "topic_summary": "工作总结",
        "topic_texts": "安排部署、评议方案与工作总结",
        "topic_texts_save": "保存",
        "topic_texts_what": "保存评议选题",
        "topic_texts_saved": "已保存。",
        "topic_conflict": "未保存：该选题已被他人修改，请刷新后再改。",
        "topic_conflict_none": "未保存：该选题已被他人修改（撤销或重新保存），请刷新后再改。",
        "topic_problems": "关联问题及整改情况（{n}个）",
        "topic_no_problems": "还没有关联问题。",
        "topic_link": "关联更多问题",
        "topic_link_save": "关联",
        "topic_link_what": "关联问题到选题",
        "topic_linked": "已关联{n}个问题。",
        "topic_unlink": "取消关联",
        "topic_unlink_what": "取消问题与选题的关联",
        "topic_unlinked": "已取消关联（保留在历史记录中）。",
        "topic_link_field": "要关联的问题",
        "topic_col_description": "问题描述",
        "topic_col_unit": "单位",
        "topic_col_channel": "问题来源",
        "topic_col_status": "整改状态",
        "topic_col_deadline": "整改时限",
        "topic_col_completed": "完成日期",
        "topic_visits": "检查记录（{n}次督导检查）",
        "topic_no_visits": "还没有督导检查记录点名此选题（督导员在“督导检查”中选择“检查选题”）。",
        "topic_visit_open": "查看",
        "topic_col_date": "督导日期",
        "topic_col_supervisors": "督导人员",
        "topic_col_kind": "督导类型",
        "topic_withdraw": "撤销选题",
        "topic_withdraw_confirm": "确认撤销此选题（撤销后不再计入，保留在历史记录中）",
        "topic_withdraw_needed": "请先勾选确认",
        "topic_withdraw_what": "撤销评议选题",
        "topic_withdrawn_notice": "已撤销。",
        "topic_history": "修改历史",
        "topic_readonly": "只有该选题所属单位的填报员和管理员可以修改。",
        "topic_visit_topics": "检查选题：",
        "topic_link_none": "请选择要关联的问题",
        "topics_unit_count": "{unit}（{n}个）",
        "topics_some": "若干",
        "sup_topics_hint": "可选：本次检查的评议选题",
    }
)

# #18 情况通报 (briefings)
T.update(
    {
        "briefings_title": "情况通报",
        "briefings_issue": "印发情况通报",
        "briefings_issue_intro": (
            "通报 {year} 年度评议工作截至所选日期的统计数字，送达所选的民评代表。"
            "通报只含数字和各单位件数，不含投诉人信息和问题原文，不含暗访安排；"
            "印发后内容不再改变，并同时发布一份同日期的统计快照。"
        ),
        "briefings_field_title": "标题",
        "briefings_field_as_of": "截至日期",
        "briefings_field_body": "通报说明",
        "briefings_body_hint": "印在数字前面的一段话，可不填",
        "briefings_field_recipients": "送达的民评代表",
        "briefings_recipients_help": "默认全部在册代表",
        "briefings_select_all": "全选",
        "briefings_deselect_all": "全不选",
        "briefings_selected_count": "已选 {num_selected} 位",
        "briefings_search": "查找",
        "briefings_clear_search": "清除查找",
        "briefings_clear_selection": "清除所选",
        "briefings_no_options": "没有符合的代表",
        "briefings_issue_button": "印发",
        "briefings_issue_what": "印发情况通报",
        "briefings_issued_notice": "已印发第{number}期，送达 {n} 位民评代表。",
        "briefings_who": "情况通报由局领导或管理员印发；您可以阅读和下载。",
        "briefings_no_reps": "名册中没有在册的民评代表，暂不能印发：请先导入或添加民评代表。",
        "briefings_list": "{year}年度的情况通报",
        "briefings_none": "{year}年度还没有印发情况通报。",
        "briefings_number": "第{number}期",
        "briefings_meta": "截至{as_of} · {issued_on}印发 · 印发人：{by} · 送达民评代表 {n} 人",
        "briefings_recipients": "送达：",
        "briefings_snapshot": "数字即发布快照 #{id}，摘要 ",
        "briefings_pdf": "下载 PDF",
        "briefings_docx": "下载 Word",
        "briefings_latest": "最新情况通报：第{number}期",
        "briefings_recipient_option": "{name}（{sector}）",
        "briefings_bad_form": "表单已失效，请刷新页面后重新填写",
        "briefings_file": "{title}.{ext}",
        "briefings_not_found": "没有这期情况通报",
        "briefings_pdf_failed": "无法生成 PDF：{reason}",
        # the document
        "briefings_doc_issued": "{by}　{date}印发",
        "briefings_doc_h_overall": "一、问题发现与整改情况",
        "briefings_doc_overall": (
            "截至{date}，全县共发现问题 {problems} 个（其中经核查不属实 {unfounded} 个），"
            "已整改 {rectified} 个，整改完成率 {rate}；到期问题 {due} 个，按期整改 {on_time} 个，"
            "按期整改率 {on_time_rate}；逾期问题 {overdue} 个。群众投诉 {complaints} 件。"
        ),
        "briefings_doc_overdue_units": "存在逾期问题或逾期任务的单位 {n} 个：{names}。",
        "briefings_doc_no_overdue": "没有存在逾期问题或逾期任务的单位。",
        "briefings_doc_h_channels": "二、各渠道发现问题",
        "briefings_doc_channel": "发现渠道",
        "briefings_doc_count": "问题数",
        "briefings_doc_h_questions": "三、面对面评议代表提问的答复",
        "briefings_doc_questions": (
            "代表提问共 {total} 个：当场答复 {on_the_spot} 个，会后反馈 {follow_up} 个"
            "（已反馈 {replied} 个，逾期未反馈 {overdue} 个），待答复 {pending} 个；"
            "会后反馈形成整改问题 {follow_up_problems} 个，已整改 {follow_up_rectified} 个。"
        ),
        "briefings_doc_h_inspections": "四、明查暗访",
        "briefings_doc_inspections": (
            "截至{date}，民评代表参加明查暗访共 {held} 次（明查 {open} 次，暗访 {covert} 次）。"
        ),
        "briefings_doc_h_phases": "五、各阶段工作进度",
        "briefings_doc_phase": "阶段",
        "briefings_doc_progress": "任务完成率",
        "briefings_doc_current": "当前处于{phase}阶段，剩余 {days} 天。",
        "briefings_doc_h_units": "六、各单位问题整改情况",
        "briefings_doc_no_units": "各单位均未发现问题。",
        "briefings_doc_unit": "单位",
        "briefings_doc_problems": "发现问题",
        "briefings_doc_unfounded": "不属实",
        "briefings_doc_rectified": "已整改",
        "briefings_doc_rate": "整改完成率",
        "briefings_doc_overdue": "逾期问题",
        "briefings_doc_complaints": "投诉件数",
        "briefings_doc_recipients": "送：{names}（共 {n} 人）",
        "briefings_doc_snapshot": "本通报数字与发布快照 #{id} 一致，快照摘要（SHA-256）：{digest}",
    }
)

# #18 纠风办上报 (the 纠风办 loop)
T.update(
    {
        "reports_title": "纠风办上报",
        "reports_intro": (
            "按工作方案，整改情况分批上报县纠风办，纠风办反馈的个案整改情况按编号导入，"
            "记入各问题的变更历史。"
        ),
        "reports_refused": "纠风办上报由管理员办理，局领导和督导员可查看；{role}无权查看本页。",
        "reports_readers_note": "上报批次由管理员（纠风办联络人）办理，此处只读。",
        "reports_reported": "已上报",
        "reports_fed_back": "纠风办已反馈",
        "reports_outstanding": "待反馈",
        "reports_unit_suffix": "件",
        "reports_as_of": "数据截至 {date}",
        "reports_batch_form": "新建上报批次",
        "reports_batch_intro": (
            "从 {year} 年尚未上报、未作废的问题中选择，确认后记为第 {number} 批。"
        ),
        "reports_all": "全部",
        "reports_key_later": "（确认时编号）",
        "reports_reported_on": "上报日期",
        "reports_note": "备注",
        "reports_note_hint": "如：第三季度整改情况",
        "reports_selection": "上报的问题",
        "reports_count": "符合条件、尚未上报的问题：{n} 件",
        "reports_count_none": "没有符合条件、尚未上报的问题。",
        "reports_count_more": "（列出前 {shown} 件）",
        "reports_confirm": "确认上报",
        "reports_what": "新建上报批次",
        "reports_made": "已记为第 {number} 批，共 {count} 件问题；可在下方“上报批次”中下载清单。",
        "reports_batches": "上报批次",
        "reports_batches_none": "{year} 年还没有上报批次。",
        "reports_col_batch": "批次",
        "reports_col_reported_on": "上报日期",
        "reports_col_note": "备注",
        "reports_col_by": "上报人",
        "reports_col_download": "清单",
        "reports_batch_name": "第{number}批",
        "reports_loose": "未编入批次",
        "reports_loose_tip": (
            "未编入批次：在台账或整改填报中标记为“已上报纠风办”、但没有编入上报批次的问题"
            "（如建立批次之前上报的），同样计入已上报，可以导入反馈。"
        ),
        "reports_download": "下载 .xlsx",
        "reports_by_unit": "各单位上报与反馈",
        "reports_by_unit_none": "还没有上报的问题。",
        "reports_col_unit": "单位",
        "reports_feedback_title": "导入纠风办反馈",
        "reports_feedback_intro": (
            "纠风办反馈的个案整改情况：一行一件，列为 编号、反馈日期、反馈情况（Excel 或 CSV）。"
            "编号须是 {year} 年已上报的问题；任何一行有误，整个文件都不写入。"
        ),
        "reports_feedback_confirm": "确认导入反馈",
        "reports_feedback_what": "导入纠风办反馈",
        "reports_feedback_done": "已导入纠风办反馈：更新 {updated} 件，未变化 {unchanged} 件。",
        "reports_file_name": "{year}年第{number}批上报纠风办问题清单.xlsx",
        "reports_no_batch": "没有这个上报批次",
        "reports_bad_batch": "上报批次的地址有误",
        "reports_bad_date": "日期格式应为 2024-06-03",
        "reports_admin_only": "只有管理员可以导入纠风办反馈",
    }
)

# #18 公开承诺 (commitments)
T.update(
    {
        "commitments_title": "公开承诺",
        "commitments_intro": (
            "工作方案第五部分第2条：律师、公证、法律援助和基层法律服务行业梳理群众反映强烈的热点、"
            "难点问题，通过适当的方式向社会做出公开承诺，接受社会各界监督。"
            "每项承诺可关联本单位本年度涉及它的投诉（投诉举报、纠风办交办）。"
        ),
        "commitments_read_only": "只读：公开承诺由法律服务行业单位的填报员或管理员记录。",
        "commitments_no_commitment_unit": (
            "{unit}是{kind}，不作公开承诺（工作方案第五部分第2条只要求律师、公证、法律援助和"
            "基层法律服务行业做出公开承诺）。"
        ),
        "commitments_new": "记录公开承诺",
        "commitments_edit": "修改公开承诺",
        "commitments_save": "保存承诺",
        "commitments_save_what": "保存公开承诺",
        "commitments_saved": "已保存公开承诺。",
        "commitments_unit": "承诺单位",
        "commitments_content": "承诺内容",
        "commitments_content_hint": "如：办理公证事项一次告知，材料齐全的当场受理",
        "commitments_published_on": "公开日期",
        "commitments_published_where": "公开方式/地点",
        "commitments_where_hint": "如：单位门户网站、服务窗口公示栏、县融媒体中心",
        "commitments_list": "{year}年公开承诺（{n}项）",
        "commitments_none": "{year}年还没有记录公开承诺。",
        "commitments_col_unit": "单位",
        "commitments_col_content": "承诺内容",
        "commitments_col_published_on": "公开日期",
        "commitments_col_where": "公开方式/地点",
        "commitments_col_complaints": "关联投诉",
        "commitments_col_open": "其中未整改",
        "commitments_col_state": "状态",
        "commitments_col_open_link": "详情",
        "commitments_open_link": "查看",
        "commitments_in_force": "有效",
        "commitments_withdrawn_on": "已撤回（{date}）",
        "commitments_detail": "承诺详情",
        "commitments_detail_of": "{unit} · {date}公开于{where}",
        "commitments_not_found": "没有这项公开承诺。",
        "commitments_edit_link": "修改",
        "commitments_withdraw": "撤回承诺",
        "commitments_withdraw_what": "撤回公开承诺",
        "commitments_withdrawn_notice": "已撤回该承诺（保留在列表和修改历史中）。",
        "commitments_linked": "涉及该承诺的投诉（{n}件）",
        "commitments_linked_none": "还没有关联投诉。",
        "commitments_link_label": "关联本单位的投诉",
        "commitments_link_hint": "选择本单位本年度的投诉",
        "commitments_link": "关联",
        "commitments_link_option": "{date} {channel}：{text}",
        "commitments_link_what": "关联投诉",
        "commitments_linked_notice": "已关联投诉。",
        "commitments_unlink": "取消关联",
        "commitments_unlink_what": "取消关联投诉",
        "commitments_unlinked_notice": "已取消关联（保留在修改历史中）。",
        "commitments_refused": "未保存：",
        "commitments_conflict": "未保存：这项承诺在您打开后已被他人修改，请刷新后再改：",
        "commitments_complaint_line": "{date} · {channel} · {status}",
        "commitments_complainant": "投诉人：{who}",
        "commitments_history": "修改历史",
        "commitments_record_link": "记录或查看公开承诺",
        "commitments_unit_section": "公开承诺",
        "commitments_unit_none": "本年度还没有记录公开承诺。",
        "commitments_unit_withdrawn": "已撤回",
        "commitments_eval_count": "公开承诺",
        "commitments_eval_complaints": "承诺相关投诉",
    }
)

# #18 工作档案 (archives)
T.update(
    {
        "archives_title": "工作档案",
        "archives_intro": (
            "各单位收集、分类整理评议工作的文件、资料、照片，形成工作档案并上传纠风网站"
            "（实施方案第四部分（四）2）。“整理工作档案”“上传纠风网站”两项阶段任务随本清单"
            "自动完成：每一项都已归档 / 已上传时即为完成。"
        ),
        "archives_col_unit": "单位",
        "archives_col_kind": "类型",
        "archives_col_township": "乡镇",
        "archives_col_total": "清单项数",
        "archives_col_in": "已归档",
        "archives_col_up": "已上传",
        "archives_col_state": "状态",
        "archives_count": "{n}/{total}",
        "archives_state_done": "已全部上传",
        "archives_state_archived": "已归档，待上传",
        "archives_state_partial": "未完成",
        "archives_state_none": "无清单",
        "archives_summary": "已归档 {n_in}/{total} 项 · 已上传纠风网站 {n_up}/{total} 项",
        "archives_task_done": "{name}：已完成（{date}）",
        "archives_task_open": "{name}：未完成",
        "archives_tasks_note": "以下阶段任务随本清单自动完成，不能在单位页手工填报：",
        "archives_no_tasks": "本年度没有随工作档案自动完成的阶段任务。",
        "archives_download": "下载本单位工作档案（zip，含清单）",
        "archives_back": "← 全部单位",
        "archives_unit_page": "单位页",
        "archives_empty_unit": "本年度还没有该单位的工作档案清单。",
        "archives_empty_units": "没有符合筛选条件的单位。",
        "archives_not_found": "没有这个单位。",
        "archives_own_only": "单位填报员只能查看本单位的工作档案，已为您显示本单位的清单。",
        "archives_no_unit": "您的账号没有关联单位，无法查看工作档案。请联系管理员。",
        "archives_in": "已归档",
        "archives_up": "已上传纠风网站",
        "archives_note": "备注",
        "archives_note_hint": "如：存放位置、上传日期、缺什么",
        "archives_save": "保存",
        "archives_saved": "已保存。{summary}",
        "archives_saved_task": "{name}：{state}",
        "archives_task_state_done": "已完成",
        "archives_task_state_open": "未完成",
        "archives_read_only": "您可以查看本清单；登记由本单位填报员或管理员进行。",
        "archives_what": "登记工作档案",
        "archives_changed": "该档案材料已被他人修改，未保存。请刷新页面后再登记。",
        "archives_derived_link": "前往工作档案",
        "archives_unit_open": "登记与下载 →",
        "archives_sep": "；",
        "archives_download_refused": "不能下载该单位的工作档案：{reason}",
        "archives_download_not_yours": "单位填报员只能下载本单位的工作档案",
        "archives_download_no_campaign": "没有 {year} 年的评议活动",
        "archives_download_no_unit": "没有这个单位",
        "archives_zip_name": "{year}年工作档案_{unit}.zip",
    }
)

# #18 附件 (attachments)
T.update(
    {
        "attachments_title": "附件",
        "att_photos": "照片",
        "att_loading": "正在读取附件…",
        "att_none": "尚无附件",
        "att_drop": "拖入文件，或点击选择文件上传",
        "att_limits": (
            "图片（JPEG/PNG/WebP/GIF）、PDF、Word（.docx）、Excel（.xlsx），每个不超过 {size}"
        ),
        "att_too_large_client": "文件「{name}」有 {size}，超过每个附件 {limit} 的上限，未上传",
        "att_download": "下载",
        "att_remove": "移除",
        "att_saved": "已上传「{name}」",
        "att_removed": "已移除「{name}」（文件仍保存在历史中）",
        "att_unreadable": "无法读取上传的文件，请重新选择",
        "att_denied_title": "无权查看该附件",
        "att_back": "返回",
        "att_covert_only": "暗访的附件仅督导员和管理员可见",
        "att_pick_inspection": "点击上表中的一次检查，查看或上传它的附件",
        "att_not_found_title": "找不到附件",
        "att_evidence": "佐证文件（附件）",
        "att_inspection_of": "明查暗访附件：{date} {unit}（{mode}）",
        "att_inspection": "明查暗访附件",
        "att_visit": "督导检查附件",
    }
)

T.update({"topic_title": "选题详情", "nav_plan": "评议工作"})

# #18 收尾 (finish: the dropdowns' own words, the unit page's topics and 纠风办 loop)
T.update(
    {
        "dropdown_select_all": "全选",
        "dropdown_deselect_all": "全不选",
        "dropdown_selected_count": "已选 {num_selected} 项",
        "dropdown_search": "查找",
        "dropdown_clear_search": "清除查找",
        "dropdown_clear_selection": "清除所选",
        "dropdown_no_options": "没有符合的选项",
        "finish_reported_batch": "第{number}批（{date} 上报）",
        "finish_reported_unbatched": "已上报（未编入批次）",
        "finish_not_reported": "未上报",
        "finish_report_feedback_none": "尚未反馈",
        "finish_report_feedback": "{date}：{text}",
        "finish_task_derived": "由工作档案确定",
        "finish_task_derived_title": "此项随工作档案清单自动完成，请在工作档案中登记",
        "finish_unit_topics": "评议选题（{n} 个）",
        "finish_unit_topics_none": "本单位尚未确定评议选题",
        "finish_unit_topics_all": "全部选题",
        "finish_topic_completeness": "完成 {n}/4",
        "finish_topic_problems": "关联问题 {n} 个，已整改 {done} 个",
        "finish_topic_files": "选题附件（检查记录、总结等）",
    }
)

# #15 待办 (todo page, navbar count, escalations)
T.update(
    {
        "todo_title": "待办",
        "todo_nav_count": "{n} 项待办",
        "todo_as_of": "截至 {date}",
        # a unit's list
        "todo_unit_summary": "待办 {n} 项，其中已逾期 {overdue} 项、已被催办 {chased} 项",
        "todo_unit_note": (
            "本单位尚未办结的问题整改、评议大会会后反馈和阶段任务，期限最近的在前；"
            "「催办环节」是催办程序已走到的一步。点击事项到单位页面办理。"
        ),
        "todo_unit_empty": "没有待办事项：本单位的问题整改、会后反馈和阶段任务都已办结。",
        "todo_unit_notices": "本单位收到的催办、督办通知书（最近的在前）",
        "todo_no_unit": "当前账号没有对应的单位，没有待办事项。",
        "todo_col_kind": "类别",
        "todo_col_number": "编号",
        "todo_col_item": "事项",
        "todo_col_year": "年度",
        "todo_col_deadline": "办理期限",
        "todo_col_days": "剩余 / 逾期",
        "todo_col_step": "催办环节",
        "todo_col_step_on": "环节日期",
        "todo_col_unit": "单位",
        "todo_col_overdue": "逾期",
        "todo_col_recipient": "送达",
        "todo_days_left": "剩余 {n} {unit}",
        "todo_days_overdue": "逾期 {n} {unit}",
        "todo_due_today": "今日到期",
        "todo_unit_calendar": "天",
        "todo_unit_working": "个工作日",
        "todo_not_chased": "—",
        "todo_bureau_question": "（局机关）",
        # a leader's escalations
        "todo_escalations": "督办事项",
        "todo_escalations_summary": (
            "督办 {escalate} 项，其中列入重点督查 {focus} 项，涉及 {units} 个单位"
        ),
        "todo_escalations_note": (
            "催办后仍未办结、已报分管领导督办的事项，以及逾期更久、建议列入重点督查的事项，按单位排列。"
        ),
        "todo_charge": "分管单位类别：{kinds}",
        "todo_charge_all": "未设分管单位类别，显示全部单位",
        "todo_escalations_empty": "没有督办事项。",
        "todo_escalation_units": "各单位督办情况",
        "todo_escalation_units_note": "按督办事项多少排列；点单位名称到单位页办理。",
        "todo_col_items": "督办事项",
        "todo_col_focus": "其中重点督查",
        "todo_col_oldest": "最早期限",
        "todo_limited": (
            "事项较多，这里列出逾期最久的 {shown} 项（共 {total} 项）；各单位的全部事项见单位页。"
        ),
        # the bureau's day
        "todo_day": "当日催办（{date}）",
        "todo_day_summary": "{date}：生成催办环节 {steps} 个；重点督查名单 {focus} 项",
        "todo_day_note": "催办程序在这一天生成的提醒、催办、督办和重点督查建议。",
        "todo_day_empty": "这一天没有生成催办环节。",
        "todo_focus": "重点督查名单",
        "todo_focus_note": "督办后仍未办结、建议列入重点督查的事项。",
        "todo_focus_empty": "没有列入重点督查的事项。",
        "todo_focus_log": "记录督导",
        "todo_notices": "当日通知书",
        "todo_run_last": (
            "最近一次运行：{day}（{source}），{started} 开始，{finished}；生成 {n} 个催办环节。"
        ),
        "todo_run_running": "尚未结束",
        "todo_run_finished": "{at} 结束",
        "todo_run_never": "催办程序还没有运行过。",
        "todo_run_source_cli": "命令行",
        "todo_run_source_server": "服务器定时任务",
        "todo_outbox": "消息发送记录",
        "todo_outbox_note": "电子邮件和群机器人消息，最新的在前；失败的会按间隔自动重试。",
        "todo_outbox_empty": "还没有发出过消息（未开启邮件或群机器人时不发送）。",
        "todo_col_channel": "渠道",
        "todo_col_to": "收件人",
        "todo_col_subject": "主题",
        "todo_col_created": "生成时间",
        "todo_col_attempts": "尝试次数",
        "todo_col_state": "状态",
        "todo_col_error": "最近错误",
        "todo_channel_email": "电子邮件",
        "todo_channel_webhook": "群机器人",
        "todo_state_sent": "已发送 {at}",
        "todo_state_failed": "发送失败 {at}",
        "todo_state_pending": "待发送",
        "todo_state_retrying": "重试中",
        # the overview's link
        "todo_overview_escalations": (
            "催办后仍未办结、已报督办的事项 {escalate} 项，其中列入重点督查 {focus} 项"
        ),
        "todo_overview_unit": "本单位有 {n} 项事项已被催办",
        "todo_overview_open": "查看待办",
        "todo_admin_link": "当日催办环节和通知书、重点督查名单、催办程序运行情况、消息发送记录",
    }
)

# #15 催办设置 (admin page: day counting, ladder, leaders, calendar, channels)
T.update(
    {
        "chase_admin_title": "催办设置",
        "chase_admin_what": "设置催办",
        "chase_admin_intro": (
            "到期前提醒、逾期催办、转督办、列入重点督查，按下面的设置每天自动进行；"
            "逾期天数在各页面和报表中按所选方式计算。"
        ),
        "chase_admin_settings": "期限与催办步骤",
        "chase_admin_settings_what": "保存催办设置",
        "chase_admin_settings_saved": "催办设置已保存",
        "chase_admin_day_count_help": "按工作日计算时，扣除法定节假日，调休上班的周末计为工作日。",
        "chase_admin_remind_help": "到期前若干个工作日（或自然日）提醒责任单位。",
        "chase_admin_escalate_help": (
            "逾期第一天发催办通知书；此后再过若干天仍未完成的，转分管局领导督办。"
        ),
        "chase_admin_focus_help": "催办后再过若干天仍未完成的，列入重点督查名单。",
        "chase_admin_channels": "消息推送（默认关闭）",
        "chase_admin_password_help": "密码不保存在系统中：请在服务器上设置环境变量 {env}。",
        "chase_admin_leaders": "分管局领导",
        "chase_admin_leaders_intro": (
            "督办通知送分管该类单位的局领导；未指定分管领导的单位类别，督办送“局领导”。"
        ),
        "chase_admin_leaders_what": "保存分管局领导",
        "chase_admin_leaders_saved": "已保存（{n} 个账号有改动）",
        "chase_admin_leaders_none": "还没有局领导账号，请先在“账号管理”中添加。",
        "chase_admin_kinds": "{name}（{username}）分管",
        "chase_admin_kinds_hint": "未分管",
        "chase_admin_leader_email": "{name}的电子邮箱",
        "chase_admin_email": "账号电子邮箱",
        "chase_admin_email_intro": (
            "启用邮件后，催办消息发到责任单位填报员账号登记的邮箱。留空保存即删除邮箱。"
        ),
        "chase_admin_email_what": "保存账号邮箱",
        "chase_admin_email_saved": "已保存{name}的电子邮箱",
        "chase_admin_account": "账号",
        "chase_admin_leader_field": "{name}的{field}",
        "chase_admin_email_field": "电子邮箱",
        "chase_admin_emails_none": "还没有账号登记电子邮箱。",
        "chase_admin_col_account": "账号",
        "chase_admin_col_role": "角色",
        "chase_admin_col_unit": "单位",
        "chase_admin_col_email": "电子邮箱",
        "chase_admin_calendar": "节假日日历",
        "chase_admin_calendar_intro": (
            "法定节假日和调休安排来自节假日库（已含 {first}–{last} 年）；"
            "国务院公布新一年安排后，请在这里逐日录入，自设的日期优先于节假日库。"
        ),
        "chase_admin_year": "查看年份",
        "chase_admin_year_option": "{year}年",
        "chase_admin_year_unknown": "{year}年（未录入）",
        "chase_admin_col_day": "日期",
        "chase_admin_col_weekday": "星期",
        "chase_admin_col_kind": "上班/放假",
        "chase_admin_col_name": "名称",
        "chase_admin_col_source": "来源",
        "chase_admin_source_library": "节假日库",
        "chase_admin_source_admin": "自设",
        "chase_admin_source_overrides": "自设（节假日库为{what}）",
        "chase_admin_work": "上班",
        "chase_admin_off": "放假",
        "chase_admin_year_empty": "{year}年没有节假日安排：节假日库没有这一年，也还没有自设日期。",
        "chase_admin_unknown": (
            "尚未录入{years}的法定节假日和调休安排，节假日库也没有。按工作日计算期限时，"
            "这些年份只扣除周六、周日，节假日不会扣除。请在“节假日日历”中录入。"
        ),
        "chase_admin_unknown_calendar_mode": "（当前按自然日计算，暂不影响。）",
        "chase_admin_day_add": "录入一天",
        "chase_admin_day_add_what": "录入节假日",
        "chase_admin_day_added": "已录入 {day}",
        "chase_admin_day_field": "日期",
        "chase_admin_day_kind": "这一天",
        "chase_admin_day_name": "名称（如 春节）",
        "chase_admin_day_remove": "移除自设日期",
        "chase_admin_day_remove_what": "移除自设日期",
        "chase_admin_day_removed": "已移除 {day}，恢复按节假日库计算",
        "chase_admin_day_remove_choose": "选择要移除的日期",
        "chase_admin_day_remove_none": "还没有自设日期。",
        "chase_admin_weekdays": "一二三四五六日",
        "chase_admin_contact": "{name}（{username}）",
        "chase_admin_link": (
            "期限按工作日还是自然日、催办步骤、分管领导、节假日日历、通知书模板、消息推送"
        ),
    }
)

# #15 催办 (the ladder, the daily job, the CLI)
T.update({})

# #15 通知书与消息 (notices, templates, e-mail and webhook)
T.update(
    {
        "notices_refused_title": "无权下载该通知书",
        "notices_missing": "找不到通知书",
        "notices_back": "返回待办",
        "notices_not_found": "没有编号为 {id} 的通知书",
        "notices_other_unit": "单位填报员只能下载本单位的通知书",
        "notices_day_refused": "只有局领导、督导员和管理员可以下载当日全部通知书",
        "notices_bad_day": "「{day}」不是日期，请写成 2024-10-09 的形式",
        "notices_none_on_day": "{day} 没有印发通知书",
        "notices_zip_name": "催办督办通知书-{day}.zip",
        "notices_template_refused": "只有管理员可以下载和更换通知书模板",
        "notices_bad_kind": "没有「{kind}」这种通知书模板",
        "notices_tpl_title": "通知书模板",
        "notices_tpl_hint": (
            "催办通知书和督办通知书按下面的 Word 模板生成。可下载当前模板，在 WPS 或 Word 中"
            "修改文字和格式后上传替换；模板中 {{ }} 和 {% %} 标记的是自动填写的内容，请保留。"
            "上传时系统会用示例通知书试生成一次，有错误的模板不会启用。"
        ),
        "notices_tpl_builtin": "正在使用内置模板",
        "notices_tpl_custom": "正在使用「{name}」（{by} 于 {at} 上传）",
        "notices_tpl_download": "下载当前模板",
        "notices_tpl_upload": "拖入或点击选择 .docx 模板文件，替换当前模板",
        "notices_tpl_remove": "恢复内置模板",
        "notices_tpl_saved": "已启用模板「{name}」",
        "notices_tpl_removed": "已停用模板「{name}」，恢复使用内置模板",
        "notices_tpl_unreadable": "无法读取上传的文件，请重新选择",
        "notices_tpl_fields": "模板中可用的变量",
        "notices_tpl_loading": "正在读取…",
        "notices_tpl_rows": (
            "表格逐项列出事项：表格中一行只写 {%tr for item in items %}，下一行各格写 "
            "{{ item.no }}、{{ item.label }} 等，再下一行只写 {%tr endfor %}（可参照内置模板）。"
        ),
        "notices_list_empty": "没有通知书",
        "notices_col_number": "文号",
        "notices_col_kind": "种类",
        "notices_col_unit": "受文单位",
        "notices_col_date": "印发日期",
        "notices_col_items": "事项数",
        "notices_col_file": "文件",
        "notices_download": "下载 .docx",
        "notices_day_zip": "下载 {day} 全部通知书（.zip）",
    }
)
