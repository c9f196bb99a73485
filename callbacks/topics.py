"""评议选题 callbacks (#18 item 1): /topics (the list, the note, the create form, the suggestions
and their one-click 以此建立选题) and /topics/<id> (texts, links, withdraw). Every write is
authorised here, on the server, and again by the data layer (data/topics.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, callback, ctx, no_update
from dash.exceptions import PreventUpdate
from sqlalchemy.orm import Session

from callbacks.access import refused
from callbacks.content import read_view
from callbacks.forms import Refusals, answered_save, feedback_names, form_values, redraw
from dashboard import params
from dashboard.auth import Account, current_account
from dashboard.context import today
from dashboard.ids import FormIds
from dashboard.ids import Topic as TopicIds
from dashboard.ids import Topics as Ids
from dashboard.state import to_search
from dashboard.text import T
from dashboard.view import View, may_read_unit, readable_units, resolve_view
from data.attachments import may_read as may_read_files
from data.attachments import may_write as may_write_files
from data.attachments import owner_record
from data.form_tokens import META_KEY, once
from data.forms import FormError, validate
from data.history import record_history
from data.labels import TOPIC
from data.models import Unit
from data.reference import CRITERIA, KIND_GROUP, Role, criteria_for_group
from data.supervision import units_for_selection
from data.topics import (
    WRITER_ROLES,
    Actor,
    TopicForm,
    TopicTextsForm,
    counts_out_of_range,
    create_topic,
    link_problems,
    linkable_problems,
    list_topics,
    may_edit,
    problem_choices,
    save_texts,
    suggested_title,
    suggestions,
    topic_detail,
    unlink_problem,
    with_problem_links,
    withdraw_topic,
)
from layouts.attachments import attachment_panel
from layouts.common import empty_state
from layouts.topic import LINK_FORM, TEXTS, UNLINK, UNLINK_COLUMN, WITHDRAW, topic_page
from layouts.topics import (
    BUREAU,
    CREATE,
    count_note,
    create_card,
    create_fields,
    suggest_chooser,
    suggestion_list,
    suggestions_card,
    topic_grid,
    topics_page,
)

READ_LIMIT = 12  # candidates shown


def actor_of(account: Account) -> Actor:
    """Who writes, as the data layer checks it."""
    return Actor(account.role, account.unit_id)


def _notices(refresh: Any) -> dict[str, Any]:
    return params.mapping(params.mapping(refresh).get("notices"))


def _criteria(session: Session, unit_id: int | None) -> list[tuple[str, str]]:
    """The criteria a topic of the unit may be filed under (every one for the bureau's)."""
    kind = session.get(Unit, unit_id).kind if unit_id is not None else None
    codes = criteria_for_group(KIND_GROUP[kind]) if kind else list(CRITERIA)
    return [(code, CRITERIA[code][0]) for code in codes]


# ---- /topics -----------------------------------------------------------------------------


@callback(
    Output(Ids.CONTENT, "children"),
    Input(Ids.STATE, "data"),
    Input(Ids.REFRESH, "data"),
)
def render_topics(search: str | None, refresh: dict | None) -> Any:
    """The note, the topics (unit staff: their own and the bureau's), the create form for those
    who write, and the suggestions' card."""
    account = current_account()
    own = account.unit_id if account.role == Role.UNIT else None
    with read_view(search) as (session, view):
        if view is None:
            return empty_state(T["no_campaign"])
        shown = readable_units(account)
        # The shell's kind and township filters (from the URL) limit the units' topics.
        rows = list_topics(session, view.year, shown, as_of=view.as_of, filters=view.filters)
        counts = counts_out_of_range(session, view.year, shown, view.filters)
        note = count_note(counts, own is not None)
        units = [(uid, name) for uid, name, _ in units_for_selection(session)]
        if own is not None:
            units = [(uid, name) for uid, name in units if uid == own]
        form = None
        if account.role in WRITER_ROLES:
            fields = create_fields(
                units,
                problem_choices(session, view.year, own),
                _criteria(session, own),
                own is not None,
            )
            values = {"unit_id": own, "problem_ids": []}
            form = create_card(fields, values, _notices(refresh).get(CREATE.prefix))
    search_text = to_search(view.state)
    suggest = suggestions_card(suggest_chooser(units, own))
    readonly = account.role not in WRITER_ROLES
    table = topic_grid(rows, search_text, view.year)
    return topics_page(note, table, form, suggest, view.year, len(rows), readonly)


@callback(
    Output(Ids.SUGGESTIONS, "children"),
    Output(Ids.SUGGESTION_DATA, "data"),
    Input(Ids.SUGGEST_UNIT, "value"),
    State(Ids.STATE, "data"),
)
def show_suggestions(unit_value: Any, search: str | None) -> tuple[Any, Any]:
    """The candidates for the unit chosen (unit staff: always their own), most complained-about
    first; what 以此建立选题 fills the form with is kept beside them."""
    account = current_account()
    if account.role == Role.UNIT:
        unit_id = account.unit_id
    else:
        unit_id = None if unit_value in (None, BUREAU) else params.record_id(unit_value)
    with read_view(search) as (session, view):
        if view is None:
            raise PreventUpdate
        found = suggestions(session, view.year, unit_id, READ_LIMIT)
    data = [
        {
            "unit_id": unit_id,
            "title": suggested_title(s),
            "criterion_code": s.criterion_code,
            "reason": T["topics_suggest_reason"].format(n=s.count, c=s.complaints),
            "problem_ids": s.problem_ids,
        }
        for s in found
    ]
    return suggestion_list(found, account.role in WRITER_ROLES), data


@callback(
    Output(CREATE.field("unit_id"), "value"),
    Output(CREATE.field("title"), "value"),
    Output(CREATE.field("criterion_code"), "value"),
    Output(CREATE.field("reason"), "value"),
    Output(CREATE.field("problem_ids"), "value"),
    Output(CREATE.message, "children", allow_duplicate=True),
    Input(Ids.use(ALL), "n_clicks"),
    State(Ids.SUGGESTION_DATA, "data"),
    prevent_initial_call=True,
)
def use_suggestion(clicks: list[int | None], data: Any) -> tuple[Any, ...]:
    """Fill the create form from a candidate; the user checks it and saves."""
    trigger = params.mapping(ctx.triggered_id)
    if not isinstance(clicks, list) or not any(map(params.clicked, clicks)):
        raise PreventUpdate
    index = trigger.get("index")
    items = data if isinstance(data, list) else []
    if not isinstance(index, int) or not 0 <= index < len(items):
        raise PreventUpdate
    item = params.mapping(items[index])
    notice = dbc.Alert(T["topics_suggest_used"], color="info", className="py-2")
    return (
        item.get("unit_id"),
        item.get("title"),
        item.get("criterion_code"),
        item.get("reason"),
        item.get("problem_ids") or [],
        notice,
    )


def _year(session: Session, search: str | None) -> int:
    view: View | None = resolve_view(session, search, today())
    if view is None:
        raise FormError({"campaign": T["no_campaign"]})
    return view.year


def _create(
    session: Session, account: Account, raw: dict[str, Any], meta: dict[str, Any], search: Any
) -> str:
    """Create the topic once per opening of the form; the notice."""
    year = _year(session, search)
    form = validate(TopicForm, {**raw, "problem_ids": raw.get("problem_ids") or []})

    def make() -> dict[str, Any]:
        topic = create_topic(session, actor_of(account), year, form)
        return {"title": topic.title, "n": len(form.problem_ids)}

    kept = once(session, meta.get(META_KEY), "topic", make, lambda done: done, lambda k: k)
    return T["topics_created"].format(**kept)


# ---- /topics/<id> ------------------------------------------------------------------------


def _topic_id(value: Any) -> int | None:
    return params.record_id(value)


@callback(
    Output(TopicIds.CONTENT, "children"),
    Input(TopicIds.TOPIC_ID, "data"),
    Input(TopicIds.STATE, "data"),
    Input(TopicIds.REFRESH, "data"),
)
def render_topic(topic_value: Any, search: str | None, refresh: dict | None) -> Any:
    """The topic (unit staff: their own unit's or the bureau's), editable by those who may."""
    account = current_account()
    topic_id = _topic_id(topic_value)
    with read_view(search) as (session, view):
        detail = topic_detail(session, topic_id) if topic_id is not None else None
        if detail is None:
            return empty_state(T["topic_not_found"])
        if detail.unit_id is not None and not may_read_unit(account, detail.unit_id):
            return refused(account, "topic", detail.id)
        editable = may_edit(actor_of(account), detail.unit_id) and detail.withdrawn_at is None
        linkable = linkable_problems(session, detail.id) if editable else []
        history = with_problem_links(
            session, record_history(session, "topic", detail.id), detail.id
        )
        files = topic_files(session, account, detail.id, detail.withdrawn_at is None)
    search_text = to_search(view.state) if view is not None else ""
    back = f"/topics{search_text}"
    return topic_page(
        detail, back, search_text, editable, _notices(refresh), linkable, history, files
    )


def topic_files(session: Session, account: Account, topic_id: int, live: bool) -> Any:
    """The topic's attachment panel (检查记录、总结 … as files) for those who may see its files
    (data/attachments.py: its unit's staff, leaders, supervisors, the admin); the upload box for
    those who may attach to it while the topic is not withdrawn. None for anyone else."""
    target = owner_record(session, "topic", topic_id)
    if not may_read_files(account, target.unit_id, target.covert):
        return None
    return attachment_panel(
        "topic",
        topic_id,
        can_upload=live and may_write_files(account, target),
        title=T["finish_topic_files"],
        place="topic",
    )


Run = Callable[[Session, Account, dict[str, Any], dict[str, Any], Any], str]


def register_topic_form(ids: FormIds, refresh_id: str, extra: State, what: str, run: Run) -> Any:
    """The save callback of one of the topic forms: checked on the server (answered_save: a
    refusal in words in the form, recorded), the page redrawn with the notice."""
    refusals = Refusals(
        TOPIC,
        ids.errors,
        conflict_heading=T["topic_conflict"],
        unchanged=T["topic_conflict_none"],
        entity="topic",
    )

    def save(clicks: Any, values: Any, field_ids: Any, meta: Any, more: Any) -> tuple[Any, ...]:
        if not params.clicked(clicks):
            raise PreventUpdate
        raw, meta = form_values(values, field_ids), params.mapping(meta)
        outcome = answered_save(
            WRITER_ROLES,
            refusals,
            lambda session, account: run(session, account, raw, meta, more),
            feedback_names(),
            what=what,
        )
        if not outcome.saved:
            return outcome.alert, outcome.messages, no_update
        return None, outcome.messages, redraw(ids.prefix, outcome.result)

    save.__name__ = save.__qualname__ = f"save_{ids.prefix.replace('-', '_')}"
    save.__doc__ = what
    callback(
        Output(ids.message, "children"),
        Output(ids.feedbacks(), "children"),
        Output(refresh_id, "data", allow_duplicate=True),
        Input(ids.save, "n_clicks"),
        State(ids.fields(), "value"),
        State(ids.fields(), "id"),
        State(ids.meta, "data"),
        extra,
        prevent_initial_call=True,
    )(save)
    return save


def _texts(
    session: Session, account: Account, raw: dict[str, Any], meta: dict[str, Any], _: Any
) -> str:
    topic_id = params.meta_id(meta.get("topic_id"))
    if topic_id is None:
        raise FormError({"topic": T["topic_not_found"]})
    form = validate(TopicTextsForm, raw)
    save_texts(session, actor_of(account), topic_id, form, meta.get("version"), meta.get("seen"))
    return T["topic_texts_saved"]


def _link(
    session: Session, account: Account, raw: dict[str, Any], _meta: dict[str, Any], topic: Any
) -> str:
    topic_id = _topic_id(topic)
    if topic_id is None:
        raise FormError({"topic": T["topic_not_found"]})
    ids = params.items(raw.get("problem_ids"), params.record_id)
    if not ids:
        raise FormError({"problem_ids": T["topic_link_none"]})
    n = link_problems(session, actor_of(account), topic_id, ids)
    return T["topic_linked"].format(n=n)


def _withdraw(
    session: Session, account: Account, raw: dict[str, Any], meta: dict[str, Any], _: Any
) -> str:
    topic_id = params.meta_id(meta.get("topic_id"))
    if topic_id is None:
        raise FormError({"topic": T["topic_not_found"]})
    if raw.get("confirm") is not True:
        raise FormError({"confirm": T["topic_withdraw_needed"]})
    withdraw_topic(session, actor_of(account), topic_id, meta.get("version"))
    return T["topic_withdrawn_notice"]


save_create = register_topic_form(
    CREATE, Ids.REFRESH, State(Ids.STATE, "data"), T["topics_create_what"], _create
)
save_texts_form = register_topic_form(
    TEXTS, TopicIds.REFRESH, State(TopicIds.TOPIC_ID, "data"), T["topic_texts_what"], _texts
)
save_link = register_topic_form(
    LINK_FORM, TopicIds.REFRESH, State(TopicIds.TOPIC_ID, "data"), T["topic_link_what"], _link
)
save_withdraw = register_topic_form(
    WITHDRAW,
    TopicIds.REFRESH,
    State(TopicIds.TOPIC_ID, "data"),
    T["topic_withdraw_what"],
    _withdraw,
)


@callback(
    Output(UNLINK.message, "children"),
    Output(TopicIds.REFRESH, "data", allow_duplicate=True),
    Input(TopicIds.PROBLEMS, "cellRendererData"),
    State(TopicIds.TOPIC_ID, "data"),
    prevent_initial_call=True,
)
def unlink(press: Any, topic: Any) -> tuple[Any, Any]:
    """取消关联 pressed in the linked problems' grid: checked on the server like any write."""
    press = params.mapping(press)
    problem_id = params.record_id(press.get("value"))
    topic_id = _topic_id(topic)
    if press.get("colId") != UNLINK_COLUMN or problem_id is None or topic_id is None:
        raise PreventUpdate

    def write(session: Session, account: Account) -> str:
        unlink_problem(session, actor_of(account), topic_id, problem_id)
        return T["topic_unlinked"]

    refusals = Refusals(TOPIC, UNLINK.errors)
    outcome = answered_save(WRITER_ROLES, refusals, write, (), what=T["topic_unlink_what"])
    if not outcome.saved:
        return outcome.alert, no_update
    return None, redraw(UNLINK.prefix, outcome.result)
