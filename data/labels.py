"""The one home of field and value names: what each field of each kind of record is called in
Chinese, the names of coded values, and the words of one change in the history (修改历史).

Forms, the history, import files and their messages, conflict messages and exports all read
these tables; data/reference.py stays the home of the codes and their *_NAMES tables, which
`VALUES` names by record and field. A record's table is keyed by every name the data layer uses
for the field (its column, and the form's path where a form calls it something else); the
tables are keyed by ChangeLog.entity (the table name) in `FIELDS`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from data.reference import (
    ANSWER_MODE_NAMES,
    ARCHIVE_CATEGORY_NAMES,
    CHANNEL_NAMES,
    CRITERIA,
    FEEDBACK_NAMES,
    INSPECTION_MODE_NAMES,
    KIND_NAMES,
    PHASE_NAMES,
    RATING_NAMES,
    RECTIFIED_STATUSES,
    ROLE_NAMES,
    SEVERITY_NAMES,
    STATUS_NAMES,
    VISIT_KIND_NAMES,
)

EMPTY = "空"
YES, NO = "是", "否"
ARROW = " → "
LIST_SEPARATOR = "、"

# ---- value names -----------------------------------------------------------------------------

CRITERION_NAMES: dict[str, str] = {code: name for code, (name, _g, _o) in CRITERIA.items()}
# The grades of a composite score, best first (data/settings.py gives them).
GRADE_SATISFIED, GRADE_FAIRLY, GRADE_BASIC, GRADE_DISSATISFIED = (
    "满意",
    "比较满意",
    "基本满意",
    "不满意",
)
GRADE_NAMES: tuple[str, ...] = (GRADE_SATISFIED, GRADE_FAIRLY, GRADE_BASIC, GRADE_DISSATISFIED)
# The kinds of import file (data.import_plan.ImportKind values).
IMPORT_KIND_NAMES: dict[str, str] = {
    "units": "单位名册",
    "problems": "问题整改台账",
    "surveys": "满意度测评",
    "representatives": "民评代表",
    "feedback": "纠风办反馈",  # the 纠风办's case-by-case feedback (data.report_batches)
}
# What the history calls each action (ChangeLog.action).
ACTION_NAMES: dict[str, str] = {
    "create": "新建",
    "update": "修改",
    "void": "作废",
    "reveal": "查看投诉人",
    "import": "导入",
    "download": "下载",  # #18: an attachment downloaded (data/attachments.py)
}

# ---- field names, by record ----------------------------------------------------------------

CAMPAIGN: dict[str, str] = {
    "campaign": "评议年度",
    "campaign_id": "评议年度",
    "year": "评议年度",
    "title": "活动名称",
    "meeting_date": "评议大会日期",
    "copy_from": "沿用往年设置",
}
PHASE: dict[str, str] = {
    "code": "阶段",
    "phase": "阶段",
    "starts_on": "开始",
    "ends_on": "结束",
}
TEMPLATE: dict[str, str] = {
    "phase_code": "阶段",
    "name": "任务名称",
    "kinds": "适用单位类型",
    "template": "阶段任务",
    "retired_at": "停用时间",
    "derived_from": "随工作档案完成",  # #18
}
# The evaluation settings (评议结果计分设置), in the groups the set-up page shows them.
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
            ("rating_conform", f"“{RATING_NAMES['conform']}”计分"),
            ("rating_basic", f"“{RATING_NAMES['basic']}”计分"),
            ("rating_nonconform", f"“{RATING_NAMES['nonconform']}”计分"),
        ),
    ),
    (
        "满意度分值",
        (
            ("points_satisfied", f"“{FEEDBACK_NAMES['satisfied']}”分值"),
            ("points_basic", f"“{FEEDBACK_NAMES['basically_satisfied']}”分值"),
            ("points_dissatisfied", f"“{FEEDBACK_NAMES['dissatisfied']}”分值"),
        ),
    ),
    (
        "等次分数线",
        (
            ("grade_satisfied", f"“{GRADE_SATISFIED}”不低于"),
            ("grade_fairly_satisfied", f"“{GRADE_FAIRLY}”不低于"),
            ("grade_basic", f"“{GRADE_BASIC}”不低于"),
        ),
    ),
    (
        "重点督查",
        (("focus_threshold", "整改完成率低于（0–1，0.8 即 80%）"),),
    ),
)
EVALUATION: dict[str, str] = {
    name: f"{group}·{label}" for group, items in SETTINGS_GROUPS for name, label in items
}
UNIT: dict[str, str] = {
    "name": "单位名称",
    "kind": "单位类型",
    "township": "所属乡镇",
    "cases": "办案量",
    "retired_on": "状态",
}
PROBLEM: dict[str, str] = {
    "ledger_key": "编号",
    "unit_id": "责任单位",
    "channel": "问题来源",
    "criterion_code": "评议内容",
    "found_on": "发现日期",
    "description": "问题描述",
    "severity": "严重程度",
    "measures": "整改措施",
    "owner": "责任人",
    "deadline": "整改时限",
    "status": "整改状态",
    "completed_on": "完成日期",
    "published": "是否公开",
    "reported": "是否上报纠风办",
    "report_batch_id": "上报批次",
    "report_feedback": "纠风办反馈情况",
    "report_feedback_on": "纠风办反馈日期",
    "complainant_name": "投诉人",
    "complainant_phone": "联系电话",
    "feedback": "群众反馈",
    "evidence": "佐证材料",
    "voided_at": "作废时间",
    "void_reason": "作废原因",
}
TASK: dict[str, str] = {"completed_on": "完成日期", "evidence": "佐证材料"}
SURVEY: dict[str, str] = {
    "unit_id": UNIT["name"],
    "respondent_type": "测评对象类型",
    "satisfied": FEEDBACK_NAMES["satisfied"],
    "basically_satisfied": FEEDBACK_NAMES["basically_satisfied"],
    "dissatisfied": FEEDBACK_NAMES["dissatisfied"],
    "unknown": "不了解",
}
REPRESENTATIVE: dict[str, str] = {"name": "姓名", "sector": "界别", "contact": "联系电话"}
USER: dict[str, str] = {
    "username": "用户名",
    "display_name": "姓名",
    "role": "角色",
    "unit_id": "所属单位",
    "active": "状态",
    "password_hash": "密码",
    "initial_password": "初始密码",
    "email": "电子邮箱",  # #15
    "in_charge_of": "分管单位类别",  # #15
}
# #15 催办设置 (the `chase` setting) and the admin's own calendar days.
CHASE: dict[str, str] = {
    "day_count": "期限计算方式",
    "remind_before": "到期前提醒（天）",
    "escalate_after": "催办后转督办（天）",
    "focus_after": "催办后列入重点督查（天）",
    "job_enabled": "服务器每天自动运行催办",
    "email_enabled": "发送电子邮件",
    "smtp_host": "邮件服务器（SMTP）",
    "smtp_port": "端口",
    "smtp_starttls": "使用 STARTTLS 加密",
    "smtp_user": "登录用户名",
    "smtp_sender": "发件人地址",
    "webhook_enabled": "推送到工作群机器人",
    "webhook_url": "群机器人地址（Webhook）",
}
DAY_COUNT_NAMES = {"calendar": "自然日", "working": "工作日（扣除法定节假日，含调休）"}
CALENDAR_DAY: dict[str, str] = {
    "day": "日期",
    "workday": "上班或放假",
    "name": "名称",
    "removed_at": "移除时间",
}
VISIT: dict[str, str] = {
    "campaign": CAMPAIGN["campaign"],
    "campaign_id": CAMPAIGN["campaign_id"],
    "visit": "督导记录",
    "unit_id": "被督导单位",
    "visited_on": "督导日期",
    "supervisors": "督导人员",
    "kind": "督导类型",
    "ratings": "评议内容评定",
    "findings": "发现问题",
    "notes": "备注",
    "next_visit_on": "下次督导日期",
    "follow_ups": "整改跟进事项",
    "follow_up": "新增整改事项",  # in the visit's history: a follow-up it filed
    "topic_ids": "检查选题",
}
# The parts of a follow-up row (each becomes a problem): named as the problem's fields.
FOLLOW_UP: dict[str, str] = {
    name: PROBLEM[name]
    for name in ("description", "criterion_code", "deadline", "owner", "severity")
}
# A visit's follow-up is a 整改事项; an inspection's finding names the unit it belongs to.
VISIT_FOLLOW_UP: dict[str, str] = {**FOLLOW_UP, "description": "整改事项"}
INSPECTION_FINDING: dict[str, str] = {**FOLLOW_UP, "unit_id": "所属单位"}
INSPECTION: dict[str, str] = {
    "campaign": CAMPAIGN["campaign"],
    "campaign_id": CAMPAIGN["campaign_id"],
    "unit_ids": "被检查单位",
    "unit_id": "被检查单位",
    "inspected_on": "检查日期",
    "mode": "方式",
    "representative_ids": "参加的民评代表",
    "findings": "检查情况",
    "follow_ups": "发现的问题（每项生成一条整改问题）",
}
QUESTION: dict[str, str] = {
    "campaign_id": CAMPAIGN["campaign_id"],
    "representative_id": "提问代表",
    "asker": "提问人",
    "unit_id": "涉及单位",
    "question": "问题内容",
    "asked_on": "提问日期",
    "answer_mode": "答复方式",
    "answer": "答复内容",
    "reply_deadline": "反馈时限",
    "replied_on": "反馈日期",
    "criterion_code": "对应评议内容",
}
# The question and answer forms: the form's paths, with what each field asks for.
QUESTION_FORMS: dict[str, str] = {
    **QUESTION,
    "asker": f"{QUESTION['asker']}（非名册代表时填写）",
    "question_id": "待答复的问题",
    "mode": QUESTION["answer_mode"],
    "deadline": f"{QUESTION['reply_deadline']}（会后反馈）",
    "criterion_code": f"{QUESTION['criterion_code']}（会后反馈生成整改问题）",
}
RATING: dict[str, str] = {"criterion_code": PROBLEM["criterion_code"], "rating": "评定"}
ARCHIVE_ITEM: dict[str, str] = {
    "name": "档案材料",
    "category": "类别",
    "in_archive": "已归档",
    "uploaded": "已上传",
    "note": "备注",
}
# What a derived task follows (#18: task_template.derived_from).
DERIVED_FROM_NAMES: dict[str, str] = {"archive": "清单各项均已归档", "upload": "清单各项均已上传"}

# A batch of problems reported to the 纠风办 (#18 item 3).
REPORT_BATCH: dict[str, str] = {
    "campaign_id": CAMPAIGN["campaign_id"],
    "number": "批次",
    "reported_on": "上报日期",
    "note": "备注",
    "reported_by": "上报人",
}

# A public commitment (公开承诺, #18 item 4) and its link to a complaint.
COMMITMENT: dict[str, str] = {
    "unit_id": "承诺单位",
    "campaign_id": "评议年度",
    "content": "承诺内容",
    "published_on": "公开日期",
    "published_where": "公开方式/地点",
    "withdrawn_at": "撤回时间",
}
COMMITMENT_PROBLEM: dict[str, str] = {
    "problem_id": "关联投诉（问题序号）",
    "unlinked_at": "取消关联时间",
}

# 评议选题 (#18 item 1), a problem linked to one, and a visit that checked one.
TOPIC: dict[str, str] = {
    "campaign_id": CAMPAIGN["campaign_id"],
    "unit_id": "选题单位",
    "title": "选题名称",
    "criterion_code": "评议内容",
    "reason": "选题理由",
    "deployment": "安排部署",
    "plan": "评议方案",
    "summary": "工作总结",
    "withdrawn_at": "撤销时间",
    "problem_ids": "关联问题",
}
TOPIC_PROBLEM: dict[str, str] = {
    "topic_id": "评议选题",
    "problem_id": "关联问题",
    "unlinked_at": "取消关联时间",
}
VISIT_TOPIC: dict[str, str] = {
    "visit_id": "督导记录",
    "topic_id": "检查选题",
    "unlinked_at": "取消时间",
}

# #18 情况通报 (briefings)
BRIEFING: dict[str, str] = {
    "campaign_id": CAMPAIGN["campaign_id"],
    "number": "期数",
    "title": "标题",
    "as_of": "截至日期",
    "issued_on": "印发日期",
    "body": "通报说明",
    "content": "通报内容（数字）",
    "snapshot_id": "发布快照",
    "issued_by": "印发人",
    "recipients": "送达的民评代表",
}
BRIEFING_RECIPIENT: dict[str, str] = {"briefing_id": "情况通报", "representative_id": "民评代表"}

# #18 附件 (attachments)
ATTACHMENT: dict[str, str] = {
    "campaign_id": CAMPAIGN["campaign_id"],
    "unit_id": "单位",
    "owner": "附加到",
    "owner_id": "记录编号",
    "stage": "照片阶段",
    "filename": "文件名",
    "media_type": "文件类型",
    "size": "大小（字节）",
    "sha256": "内容校验值（SHA-256）",
    "blob_id": "存储编号",
    "covert": "暗访附件",
    "uploaded_at": "上传时间",
    "uploaded_by": "上传人",
    "removed_at": "移除时间",
}
ATTACHMENT_OWNER_NAMES = {
    "task": "阶段任务",
    "problem": "问题整改",
    "visit": "督导检查",
    "inspection": "明查暗访",
    "topic": "评议选题",
    "archive_item": "档案材料",
}
ATTACHMENT_STAGE_NAMES = {"before": "整改前", "after": "整改后"}

# #15 通知书模板 (the admin's notice templates, data/notices.py)
NOTICE_TEMPLATE: dict[str, str] = {
    "kind": "通知书种类",
    "filename": "文件名",
    "sha256": "内容校验值（SHA-256）",
    "uploaded_at": "上传时间",
    "uploaded_by": "上传人",
    "removed_at": "停用时间",
}
NOTICE_KIND_NAMES = {"chase": "催办通知书", "escalate": "督办通知书"}

FIELDS: dict[str, dict[str, str]] = {
    "campaign": CAMPAIGN,
    "phase": PHASE,
    "task_template": TEMPLATE,
    "setting": EVALUATION,
    "unit": UNIT,
    "unit_caseload": {"cases": UNIT["cases"], "unit_id": "单位", "campaign_id": "评议年度"},
    "problem": PROBLEM,
    "unit_task": TASK,
    "commitment": COMMITMENT,
    "commitment_problem": COMMITMENT_PROBLEM,
    "satisfaction_survey": SURVEY,
    "representative": REPRESENTATIVE,
    "app_user": USER,
    "topic": TOPIC,
    "topic_problem": TOPIC_PROBLEM,
    "visit_topic": VISIT_TOPIC,
    "supervision_visit": VISIT,
    "supervision_rating": RATING,
    "inspection": INSPECTION,
    "meeting_question": QUESTION,
    "archive_item": ARCHIVE_ITEM,
    "briefing": BRIEFING,
    "briefing_recipient": BRIEFING_RECIPIENT,
    "report_batch": REPORT_BATCH,
    "attachment": ATTACHMENT,
    "notice_template": NOTICE_TEMPLATE,
    "calendar_day": CALENDAR_DAY,  # #15
}

# Coded values by record and field (a list value names each of its items).
VALUES: dict[str, dict[str, Mapping[Any, str]]] = {
    "phase": {"code": PHASE_NAMES},
    "task_template": {
        "phase_code": PHASE_NAMES,
        "kinds": KIND_NAMES,
        "derived_from": DERIVED_FROM_NAMES,
    },
    "unit": {"kind": KIND_NAMES},
    "problem": {
        "channel": CHANNEL_NAMES,
        "criterion_code": CRITERION_NAMES,
        "severity": SEVERITY_NAMES,
        "status": STATUS_NAMES,
        "feedback": FEEDBACK_NAMES,
    },
    "app_user": {"role": ROLE_NAMES, "in_charge_of": KIND_NAMES},
    "calendar_day": {"workday": {True: "上班", False: "放假"}},  # #15
    "topic": {"criterion_code": CRITERION_NAMES},
    "supervision_visit": {"kind": VISIT_KIND_NAMES, "ratings": RATING_NAMES},
    "supervision_rating": {"criterion_code": CRITERION_NAMES, "rating": RATING_NAMES},
    "inspection": {"mode": INSPECTION_MODE_NAMES},
    "meeting_question": {"answer_mode": ANSWER_MODE_NAMES, "criterion_code": CRITERION_NAMES},
    "archive_item": {"category": ARCHIVE_CATEGORY_NAMES},
    "attachment": {"owner": ATTACHMENT_OWNER_NAMES, "stage": ATTACHMENT_STAGE_NAMES},
    "notice_template": {"kind": NOTICE_KIND_NAMES},
}

# The parts of a field that holds one value per key (a visit's `ratings.<criterion>`): what
# each key is called, by record and field.
PARTS: dict[str, dict[str, Mapping[str, str]]] = {
    "supervision_visit": {"ratings": CRITERION_NAMES},
}
# Fields the history lists as something added, with no value before (a visit's new follow-up).
ADDED: dict[str, frozenset[str]] = {"supervision_visit": frozenset({"follow_up"})}
PART_SEPARATOR = "·"

# Names of the records an id field points to, by field (e.g. unit_id → {3: "城关镇司法所"}),
# looked up by the caller: this module never reads the database.
Lookups = Mapping[str, Mapping[Any, str]]


def field_name(entity: str, field: str) -> str:
    """A field's Chinese name on a record (the field itself when it has none); one part of a
    field, `ratings.disclosure`, is named with its part: 评议内容评定·信息公开."""
    names = FIELDS.get(entity, {})
    if field in names or "." not in field:
        return names.get(field, field)
    head, _, part = field.partition(".")
    part_names = PARTS.get(entity, {}).get(head, {})
    return f"{names.get(head, head)}{PART_SEPARATOR}{part_names.get(part, part)}"


def pick(table: Mapping[str, str], *names: str) -> dict[str, str]:
    """Some fields of a table, in the order given (a header row, a form's labels)."""
    return {name: table[name] for name in names}


def value_name(entity: str, field: str, value: Any, lookups: Lookups | None = None) -> str:
    """A stored value as a person reads it: a code's name, a record's name for its id, 是/否,
    a date as 2024-06-03, and `空` for nothing."""
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(value_name(entity, field, v, lookups) for v in value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    head = field.partition(".")[0]  # a part of a field has the field's values
    names = (lookups or {}).get(field) or VALUES.get(entity, {}).get(head)
    if names is not None:
        return names.get(value, str(value))
    return str(value)


def describe_change(
    entity: str,
    field: str,
    before: Any,
    after: Any,
    *,
    created: bool = False,
    lookups: Lookups | None = None,
) -> str:
    """One change as the history says it: `督导类型：空 → 重点督查`, or for a new record only
    the value, `督导类型：常规督导`."""
    label = field_name(entity, field)
    now = value_name(entity, field, after, lookups)
    if created or field in ADDED.get(entity, ()):
        return f"{label}：{now}"
    return f"{label}：{value_name(entity, field, before, lookups)}{ARROW}{now}"


def is_shown(entity: str, field: str) -> bool:
    """Whether the history lists a field: those with a name (ids and versions have none), and
    the parts of a field with parts (`ratings.<criterion>`)."""
    head = field.partition(".")[0]
    return field in FIELDS.get(entity, {}) or (head != field and head in PARTS.get(entity, {}))


def describe_changes(
    entity: str,
    action: str,
    changes: Iterable[tuple[str, Any, Any]],
    lookups: Lookups | None = None,
) -> list[str]:
    """Every named field of one history entry (field, before, after); a new record lists only
    the fields it was given."""
    created = action == "create"
    return [
        describe_change(entity, field, before, after, created=created, lookups=lookups)
        for field, before, after in changes
        if is_shown(entity, field) and not (created and after in (None, "", False, []))
    ]


# ---- a problem's status at an as-of date ------------------------------------------------------

OPEN_AT_DATE = "截至该日未整改"
RECTIFIED_LATER = "（{date}整改完成）"


def status_at(status: str, completed_on: dt.date | None, as_of: dt.date) -> str:
    """A problem's status as it stood at `as_of` (#14 item 3): a problem marked 已整改/已销号
    whose completion came after that date was still open then, and is named so with the date
    it was completed; every other status reads as it is."""
    if status in RECTIFIED_STATUSES and (completed_on is None or completed_on > as_of):
        later = RECTIFIED_LATER.format(date=completed_on.isoformat()) if completed_on else ""
        return OPEN_AT_DATE + later
    return STATUS_NAMES.get(status, status)


def completed_at(completed_on: dt.date | None, as_of: dt.date) -> dt.date | None:
    """The completion date as known at `as_of`: none when it came later."""
    return completed_on if completed_on is not None and completed_on <= as_of else None
