"""Form machinery every form shares: a form's ids, its fields from a schema, its messages.

A form is a list of `Field`s; `FormIds(prefix)` names its components with pattern-matching ids
(`{"type": "<prefix>-field", "field": name}`), so one save callback reads every field with
`State(ids.fields(), "value")` and answers every field's message with `Output(ids.feedbacks(),
"children")` (see callbacks/forms.py). A new form costs its schema, not a copy of this code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import dash_bootstrap_components as dbc
from dash import ALL, dcc, html

FieldKind = Literal[
    "text", "number", "date", "password", "textarea", "select", "multiselect", "checkbox"
]


@dataclass(frozen=True)
class Field:
    """One field of a form: its name in the data layer, its Chinese label and its input."""

    name: str
    label: str
    kind: FieldKind = "text"
    options: Sequence[tuple[Any, str]] = ()
    required: bool = False
    help: str | None = None
    width: int = 6
    placeholder: str | None = None
    step: float | str | None = None


class FormIds:
    """The ids of one form's parts, made from its prefix (an id factory, not inline dicts)."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.message = f"{prefix}-message"
        self.save = f"{prefix}-save"
        self.meta = f"{prefix}-meta"

    def field(self, name: str) -> dict[str, str]:
        """The input of one field."""
        return {"type": f"{self.prefix}-field", "field": name}

    def feedback(self, name: str) -> dict[str, str]:
        """The message slot under one field."""
        return {"type": f"{self.prefix}-feedback", "field": name}

    def fields(self) -> dict[str, Any]:
        """Every input of the form (for State(..., "value") and State(..., "id"))."""
        return {"type": f"{self.prefix}-field", "field": ALL}

    def feedbacks(self) -> dict[str, Any]:
        """Every message slot of the form (for Output(..., "children"))."""
        return {"type": f"{self.prefix}-feedback", "field": ALL}

    def button(self, action: str) -> str:
        """A further button of the form (e.g. `retire`)."""
        return f"{self.prefix}-{action}"


def _input(ids: FormIds, spec: Field, value: Any) -> Any:
    """The input component of a field, holding `value`."""
    component_id = ids.field(spec.name)
    common = {"id": component_id, "value": value}
    if spec.kind == "textarea":
        return dbc.Textarea(**common, rows=3, placeholder=spec.placeholder)
    if spec.kind in ("select", "multiselect"):
        return dcc.Dropdown(
            **common,
            options=[{"label": label, "value": code} for code, label in spec.options],
            multi=spec.kind == "multiselect",
            clearable=not spec.required,
            placeholder=spec.placeholder or "请选择",
            className="form-dropdown",
        )
    if spec.kind == "checkbox":
        return dbc.Checkbox(id=component_id, value=bool(value), label=spec.label)
    kind = {"date": "date", "number": "number", "password": "password"}.get(spec.kind, "text")
    extra: dict[str, Any] = {}
    if spec.step is not None:
        extra["step"] = spec.step
    if spec.kind == "password":
        extra["autoComplete"] = "new-password"
    return dbc.Input(**common, type=kind, placeholder=spec.placeholder, **extra)


def field_group(ids: FormIds, spec: Field, value: Any = None) -> dbc.Col:
    """A field's label, input, help text and message slot."""
    label = (
        []
        if spec.kind == "checkbox"
        else [
            dbc.Label(
                [spec.label, html.Span(" *", className="text-danger") if spec.required else None],
                className="small fw-semibold mb-1",
            )
        ]
    )
    return dbc.Col(
        [
            *label,
            _input(ids, spec, value),
            html.Div(spec.help, className="form-text") if spec.help else None,
            html.Div(id=ids.feedback(spec.name), className="field-error"),
        ],
        xs=12,
        md=spec.width,
        className="mb-2",
    )


def form_fields(
    ids: FormIds, fields: Sequence[Field], values: Mapping[str, Any] | None = None
) -> dbc.Row:
    """The fields of a form in a responsive grid (one column on a phone)."""
    values = values or {}
    return dbc.Row(
        [field_group(ids, spec, values.get(spec.name)) for spec in fields], className="g-2"
    )


def form_card(
    ids: FormIds,
    title: str,
    fields: Sequence[Field],
    values: Mapping[str, Any] | None = None,
    *,
    submit: str = "保存",
    meta: Any = None,
    notice: str | None = None,
    intro: Any = None,
    extra: Sequence[Any] = (),
    card_id: str | None = None,
) -> dbc.Card:
    """A whole form: title, fields, the message area (a saved notice) and the submit button."""
    message = dbc.Alert(notice, color="success", className="py-2") if notice else None
    return dbc.Card(
        [
            dbc.CardHeader(html.Strong(title)),
            dbc.CardBody(
                [
                    intro,
                    form_fields(ids, fields, values),
                    *extra,
                    dcc.Store(id=ids.meta, data=meta),
                    html.Div(message, id=ids.message, className="mt-2"),
                    dbc.Button(submit, id=ids.save, color="primary", className="mt-1"),
                ]
            ),
        ],
        className="mb-3 admin-form",
        id=card_id or f"{ids.prefix}-card",
    )


def labels_of(fields: Sequence[Field]) -> dict[str, str]:
    """Field name → Chinese label, for messages that name a field."""
    return {spec.name: spec.label for spec in fields}
