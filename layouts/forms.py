"""Form machinery every form shares: its fields from a schema, its messages, its buttons, and
the follow-up rows a form can add one by one.

A form is a list of `Field`s; `FormIds(prefix)` (dashboard/ids.py) names its components with
pattern-matching ids (`{"type": "<prefix>-field", "field": name}`), so one save callback reads
every field with `State(ids.fields(), "value")` and answers every field's message with
`Output(ids.feedbacks(), "children")` (see callbacks/forms.py, whose `register_form` makes that
callback). A new form costs its schema, not a copy of this code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.ids import FollowUpIds, FormIds, ModalIds
from dashboard.text import T

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


# Dash 4's dropdown draws words of its own (a search box, 全选, "N selected", "No options
# found"); every dropdown of the app passes these (tests/unit/test_dropdown_words.py checks).
DROPDOWN_LABELS = {
    "select_all": T["dropdown_select_all"],
    "deselect_all": T["dropdown_deselect_all"],
    "selected_count": T["dropdown_selected_count"],
    "search": T["dropdown_search"],
    "clear_search": T["dropdown_clear_search"],
    "clear_selection": T["dropdown_clear_selection"],
    "no_options_found": T["dropdown_no_options"],
}


def dropdown(**props: Any) -> dcc.Dropdown:
    """A dcc.Dropdown whose own words are Chinese (`labels` given wins; placeholder 请选择)."""
    props.setdefault("labels", DROPDOWN_LABELS)
    props.setdefault("placeholder", T["form_choose"])
    return dcc.Dropdown(**props)


def _input(ids: FormIds, spec: Field, value: Any) -> Any:
    """The input component of a field, holding `value`."""
    component_id = ids.field(spec.name)
    common = {"id": component_id, "value": value}
    if spec.kind == "textarea":
        return dbc.Textarea(**common, rows=3, placeholder=spec.placeholder)
    if spec.kind in ("select", "multiselect"):
        return dropdown(
            **common,
            options=[{"label": label, "value": code} for code, label in spec.options],
            multi=spec.kind == "multiselect",
            clearable=not spec.required,
            placeholder=spec.placeholder or T["form_choose"],
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


def field_message(ids: FormIds, name: str) -> html.Div:
    """Where the message of a refused save appears under a field."""
    return html.Div(id=ids.feedback(name), className="field-error")


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
            field_message(ids, spec.name),
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
    submit: str | None = None,
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
                    dbc.Button(
                        submit or T["form_save"], id=ids.save, color="primary", className="mt-1"
                    ),
                ]
            ),
        ],
        className="mb-3 admin-form",
        id=card_id or f"{ids.prefix}-card",
    )


def labels_of(fields: Sequence[Field]) -> dict[str, str]:
    """Field name → Chinese label, for messages that name a field."""
    return {spec.name: spec.label for spec in fields}


@dataclass(frozen=True)
class Button:
    """A further button of a form (停用, 恢复 …)."""

    id: str
    label: str
    color: str = "outline-secondary"
    disabled: bool = False


def form_buttons(buttons: Sequence[Button]) -> html.Div:
    """A form's further buttons in a row, wrapping on a phone."""
    return html.Div(
        [
            dbc.Button(b.label, id=b.id, color=b.color, disabled=b.disabled, className="me-2 mb-1")
            for b in buttons
        ],
        className="mb-2",
    )


def dialog(
    ids: ModalIds,
    title: str,
    body: Sequence[Any],
    save: str | None = None,
    color: str = "primary",
    **modal: Any,
) -> dbc.Modal:
    """A dialog: its title, the Store of what it was opened on, its body, and for a form (a
    `save` label) the message area and the save button; a refused save keeps it open."""
    message = [html.Div(id=ids.message, className="mt-2")] if save is not None else []
    parts = [
        dbc.ModalHeader(dbc.ModalTitle(title, id=ids.title)),
        dbc.ModalBody([dcc.Store(id=ids.meta, data={}), *body, *message]),
    ]
    if save is not None:
        parts.append(dbc.ModalFooter(dbc.Button(save, id=ids.save, color=color)))
    return dbc.Modal(parts, id=ids.modal, is_open=False, **modal)


# ---- hand-built forms (a plain id per input, one State each; messages from FormIds) ------


