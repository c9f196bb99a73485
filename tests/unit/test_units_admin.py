"""The roster kept by the admin: add, rename (former names still import), kind, caseload, retire.

Every refusal is a Chinese message on its field and writes nothing, even when the caller
catches the error and commits its session (as a page callback does)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from data.backup import NOT_DATA
from data.campaigns import create_campaign
from data.db import Database
from data.edits import ConflictError
from data.forms import FormError, validate
from data.import_files import ImportFailed
from data.imports import run_import
from data.models import (
    ArchiveItem,
    ArchiveTemplate,
    Base,
    Campaign,
    ChangeLog,
    DataVersion,
    Problem,
    TaskTemplate,
    Unit,
    UnitAlias,
    UnitCaseload,
    UnitTask,
)
from data.units import (
    UnitForm,
    add_unit,
    deactivate_unit,
    lost_criteria,
    reactivate_unit,
    regroup_message,
    set_caseload,
    unit_rows,
    update_unit,
)
from tests.factories import make_problem, make_unit

KINDS = "司法所、公证处、律师事务所、法律服务中心、法律援助中心"


@pytest.fixture
def county(db: Database) -> Database:
    """Two units, then campaigns 2023 and 2024 (so both units have their items)."""
    with db.write("test") as s:
        make_unit(s, name="城关镇司法所")
        make_unit(s, name="明正律师事务所", kind="law_firm", township="城关镇")
        create_campaign(s, 2023)
        create_campaign(s, 2024)
    return db


def unit_id(db: Database, name: str) -> int:
    with db.read() as s:
        found = s.scalar(select(Unit.id).where(Unit.name == name))
    assert found is not None
    return found


def state(db: Database) -> dict[str, int]:
    """Rows of every table, plus the data version that every committed write moves."""
    with db.read() as s:
        rows = {
            table.name: s.scalar(select(func.count()).select_from(table)) or 0
            for table in Base.metadata.sorted_tables
            if table.name not in NOT_DATA  # the shared cache is no record
        }
        rows["data_version"] = s.scalar(select(DataVersion.n)) or 0
    return rows


def refused(db: Database, call: Callable[[Session], Any]) -> FormError:
    """The FormError of a call; the session is committed anyway and nothing may be written."""
    before = state(db)
    with db.write("admin") as s, pytest.raises(FormError) as exc:
        call(s)
    after = state(db)
    assert after == before
    assert after["change_log"] == before["change_log"]
    return exc.value


def write(db: Database, call: Callable[[Session], Any]) -> Any:
    with db.write("admin") as s:
        return call(s)


def expected_items(s: Session, unit: Unit) -> tuple[set[tuple[int, int]], set[tuple[int, str]]]:
    """(template id, unit id) of the tasks and (campaign id, name) of the archive items a unit
    should have: every live template whose kinds are unset or include the unit's kind."""
    tasks = {
        (t.id, unit.id)
        for t in s.scalars(select(TaskTemplate).where(TaskTemplate.retired_at.is_(None)))
        if t.kinds is None or unit.kind in t.kinds
    }
    templates = select(ArchiveTemplate.campaign_id, ArchiveTemplate.name)
    archive = {tuple(r) for r in s.execute(templates)}
    return tasks, archive


def items_of(s: Session, unit: Unit) -> tuple[set[tuple[int, int]], set[tuple[int, str]]]:
    """The tasks and archive items a unit has, in the form of expected_items."""
    tasks = select(UnitTask.template_id, UnitTask.unit_id).where(UnitTask.unit_id == unit.id)
    archive = select(ArchiveItem.campaign_id, ArchiveItem.name).where(
        ArchiveItem.unit_id == unit.id
    )
    return {tuple(r) for r in s.execute(tasks)}, {tuple(r) for r in s.execute(archive)}


def assert_has_all_items(db: Database, name: str) -> None:
    with db.read() as s:
        unit = s.scalars(select(Unit).where(Unit.name == name)).one()
        expected = expected_items(s, unit)
        assert expected[0] and expected[1]
        assert items_of(s, unit) == expected


def csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


LEDGER_HEADER = ["编号", "责任单位", "问题来源", "评议内容", "发现日期", "问题描述"]
LEDGER_HEADER += ["整改时限", "整改状态"]


# ---- the form ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "code"), [("law_firm", "law_firm"), (" 公证处 ", "notary_office")]
)
def test_form_takes_kind_codes_and_chinese_names(kind: str, code: str) -> None:
    form = validate(UnitForm, {"name": " 新华公证处 ", "kind": kind, "township": ""})
    assert (form.name, form.kind, form.township) == ("新华公证处", code, None)


