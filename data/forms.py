"""Validation of what users type: pydantic models whose errors are Chinese and name the field."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from data.reference import CRITERIA

MAX_TEXT = 5000
MAX_DESCRIPTION = 2000
# What a request may carry, whatever it says (dashboard/params.py parses by these too): record
# ids fit the database's integer column (PostgreSQL's is 32-bit), years and dates lie in a sane
# window — 0001-01-01 or 9999-12-31 is a slip of the keyboard, not a date of this work.
MAX_ID = 2**31 - 1
MIN_YEAR, MAX_YEAR = 2000, 2100
EARLIEST, LATEST = dt.date(MIN_YEAR, 1, 1), dt.date(MAX_YEAR, 12, 31)
DATE_FORMS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
)
# What XML 1.0 cannot hold (an .xlsx is XML): C0 controls but tab, LF and CR; U+FFFE and U+FFFF;
# surrogates, which only a lone half of a pair (never valid text) leaves in a str.
UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# Characters that show nothing: zero-width space, non-joiner, joiner, word joiner, BOM.
FORMAT_ONLY = "\u200b\u200c\u200d\u2060\ufeff"
# What a text is trimmed of at both ends: every character str.isspace() counts (full-width
# U+3000 and no-break space included) and the format characters.
WHITESPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
WHITESPACE += "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
EDGES = WHITESPACE + FORMAT_ONLY


class FormError(ValueError):
    """Field path → Chinese message, for every field that is wrong."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("；".join(f"{k}：{v}" for k, v in errors.items()))
        self.errors = errors


def scrub(text: str) -> str:
    """Text without the characters XML cannot hold (a pasted control character, a lone
    surrogate): the one rule for what is stored, imported and exported."""
    return UNSTORABLE.sub("", text)


def clean_text(value: Any) -> Any:
    """Text scrubbed and trimmed of whitespace and format characters at both ends; text that
    shows nothing (spaces, zero-width characters) becomes None. Other values pass unchanged."""
    if isinstance(value, str):
        value = scrub(value).strip(EDGES)
        return value or None
    return value


def in_window(day: dt.date) -> dt.date:
    """`day` when it lies between EARLIEST and LATEST; ValueError saying so otherwise."""
    if not EARLIEST <= day <= LATEST:
        raise ValueError(
            f"日期超出范围：{day.isoformat()}（应在 {EARLIEST.isoformat()} 至 "
            f"{LATEST.isoformat()} 之间）"
        )
    return day


def parse_date(value: Any) -> dt.date | None:
    """A date between EARLIEST and LATEST, from a date or from text in 2024-06-03 / 2024/6/3 /
    2024.6.3 / 2024年6月3日 form."""
    value = clean_text(value)
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return in_window(value.date())
    if isinstance(value, dt.date):
        return in_window(value)
    text = str(value)
    for form in DATE_FORMS:
        match = form.match(text)
        if match:
            year, month, day = (int(part) for part in match.groups())
            try:
                parsed = dt.date(year, month, day)
            except ValueError:
                raise ValueError(f"日期不存在：{text}") from None
            return in_window(parsed)
    raise ValueError(f"日期格式无法识别：{text}（应为 2024-06-03 或 2024年6月3日）")


def _criterion(value: Any) -> Any:
    value = clean_text(value)
    if value is not None and (not isinstance(value, str) or value not in CRITERIA):
        raise ValueError(f"评议内容无效：{value}")
    return value


def _record_id(value: int) -> int:
    """A chosen record's id, refused (as a choice that is not there) beyond what a database
    id can be."""
    if not 1 <= value <= MAX_ID:
        raise ValueError("请选择有效的选项")
    return value


Text = Annotated[str, BeforeValidator(clean_text), Field(max_length=MAX_TEXT)]
Name = Annotated[str, BeforeValidator(clean_text), Field(max_length=100)]
Description = Annotated[str, BeforeValidator(clean_text), Field(max_length=MAX_DESCRIPTION)]
DateValue = Annotated[dt.date, BeforeValidator(parse_date)]
CriterionCode = Annotated[str, BeforeValidator(_criterion)]
RecordId = Annotated[int, AfterValidator(_record_id)]
RatingValue = Literal["conform", "basic", "nonconform"]

