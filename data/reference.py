"""Reference codes of DOMAIN.md with their Chinese names: kinds, criteria, channels, statuses."""

from __future__ import annotations

from enum import StrEnum


class UnitKind(StrEnum):
    JUDICIAL_OFFICE = "judicial_office"
    NOTARY_OFFICE = "notary_office"
    LAW_FIRM = "law_firm"
    LEGAL_SERVICE_CENTER = "legal_service_center"
    LEGAL_AID_CENTER = "legal_aid_center"


class UnitGroup(StrEnum):
    AGENCY = "agency"
    LEGAL_SERVICE = "legal_service"


class PhaseCode(StrEnum):
    MOBILIZE = "mobilize"
    INVESTIGATE = "investigate"
    RECTIFY = "rectify"
    ASSESS = "assess"


class Channel(StrEnum):
    SELF_INSPECTION = "self_inspection"
    QUESTIONNAIRE = "questionnaire"
    VISIT_FORUM = "visit_forum"
    HOTLINE = "hotline"
    INSPECTION = "inspection"
    MEETING = "meeting"
    REFERRAL = "referral"
    SUPERVISION = "supervision"


class Status(StrEnum):
    PENDING = "pending"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    VERIFIED = "verified"
    UNFOUNDED = "unfounded"


class Severity(StrEnum):
    NORMAL = "normal"
    SERIOUS = "serious"


class Feedback(StrEnum):
    SATISFIED = "satisfied"
    BASIC = "basically_satisfied"
    DISSATISFIED = "dissatisfied"
    NOT_VISITED = "not_visited"


class Rating(StrEnum):
    CONFORM = "conform"
    BASIC = "basic"
    NONCONFORM = "nonconform"


class VisitKind(StrEnum):
    ROUTINE = "routine"
    FOCUS = "focus"


class InspectionMode(StrEnum):
    OPEN = "open"
    COVERT = "covert"


class AnswerMode(StrEnum):
    PENDING = "pending"
    ON_THE_SPOT = "on_the_spot"
    FOLLOW_UP = "follow_up"


class Role(StrEnum):
    LEADER = "leader"
    SUPERVISOR = "supervisor"
    UNIT = "unit"
    ADMIN = "admin"


KIND_NAMES: dict[str, str] = {
    UnitKind.JUDICIAL_OFFICE: "司法所",
    UnitKind.NOTARY_OFFICE: "公证处",
    UnitKind.LAW_FIRM: "律师事务所",
    UnitKind.LEGAL_SERVICE_CENTER: "法律服务中心",
    UnitKind.LEGAL_AID_CENTER: "法律援助中心",
}

KIND_GROUP: dict[str, str] = {
    UnitKind.JUDICIAL_OFFICE: UnitGroup.AGENCY,
    UnitKind.NOTARY_OFFICE: UnitGroup.LEGAL_SERVICE,
    UnitKind.LAW_FIRM: UnitGroup.LEGAL_SERVICE,
    UnitKind.LEGAL_SERVICE_CENTER: UnitGroup.LEGAL_SERVICE,
    UnitKind.LEGAL_AID_CENTER: UnitGroup.LEGAL_SERVICE,
}

GROUP_NAMES: dict[str, str] = {
    UnitGroup.AGENCY: "司法行政机关",
    UnitGroup.LEGAL_SERVICE: "法律服务行业",
}

PHASE_NAMES: dict[str, str] = {
    PhaseCode.MOBILIZE: "动员部署",
    PhaseCode.INVESTIGATE: "调查评议",
    PhaseCode.RECTIFY: "落实整改",
    PhaseCode.ASSESS: "工作考评",
}

# (month, day) of each phase's default window (work plan §四).
PHASE_DEFAULT_WINDOWS: dict[str, tuple[tuple[int, int], tuple[int, int]]] = {
    PhaseCode.MOBILIZE: ((4, 1), (5, 31)),
    PhaseCode.INVESTIGATE: ((6, 1), (8, 31)),
    PhaseCode.RECTIFY: ((9, 1), (10, 31)),
    PhaseCode.ASSESS: ((11, 1), (12, 31)),
}

# code -> (Chinese name, group or None for common items, sort order)
CRITERIA: dict[str, tuple[str, str | None, int]] = {
    "disclosure": ("信息公开", None, 1),
    "lawful": ("依法办事", None, 2),
    "integrity": ("廉洁自律", None, 3),
    "institutions": ("制度建设", None, 4),
    "development": ("促进发展", UnitGroup.AGENCY, 5),
    "functions": ("转变职能", UnitGroup.AGENCY, 6),
    "style": ("改进作风", UnitGroup.AGENCY, 7),
    "public_interest": ("维护民利", UnitGroup.AGENCY, 8),
    "honest_service": ("诚信服务", UnitGroup.LEGAL_SERVICE, 9),
    "efficient_service": ("高效服务", UnitGroup.LEGAL_SERVICE, 10),
    "quality_service": ("优质服务", UnitGroup.LEGAL_SERVICE, 11),
}