@pytest.mark.parametrize(
    ("raw", "field", "message"),
    [
        ({"name": "甲所", "kind": "司法局"}, "kind", f"单位类型无效：司法局（可选 {KINDS}）"),
        ({"name": "甲所", "kind": ""}, "kind", "必填"),
        ({"name": " ", "kind": "司法所"}, "name", "必填"),
        ({"name": "长" * 201, "kind": "司法所"}, "name", "不能超过 200 个字"),
        ({"name": "甲所", "kind": "司法所", "township": "镇" * 101}, "township", "不能超过"),
    ],
)
def test_form_errors(raw: dict[str, Any], field: str, message: str) -> None:
    with pytest.raises(FormError) as exc:
        validate(UnitForm, raw)
    assert message in exc.value.errors[field]


# ---- adding --------------------------------------------------------------------------------


def test_added_unit_gets_its_items_in_every_campaign(county: Database) -> None:
    before = state(county)
    write(county, lambda s: add_unit(s, {"name": "新华公证处", "kind": "公证处"}))
    assert state(county)["unit"] == before["unit"] + 1
    assert_has_all_items(county, "新华公证处")
    with county.read() as s:
        unit = s.scalars(select(Unit).where(Unit.name == "新华公证处")).one()
        created = s.scalars(
            select(ChangeLog).where(ChangeLog.entity == "unit", ChangeLog.action == "create")
        ).all()
        # The legal-service deliverable (公开服务承诺) is among its tasks.
        names = set(
            s.scalars(
                select(TaskTemplate.name)
                .join(UnitTask, UnitTask.template_id == TaskTemplate.id)
                .where(UnitTask.unit_id == unit.id)
            )
        )
    assert (unit.kind, unit.township, unit.version) == ("notary_office", None, 1)
    assert "公开服务承诺" in names
    assert [c.after["name"] for c in created if c.after["name"] == "新华公证处"] == ["新华公证处"]


def test_add_refusals(county: Database) -> None:
    uid = unit_id(county, "城关镇司法所")
    write(county, lambda s: update_unit(s, uid, _raw("城关司法所"), version=_current(s, uid)))
    cases = [
        ({"name": "明正律师事务所", "kind": "律师事务所"}, "单位名称已存在：明正律师事务所"),
        (
            {"name": "城关镇司法所", "kind": "司法所"},
            "单位名称“城关镇司法所”与单位“城关司法所”的曾用名相同",
        ),
        ({"name": "甲所", "kind": "司法局"}, f"单位类型无效：司法局（可选 {KINDS}）"),
    ]
    for raw, message in cases:
        error = refused(county, lambda s, raw=raw: add_unit(s, raw))
        assert message in error.errors.values()


# ---- updating ------------------------------------------------------------------------------


def _current(s: Session, unit_id: int) -> int:
    """The version an edit form opened now would carry."""
    return s.get(Unit, unit_id).version  # type: ignore[union-attr]


def _raw(name: str, kind: str = "司法所", township: str | None = "城关镇") -> dict[str, Any]:
    return {"name": name, "kind": kind, "township": township}


def test_rename_keeps_the_old_name_as_an_alias(county: Database) -> None:
    uid = unit_id(county, "城关镇司法所")
    write(county, lambda s: update_unit(s, uid, _raw("城关司法所"), version=1))
    write(
        county, lambda s: update_unit(s, uid, _raw("城关镇司法所"), version=_current(s, uid))
    )  # back to its former name
    write(
        county, lambda s: update_unit(s, uid, _raw("城关司法所"), version=_current(s, uid))
    )  # and again
    with county.read() as s:
        unit = s.get(Unit, uid)
        aliases = s.scalars(select(UnitAlias.alias).order_by(UnitAlias.id)).all()
        logged = s.scalars(select(ChangeLog.entity).where(ChangeLog.entity == "unit_alias")).all()
    assert unit is not None and (unit.name, unit.version) == ("城关司法所", 4)
    assert aliases == ["城关镇司法所", "城关司法所"]  # never deleted, never twice
    assert logged == ["unit_alias", "unit_alias"]


