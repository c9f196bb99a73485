"""The server side of the shared form machinery (layouts/forms.py): read a form's fields and its
follow-up rows, check the role, save in one transaction, and answer a refused save at each field
and above the button — a form's callbacks call these with their own ids, labels and writes.

`register_form` makes the whole save callback of a schema form (layouts.forms.form_card);
`checked_save` is the same check-write-refuse step for a form with its own callback.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import dash_bootstrap_components as dbc
from dash import Input, Output, Patch, State, callback, ctx, html, no_update
from dash.exceptions import PreventUpdate
from sqlalchemy.orm import Session

from dashboard import params
from dashboard.auth import Account, current_account, deny, log_denial, require_role
from dashboard.context import get_db
from dashboard.ids import FollowUpIds, FormIds, ModalIds
from dashboard.text import T
from data.edits import ConflictError, VersionMissing
from data.form_tokens import META_KEY, once
from data.forms import FormError, clean_text
from data.labels import LIST_SEPARATOR, value_name
from data.rectification_updates import NotAllowed
from data.reference import ROLE_NAMES, Role

REFUSED = T["form_refused"]
CONFLICT = T["form_conflict"]
MAX_ROWS = 50  # follow-up rows read from one save (a form's own limit is lower)
# A form's names for its fields (by field path), or a function that names a path.
Labels = Mapping[str, str] | Callable[[str], str]


def form_values(values: Any, ids: Any) -> dict[str, Any]:
    """The values of a form's fields by name (from `State(ids.fields(), "value"/"id")`); a
    forged request's ids that name no field are left out."""
    if not isinstance(values, list) or not isinstance(ids, list):
        return {}
    named = ((params.mapping(i).get("field"), v) for i, v in zip(ids, values, strict=False))
    return {name: v for name, v in named if isinstance(name, str)}


def feedback_names(position: int = 1) -> list[str]:
    """The field names of the message slots of output `position` of the running callback."""
    outputs = ctx.outputs_list[position]
    return [str(params.mapping(params.mapping(o).get("id")).get("field")) for o in outputs]


def field_messages(errors: Mapping[str, str], names: Sequence[str]) -> list[str | None]:
    """Each slot's message (None where its field is fine)."""
    return [errors.get(name) for name in names]


def label_of(path: str, labels: Mapping[str, str], row: str = "") -> str:
    """A field path in words: `mobilize.starts_on` → 动员部署·开始日期 when both are known; with
    `row`, the name of a follow-up row, `follow_ups.0.deadline` → 第1项{row}·整改时限."""
    if path in labels:
        return labels[path]
    head, _, rest = path.partition(".")
    index, _, part = rest.partition(".")
    if row and index.isdigit():
        name = T["form_row"].format(n=int(index) + 1, row=row)
        return T["form_path"].format(head=name, part=labels.get(part, part)) if part else name
    if head in labels and rest:
        return T["form_path"].format(head=labels[head], part=labels.get(rest, rest))
    return labels.get(head, path)


def _namer(labels: Labels) -> Callable[[str], str]:
    return labels if callable(labels) else partial(label_of, labels=labels)


def refusal_alert(
    errors: Mapping[str, str], labels: Labels, alert_id: str, heading: str = REFUSED
) -> Any:
    """Every reason a save was refused, each naming its field."""
    name = _namer(labels)
    items = [
        html.Li(T["form_field_message"].format(field=name(k), message=v) if k else v)
        for k, v in errors.items()
    ]
    return dbc.Alert(
        [html.Div(heading), html.Ul(items, className="mb-0")],
        color="danger",
        id=alert_id,
        className="py-2",
    )


def conflict_alert(
    exc: ConflictError,
    labels: Labels,
    alert_id: str,
    heading: str = CONFLICT,
    unchanged: str | None = None,
    entity: str = "",
) -> Any:
    """What someone else changed since the form was opened (nothing was saved), the values
    named as data/labels.py names those of an `entity` record; `unchanged` is said instead
    when the record moved on but none of the fields the user saw did."""
    if isinstance(exc, VersionMissing):  # the save named no version: its own words
        return dbc.Alert(str(exc), color="warning", id=alert_id, className="py-2")
    if unchanged is not None and not exc.changes:
        return dbc.Alert(unchanged, color="warning", id=alert_id, className="py-2")
    name = _namer(labels)
    items = [
        html.Li(
            T["form_conflict_field"].format(
                field=name(k), seen=value_name(entity, k, a), now=value_name(entity, k, b)
            )
        )
        for k, (a, b) in exc.changes.items()
    ]
    return dbc.Alert(
        [html.Div(heading), html.Ul(items, className="mb-0")],
        color="warning",
        id=alert_id,
        className="py-2",
    )


