"""What import files hold: the columns (with the header variants people write), how a cell becomes
a value, and one pydantic model per kind of row, with Chinese error messages. Reading a file into
a table is data.import_files."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, TypeAdapter, ValidationError

from data.forms import FORMAT_ONLY, clean_text, scrub
from data.labels import CRITERION_NAMES, PROBLEM, REPRESENTATIVE, SURVEY, UNIT
from data.reference import (
    CHANNEL_NAMES,
    FEEDBACK_NAMES,
    KIND_NAMES,
    SEVERITY_NAMES,
    STATUS_NAMES,
)

# A leading character that makes Excel read a cell as a formula (exports prefix it with ').
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXCEL_EPOCH = dt.date(1899, 12, 30)
EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2099, 12, 31)
DATE_HINT = "可写作 2024-06-03、2024/6/3、2024.6.3 或 2024年6月3日"
DATE_TEXT = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?"
    r"(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
PHONE = re.compile(r"^[0-9*+\-()（） 转]{3,40}$")
YES = ("是", "Y", "y", "YES", "yes", "1", "TRUE", "true", "√")
NO = ("否", "N", "n", "NO", "no", "0", "FALSE", "false", "×")

MAX_DESCRIPTION = 2000
MAX_TEXT = 5000


@dataclass(frozen=True)
class Column:
    """One column of an import file: its field, its header and the variants accepted for it."""

    field: str
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = False

    @property
    def headers(self) -> tuple[str, ...]:
        """Every header text that names this column."""
        return (self.header, *self.aliases)


# Each column's header is its field's name (data/labels.py); INTERFACES.md promises them.
UNIT_COLUMNS: tuple[Column, ...] = (
    Column("name", UNIT["name"], ("单位", "单位全称", "名称", "评议对象", "被评议单位"), True),
    Column("kind", UNIT["kind"], ("类型", "机构类型", "单位类别"), True),
    Column("township", UNIT["township"], ("乡镇", "所在乡镇", "乡镇街道", "所属乡镇街道")),
)

P = PROBLEM
LEDGER_COLUMNS: tuple[Column, ...] = (
    Column("key", P["ledger_key"], ("问题编号", "台账编号")),
    Column("unit", P["unit_id"], ("单位", "单位名称", "被评议单位", "整改单位"), True),
    Column("channel", P["channel"], ("来源", "问题渠道", "发现渠道"), True),
    Column("criterion", P["criterion_code"], ("评议项目", "评议事项", "问题类别"), True),
    Column("found_on", P["found_on"], ("发现时间", "登记日期"), True),
    Column("description", P["description"], ("问题", "问题内容", "存在问题", "具体问题"), True),
    Column("severity", P["severity"], ("问题性质", "严重性")),
    Column("measures", P["measures"], ("整改举措",)),
    Column("owner", P["owner"], ("整改责任人",)),
    Column("deadline", P["deadline"], ("整改期限", "完成时限", "整改截止日期"), True),
    Column("status", P["status"], ("状态", "整改进度"), True),
    Column("completed_on", P["completed_on"], ("整改完成日期", "完成时间", "办结日期")),
    Column("published", P["published"], ("公开", "是否公开整改")),
    Column("reported", P["reported"], ("上报纠风办", "是否上报")),
    Column("complainant_name", P["complainant_name"], ("投诉人姓名", "反映人")),
    Column("complainant_phone", P["complainant_phone"], ("投诉人电话", "电话", "联系方式")),
    Column("feedback", P["feedback"], ("回访情况", "群众评价", "反馈意见")),
)

SURVEY_COLUMNS: tuple[Column, ...] = (
    Column("unit", SURVEY["unit_id"], ("单位", "责任单位", "被评议单位"), True),
    Column(
        "respondent_type", SURVEY["respondent_type"], ("测评对象", "对象类型", "参评对象"), True
    ),
    Column("satisfied", SURVEY["satisfied"], ("满意票", "满意数"), True),
    Column(
        "basically_satisfied", SURVEY["basically_satisfied"], ("基本满意票", "基本满意数"), True
    ),
    Column("dissatisfied", SURVEY["dissatisfied"], ("不满意票", "不满意数"), True),
    Column("unknown", SURVEY["unknown"], ("不了解票", "不了解数")),
)

REPRESENTATIVE_COLUMNS: tuple[Column, ...] = (
    Column("name", REPRESENTATIVE["name"], ("代表姓名",), True),
    Column("sector", REPRESENTATIVE["sector"], ("代表界别", "所属界别", "类别"), True),
    Column("contact", REPRESENTATIVE["contact"], ("电话", "手机", "联系方式"), False),
)


def normalise_header(value: Any) -> str:
    """A header cell as compared: no spaces, no * marks, no trailing note in brackets."""
    text = "" if value is None else scrub(str(value))
    text = re.sub(f"[\\s{FORMAT_ONLY}*＊]", "", text)
    return re.sub(r"[（(][^（()）]*[)）]$", "", text)


def clean_cell(value: Any) -> Any:
    """A cell's value cleaned by the forms' rule (data.forms.clean_text: what XML cannot hold
    dropped, trimmed, text that shows nothing is None).

    A leading ' that only protects a formula character (what our exports write) is removed, so
    an exported ledger imports back unchanged.
    """
    if isinstance(value, str):
        value = clean_text(value)
        if value is not None and len(value) > 1 and value[0] == "'" and value[1] in FORMULA_STARTS:
            value = value[1:]
        return value
    return value


def as_text(value: Any) -> str:
    """A cell as text: whole numbers without a trailing .0 (ids and phones typed as numbers)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    return str(value)