def test_update_changes_township_and_kind_within_group(county: Database) -> None:
    uid = unit_id(county, "明正律师事务所")
    write(
        county,
        lambda s: update_unit(
            s, uid, _raw("明正律师事务所", "法律服务中心", "新华镇"), version=_current(s, uid)
        ),
    )
    with county.read() as s:
        unit = s.get(Unit, uid)
        names = s.scalars(select(UnitAlias.alias)).all()
    assert unit is not None and (unit.kind, unit.township) == ("legal_service_center", "新华镇")
    assert names == []


def test_update_refusals(county: Database) -> None:
    office, firm = unit_id(county, "城关镇司法所"), unit_id(county, "明正律师事务所")
    write(
        county,
        lambda s: update_unit(s, firm, _raw("明正所", "律师事务所"), version=_current(s, firm)),
    )
    with county.write("test") as s:
        campaign_id = s.scalar(select(TaskTemplate.campaign_id))
        campaign = s.get(Campaign, campaign_id)
        assert campaign is not None
        office_unit = s.get(Unit, office)
        assert office_unit is not None
        make_problem(s, campaign, office_unit, criterion_code="development")
        make_problem(s, campaign, office_unit, criterion_code="style")
    cases: list[tuple[Callable[[Session], Any], str, str]] = [
        (
            lambda s: update_unit(s, office, _raw("明正所"), version=_current(s, office)),
            "name",
            "单位名称已存在：明正所",
        ),
        (
            lambda s: update_unit(s, office, _raw("明正律师事务所"), version=_current(s, office)),
            "name",
            "单位名称“明正律师事务所”与单位“明正所”的曾用名相同",
        ),
        (
            lambda s: update_unit(
                s, office, _raw("城关镇司法所", "司法局"), version=_current(s, office)
            ),
            "kind",
            f"单位类型无效：司法局（可选 {KINDS}）",
        ),
        (
            lambda s: update_unit(
                s, office, _raw("城关镇司法所", "律师事务所"), version=_current(s, office)
            ),
            "kind",
            "改为律师事务所后，该单位已有问题的评议内容（促进发展、改进作风）将不再适用，"
            "请先调整这些问题",
        ),
        (lambda s: update_unit(s, 9999, _raw("城关镇司法所")), "unit", "单位不存在"),
    ]
    for call, field, message in cases:
        assert refused(county, call).errors == {field: message}


def test_update_of_a_stale_version_is_a_conflict(county: Database) -> None:
    uid = unit_id(county, "城关镇司法所")
    write(
        county,
        lambda s: update_unit(
            s, uid, _raw("城关镇司法所", township="新华镇"), version=_current(s, uid)
        ),
    )
    before = state(county)
    with county.write("admin") as s, pytest.raises(ConflictError) as exc:
        update_unit(s, uid, _raw("城关司法所"), version=1, seen={"township": "城关镇"})
    assert exc.value.changes == {"township": ("城关镇", "新华镇")}
    assert state(county) == before


def test_regroup_allowed_when_problems_are_voided_or_common(county: Database) -> None:
    uid = unit_id(county, "城关镇司法所")
    with county.write("test") as s:
        campaign = s.scalars(select(Campaign).where(Campaign.year == 2024)).one()
        unit = s.get(Unit, uid)
        assert unit is not None
        make_problem(s, campaign, unit, criterion_code="lawful")
        make_problem(
            s, campaign, unit, criterion_code="development", voided_at=dt.datetime(2024, 7, 1)
        )
        assert lost_criteria(s, {uid: "law_firm"}) == {}
        assert lost_criteria(s, {}) == {}
    write(
        county,
        lambda s: update_unit(s, uid, _raw("城关镇司法所", "律师事务所"), version=_current(s, uid)),
    )
    # The new kind's deliverables (公开服务承诺) are given at once.
    assert_has_all_items(county, "城关镇司法所")


def test_regroup_message_names_the_lost_criteria() -> None:
    assert regroup_message("law_firm", ["改进作风", "促进发展"]) == (
        "改为律师事务所后，该单位已有问题的评议内容（促进发展、改进作风）将不再适用，"
        "请先调整这些问题"
    )


# ---- caseload ------------------------------------------------------------------------------