def labelled(
    ids: FormIds,
    labels: Mapping[str, str],
    name: str,
    component: Any,
    label_class: str | None = "mt-2",
    *,
    html_for: bool = True,
) -> list[Any]:
    """Field `name` of a hand-built form: its label (from the form's `labels`), its input
    `component`, its message slot."""
    target = component.id if html_for else None
    return [
        dbc.Label(labels[name], html_for=target, className=label_class),
        component,
        field_message(ids, name),
    ]


def side_by_side(*columns: Sequence[Any]) -> dbc.Row:
    """Fields side by side from a small screen up (one above the other on a phone)."""
    return dbc.Row([dbc.Col(list(column), xs=12, sm=6) for column in columns])


def submit_area(message_id: str, save_id: str, label: str) -> list[Any]:
    """The message area of a hand-built form above its full-width save button."""
    return [
        html.Div(id=message_id, className="mt-3"),
        dbc.Button(label, id=save_id, color="primary", className="mt-2 w-100"),
    ]


def follow_up_section(
    label: str, rows_id: str, add_id: str, add_label: str, message: Any = None
) -> list[Any]:
    """Where a form's follow-up rows go (each added by follow_up_row), the message about them
    as a whole, and the button that adds one."""
    return [
        dbc.Label(label, className="mt-3 d-block"),
        html.Div(id=rows_id),
        *([message] if message is not None else []),
        dbc.Button(
            add_label, id=add_id, color="secondary", outline=True, size="sm", className="mb-2"
        ),
    ]


# ---- follow-up rows ---------------------------------------------------------------------


@dataclass(frozen=True)
class RowText:
    """What a form's follow-up rows call their parts: the form's label table (by the data
    layer's names: description, unit_id, criterion_code, deadline, owner) and the severity box."""

    labels: Mapping[str, str]
    serious: str
    # Deadline and owner beside the criterion, named by placeholders (else under small labels).
    compact: bool = False


def _chooser(
    component_id: dict[str, Any], options: Sequence[Any], hint: str, value: Any = None
) -> dcc.Dropdown:
    """A row's dropdown (a choice must be made: not clearable)."""
    return dropdown(
        id=component_id, options=list(options), value=value, placeholder=hint, clearable=False
    )


def follow_up_row(
    ids: FollowUpIds,
    index: int,
    text: RowText,
    criteria: Sequence[dict[str, Any]],
    units: Sequence[dict[str, Any]] = (),
) -> dbc.Card:
    """One follow-up row: description, (unit,) criterion, deadline, owner, severity, the button
    that takes the row away again (callbacks.forms.register_row_removal), message."""
    names = text.labels
    choosers = [_chooser(ids.part("criterion", index), criteria, names["criterion_code"])]
    if ids.units:  # one of the form's units; chosen already when there is only one
        only = units[0]["value"] if len(units) == 1 else None
        choosers.insert(0, _chooser(ids.part("unit", index), units, names["unit_id"], only))
    deadline_hint, owner_hint = (
        (names["deadline"], names["owner"]) if text.compact else (None, None)
    )
    deadline = dbc.Input(id=ids.part("deadline", index), type="date", placeholder=deadline_hint)
    owner = dbc.Input(id=ids.part("owner", index), placeholder=owner_hint, maxLength=100)
    if text.compact:
        line = [dbc.Col(deadline, xs=6, sm=3), dbc.Col(owner, xs=6, sm=3)]
    else:
        line = [
            dbc.Col([dbc.Label(names["deadline"], className="small mb-0"), deadline], xs=6),
            dbc.Col([dbc.Label(names["owner"], className="small mb-0"), owner], xs=6),
        ]
    return dbc.Card(
        dbc.CardBody(
            [
                dbc.Textarea(
                    id=ids.part("desc", index),
                    placeholder=names["description"],
                    rows=2,
                    maxLength=2000,
                    className="mb-2",
                ),
                dbc.Row([*(dbc.Col(c, xs=12, sm=6) for c in choosers), *line], className="g-2"),
                html.Div(
                    [
                        dbc.Checkbox(
                            id=ids.part("serious", index), label=text.serious, value=False
                        ),
                        dbc.Button(
                            T["form_row_remove"],
                            id=ids.part("remove", index),
                            color="link",
                            size="sm",
                            className="text-danger p-0 follow-up-remove",
                        ),
                    ],
                    className="d-flex justify-content-between align-items-center mt-2",
                ),
                html.Div(id=ids.feedback(index), className="field-error"),
            ],
            className="p-2",
        ),
        # Its own id, so taking away another row leaves this one (and what was typed) as it is.
        id=ids.part("row", index),
        className="mb-2 follow-up-row",
    )