def parse_date(value: Any) -> dt.date | None:
    """A date from a date cell, an Excel serial number or text in any of the accepted forms."""
    value = clean_cell(value)
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, bool):
        raise ValueError(f"无法识别的日期：{value}（{DATE_HINT}）")
    elif isinstance(value, int | float):
        day = _serial(value)
    else:
        day = _date_text(str(value))
    if not EARLIEST <= day <= LATEST:
        raise ValueError(f"日期超出合理范围：{day.isoformat()}（应在 2000 年至 2099 年之间）")
    return day


def _serial(number: float) -> dt.date:
    """An Excel serial day number (days since 1899-12-30)."""
    if not 1 <= number < 2958466:
        raise ValueError(f"无法识别的日期：{as_text(number)}（{DATE_HINT}）")
    return EXCEL_EPOCH + dt.timedelta(days=int(number))


@functools.lru_cache(maxsize=4096)
def _date_text(text: str) -> dt.date:
    """A date written as text (2024-06-03, 2024/6/3, 2024.6.3, 2024年6月3日, 20240603)."""
    match = DATE_TEXT.match(text) or COMPACT_DATE.match(text)
    if match is None:
        if text.isdigit() and len(text) <= 6:
            return _serial(int(text))
        raise ValueError(f"无法识别的日期：{text}（{DATE_HINT}）")
    year, month, day = (int(part) for part in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"日期不存在：{text}") from None


def _choice(names: dict[str, str], label: str, extra: dict[str, str] | None = None) -> Any:
    """A validator mapping a Chinese name (or the code itself) to its code."""
    lookup = {name: code for code, name in names.items()}
    lookup.update({str(code): str(code) for code in names})
    lookup.update(extra or {})
    allowed = "、".join(names.values())

    def check(value: Any) -> Any:
        value = clean_cell(value)
        if value is None:
            return None
        code = lookup.get(as_text(value))
        if code is None:
            raise ValueError(f"无效的{label}：{as_text(value)}（应为 {allowed} 之一）")
        return code

    return check


def _required(check: Any) -> Any:
    """A validator refusing a blank cell, then applying `check`."""

    def required(value: Any) -> Any:
        value = check(value)
        if value is None:
            raise ValueError("不能为空")
        return value

    return required


def _text(limit: int) -> Any:
    """A validator for free text of at most `limit` characters."""

    def check(value: Any) -> Any:
        value = clean_cell(value)
        if value is None:
            return None
        text = as_text(value)
        if len(text) > limit:
            raise ValueError(f"内容过长：{len(text)} 字，最多 {limit} 字")
        return text

    return check


def _phone(value: Any) -> Any:
    """A phone number: digits and the usual separators (a masked one keeps its *)."""
    value = _text(40)(value)
    if value is not None and not PHONE.match(value):
        raise ValueError(f"联系电话格式不正确：{value}（只能包含数字、-、+、括号和空格）")
    return value


def _yes_no(value: Any) -> Any:
    """是 / 否 (and the usual spellings of yes and no) as True / False."""
    value = clean_cell(value)
    if value is None or isinstance(value, bool):
        return value
    text = as_text(value)
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValueError(f"应填“是”或“否”：{text}")


def _count(value: Any) -> Any:
    """A count of answers: a whole number, not negative."""
    value = clean_cell(value)
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"应为不小于 0 的整数：{value}")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if not isinstance(value, int) or value < 0:
        raise ValueError(f"应为不小于 0 的整数：{as_text(value)}")
    return value


STATUS_EXTRA = {"经核查不属实": "unfounded", "已完成": "done", "未整改": "pending"}