def test_set_caseload_upserts(county: Database) -> None:
    uid = unit_id(county, "明正律师事务所")
    write(county, lambda s: set_caseload(s, 2024, uid, 120))
    write(county, lambda s: set_caseload(s, 2024, uid, " 150 "))
    write(county, lambda s: set_caseload(s, 2024, uid, 150))  # unchanged: nothing recorded
    with county.read() as s:
        rows = s.execute(select(UnitCaseload.cases)).scalars().all()
        logged = s.execute(
            select(ChangeLog.action, ChangeLog.after).where(ChangeLog.entity == "unit_caseload")
        ).all()
    assert rows == [150]
    assert [action for action, _ in logged] == ["create", "update"]
    assert logged[1][1] == {"cases": 150}
    with county.read() as s:
        by_year = {
            year: {r.name: r.caseload for r in unit_rows(s, year)} for year in (2023, 2024, None)
        }
    assert by_year[2024] == {"城关镇司法所": None, "明正律师事务所": 150}
    assert by_year[2023] == by_year[None] == {"城关镇司法所": None, "明正律师事务所": None}


@pytest.mark.parametrize("cases", [-1, 1.5, "abc", "-3", None, True, ""])
def test_bad_caseload_is_refused(county: Database, cases: Any) -> None:
    uid = unit_id(county, "明正律师事务所")
    error = refused(county, lambda s: set_caseload(s, 2024, uid, cases))
    assert error.errors == {"cases": "办案量应为不小于 0 的整数"}


def test_caseload_of_unknown_year_or_unit(county: Database) -> None:
    uid = unit_id(county, "明正律师事务所")
    assert refused(county, lambda s: set_caseload(s, 2030, uid, 5)).errors == {
        "year": "没有 2030 年的评议活动"
    }
    assert refused(county, lambda s: set_caseload(s, 2024, 9999, 5)).errors == {
        "unit": "单位不存在"
    }


# ---- retiring ------------------------------------------------------------------------------


def test_deactivate_and_reactivate(county: Database) -> None:
    uid = unit_id(county, "明正律师事务所")
    write(county, lambda s: deactivate_unit(s, uid, dt.date(2024, 12, 31)))
    error = refused(county, lambda s: deactivate_unit(s, uid, dt.date(2025, 1, 5)))
    assert error.errors == {"retired_on": "该单位已于 2024-12-31 停用"}
    write(county, lambda s: create_campaign(s, 2025))
    with county.read() as s:
        unit = s.get(Unit, uid)
        assert unit is not None and unit.retired_on == dt.date(2024, 12, 31)
        # Retired before 2025: no items there; its history stays.
        assert items_of(s, unit) != expected_items(s, unit)
    write(county, lambda s: reactivate_unit(s, uid))
    with county.read() as s:
        unit = s.get(Unit, uid)
        assert unit is not None and unit.retired_on is None
    assert_has_all_items(county, "明正律师事务所")
    error = refused(county, lambda s: reactivate_unit(s, uid))
    assert error.errors == {"retired_on": "该单位未停用"}


@pytest.mark.parametrize(
    "call",
    [
        lambda s: update_unit(s, 9999, _raw("甲所")),
        lambda s: update_unit(s, "1", _raw("甲所")),
        lambda s: set_caseload(s, 2024, 9999, 3),
        lambda s: deactivate_unit(s, 9999, dt.date(2024, 1, 1)),
        lambda s: reactivate_unit(s, None),
    ],
    ids=["update", "update-text-id", "caseload", "deactivate", "reactivate"],
)
def test_unknown_unit(county: Database, call: Callable[[Session], Any]) -> None:
    assert refused(county, call).errors == {"unit": "单位不存在"}


# ---- the admin list ------------------------------------------------------------------------


def test_unit_rows(county: Database) -> None:
    office, firm = unit_id(county, "城关镇司法所"), unit_id(county, "明正律师事务所")
    write(
        county,
        lambda s: update_unit(
            s, firm, _raw("明正所", "律师事务所", None), version=_current(s, firm)
        ),
    )
    write(county, lambda s: add_unit(s, {"name": "甲司法所", "kind": "judicial_office"}))
    write(county, lambda s: deactivate_unit(s, office, dt.date(2024, 3, 1)))
    with county.read() as s:
        rows = unit_rows(s, 2024)
    assert [(r.name, r.kind, r.retired_on, r.aliases, r.version) for r in rows] == [
        ("甲司法所", "judicial_office", None, (), 1),
        ("明正所", "law_firm", None, ("明正律师事务所",), 2),
        ("城关镇司法所", "judicial_office", dt.date(2024, 3, 1), (), 2),
    ]


def test_unit_rows_query_count_does_not_grow_with_units(county: Database) -> None:
    def statements() -> int:
        seen: list[str] = []

        def count(*args: Any) -> None:
            seen.append(args[2])

        event.listen(county.engine, "before_cursor_execute", count)
        try:
            with county.read() as s:
                unit_rows(s, 2024)
        finally:
            event.remove(county.engine, "before_cursor_execute", count)
        return len(seen)

    few = statements()
    with county.write("test") as s:
        for i in range(20):
            unit = make_unit(s, name=f"批量所{i}")
            s.add(UnitAlias(unit_id=unit.id, alias=f"旧批量所{i}"))
            s.add(UnitCaseload(campaign_id=1, unit_id=unit.id, cases=i))
    assert statements() == few