def denied_alert(reason: str, alert_id: str) -> Any:
    """A refusal shown where the user is looking (never a silent 403)."""
    return dbc.Alert(reason, color="danger", id=alert_id, className="py-2")


def record_denial(account: Account, reason: str, what: str) -> None:
    """Log and record a refused write (who, which action, which callback), without ending the
    request; recorded at most once a minute per account and callback (auth.log_denial)."""
    log_denial(account, reason, what)


@dataclass(frozen=True)
class Refusals:
    """How a form answers a refused save: its names for its fields, the ids of the alerts and
    what they say first."""

    labels: Labels
    errors_id: str
    conflict_id: str | None = None  # the errors' id when None
    heading: str = REFUSED
    conflict_heading: str = CONFLICT
    unchanged: str | None = None  # see conflict_alert
    row: str = ""  # what the form's follow-up rows are called, for label_of
    entity: str = ""  # the kind of record the form edits, to name its values (data/labels.py)

    def name(self, path: str) -> str:
        """A field path in the form's words."""
        if callable(self.labels):
            return self.labels(path)
        return label_of(path, self.labels, self.row)

    def refusal(self, errors: Mapping[str, str]) -> Any:
        return refusal_alert(errors, self.name, self.errors_id, self.heading)

    def conflict(self, exc: ConflictError) -> Any:
        alert_id = self.conflict_id or self.errors_id
        return conflict_alert(
            exc, self.name, alert_id, self.conflict_heading, self.unchanged, self.entity
        )


@dataclass
class Outcome:
    """What a form's save came to: the message above the button, each field's message, the
    write's result (None when nothing was written) and the refusal's errors by field path."""

    alert: Any
    messages: list[str | None]
    result: Any = None
    errors: Mapping[str, str] = field(default_factory=dict)

    @property
    def saved(self) -> bool:
        return self.alert is None


def _write_as(account: Account, write: Callable[[Session], Any]) -> Any:
    """Run `write` in one transaction, recorded in the history as `account`."""
    with get_db().write(account.username, account.id) as session:
        return write(session)


def _attempt(refusals: Refusals, names: Sequence[str], run: Callable[[], Any]) -> Outcome:
    """Run a save; a FormError or ConflictError (nothing written) comes back as its alert."""
    blank: list[str | None] = [None] * len(names)
    try:
        result = run()
    except FormError as exc:
        alert = refusals.refusal(exc.errors)
        return Outcome(alert, field_messages(exc.errors, names), errors=exc.errors)
    except ConflictError as exc:
        return Outcome(refusals.conflict(exc), blank)
    return Outcome(None, blank, result)


def save_form(
    *,
    roles: Sequence[str],
    what: str,
    labels: Labels,
    alert_id: str,
    names: Sequence[str],
    write: Callable[[Session], Any],
    entity: str = "",
) -> Outcome:
    """Check the role on the server, run `write` in one transaction as the signed-in user, and
    turn every refusal into words at the field and above the button (nothing written then) —
    a role that may not write is told so there, and recorded. `entity` names the record the
    form edits (its values are named in a conflict)."""
    account = current_account()
    if account.role not in roles:
        allowed = LIST_SEPARATOR.join(ROLE_NAMES[r] for r in roles)
        reason = T["form_denied"].format(roles=allowed, what=what, role=account.role_name)
        record_denial(account, reason, what)
        return Outcome(denied_alert(reason, alert_id), [None] * len(names))
    refusals = Refusals(labels, alert_id, entity=entity)
    return _attempt(refusals, names, lambda: _write_as(account, write))


def checked_save(
    roles: Sequence[str],
    refusals: Refusals,
    write: Callable[[Session, Account], Any],
    names: Sequence[str] = (),
) -> Outcome:
    """Like save_form, for a page's own forms: a role that may not write, or a change the data
    layer does not allow this user (NotAllowed), is answered 403 and recorded."""
    account = require_role(*roles)
    try:
        return _attempt(
            refusals, names, lambda: _write_as(account, lambda session: write(session, account))
        )
    except NotAllowed as exc:
        deny(account, str(exc))


