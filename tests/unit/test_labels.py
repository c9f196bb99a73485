"""data/labels.py, the one home of field and value names, and the history (修改历史) it names."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from data.db import Database
from data.exports import LEDGER_HEADERS, REFERRAL_HEADERS, SUPERVISION_HEADERS
from data.forms import VisitForm, validate
from data.history import History, HistoryEntry, record_history
from data.import_plan import RowChange
from data.import_schema import LEDGER_COLUMNS, UNIT_COLUMNS
from data.imports import describe_change as describe_import
from data.labels import (
    ACTION_NAMES,
    FIELDS,
    PROBLEM,
    VALUES,
    describe_change,
    describe_changes,
    field_name,
    value_name,
)
from data.supervision import save_visit
from layouts.history import history_table
from layouts.supervision import LABELS as VISIT_FORM_LABELS
from tests.components import texts
from tests.factories import make_campaign, make_unit

AT = dt.datetime(2024, 11, 10, 9, 30)


# ---- one name per field --------------------------------------------------------------------


def test_the_import_headers_are_the_problem_fields_names() -> None:
    assert [c.header for c in LEDGER_COLUMNS] == [
        "编号",
        "责任单位",
        "问题来源",
        "评议内容",
        "发现日期",
        "问题描述",
        "严重程度",
        "整改措施",
        "责任人",
        "整改时限",
        "整改状态",
        "完成日期",
        "是否公开",
        "是否上报纠风办",
        "投诉人",
        "联系电话",
        "群众反馈",
    ]
    assert [c.header for c in UNIT_COLUMNS] == ["单位名称", "单位类型", "所属乡镇"]
    assert LEDGER_HEADERS[1] == PROBLEM["unit_id"] == field_name("problem", "unit_id")


def test_exports_and_forms_read_the_same_names() -> None:
    assert SUPERVISION_HEADERS[0] == FIELDS["supervision_visit"]["visited_on"] == "督导日期"
    assert VISIT_FORM_LABELS["kind"] == SUPERVISION_HEADERS[4] == "督导类型"
    assert REFERRAL_HEADERS[:3] == ["编号", "责任单位", "发现日期"]
    assert VISIT_FORM_LABELS["description"] == "整改事项"  # a visit's follow-up row


def test_every_coded_field_has_a_name() -> None:
    for entity, fields in VALUES.items():
        for field in fields:
            assert field in FIELDS[entity], (entity, field)


def test_an_unknown_field_keeps_its_own_name() -> None:
    assert field_name("problem", "visit_id") == "visit_id"
    assert field_name("nothing", "x") == "x"


# ---- values --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entity", "field", "value", "shown"),
    [
        ("supervision_visit", "kind", "routine", "常规督导"),
        ("unit", "kind", "law_firm", "律师事务所"),  # the same field name, another record
        ("problem", "status", "verified", "已销号"),
        ("problem", "criterion_code", "disclosure", "信息公开"),
        ("problem", "channel", "nowhere", "nowhere"),  # an unknown code stays as it is
        ("problem", "published", True, "是"),
        ("problem", "reported", False, "否"),
        ("problem", "owner", None, "空"),
        ("problem", "owner", "", "空"),
        ("problem", "found_on", dt.date(2024, 6, 3), "2024-06-03"),
        ("problem", "found_on", "2024-06-03", "2024-06-03"),
        ("task_template", "kinds", ["law_firm", "notary_office"], "律师事务所、公证处"),
        ("app_user", "role", "supervisor", "督导员"),
    ],
)
def test_values_are_named(entity: str, field: str, value: Any, shown: str) -> None:
    assert value_name(entity, field, value) == shown


def test_ids_are_named_by_the_lookup_passed_in() -> None:
    lookups = {"unit_id": {1: "城关镇司法所"}}
    assert value_name("supervision_visit", "unit_id", 1, lookups) == "城关镇司法所"
    assert value_name("supervision_visit", "unit_id", 2, lookups) == "2"
    assert value_name("supervision_visit", "unit_id", 1) == "1"


# ---- one change, one entry -----------------------------------------------------------------


def test_a_change_reads_before_and_after() -> None:
    assert describe_change("supervision_visit", "kind", None, "focus") == "督导类型：空 → 重点督查"
    assert describe_change("problem", "status", "pending", "done") == "整改状态：待整改 → 已整改"
    assert (
        describe_change("supervision_visit", "kind", None, "routine", created=True)
        == "督导类型：常规督导"
    )
    assert (
        describe_change(
            "supervision_visit", "unit_id", 1, 2, lookups={"unit_id": {1: "甲所", 2: "乙所"}}
        )
        == "被督导单位：甲所 → 乙所"
    )


def test_an_entry_lists_its_named_fields_only() -> None:
    changes = [
        ("id", None, 7),
        ("version", None, 1),
        ("kind", None, "routine"),
        ("notes", None, None),
        ("visited_on", None, "2024-11-10"),
    ]
    assert describe_changes("supervision_visit", "create", changes) == [
        "督导类型：常规督导",
        "督导日期：2024-11-10",
    ]
    assert describe_changes("supervision_visit", "update", [("notes", "甲", None)]) == [
        "备注：甲 → 空"
    ]


def test_the_import_names_its_changes_from_the_same_tables() -> None:
    change = RowChange(5, "2024-0001", {"status": ("in_progress", "done"), "owner": (None, "张")})
    assert (
        describe_import(change)
        == "第 5 行（2024-0001）：整改状态 整改中 → 已整改；责任人 （空） → 张"
    )
    moved = RowChange(3, "甲", {"unit_id": (1, 2)}, "problem")
    assert describe_import(moved, {1: "甲所", 2: "乙所"}) == "第 3 行（甲）：责任单位 甲所 → 乙所"
    renamed = RowChange(2, "王五", {"sector": ("教育", "卫生")}, "representative")
    assert describe_import(renamed) == "第 2 行（王五）：界别 教育 → 卫生"


# ---- the history view ----------------------------------------------------------------------


def test_the_history_table_shows_names_not_codes() -> None:
    history = History(
        "supervision_visit",
        [
            HistoryEntry(AT, "duban", "update", None, [("kind", "routine", "focus")]),
            HistoryEntry(AT, "duban", "create", "由导入建立", [("unit_id", None, 3)]),
        ],
        {"unit_id": {3: "城关镇司法所"}},
    )
    shown = texts(history_table(history, "t-history"))
    assert "督导类型：常规督导 → 重点督查" in shown
    assert "被督导单位：城关镇司法所" in shown
    assert "由导入建立" in shown
    assert [ACTION_NAMES["update"], ACTION_NAMES["create"]] == ["修改", "新建"]
    assert "修改" in shown and "新建" in shown
    assert "routine" not in " ".join(shown) and "focus" not in " ".join(shown)


def test_no_history_says_so() -> None:
    assert texts(history_table(History("problem", []))) == ["没有修改记录。"]


def test_a_visit_history_names_its_unit_and_campaign(db: Database) -> None:
    with db.write("test") as s:
        make_campaign(s, 2024)
        unit = make_unit(s, name="城关镇司法所")
    raw = {
        "unit_id": unit.id,
        "visited_on": "2024-11-10",
        "supervisors": "王督导",
        "kind": "routine",
        "ratings": {},
        "follow_ups": [],
    }
    with db.write("duban") as s:
        visit_id = save_visit(s, validate(VisitForm, raw), 2024).id
    with db.read() as s:
        history = record_history(s, "supervision_visit", visit_id)
    [created] = history.entries
    lines = describe_changes(history.entity, created.action, created.changes, history.lookups)
    assert "被督导单位：城关镇司法所" in lines
    assert "评议年度：2024" in lines
    assert "督导类型：常规督导" in lines


# ---- a visit's history takes in its ratings and follow-ups (issue #19 item 5) ---------------


def test_a_rating_is_named_by_its_criterion_and_its_value() -> None:
    assert field_name("supervision_visit", "ratings.lawful") == "评议内容评定·依法办事"
    assert (
        describe_change("supervision_visit", "ratings.lawful", "basic", "nonconform")
        == "评议内容评定·依法办事：基本符合 → 不符合"
    )
    assert describe_change("supervision_visit", "ratings.lawful", None, "conform") == (
        "评议内容评定·依法办事：空 → 符合"
    )
    # A follow-up filed is something added: no "空 →" before it.
    assert describe_change("supervision_visit", "follow_up", None, "补齐公示") == (
        "新增整改事项：补齐公示"
    )
    changes = [("ratings.style", None, "basic"), ("visit_id", None, 3), ("rating", None, "x")]
    assert describe_changes("supervision_visit", "update", changes) == [
        "评议内容评定·改进作风：空 → 基本符合"
    ]


def test_a_visit_history_lists_its_ratings_and_follow_ups_in_words(db: Database) -> None:
    with db.write("test") as s:
        make_campaign(s, 2024)
        unit = make_unit(s, name="城关镇司法所")
        other = make_unit(s, name="东湖镇司法所")
    raw = {
        "unit_id": unit.id,
        "visited_on": "2024-11-10",
        "supervisors": "王督导",
        "kind": "routine",
        "ratings": {"disclosure": "basic"},
        "follow_ups": [],
    }
    with db.write("duban") as s:
        visit = save_visit(s, validate(VisitForm, raw), 2024)
        visit_id, version = visit.id, visit.version
    # A later save of ratings only (eight added, one changed), and one of fields and a follow-up.
    ratings = {code: "conform" for code in ("lawful", "integrity", "institutions", "style")}
    edit = {**raw, "ratings": {"disclosure": "nonconform", **ratings}}
    with db.write("leader") as s:
        version = save_visit(s, validate(VisitForm, edit), 2024, visit_id, version).version
    follow_up = {
        "description": "补齐收费标准公示",
        "criterion_code": "disclosure",
        "deadline": "2024-11-30",
        "owner": None,
        "severity": "normal",
    }
    moved = {**edit, "unit_id": other.id, "kind": "focus", "follow_ups": [follow_up]}
    with db.write("admin") as s:
        save_visit(s, validate(VisitForm, moved), 2024, visit_id, version)
    with db.read() as s:
        history = record_history(s, "supervision_visit", visit_id)
    shown = texts(history_table(history))
    assert [entry.actor for entry in history.entries] == ["admin", "leader", "duban"]
    assert "评议内容评定·信息公开：基本符合 → 不符合" in shown
    assert "评议内容评定·依法办事：空 → 符合" in shown
    assert "评议内容评定·信息公开：基本符合" in shown  # given when the visit was logged
    assert "被督导单位：城关镇司法所 → 东湖镇司法所" in shown
    assert "督导类型：常规督导 → 重点督查" in shown
    assert "新增整改事项：补齐收费标准公示" in shown
    changes = [text for text in shown if "：" in text]
    joined = " ".join(changes)
    for raw_value in ("routine", "focus", "conform", "basic", "disclosure"):
        assert raw_value not in joined
    # A value is a name, never a bare id (the time column is left out: 06:52 holds a "2").
    values = {part.strip() for text in changes for part in re.split("[：→]", text)}
    assert not values & {str(unit.id), str(other.id)}
