"""The shared form machinery (callbacks/forms.py): a form registered with register_form, called
as a plain function signed in as each role, and the follow-up rows' helpers.

The form is a throwaway one registered for these tests only (the registry is put back after)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from dash import Dash, no_update
from dash.exceptions import PreventUpdate
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.exceptions import Forbidden

from callbacks.forms import (
    Action,
    Refusals,
    answered_save,
    checked_save,
    filled_rows,
    label_of,
    register_form,
    row_messages,
    row_position,
)
from dashboard.dash_private import callback_context, register_again, registered_callbacks
from dashboard.ids import FollowUpIds, FormIds
from data.db import Database
from data.edits import ConflictError
from data.forms import FormError
from data.models import ChangeLog, Unit
from data.rectification_updates import NotAllowed
from tests.components import texts
from tests.conftest import MakeApp, signed_in
from tests.factories import make_unit, make_user

FORM = FormIds("test-form")
NAMES = ("name", "kind")
LABELS = {"name": "单位名称", "kind": "单位类型"}


def _write(session: Session, raw: dict[str, Any], meta: dict[str, Any]) -> str:
    """Add a unit, then refuse or conflict as the form's values say (the unit is then undone)."""
    unit = make_unit(session, name=raw["name"])
    if raw.get("kind") == "bad":
        raise FormError({"kind": "请选择有效的选项"})
    if meta.get("version") == 1:
        raise ConflictError({"name": ("旧名称", None)})
    return unit.name


def _ready(meta: dict[str, Any]) -> None:
    if not meta.get("year"):
        raise PreventUpdate


@pytest.fixture
def save(app: Dash) -> Iterator[Any]:
    """The save callback of a two-button form (保存, and 停用 which keeps `unit` in the redraw),
    registered after the app so that no app takes it."""
    saved = registered_callbacks()
    yield register_form(
        FORM,
        "test-refresh",
        lambda meta: {**LABELS, "name": f"单位名称（{meta.get('year')}年）"},
        {
            FORM.save: Action("新增单位", _write, "已新增“{}”。".format),
            FORM.button("retire"): Action(
                "停用单位", _write, "已停用“{}”。".format, lambda name: {"unit": name}
            ),
        },
        check=_ready,
    )
    register_again(saved)


@pytest.fixture
def app(db: Database, make_app: MakeApp) -> Dash:
    with db.write("test") as s:
        make_user(s, "admin", "admin")
        make_user(s, "leader", "leader")
    return make_app()


def press(
    app: Dash, db: Database, save: Any, who: str, button: str = FORM.save, **raw: Any
) -> tuple[Any, ...]:
    """Press `button` with these values, signed in as `who`."""
    meta = {"year": 2024, **raw.pop("meta", {})}
    outputs = [{}, [{"id": FORM.feedback(n), "property": "children"} for n in NAMES]]
    clicks = [1 if b == button else None for b in (FORM.save, FORM.button("retire"))]
    values = [raw.get(n) for n in NAMES]
    with (
        signed_in(app, db, who),
        callback_context(outputs, [{"prop_id": f"{button}.n_clicks", "value": 1}]),
    ):
        return save(*clicks, values, [FORM.field(n) for n in NAMES], meta)


def units(db: Database) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(Unit)) or 0


def denials(db: Database) -> int:
    with db.read() as s:
        query = select(func.count()).select_from(ChangeLog).where(ChangeLog.action == "denied")
        return s.scalar(query) or 0


def test_a_save_redraws_the_page_with_its_notice(app: Dash, db: Database, save: Any) -> None:
    message, feedbacks, refresh = press(app, db, save, "admin", name="城关镇司法所")
    assert (message, feedbacks) == (None, [None, None])
    assert refresh["notices"] == {FORM.prefix: "已新增“城关镇司法所”。"} and "unit" not in refresh
    assert units(db) == 1
    _, _, refresh = press(app, db, save, "admin", FORM.button("retire"), name="东湖镇司法所")
    assert refresh["notices"][FORM.prefix] == "已停用“东湖镇司法所”。"
    assert refresh["unit"] == "东湖镇司法所"  # what the action keeps for the redraw


def test_a_refusal_is_said_at_its_field_and_nothing_is_written(
    app: Dash, db: Database, save: Any
) -> None:
    message, feedbacks, refresh = press(app, db, save, "admin", name="城关镇司法所", kind="bad")
    assert feedbacks == [None, "请选择有效的选项"]
    assert message.id == FORM.errors and message.color == "danger"
    assert "单位类型：请选择有效的选项" in texts(message)
    assert refresh is no_update and units(db) == 0


def test_a_wrong_role_is_told_why_and_recorded(app: Dash, db: Database, save: Any) -> None:
    message, feedbacks, refresh = press(app, db, save, "leader", name="城关镇司法所")
    assert message.id == FORM.errors and feedbacks == [None, None] and refresh is no_update
    assert "".join(texts(message)).startswith("只有管理员可以新增单位")
    assert units(db) == 0 and denials(db) == 1