def answered_save(
    roles: Sequence[str],
    refusals: Refusals,
    write: Callable[[Session, Account], Any],
    names: Sequence[str] = (),
    *,
    what: str,
) -> Outcome:
    """Like checked_save, but every refusal is answered in the form's alert, never a bare 403: a
    role that may not write (its role changed since the page was drawn, or a forged request) and
    a change the data layer does not allow this user (NotAllowed) are told so and recorded.
    `what` names the write in words (保存督导记录)."""
    account = current_account()
    blank: list[str | None] = [None] * len(names)
    if account.role not in roles:
        allowed = LIST_SEPARATOR.join(ROLE_NAMES[r] for r in roles)
        reason = T["form_denied"].format(roles=allowed, what=what, role=account.role_name)
        record_denial(account, reason, what)
        return Outcome(denied_alert(reason, refusals.errors_id), blank)
    try:
        return _attempt(
            refusals, names, lambda: _write_as(account, lambda session: write(session, account))
        )
    except NotAllowed as exc:
        record_denial(account, str(exc), what)
        alert = denied_alert(T["form_not_allowed"].format(reason=exc), refusals.errors_id)
        return Outcome(alert, blank)


def pressed(clicks: Sequence[int | None], key: str) -> int:
    """The `key` (a problem's or a task's id) of the pattern-matching button just pressed;
    PreventUpdate when none was (the buttons were only drawn)."""
    trigger = ctx.triggered_id
    if not trigger or not isinstance(clicks, list) or not any(map(params.clicked, clicks)):
        raise PreventUpdate
    pressed_id = params.record_id(params.mapping(trigger).get(key))
    if pressed_id is None:
        raise PreventUpdate
    return pressed_id


# ---- dialogs (layouts.forms.dialog) ------------------------------------------------------


