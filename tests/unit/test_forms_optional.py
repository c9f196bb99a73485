"""Blank input in data/forms.py: an optional field left empty is as if not sent; a required one
is 必填 (or 请选择 for a choice), named by its field."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel

from data import forms, inspections, meetings
from data.forms import (
    FollowUpForm,
    FormError,
    RectificationForm,
    TaskForm,
    VisitForm,
    validate,
)

# Text that shows nothing: spaces, and (issue 16) zero-width characters, a BOM, a control
# character pasted from Word.
BLANKS = ("", "  ", "\u3000", " \u3000\t", "\u200b", "\u200b\ufeff\u3000", "\u2060\x0b", "\x00")

# The smallest valid input of each form: its required fields only.
MINIMAL: dict[type[BaseModel], dict[str, Any]] = {
    FollowUpForm: {
        "description": "窗口人员态度生硬",
        "criterion_code": "lawful",
        "deadline": "2024-09-01",
    },
    VisitForm: {"unit_id": 1, "visited_on": "2024-06-03", "supervisors": "张三"},
    RectificationForm: {"status": "in_progress"},
    TaskForm: {},
    inspections.FindingForm: {
        "description": "窗口人员态度生硬",
        "criterion_code": "lawful",
        "deadline": "2024-09-01",
    },
    inspections.InspectionForm: {"inspected_on": "2024-06-03", "mode": "covert"},
    meetings.QuestionForm: {"question": "窗口排队太久怎么办？"},
    meetings.AnswerForm: {"mode": "follow_up"},
}
FORMS = tuple(MINIMAL)


def optional_fields() -> list[tuple[type[BaseModel], str]]:
    """Every (form, field) whose field may be left out."""
    return [
        (form, name)
        for form in FORMS
        for name, f in form.model_fields.items()
        if not f.is_required()
    ]


def required_fields() -> list[tuple[type[BaseModel], str]]:
    """Every (form, field) that must be given."""
    return [
        (form, name) for form in FORMS for name, f in form.model_fields.items() if f.is_required()
    ]


def _id(case: tuple[type[BaseModel], str]) -> str:
    return f"{case[0].__name__}.{case[1]}"


def test_every_form_of_the_module_is_covered_and_its_minimal_input_valid() -> None:
    models = {
        v
        for module in (forms, inspections, meetings)
        for v in vars(module).values()
        if isinstance(v, type)
        and issubclass(v, forms.Form)
        and v is not forms.Form
        and v.__module__ == module.__name__
    }
    assert models == set(MINIMAL)
    for form, raw in MINIMAL.items():
        validate(form, raw)


@pytest.mark.parametrize("blank", BLANKS, ids=repr)
@pytest.mark.parametrize("case", optional_fields(), ids=_id)
def test_blank_optional_field_is_as_if_not_given(
    case: tuple[type[BaseModel], str], blank: str
) -> None:
    form, name = case
    model = validate(form, {**MINIMAL[form], name: blank})
    expected = form.model_fields[name].get_default(call_default_factory=True)
    assert getattr(model, name) == expected
    if form.model_fields[name].default is None:
        assert getattr(model, name) is None


@pytest.mark.parametrize("blank", BLANKS, ids=repr)
def test_blank_follow_up_owner_inside_a_visit(blank: str) -> None:
    follow_up = {**MINIMAL[FollowUpForm], "owner": blank}
    visit = validate(VisitForm, {**MINIMAL[VisitForm], "follow_ups": [follow_up]})
    assert visit.follow_ups[0].owner is None


def test_every_optional_field_blank_at_once() -> None:
    for form in FORMS:
        raw = {**MINIMAL[form], **{name: "" for f, name in optional_fields() if f is form}}
        validate(form, raw)


@pytest.mark.parametrize("blank", BLANKS, ids=repr)
@pytest.mark.parametrize("case", required_fields(), ids=_id)
def test_blank_required_field_is_named_as_required(
    case: tuple[type[BaseModel], str], blank: str
) -> None:
    form, name = case
    with pytest.raises(FormError) as caught:
        validate(form, {**MINIMAL[form], name: blank})
    assert set(caught.value.errors) == {name}
    assert caught.value.errors[name] in ("必填", "请选择")
    assert f"{name}：" in str(caught.value)


def test_blank_required_field_of_a_follow_up_names_its_path() -> None:
    follow_up = {**MINIMAL[FollowUpForm], "description": "\u3000"}
    with pytest.raises(FormError) as caught:
        validate(VisitForm, {**MINIMAL[VisitForm], "follow_ups": [follow_up]})
    assert caught.value.errors == {"follow_ups.0.description": "必填"}


def test_text_is_still_trimmed() -> None:
    raw = {"status": "done", "owner": "\u3000李四 ", "measures": " 已整改"}
    model = validate(RectificationForm, raw)
    assert (model.owner, model.measures) == ("李四", "已整改")
