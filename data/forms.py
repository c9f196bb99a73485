"""Validation of what users type: pydantic models whose errors are Chinese and name the field."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
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
DATE_FORMS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
)
SPACES = " \t\r\n\u3000"


class FormError(ValueError):
    """Field path → Chinese message, for every field that is wrong."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("；".join(f"{k}：{v}" for k, v in errors.items()))
        self.errors = errors


def clean_text(value: Any) -> Any:
    """Trim ASCII and full-width spaces; an empty string becomes None."""
    if isinstance(value, str):
        value = value.strip(SPACES)
        return value or None
    return value


def parse_date(value: Any) -> dt.date | None:
    """A date from a date, or text in 2024-06-03 / 2024/6/3 / 2024.6.3 / 2024年6月3日 form."""
    value = clean_text(value)
    if value is None or isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    text = str(value)
    for form in DATE_FORMS:
        match = form.match(text)
        if match:
            year, month, day = (int(part) for part in match.groups())
            try:
                return dt.date(year, month, day)
            except ValueError:
                raise ValueError(f"日期不存在：{text}") from None
    raise ValueError(f"日期格式无法识别：{text}（应为 2024-06-03 或 2024年6月3日）")


def _criterion(value: Any) -> Any:
    value = clean_text(value)
    if value is not None and value not in CRITERIA:
        raise ValueError(f"评议内容无效：{value}")
    return value


Text = Annotated[str, BeforeValidator(clean_text), Field(max_length=MAX_TEXT)]
Name = Annotated[str, BeforeValidator(clean_text), Field(max_length=100)]
Description = Annotated[str, BeforeValidator(clean_text), Field(max_length=MAX_DESCRIPTION)]
DateValue = Annotated[dt.date, BeforeValidator(parse_date)]
CriterionCode = Annotated[str, BeforeValidator(_criterion)]
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
    """Whether a value is text of nothing but ASCII and full-width spaces."""
    return isinstance(value, str) and not value.strip(SPACES)


class Form(BaseModel):
    """A form's fields; one left blank counts as not filled in."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _blank_is_not_given(cls, raw: Any) -> Any:
        """Drop blank optional fields (their default applies); blank required ones become None.

        Without this an optional field sent as "" reached its type as None and was refused
        with 必填; a required one keeps its type's own message (必填, 请选择).
        """
        if not isinstance(raw, dict):
            return raw
        cleaned = dict(raw)
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

    unit_id: int
    visited_on: DateValue
    supervisors: Name
    kind: Literal["routine", "focus"] = "routine"
    ratings: dict[str, RatingValue] = Field(default_factory=dict)
    findings: Text | None = None
    notes: Text | None = None
    next_visit_on: DateValue | None = None
    follow_ups: list[FollowUpForm] = Field(default_factory=list)


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