def test_a_conflict_names_what_changed(app: Dash, db: Database, save: Any) -> None:
    message, _, refresh = press(app, db, save, "admin", name="新名称", meta={"version": 1})
    assert message.color == "warning" and refresh is no_update
    # The labels come from the form's meta (here: its year).
    assert "单位名称（2024年）：您打开时为“旧名称”，现在为“空”" in texts(message)
    assert units(db) == 0


def test_nothing_happens_without_a_press_or_a_ready_form(
    app: Dash, db: Database, save: Any
) -> None:
    with signed_in(app, db, "admin"), callback_context([], []), pytest.raises(PreventUpdate):
        save(None, None, [], [], {"year": 2024})
    with pytest.raises(PreventUpdate):  # check(meta) refuses a form drawn without its year
        press(app, db, save, "admin", name="城关镇司法所", meta={"year": None})
    assert units(db) == 0


def test_checked_save_answers_a_wrong_role_403_and_records_it(app: Dash, db: Database) -> None:
    refusals = Refusals(LABELS, "test-errors")
    with signed_in(app, db, "leader"), pytest.raises(Forbidden):
        checked_save(("admin",), refusals, lambda s, _account: make_unit(s))
    assert units(db) == 0 and denials(db) == 1
    with signed_in(app, db, "admin"):
        outcome = checked_save(("admin",), refusals, lambda s, _a: _write(s, {"name": "甲"}, {}))
    assert outcome.saved and outcome.result == "甲" and units(db) == 1


def test_answered_save_says_every_refusal_in_the_form_and_records_it(
    app: Dash, db: Database
) -> None:
    refusals = Refusals(LABELS, "test-errors")

    def not_allowed(_session: Session, _account: Any) -> None:
        raise NotAllowed("只能填报本单位的整改情况")

    with signed_in(app, db, "leader"):
        outcome = answered_save(
            ("admin",), refusals, lambda s, _a: make_unit(s), ["name"], what="保存单位"
        )
    assert not outcome.saved and outcome.messages == [None]
    shown = " ".join(texts(outcome.alert))
    assert "只有管理员可以保存单位" in shown and outcome.alert.id == "test-errors"
    with signed_in(app, db, "admin"):
        refused = answered_save(("admin",), refusals, not_allowed, what="保存单位")
    assert "未保存：只能填报本单位的整改情况" in texts(refused.alert)
    assert units(db) == 0 and denials(db) == 2


# ---- follow-up rows ---------------------------------------------------------------------


def test_a_row_is_found_on_screen_by_its_number() -> None:
    """The rows keep the number they were added with; removing one finds where it is now."""
    buttons = [{"id": {"type": "t-fu-remove", "index": n}, "value": None} for n in (1, 3, 4)]
    assert [row_position(buttons, n) for n in (1, 3, 4, 2)] == [0, 1, 2, None]
    assert row_position("forged", 1) is None and row_position([7, {"id": 3}], 1) is None


ROWS = FollowUpIds("t", units=True)


def test_filled_rows_skip_empty_ones_and_remember_where_each_was() -> None:
    columns = [
        ["  ", "窗口未公示", ""],  # desc
        [1, 1, 2],  # unit: chosen beforehand, so not a sign of a filled row
        [None, "lawful", None],  # criterion
        [None, " 2024-12-20 ", None],  # deadline
        ["", "", " 张三 "],  # owner
        [False, True, False],  # serious
    ]
    rows, positions = filled_rows(ROWS, columns)
    assert positions == [1, 2]
    assert rows[0] == {
        "description": "窗口未公示",
        "unit_id": 1,
        "criterion_code": "lawful",
        "deadline": "2024-12-20",
        "owner": None,
        "severity": "serious",
    }
    assert rows[1]["owner"] == "张三" and rows[1]["severity"] == "normal"


def test_row_messages_go_under_the_rows_on_screen() -> None:
    errors = {
        "follow_ups.0.deadline": "必填",
        "follow_ups.1.criterion_code": "请选择",
        "follow_ups.1.deadline": "必填",
        "findings": "必填",
    }
    labels = {"deadline": "整改时限", "criterion_code": "评议内容"}
    assert row_messages(errors, 4, [1, 3], labels) == [
        None,
        "整改时限：必填",
        None,
        "评议内容：请选择；整改时限：必填",
    ]


@pytest.mark.parametrize(
    ("path", "row", "words"),
    [
        ("follow_ups.0.deadline", "问题", "第1项问题·整改时限"),
        ("follow_ups.2", "问题", "第3项问题"),
        ("mobilize.starts_on", "", "动员部署·开始日期"),
        ("deadline", "问题", "整改时限"),
        ("unknown", "", "unknown"),
    ],
)
def test_label_of(path: str, row: str, words: str) -> None:
    labels = {"deadline": "整改时限", "mobilize": "动员部署", "starts_on": "开始日期"}
    assert label_of(path, labels, row) == words