Key = Annotated[str | None, BeforeValidator(_text(64))]
UnitName = Annotated[str, BeforeValidator(_required(_text(200)))]
ChannelCode = Annotated[str, BeforeValidator(_required(_choice(CHANNEL_NAMES, P["channel"])))]
CriterionCode = Annotated[
    str, BeforeValidator(_required(_choice(CRITERION_NAMES, P["criterion_code"])))
]
StatusCode = Annotated[
    str, BeforeValidator(_required(_choice(STATUS_NAMES, P["status"], STATUS_EXTRA)))
]
SeverityCode = Annotated[str | None, BeforeValidator(_choice(SEVERITY_NAMES, P["severity"]))]
FeedbackCode = Annotated[str | None, BeforeValidator(_choice(FEEDBACK_NAMES, P["feedback"]))]
KindCode = Annotated[str, BeforeValidator(_required(_choice(KIND_NAMES, UNIT["kind"])))]
RequiredDate = Annotated[dt.date, BeforeValidator(_required(parse_date))]
OptionalDate = Annotated[dt.date | None, BeforeValidator(parse_date)]
Description = Annotated[str, BeforeValidator(_required(_text(MAX_DESCRIPTION)))]
LongText = Annotated[str | None, BeforeValidator(_text(MAX_TEXT))]
PersonName = Annotated[str | None, BeforeValidator(_text(50))]
RequiredName = Annotated[str, BeforeValidator(_required(_text(50)))]
ShortText = Annotated[str | None, BeforeValidator(_text(100))]
Phone = Annotated[str | None, BeforeValidator(_phone)]
YesNo = Annotated[bool | None, BeforeValidator(_yes_no)]
Count = Annotated[int, BeforeValidator(_required(_count))]
OptionalCount = Annotated[int | None, BeforeValidator(_count)]


class Row(BaseModel):
    """A validated row; fields not in the file keep their defaults."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class UnitRow(Row):
    """A row of the roster (评议对象名册)."""

    name: UnitName
    kind: KindCode
    township: ShortText = None


class LedgerRow(Row):
    """A row of the problem ledger (问题整改台账)."""

    key: Key = None
    unit: UnitName
    channel: ChannelCode
    criterion: CriterionCode
    found_on: RequiredDate
    description: Description
    severity: SeverityCode = None
    measures: LongText = None
    owner: ShortText = None
    deadline: RequiredDate
    status: StatusCode
    completed_on: OptionalDate = None
    published: YesNo = None
    reported: YesNo = None
    complainant_name: PersonName = None
    complainant_phone: Phone = None
    feedback: FeedbackCode = None


class SurveyRow(Row):
    """A row of satisfaction survey results (满意度测评) for one unit and respondent type."""

    unit: UnitName
    respondent_type: Annotated[str, BeforeValidator(_required(_text(30)))]
    satisfied: Count
    basically_satisfied: Count
    dissatisfied: Count
    unknown: OptionalCount = None


class RepresentativeRow(Row):
    """A row of the citizen representatives' roster (民评代表)."""

    name: RequiredName
    sector: RequiredName
    contact: Phone = None


@cache
def _field_adapters(model: type[Row]) -> dict[str, TypeAdapter[Any]]:
    """A validator per field of a row model (to keep the good cells of a row with errors)."""
    return {
        name: TypeAdapter(Annotated[info.annotation, *info.metadata])  # type: ignore[name-defined]
        for name, info in model.model_fields.items()
    }


def validate_row(
    model: type[Row], raw: dict[str, Any]
) -> tuple[Row | None, dict[str, Any], dict[str, str]]:
    """Validate a row: (the model or None, the values of its valid cells, field → message).

    The valid cells of a row with errors are kept so that checks between cells (dates in
    order …) still run and every error of the file is reported at once."""
    try:
        row = model.model_validate(raw)
        return row, row.model_dump(), {}
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for error in exc.errors():
            field = str(error["loc"][0]) if error["loc"] else ""
            if error["type"] == "value_error":
                message = str(error["ctx"]["error"])
            elif error["type"] == "missing":
                message = "不能为空"
            else:
                message = "取值无效"
            errors.setdefault(field, message)
    values: dict[str, Any] = {}
    for name, adapter in _field_adapters(model).items():
        if name in errors:
            continue
        if name not in raw:
            values[name] = model.model_fields[name].default
            continue
        try:
            values[name] = adapter.validate_python(raw[name])
        except ValidationError:
            continue
    return None, values, errors


def ledger_cross_checks(values: dict[str, Any]) -> dict[str, str]:
    """Checks between a ledger row's own cells: dates in order, a completion date when done.

    `values` may lack the cells that were invalid; checks needing them are left out."""
    errors: dict[str, str] = {}
    found_on, deadline = values.get("found_on"), values.get("deadline")
    completed_on, status = values.get("completed_on"), values.get("status")
    if found_on is not None and deadline is not None and deadline < found_on:
        errors["deadline"] = f"整改时限 {deadline.isoformat()} 早于发现日期 {found_on.isoformat()}"
    if found_on is not None and completed_on is not None and completed_on < found_on:
        errors["completed_on"] = (
            f"完成日期 {completed_on.isoformat()} 早于发现日期 {found_on.isoformat()}"
        )
    if status in ("done", "verified") and completed_on is None and "completed_on" in values:
        errors["completed_on"] = f"整改状态为“{STATUS_NAMES[status]}”时必须填写完成日期"
    return errors