def dialog_opener(
    ids: ModalIds, button: dict[str, Any], *fields: Output, form: bool = True
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a dialog's opening `(clicks) -> (True, meta, title, *fields[, None])`: a press
    of one of the pattern-matching `button`s opens the dialog with its Store, title and
    `fields` filled (and, for a form, the message of its last save cleared)."""
    message = [Output(ids.message, "children", allow_duplicate=True)] if form else []
    return callback(
        Output(ids.modal, "is_open"),
        Output(ids.meta, "data"),
        Output(ids.title, "children"),
        *fields,
        *message,
        Input(button, "n_clicks"),
        prevent_initial_call=True,
    )


def dialog_saver(
    ids: ModalIds, page_state: str, *fields: State
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a dialog's save `(clicks, meta, *fields, page_state)`, which answers the
    message above its button, whether it stays open, and the page's state (see dialog_saved)."""
    return callback(
        Output(ids.message, "children"),
        Output(ids.modal, "is_open", allow_duplicate=True),
        Output(page_state, "data", allow_duplicate=True),
        Input(ids.save, "n_clicks"),
        State(ids.meta, "data"),
        *fields,
        State(page_state, "data"),
        prevent_initial_call=True,
    )


def dialog_saved(outcome: Outcome, state: dict[str, Any] | None, **mark: Any) -> tuple[Any, ...]:
    """A dialog's answer to a save: refused, the alert in it and it stays open; saved, it
    closes and the page's state, moved by `mark`, redraws the page."""
    if not outcome.saved:
        return outcome.alert, no_update, no_update
    return None, False, {**(state or {}), **mark}


# ---- follow-up rows (layouts.forms.follow_up_row) ----------------------------------------

ROW_FIELDS = {
    "desc": "description",
    "unit": "unit_id",
    "criterion": "criterion_code",
    "deadline": "deadline",
    "owner": "owner",
}


def row_states(ids: FollowUpIds) -> list[State]:
    """Every row's inputs, one State per part in `ids.parts` order."""
    return [State(ids.part(part), "value") for part in ids.parts]


def filled_rows(
    ids: FollowUpIds, columns: Sequence[Sequence[Any]]
) -> tuple[list[dict[str, Any]], list[int]]:
    """The rows the user filled in, as the data layer takes them, and their positions on
    screen (wholly empty rows are skipped); `columns` are the values of `row_states(ids)`."""
    rows, positions = [], []
    # A forged request may send columns of different lengths, or something else than lists:
    # the rows are those of the shortest column, at most MAX_ROWS.
    lists = [column if isinstance(column, list) else [] for column in columns]
    for position, values in enumerate(zip(*lists, strict=False)):
        if position >= MAX_ROWS:
            break
        row = dict(zip(ids.parts, values, strict=True))
        text = clean_text(row["desc"]) or clean_text(row["owner"])
        if not text and not row["criterion"] and not row["deadline"]:
            continue
        item = {ROW_FIELDS[part]: row[part] for part in ids.parts if part in ROW_FIELDS}
        item["deadline"], item["owner"] = clean_text(row["deadline"]), clean_text(row["owner"])
        item["severity"] = "serious" if row["serious"] else "normal"
        rows.append(item)
        positions.append(position)
    return rows, positions


def row_messages(
    errors: Mapping[str, str], count: int, positions: Sequence[int], labels: Mapping[str, str]
) -> list[str | None]:
    """Each row's messages, shown under it: the errors (`follow_ups.<n>.<field>`) number the
    filled rows only, `positions` says where each of those is on screen."""
    messages: list[str | None] = [None] * count
    for path, message in errors.items():
        parts = path.split(".")
        if parts[0] != "follow_ups" or len(parts) != 3 or not parts[1].isdigit():
            continue
        if int(parts[1]) < len(positions) and positions[int(parts[1])] < count:
            row = positions[int(parts[1])]
            text = T["form_field_message"].format(
                field=labels.get(parts[2], parts[2]), message=message
            )
            messages[row] = (
                T["form_messages"].format(messages[row], text) if messages[row] else text
            )
    return messages


def save_with_rows(
    roles: Sequence[str],
    refusals: Refusals,
    labels: Mapping[str, str],
    positions: Sequence[int],
    write: Callable[[Session, Account], Any],
    what: str,
) -> tuple[Outcome, list[str | None]]:
    """answered_save for a form whose callback answers its fields' messages at output 1 and
    its follow-up rows' at output 2 (`positions`: where filled_rows found the rows): the
    outcome, and each row's messages (named by `labels`); `what` names the save for a refusal."""
    outcome = answered_save(roles, refusals, write, feedback_names(), what=what)
    count = len(ctx.outputs_list[2])
    return outcome, row_messages(outcome.errors, count, positions, labels)


def row_position(row_ids: Any, index: Any) -> int | None:
    """Where on screen the row numbered `index` is, from the ids of one part of every row
    (in the order of the rows); None when no row has that number."""
    for position, row_id in enumerate(row_ids if isinstance(row_ids, list) else []):
        if params.mapping(params.mapping(row_id).get("id")).get("index") == index:
            return position
    return None


def register_row_removal(ids: FollowUpIds, rows_id: str) -> Callable[..., Patch]:
    """Register the callback of the rows' 删除此项 buttons: the row pressed is taken out of the
    `rows_id` container by a Patch, so the other rows, and every other field of the form, keep
    what was typed. Returns the callback (to call in tests)."""

    def remove_row(clicks: list[int | None]) -> Patch:
        trigger = params.mapping(ctx.triggered_id)
        if not isinstance(clicks, list) or not any(map(params.clicked, clicks)):
            raise PreventUpdate
        position = row_position(ctx.inputs_list[0], trigger.get("index"))
        if position is None or not params.clicked(clicks[position]):
            raise PreventUpdate
        rows = Patch()
        del rows[position]
        return rows

    remove_row.__name__ = remove_row.__qualname__ = f"remove_{ids.prefix}_row"
    remove_row.__doc__ = "Take away the follow-up row whose remove button was pressed."
    callback(
        Output(rows_id, "children", allow_duplicate=True),
        Input(ids.part("remove"), "n_clicks"),
        prevent_initial_call=True,
    )(remove_row)
    return remove_row


# ---- the save callback of a schema form -------------------------------------------------

Write = Callable[[Session, dict[str, Any], dict[str, Any]], Any]


def _nothing(_result: Any) -> dict[str, Any]:
    return {}


def _kept_as_is(result: Any) -> dict[str, Any]:
    return {"result": result}


def _answer_as_kept(_session: Session, kept: dict[str, Any]) -> Any:
    return kept.get("result")


@dataclass(frozen=True)
class Once:
    """A new-record form's write, made once per opening of the form (data/form_tokens.py, the
    token in the form's meta): the form's name there, what of the write's result is kept (as
    JSON), and the answer to the same form posted again (a double click), made from that."""

    form: str
    kept: Callable[[Any], dict[str, Any]] = _kept_as_is
    answer: Callable[[Session, dict[str, Any]], Any] = _answer_as_kept

    def write(
        self, write: Callable[[Session], Any], meta: Mapping[str, Any]
    ) -> Callable[[Session], Any]:
        """`write`, made once per the token in `meta`."""
        return lambda session: once(
            session,
            meta.get(META_KEY),
            self.form,
            lambda: write(session),
            self.kept,
            lambda kept: self.answer(session, kept),
        )


@dataclass(frozen=True)
class Action:
    """What one button of a form does: its name in words (for a refusal and the history), the
    write `write(session, raw, meta)`, the notice after it, what else the redraw keeps, and for
    a new record's form, how it is made once however often the form is posted."""

    what: str
    write: Write
    notice: Callable[[Any], Any]
    keep: Callable[[Any], dict[str, Any]] = _nothing
    once: Once | None = None

    def write_with(self, raw: dict[str, Any], meta: dict[str, Any]) -> Callable[[Session], Any]:
        """The write of this button for a form's values and meta."""

        def write(session: Session) -> Any:
            return self.write(session, raw, meta)

        return write if self.once is None else self.once.write(write, meta)


def redraw(prefix: str, notice: Any, **extra: Any) -> dict[str, Any]:
    """A page's refresh Store after a save: redraw the page with `notice` on the form saved
    (and whatever else the page keeps, e.g. the unit the edit form stays on)."""
    return {"at": dt.datetime.now().isoformat(), "notices": {prefix: notice}, **extra}


def register_form(
    ids: FormIds,
    refresh_id: str,
    labels: Mapping[str, str] | Callable[[dict[str, Any]], Mapping[str, str]],
    actions: Mapping[str, Action],
    roles: Sequence[str] = (Role.ADMIN,),
    check: Callable[[dict[str, Any]], Any] | None = None,
    entity: str = "",
) -> Callable[..., tuple[Any, ...]]:
    """Register the save callback of a form drawn by layouts.forms.form_card, whose buttons
    (the ids in `actions`) each run their Action through save_form; a saved form redraws the
    page through the `refresh_id` Store. `labels` may depend on the form's meta; `check(meta)`
    runs first and may raise PreventUpdate; `entity` is the kind of record the form edits.
    Returns the callback, to call in tests as `save(*clicks, values, ids, meta)`."""
    buttons = list(actions)

    def save(*args: Any) -> tuple[Any, ...]:
        *clicks, values, field_ids, meta = args
        button = buttons[0] if len(buttons) == 1 else ctx.triggered_id
        if button not in actions or not any(map(params.clicked, clicks)):
            raise PreventUpdate
        meta = params.mapping(meta)
        if check is not None:
            check(meta)
        raw = form_values(values, field_ids)
        action = actions[button]
        outcome = save_form(
            roles=roles,
            what=action.what,
            labels=labels(meta) if callable(labels) else labels,
            alert_id=ids.errors,
            names=feedback_names(),
            write=action.write_with(raw, meta),
            entity=entity,
        )
        if not outcome.saved:
            return outcome.alert, outcome.messages, no_update
        notice = action.notice(outcome.result)
        return None, outcome.messages, redraw(ids.prefix, notice, **action.keep(outcome.result))

    save.__name__ = save.__qualname__ = f"save_{ids.prefix.replace('-', '_')}"
    save.__doc__ = LIST_SEPARATOR.join(action.what for action in actions.values())
    callback(
        Output(ids.message, "children"),
        Output(ids.feedbacks(), "children"),
        Output(refresh_id, "data", allow_duplicate=True),
        *(Input(button, "n_clicks") for button in buttons),
        State(ids.fields(), "value"),
        State(ids.fields(), "id"),
        State(ids.meta, "data"),
        prevent_initial_call=True,
    )(save)
    return save