# ---- imports use former names; the roster gives new units their items ----------------------


def test_ledger_with_the_old_name_lands_on_the_renamed_unit(county: Database) -> None:
    uid = unit_id(county, "城关镇司法所")
    write(county, lambda s: update_unit(s, uid, _raw("城关司法所"), version=_current(s, uid)))
    ledger = csv_bytes(
        LEDGER_HEADER,
        [
            ["A-1", "城关镇司法所", "投诉举报", "促进发展", "2024-06-03", "态度生硬"]
            + ["2024-07-03", "整改中"],
            ["A-2", "城关司法所", "自查自纠", "依法办事", "2024-06-04", "公示不全"]
            + ["2024-07-04", "待整改"],
        ],
    )
    result = write(county, lambda s: run_import(s, "problems", ledger, "台账.csv", 2024))
    assert result.created == 2
    again = write(county, lambda s: run_import(s, "problems", ledger, "台账.csv", 2024))
    assert again.unchanged == 2
    with county.read() as s:
        owners = s.execute(select(Problem.ledger_key, Problem.unit_id)).all()
    assert sorted(owners) == [("A-1", uid), ("A-2", uid)]


def test_roster_import_gives_a_new_unit_all_its_items(county: Database) -> None:
    roster = csv_bytes(
        ["单位名称", "单位类型", "所属乡镇"], [["新华法律援助中心", "法律援助中心", "新华镇"]]
    )
    before = state(county)
    dry = write(county, lambda s: run_import(s, "units", roster, "名册.csv", dry_run=True))
    assert dry.created == 1 and state(county) == before
    result = write(county, lambda s: run_import(s, "units", roster, "名册.csv"))
    assert result.created == 1
    assert_has_all_items(county, "新华法律援助中心")
    again = write(county, lambda s: run_import(s, "units", roster, "名册.csv"))
    assert (again.created, again.unchanged) == (0, 1)


def test_roster_row_with_a_former_name_updates_that_unit(county: Database) -> None:
    uid = unit_id(county, "城关镇司法所")
    write(county, lambda s: update_unit(s, uid, _raw("城关司法所"), version=_current(s, uid)))
    roster = csv_bytes(["单位名称", "单位类型", "所属乡镇"], [["城关镇司法所", "司法所", "新华镇"]])
    units = state(county)["unit"]
    result = write(county, lambda s: run_import(s, "units", roster, "名册.csv"))
    assert (result.created, result.updated) == (0, 1)
    with county.read() as s:
        unit = s.get(Unit, uid)
    assert unit is not None and (unit.name, unit.township) == ("城关司法所", "新华镇")
    assert state(county)["unit"] == units


def test_roster_naming_one_unit_twice_is_refused(county: Database) -> None:
    uid = unit_id(county, "城关镇司法所")
    write(county, lambda s: update_unit(s, uid, _raw("城关司法所"), version=_current(s, uid)))
    roster = csv_bytes(
        ["单位名称", "单位类型"], [["城关司法所", "司法所"], ["城关镇司法所", "司法所"]]
    )
    before = state(county)
    with pytest.raises(ImportFailed) as exc:
        write(county, lambda s: run_import(s, "units", roster, "名册.csv"))
    assert state(county) == before
    issue = exc.value.issues[0]
    assert (issue.row, issue.column) == (3, "单位名称")
    assert issue.message == "与第 2 行是同一单位“城关司法所”（含曾用名）"


def test_roster_regroup_message_is_the_shared_one(county: Database) -> None:
    uid = unit_id(county, "城关镇司法所")
    with county.write("test") as s:
        campaign = s.scalars(select(Campaign).where(Campaign.year == 2024)).one()
        unit = s.get(Unit, uid)
        assert unit is not None
        make_problem(s, campaign, unit, criterion_code="development")
    roster = csv_bytes(["单位名称", "单位类型"], [["城关镇司法所", "律师事务所"]])
    with pytest.raises(ImportFailed) as exc:
        write(county, lambda s: run_import(s, "units", roster, "名册.csv"))
    assert exc.value.issues[0].message == regroup_message("law_firm", ["促进发展"])