CHOOSE = "请选择"  # a choice left empty
MESSAGES = {
    "missing": "必填",
    "string_type": "必填",
    "date_type": "必填",
    "int_type": "请选择",
    "int_parsing": "请选择",
    "literal_error": "请选择有效的选项",
    "string_too_long": "不能超过 {max_length} 个字",
    "too_long": "不能超过 {max_length} 个字",
    "greater_than_equal": "不能小于 {ge}",
    "less_than_equal": "不能大于 {le}",
    "float_parsing": "应为数字",
    "float_type": "必填",
}


def messages(exc: ValidationError) -> dict[str, str]:
    """Pydantic's errors as field path → Chinese message."""
    errors: dict[str, str] = {}
    for error in exc.errors():
        path = ".".join(str(part) for part in error["loc"])
        if error["type"] == "value_error":
            inner = error["ctx"]["error"]
            if isinstance(inner, FormError):  # a whole-form check naming its own fields
                for key, text in inner.errors.items():
                    errors.setdefault(key, text)
                continue
            message = str(inner)
        elif error["type"] == "literal_error" and error.get("input") is None:
            message = CHOOSE
        else:
            template = MESSAGES.get(error["type"], "取值无效")
            message = template.format(**error.get("ctx", {}))
        errors.setdefault(path, message)
    return errors


Model = TypeVar("Model", bound=BaseModel)


def validate(model: type[Model], raw: dict[str, Any]) -> Model:
    """Build `model` from raw form values or raise FormError with every wrong field."""
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise FormError(messages(exc)) from None


def is_blank(value: Any) -> bool:
    """Whether a value is text that shows nothing (see clean_text)."""
    return isinstance(value, str) and clean_text(value) is None


def _scrubbed(value: Any) -> Any:
    """A raw field value with every text in it (or in a list of it) scrubbed."""
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, list):
        return [scrub(item) if isinstance(item, str) else item for item in value]
    return value


class Form(BaseModel):
    """A form's fields: every text scrubbed (see scrub); one left blank counts as not filled in."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _blank_is_not_given(cls, raw: Any) -> Any:
        """Scrub every text; drop blank optional fields (their default applies); blank
        required ones become None.

        Without this an optional field sent as "" reached its type as None and was refused
        with 必填; a required one keeps its type's own message (必填, 请选择). Scrubbing here
        covers fields typed plain `str` too, so no form stores what an export cannot write.
        """
        if not isinstance(raw, dict):
            return raw
        cleaned = {key: _scrubbed(value) for key, value in raw.items()}
        for name, field in cls.model_fields.items():
            if name in cleaned and is_blank(cleaned[name]):
                if field.is_required():
                    cleaned[name] = None
                else:
                    del cleaned[name]
        return cleaned


class FollowUpForm(Form):
    """A follow-up action of a visit: it becomes a problem with channel 督导检查."""

    description: Description
    criterion_code: CriterionCode
    deadline: DateValue
    owner: Name | None = None
    severity: Literal["normal", "serious"] = "normal"


class VisitForm(Form):
    """A 督导检查 visit as the supervisor enters it."""

    unit_id: RecordId
    visited_on: DateValue
    supervisors: Name
    kind: Literal["routine", "focus"] = "routine"
    ratings: dict[str, RatingValue] = Field(default_factory=dict)
    findings: Text | None = None
    notes: Text | None = None
    next_visit_on: DateValue | None = None
    follow_ups: list[FollowUpForm] = Field(default_factory=list)
    topic_ids: list[RecordId] = Field(default_factory=list)  # the 评议选题 it checked (#18)


class RectificationForm(Form):
    """A unit's report on one problem's rectification."""

    status: Literal["pending", "in_progress", "done", "verified", "unfounded"]
    measures: Text | None = None
    owner: Name | None = None
    completed_on: DateValue | None = None
    evidence: Text | None = None
    published: bool = False
    reported: bool = False


class TaskForm(Form):
    """A phase task marked done, with its evidence."""

    completed_on: DateValue | None = None
    evidence: Text | None = None