CHANNEL_NAMES: dict[str, str] = {
    Channel.SELF_INSPECTION: "自查自纠",
    Channel.QUESTIONNAIRE: "问卷调查",
    Channel.VISIT_FORUM: "走访座谈",
    Channel.HOTLINE: "投诉举报",
    Channel.INSPECTION: "明查暗访",
    Channel.MEETING: "面对面评议",
    Channel.REFERRAL: "纠风办交办",
    Channel.SUPERVISION: "督导检查",
}

COMPLAINT_CHANNELS: tuple[str, ...] = (Channel.HOTLINE, Channel.REFERRAL)

STATUS_NAMES: dict[str, str] = {
    Status.PENDING: "待整改",
    Status.IN_PROGRESS: "整改中",
    Status.DONE: "已整改",
    Status.VERIFIED: "已销号",
    Status.UNFOUNDED: "不属实",
}

RECTIFIED_STATUSES: tuple[str, ...] = (Status.DONE, Status.VERIFIED)

SEVERITY_NAMES: dict[str, str] = {Severity.NORMAL: "一般", Severity.SERIOUS: "严重"}

FEEDBACK_NAMES: dict[str, str] = {
    Feedback.SATISFIED: "满意",
    Feedback.BASIC: "基本满意",
    Feedback.DISSATISFIED: "不满意",
    Feedback.NOT_VISITED: "未回访",
}

RATING_NAMES: dict[str, str] = {
    Rating.CONFORM: "符合",
    Rating.BASIC: "基本符合",
    Rating.NONCONFORM: "不符合",
}

VISIT_KIND_NAMES: dict[str, str] = {VisitKind.ROUTINE: "常规督导", VisitKind.FOCUS: "重点督查"}

INSPECTION_MODE_NAMES: dict[str, str] = {InspectionMode.OPEN: "明查", InspectionMode.COVERT: "暗访"}

ANSWER_MODE_NAMES: dict[str, str] = {
    AnswerMode.PENDING: "待答复",
    AnswerMode.ON_THE_SPOT: "当场答复",
    AnswerMode.FOLLOW_UP: "会后反馈",
}

ROLE_NAMES: dict[str, str] = {
    Role.LEADER: "局领导",
    Role.SUPERVISOR: "督导员",
    Role.UNIT: "单位填报员",
    Role.ADMIN: "管理员",
}

RESPONDENT_TYPES: tuple[str, ...] = ("民评代表", "服务对象", "社会各界")

# The default phase checklists (DOMAIN.md "Phase tasks").
DEFAULT_TASKS: dict[str, tuple[str, ...]] = {
    PhaseCode.MOBILIZE: ("实施方案", "评议工作机构", "动员大会", "评议选题"),
    PhaseCode.INVESTIGATE: ("自查自纠", "问卷调查", "走访座谈", "公布投诉电话", "选题评议"),
    PhaseCode.RECTIFY: ("问题汇总梳理", "整改方案", "公开整改", "上报纠风办"),
    PhaseCode.ASSESS: ("接受督导检查", "整理工作档案", "上传纠风网站"),
}


def criteria_for_group(group: str) -> list[str]:
    """The criterion codes that apply to a unit group, in display order."""
    return [
        code
        for code, (_name, crit_group, _order) in sorted(CRITERIA.items(), key=lambda kv: kv[1][2])
        if crit_group is None or crit_group == group
    ]


def criterion_applies(criterion: str, kind: str) -> bool:
    """Whether a criterion may be used for a unit of this kind."""
    if criterion not in CRITERIA:
        return False
    group = CRITERIA[criterion][1]
    return group is None or group == KIND_GROUP[kind]


LEGAL_SERVICE_KINDS: tuple[str, ...] = tuple(
    kind for kind, group in KIND_GROUP.items() if group == UnitGroup.LEGAL_SERVICE
)

# A new campaign's deliverables (work plan §四 and §五.2): (phase, name, unit kinds or None
# for every kind). The legal-service trades also make their service commitments public.
DEFAULT_CHECKLIST: tuple[tuple[str, str, tuple[str, ...] | None], ...] = (
    *((phase, name, None) for phase, names in DEFAULT_TASKS.items() for name in names),
    (PhaseCode.RECTIFY, "公开服务承诺", LEGAL_SERVICE_KINDS),
)

ARCHIVE_CATEGORY_NAMES: dict[str, str] = {
    "document": "文件",
    "material": "资料",
    "photo": "照片",
}

# A new campaign's archive checklist (work plan §四(四)2: 文件、资料、照片 → 工作档案).
DEFAULT_ARCHIVE: tuple[tuple[str, str], ...] = (
    ("实施方案", "document"),
    ("动员大会照片", "photo"),
    ("自查报告", "document"),
    ("整改台账", "material"),
    ("督导检查记录", "material"),
    ("工作总结", "document"),
)
