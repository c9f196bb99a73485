"""Imports never lose a row: every error at once (row, column, Chinese reason) and nothing written;
encodings, date forms and header variants; re-imports change nothing; updates only what changed."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import event, func, select

from dashboard.cli import main
from dashboard.ids import Imports as Ids
from data.db import Database
from data.import_files import ImportFailed, Issue
from data.import_plan import ImportResult
from data.import_schema import parse_date
from data.imports import run_import
from data.models import ChangeLog, Problem, Representative, SatisfactionSurvey, Unit
from layouts.imports import failed_view, ok_view
from tests.components import by_id, grid_cells, texts
from tests.factories import make_campaign, make_unit

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
HEADER = ["编号", "责任单位", "问题来源", "评议内容", "发现日期", "问题描述"]
HEADER += ["整改时限", "整改状态", "完成日期", "是否公开", "群众反馈", "投诉人", "联系电话"]
GOOD = {
    "编号": "A-1",
    "责任单位": "城关镇司法所",
    "问题来源": "投诉举报",
    "评议内容": "依法办事",
    "发现日期": "2024-06-03",
    "问题描述": "窗口工作人员态度生硬",
    "整改时限": "2024-07-03",
    "整改状态": "整改中",
    "完成日期": "",
    "是否公开": "否",
    "群众反馈": "",
    "投诉人": "张三",
    "联系电话": "13812345678",
}
SECOND = {
    **GOOD,
    "编号": "A-2",
    "责任单位": "明正律师事务所",
    "问题来源": "自查自纠",
    "评议内容": "诚信服务",
    "发现日期": "2024/6/5",
    "问题描述": "收费标准未公示",
    "整改时限": "2024年7月5日",
    "整改状态": "已整改",
    "完成日期": "2024.6.20",
    "是否公开": "是",
    "群众反馈": "满意",
    "投诉人": "",
    "联系电话": "",
}
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


def csv_bytes(
    rows: list[dict[str, Any]], encoding: str = "utf-8", header: list[str] | None = None
) -> bytes:
    """A CSV file of rows (dicts by header) in an encoding."""
    header = header or (list(rows[0]) if rows else HEADER)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(name, "") for name in header])
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    """An .xlsx file (openpyxl, as Excel writes cells) of raw rows, header included."""
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def county(db: Database) -> Database:
    """Campaign 2024, a 司法所 and a law firm."""
    with db.write("test") as s:
        make_campaign(s, 2024)
        make_unit(s, name="城关镇司法所")
        make_unit(s, name="明正律师事务所", kind="law_firm", township="城关镇")
    return db


def counts(db: Database) -> tuple[int, int, int]:
    """(problems, units, change_log rows)."""
    with db.read() as s:
        return (
            s.scalar(select(func.count()).select_from(Problem)) or 0,
            s.scalar(select(func.count()).select_from(Unit)) or 0,
            s.scalar(select(func.count()).select_from(ChangeLog)) or 0,
        )


def do_import(
    db: Database,
    data: bytes,
    name: str = "台账.csv",
    kind: str = "problems",
    year: int | None = 2024,
    dry_run: bool = False,
) -> ImportResult:
    with db.write("admin") as s:
        return run_import(s, kind, data, name, year, dry_run=dry_run)


def failure(db: Database, data: bytes, name: str = "台账.csv", **kw: Any) -> list[Issue]:
    """The issues of an import that must fail and write nothing."""
    before = counts(db)
    with pytest.raises(ImportFailed) as exc:
        do_import(db, data, name, **kw)
    assert counts(db) == before
    return exc.value.issues


def one(issues: list[Issue], row: int | None, column: str | None) -> Issue:
    found = [i for i in issues if i.row == row and i.column == column]
    assert found, [i.text() for i in issues]
    return found[0]


def row(**changes: str) -> dict[str, Any]:
    return {**GOOD, **changes}


# ---- bad input: each a Chinese message at its row and column, and nothing written -----------

BAD_ROWS: list[tuple[str, list[dict[str, Any]], int, str, str]] = [
    (
        "unknown unit",
        [row(责任单位="不存在的所")],
        2,
        "责任单位",
        "单位不在评议对象名册中：不存在的所",
    ),
    ("impossible date", [row(发现日期="2024-02-30")], 2, "发现日期", "日期不存在：2024-02-30"),
    (
        "deadline before found",
        [row(整改时限="2024-06-01")],
        2,
        "整改时限",
        "整改时限 2024-06-01 早于发现日期 2024-06-03",
    ),
    (
        "criterion of the other group",
        [row(评议内容="诚信服务")],
        2,
        "评议内容",
        "评议内容“诚信服务”不适用于司法所（司法行政机关）",
    ),
    (
        "done without completion date",
        [row(整改状态="已整改")],
        2,
        "完成日期",
        "整改状态为“已整改”时必须填写完成日期",
    ),
    (
        "verified without completion date",
        [row(整改状态="已销号")],
        2,
        "完成日期",
        "整改状态为“已销号”时必须填写完成日期",
    ),
    ("unknown channel", [row(问题来源="电话")], 2, "问题来源", "无效的问题来源：电话"),
    ("unknown status", [row(整改状态="差不多")], 2, "整改状态", "无效的整改状态：差不多"),
    ("unknown criterion", [row(评议内容="服务态度")], 2, "评议内容", "无效的评议内容：服务态度"),
    ("duplicate key", [row(), row(问题描述="另一件")], 3, "编号", "编号与第 2 行重复"),
    (
        "duplicate row without key",
        [row(编号=""), row(编号="")],
        3,
        "问题描述",
        "与第 2 行的责任单位、发现日期、问题描述完全相同",
    ),
    (
        "description of 100 000 characters",
        [row(问题描述="长" * 100_000)],
        2,
        "问题描述",
        "内容过长：100000 字，最多 2000 字",
    ),
    ("bad 是否公开", [row(是否公开="也许")], 2, "是否公开", "应填“是”或“否”：也许"),
    ("bad 群众反馈", [row(群众反馈="很好")], 2, "群众反馈", "无效的群众反馈：很好"),
    (
        "completed before found",
        [row(整改状态="已整改", 完成日期="2024-06-01")],
        2,
        "完成日期",
        "完成日期 2024-06-01 早于发现日期 2024-06-03",
    ),
    ("unparseable date", [row(发现日期="六月三日")], 2, "发现日期", "无法识别的日期：六月三日"),
    ("blank required cell", [row(问题描述="　 ")], 2, "问题描述", "不能为空"),
    ("blank unit", [row(责任单位="")], 2, "责任单位", "不能为空"),
    ("bad phone", [row(联系电话="call me")], 2, "联系电话", "联系电话格式不正确：call me"),
    ("date out of range", [row(发现日期="1900-01-05")], 2, "发现日期", "日期超出合理范围"),
    ("key too long", [row(编号="K" * 65)], 2, "编号", "内容过长：65 字，最多 64 字"),
    (
        "bad severity",
        [{**row(), "严重程度": "特别严重"}],
        2,
        "严重程度",
        "无效的严重程度：特别严重",
    ),
]


@pytest.mark.parametrize(
    ("rows", "line", "column", "message"),
    [case[1:] for case in BAD_ROWS],
    ids=[case[0] for case in BAD_ROWS],
)
def test_bad_cells_are_reported_and_nothing_is_written(
    county: Database, rows: list[dict[str, Any]], line: int, column: str, message: str
) -> None:
    header = HEADER + [name for name in rows[0] if name not in HEADER]
    issues = failure(county, csv_bytes(rows, header=header))
    assert message in one(issues, line, column).message


BAD_FILES: list[tuple[str, bytes, str, str]] = [
    ("empty file", b"", "台账.csv", "文件是空的"),
    ("header only", ("\ufeff" + ",".join(HEADER) + "\r\n").encode(), "台账.csv", "没有数据行"),
    ("png renamed .xlsx", PNG, "台账.xlsx", "文件不是有效的 Excel（.xlsx）文件"),
    ("png named .csv", PNG, "台账.csv", "文件不是 Excel 表格（.xlsx）或 CSV 文件"),
    (
        "old .xls",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64,
        "台账.xls",
        "不支持旧版 Excel",
    ),
    ("empty workbook", xlsx_bytes([]), "台账.xlsx", "文件是空的"),
    ("zip that is not a workbook", b"PK\x03\x04" + b"\x00" * 40, "台账.xlsx", "不是有效的 Excel"),
]


@pytest.mark.parametrize(
    ("data", "name", "message"), [c[1:] for c in BAD_FILES], ids=[c[0] for c in BAD_FILES]
)
def test_bad_files_are_refused(county: Database, data: bytes, name: str, message: str) -> None:
    issues = failure(county, data, name)
    assert len(issues) == 1 and message in issues[0].message


def test_missing_required_column_is_named_with_its_variants(county: Database) -> None:
    header = [h for h in HEADER if h != "整改时限"]
    issues = failure(county, csv_bytes([row()], header=header))
    issue = one(issues, 1, None)
    assert issue.message.startswith("缺少必需的列「整改时限」")
    assert "整改期限" in issue.message


def test_a_column_given_twice_is_refused(county: Database) -> None:
    header = [*HEADER, "单位"]
    issues = failure(county, csv_bytes([{**row(), "单位": "城关镇司法所"}], header=header))
    assert "都表示责任单位" in one(issues, 1, "单位").message


def test_unknown_campaign_is_refused(county: Database) -> None:
    issues = failure(county, csv_bytes([row()]), year=2019)
    assert issues[0].message == "没有 2019 年的评议活动，请先建立评议活动再导入"


def test_every_error_of_the_file_at_once(county: Database) -> None:
    rows = [
        row(),
        row(编号="A-2", 发现日期="2024-02-30", 问题来源="电话"),
        row(编号="A-3", 责任单位="明正律师事务所", 评议内容="促进发展", 整改状态="已整改"),
        row(编号="A-1", 问题描述="编号重复"),
    ]
    issues = failure(county, csv_bytes(rows))
    where = {(i.row, i.column) for i in issues}
    assert where == {
        (3, "发现日期"),
        (3, "问题来源"),
        (4, "评议内容"),
        (4, "完成日期"),
        (5, "编号"),
    }
    assert one(issues, 3, "发现日期").letter == "E"
    assert one(issues, 3, "发现日期").text() == "第 3 行 E 列「发现日期」：日期不存在：2024-02-30"


def test_updating_a_voided_problem_is_refused(county: Database) -> None:
    do_import(county, csv_bytes([row()]))
    with county.write("test") as s:
        problem = s.scalars(select(Problem)).one()
        problem.voided_at = dt.datetime(2024, 7, 1)
        problem.void_reason = "重复登记"
    issues = failure(county, csv_bytes([row(整改状态="已整改", 完成日期="2024-06-30")]))
    assert "已作废" in one(issues, 2, "编号").message


# ---- what is accepted ----------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_encodings(county: Database, encoding: str) -> None:
    result = do_import(county, csv_bytes([row(), SECOND], encoding=encoding))
    assert (result.created, result.updated) == (2, 0)
    with county.read() as s:
        found = dict(s.execute(select(Problem.ledger_key, Problem.description)).all())
    assert found == {"A-1": "窗口工作人员态度生硬", "A-2": "收费标准未公示"}


def test_utf16_tab_separated_text(county: Database) -> None:
    """Excel's “Unicode text” (UTF-16 with BOM, tab-separated)."""
    text = "\t".join(HEADER) + "\r\n" + "\t".join(str(row()[h]) for h in HEADER) + "\r\n"
    result = do_import(county, b"\xff\xfe" + text.encode("utf-16-le"), "台账.txt")
    assert result.created == 1


def test_values_parsed_and_trimmed(county: Database) -> None:
    spaced = {k: f"\u3000 {v}\u3000" if v else v for k, v in SECOND.items()}
    do_import(county, csv_bytes([spaced]))
    with county.read() as s:
        p = s.scalars(select(Problem)).one()
        unit = s.get(Unit, p.unit_id)
    assert unit is not None and unit.name == "明正律师事务所"
    assert (p.ledger_key, p.channel, p.criterion_code) == (
        "A-2",
        "self_inspection",
        "honest_service",
    )
    assert (p.found_on, p.deadline, p.completed_on) == (
        dt.date(2024, 6, 5),
        dt.date(2024, 7, 5),
        dt.date(2024, 6, 20),
    )
    assert (p.status, p.published, p.reported, p.feedback) == ("done", True, False, "satisfied")
    assert p.severity == "normal" and p.complainant_name is None


@pytest.mark.parametrize(
    "value",
    [
        "2024-06-03",
        "2024/6/3",
        "2024.6.3",
        "2024年6月3日",
        "2024-06-03 00:00:00",
        "20240603",
        dt.date(2024, 6, 3),
        dt.datetime(2024, 6, 3, 9, 30),
        45446,
        45446.0,
        "45446",
    ],
)
def test_date_forms(value: Any) -> None:
    assert parse_date(value) == dt.date(2024, 6, 3)


def test_xlsx_with_real_date_cells_serials_and_a_title_row(county: Database) -> None:
    serial = (dt.date(2024, 7, 3) - dt.date(1899, 12, 30)).days
    rows: list[list[Any]] = [
        ["2024年问题整改台账"],
        ["编号", "单位", "来源", "评议内容", "发现日期", "问题描述", "整改期限", "状态"],
        [
            1001,
            "城关镇司法所",
            "投诉举报",
            "依法办事",
            dt.datetime(2024, 6, 3),
            "态度",
            serial,
            "整改中",
        ],
        [
            1002,
            "城关镇司法所",
            "纠风办交办",
            "廉洁自律",
            dt.date(2024, 6, 4),
            "收礼",
            "2024/7/4",
            "待整改",
        ],
    ]
    result = do_import(county, xlsx_bytes(rows), "台账.xlsx")
    assert result.created == 2
    with county.read() as s:
        found = {
            p.ledger_key: (p.found_on, p.deadline, p.channel) for p in s.scalars(select(Problem))
        }
    assert found == {
        "1001": (dt.date(2024, 6, 3), dt.date(2024, 7, 3), "hotline"),
        "1002": (dt.date(2024, 6, 4), dt.date(2024, 7, 4), "referral"),
    }


def test_xlsx_errors_name_the_sheet_row(county: Database) -> None:
    rows: list[list[Any]] = [
        ["台账"],
        [],
        HEADER,
        [GOOD[h] for h in HEADER],
        [row(编号="A-2", 发现日期="2024-13-01")[h] for h in HEADER],
    ]
    issues = failure(county, xlsx_bytes(rows), "台账.xlsx")
    assert [i.text() for i in issues] == [
        "第 5 行 E 列「发现日期」：日期不存在：2024-13-01",
    ]


@pytest.mark.parametrize(
    ("name", "key"),
    [
        pytest.param("ledger_libreoffice.xlsx", "LO", id="libreoffice"),
        pytest.param("ledger_wps.xlsx", "WPS", id="wps"),
    ],
)
def test_office_written_xlsx(county: Database, name: str, key: str) -> None:
    """A file saved by LibreOffice Calc (tests/fixtures/make_libreoffice_ledger.py), and one with
    what WPS 表格 writes (tests/fixtures/make_wps_ledger.py): East Asian built-in date formats
    openpyxl reads as serial numbers, rich text, a merged title, a formula 序号 and styled empty
    rows."""
    data = (FIXTURES / name).read_bytes()
    result = do_import(county, data, name)
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    with county.read() as s:
        found = {
            p.ledger_key: (p.unit_id, p.found_on, p.deadline, p.status, p.completed_on, p.feedback)
            for p in s.scalars(select(Problem))
        }
        ids = dict(s.execute(select(Unit.name, Unit.id)).all())
    office, firm = ids["城关镇司法所"], ids["明正律师事务所"]
    assert found == {
        f"{key}-1": (
            office,
            dt.date(2024, 6, 3),
            dt.date(2024, 7, 3),
            "done",
            dt.date(2024, 6, 20),
            "satisfied",
        ),
        f"{key}-2": (firm, dt.date(2024, 6, 5), dt.date(2024, 7, 10), "in_progress", None, None),
        f"{key}-3": (firm, dt.date(2024, 6, 10), dt.date(2024, 7, 10), "pending", None, None),
    }
    again = do_import(county, data, name)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


@pytest.mark.parametrize(
    "text",
    ["<script>alert('x')</script>", "';-- DROP TABLE problem;", '=HYPERLINK("http://evil","点我")'],
)
def test_markup_and_sql_are_stored_as_plain_text(county: Database, text: str) -> None:
    do_import(county, csv_bytes([row(问题描述=text, 投诉人=text[:20])]))
    with county.read() as s:
        p = s.scalars(select(Problem)).one()
    assert p.description == text and p.complainant_name == text[:20]


# ---- re-imports and updates ----------------------------------------------------------------


def test_reimport_changes_nothing(county: Database) -> None:
    data = csv_bytes([row(), SECOND])
    first = do_import(county, data)
    assert (first.created, first.updated, first.unchanged) == (2, 0, 0)
    before = counts(county)
    again = do_import(county, data)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert counts(county) == before


def test_updated_ledger_updates_only_changed_rows_with_history(county: Database) -> None:
    third = row(编号="A-3", 问题描述="第三件", 整改状态="待整改")
    do_import(county, csv_bytes([row(), SECOND, third]))
    with county.read() as s:
        versions = dict(s.execute(select(Problem.ledger_key, Problem.version)).all())
        log_before = s.scalar(select(func.count()).select_from(ChangeLog))
    changed = row(整改状态="已整改", 完成日期="2024-06-28", 群众反馈="基本满意")
    result = do_import(county, csv_bytes([changed, SECOND, third]))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    with county.read() as s:
        now = dict(s.execute(select(Problem.ledger_key, Problem.version)).all())
        entries = s.scalars(select(ChangeLog).where(ChangeLog.id > log_before)).all()
        a1 = s.scalars(select(Problem).where(Problem.ledger_key == "A-1")).one()
    assert now == {**versions, "A-1": versions["A-1"] + 1}
    assert len(entries) == 1
    entry = entries[0]
    assert (entry.action, entry.entity, entry.entity_id, entry.actor) == (
        "update",
        "problem",
        str(a1.id),
        "admin",
    )
    assert entry.before == {"status": "in_progress", "completed_on": None, "feedback": None}
    assert entry.after == {
        "status": "done",
        "completed_on": "2024-06-28",
        "feedback": "basically_satisfied",
    }


def test_created_rows_are_in_the_history(county: Database) -> None:
    do_import(county, csv_bytes([row(), SECOND]), name="六月台账.csv")
    with county.read() as s:
        entries = s.scalars(
            select(ChangeLog).where(ChangeLog.entity == "problem", ChangeLog.action == "create")
        ).all()
        ids = set(s.scalars(select(Problem.id)))
    assert {int(e.entity_id) for e in entries} == ids
    assert all(e.actor == "admin" and "六月台账.csv" in (e.note or "") for e in entries)
    assert {e.after["ledger_key"] for e in entries} == {"A-1", "A-2"}


def test_dry_run_writes_nothing(county: Database) -> None:
    before = counts(county)
    result = do_import(county, csv_bytes([row(), SECOND]), dry_run=True)
    assert (result.created, result.dry_run) == (2, True)
    assert counts(county) == before


def test_rows_without_key_match_by_unit_date_and_description(county: Database) -> None:
    rows = [row(编号=""), {**SECOND, "编号": ""}]
    do_import(county, csv_bytes(rows))
    rows[0] = row(编号="", 整改状态="已销号", 完成日期="2024-06-30")
    result = do_import(county, csv_bytes(rows))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)


def test_a_new_key_takes_over_an_unnumbered_problem(county: Database) -> None:
    do_import(county, csv_bytes([row(编号="")]))
    result = do_import(county, csv_bytes([row(编号="2024-0007")]))
    assert (result.created, result.updated) == (0, 1)
    with county.read() as s:
        assert list(s.scalars(select(Problem.ledger_key))) == ["2024-0007"]


def test_masked_complainant_from_an_export_keeps_the_stored_one(county: Database) -> None:
    do_import(county, csv_bytes([row()]))
    result = do_import(county, csv_bytes([row(投诉人="张*", 联系电话="138****5678")]))
    assert result.updated == 0
    with county.read() as s:
        p = s.scalars(select(Problem)).one()
    assert (p.complainant_name, p.complainant_phone) == ("张三", "13812345678")


def test_missing_optional_columns_leave_stored_values(county: Database) -> None:
    do_import(county, csv_bytes([row(是否公开="是", 群众反馈="满意")]))
    header = [h for h in HEADER if h not in ("是否公开", "群众反馈", "投诉人", "联系电话")]
    result = do_import(county, csv_bytes([row()], header=header))
    assert result.unchanged == 1
    with county.read() as s:
        p = s.scalars(select(Problem)).one()
    assert (p.published, p.feedback, p.complainant_name) == (True, "satisfied", "张三")


def test_query_count_does_not_grow_with_rows(county: Database) -> None:
    def statements(n: int) -> int:
        rows = [row(编号=f"Q-{n}-{i}", 问题描述=f"问题{i}") for i in range(n)]
        seen: list[str] = []

        def count(*args: Any) -> None:
            seen.append(args[2])

        event.listen(county.engine, "before_cursor_execute", count)
        try:
            do_import(county, csv_bytes(rows))
        finally:
            event.remove(county.engine, "before_cursor_execute", count)
        return len(seen)

    assert statements(5) == statements(300)


# ---- the roster, surveys, representatives --------------------------------------------------


def test_units_roster_import_and_update(db: Database) -> None:
    header = ["单位名称", "单位类型", "所属乡镇"]
    first = csv_bytes(
        [
            {"单位名称": "城关镇司法所", "单位类型": "司法所", "所属乡镇": "城关镇"},
            {"单位名称": "明正律师事务所", "单位类型": "律师事务所", "所属乡镇": ""},
        ],
        header=header,
    )
    result = do_import(db, first, "名册.csv", kind="units", year=None)
    assert result.created == 2
    again = do_import(db, first, "名册.csv", kind="units", year=None)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    moved = first.replace(
        "明正律师事务所,律师事务所,".encode(), "明正律师事务所,律师事务所,新华镇".encode()
    )
    result = do_import(db, moved, "名册.csv", kind="units", year=None)
    assert (result.created, result.updated) == (0, 1)
    with db.read() as s:
        firm = s.scalars(select(Unit).where(Unit.name == "明正律师事务所")).one()
        history = s.scalars(
            select(ChangeLog).where(ChangeLog.entity == "unit", ChangeLog.action == "update")
        ).all()
    assert (firm.kind, firm.township) == ("law_firm", "新华镇")
    assert [(h.before, h.after) for h in history] == [({"township": None}, {"township": "新华镇"})]


@pytest.mark.parametrize(
    ("rows", "line", "column", "message"),
    [
        ([["城关镇司法所", "司法局"]], 2, "单位类型", "无效的单位类型：司法局"),
        (
            [["城关镇司法所", "司法所"], ["城关镇司法所", "司法所"]],
            3,
            "单位名称",
            "单位名称与第 2 行重复",
        ),
        ([["", "司法所"]], 2, "单位名称", "不能为空"),
    ],
)
def test_units_roster_errors(
    db: Database, rows: list[list[str]], line: int, column: str, message: str
) -> None:
    data = xlsx_bytes([["单位名称", "单位类型"], *rows])
    issues = failure(db, data, "名册.xlsx", kind="units", year=None)
    assert message in one(issues, line, column).message


def test_unit_kind_change_that_orphans_criteria_is_refused(county: Database) -> None:
    do_import(county, csv_bytes([row(评议内容="促进发展")]))
    data = csv_bytes([{"单位名称": "城关镇司法所", "单位类型": "律师事务所"}])
    issues = failure(county, data, "名册.csv", kind="units", year=None)
    assert "促进发展" in one(issues, 2, "单位类型").message


SURVEY_HEADER = ["单位名称", "测评对象类型", "满意", "基本满意", "不满意", "不了解"]


def test_surveys_import_and_update(county: Database) -> None:
    rows = [
        {
            "单位名称": "城关镇司法所",
            "测评对象类型": "民评代表",
            "满意": 10,
            "基本满意": 3,
            "不满意": 1,
            "不了解": 2,
        },
        {
            "单位名称": "城关镇司法所",
            "测评对象类型": "服务对象",
            "满意": 20,
            "基本满意": 5,
            "不满意": 0,
            "不了解": "",
        },
    ]
    result = do_import(county, csv_bytes(rows, header=SURVEY_HEADER), "测评.csv", kind="surveys")
    assert result.created == 2
    rows[1]["不满意"] = 4
    result = do_import(county, csv_bytes(rows, header=SURVEY_HEADER), "测评.csv", kind="surveys")
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    with county.read() as s:
        found = {
            x.respondent_type: (x.satisfied, x.basically_satisfied, x.dissatisfied, x.unknown)
            for x in s.scalars(select(SatisfactionSurvey))
        }
    assert found == {"民评代表": (10, 3, 1, 2), "服务对象": (20, 5, 4, 0)}


@pytest.mark.parametrize(
    ("changes", "column", "message"),
    [
        ({"满意": "-1"}, "满意", "应为不小于 0 的整数：-1"),
        ({"基本满意": "2.5"}, "基本满意", "应为不小于 0 的整数：2.5"),
        ({"不满意": ""}, "不满意", "不能为空"),
        ({"单位名称": "无此单位"}, "单位名称", "单位不在评议对象名册中：无此单位"),
    ],
)
def test_survey_errors(
    county: Database, changes: dict[str, str], column: str, message: str
) -> None:
    good = {
        "单位名称": "城关镇司法所",
        "测评对象类型": "民评代表",
        "满意": "1",
        "基本满意": "1",
        "不满意": "0",
    }
    data = csv_bytes([{**good, **changes}], header=SURVEY_HEADER)
    issues = failure(county, data, "测评.csv", kind="surveys")
    assert message in one(issues, 2, column).message


def test_representatives_import(db: Database) -> None:
    header = ["姓名", "界别", "联系电话"]
    rows = [
        {"姓名": "李明华", "界别": "人大代表", "联系电话": "13900001111"},
        {"姓名": "王建国", "界别": "群众代表", "联系电话": ""},
    ]
    assert (
        do_import(db, csv_bytes(rows, header=header), "代表.csv", "representatives", None).created
        == 2
    )
    rows[1]["界别"] = "企业代表"
    result = do_import(db, csv_bytes(rows, header=header), "代表.csv", "representatives", None)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    with db.read() as s:
        found = dict(s.execute(select(Representative.name, Representative.sector)).all())
    assert found == {"李明华": "人大代表", "王建国": "企业代表"}
    twins = [{"姓名": "张伟", "界别": "群众代表", "联系电话": ""}] * 2
    issues = failure(
        db, csv_bytes(twins, header=header), "代表.csv", kind="representatives", year=None
    )
    assert one(issues, 3, "姓名").message == "姓名和联系电话与第 2 行重复"
    assert one(issues, 2, "联系电话").message == "文件中有同名代表，请填写联系电话以区分"


# ---- the command line ----------------------------------------------------------------------


@pytest.fixture
def cli_county(county: Database, cli_db: Database) -> Database:
    """The county, where the command line finds it (conftest's `cli_db` sets DATABASE_URL)."""
    return county


def test_cli_import_ok_then_dry_run(
    cli_county: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "台账.csv"
    path.write_bytes(csv_bytes([row(), SECOND], encoding="gbk"))
    assert main(["import", "problems", str(path), "--campaign", "2024", "--dry-run"]) == 0
    assert "将新增 2 条" in capsys.readouterr().out
    assert counts(cli_county)[0] == 0
    assert main(["import", "problems", str(path), "--campaign", "2024"]) == 0
    assert "新增 2 条" in capsys.readouterr().out
    assert counts(cli_county)[0] == 2
    path.write_bytes(csv_bytes([row(整改状态="已整改", 完成日期="2024-06-30"), SECOND]))
    assert main(["import", "problems", str(path), "--campaign", "2024"]) == 0
    out = capsys.readouterr().out
    assert "更新 1 条" in out and "整改状态 整改中 → 已整改" in out


def test_cli_import_error_names_file_row_and_column(
    cli_county: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "ledger.csv"
    path.write_bytes(csv_bytes([row(), row(编号="A-2", 发现日期="2024-02-30")]))
    assert main(["import", "problems", str(path), "--campaign", "2024"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("错误：ledger.csv 未导入")
    assert "ledger.csv 第 3 行 E 列「发现日期」：日期不存在：2024-02-30" in err
    assert counts(cli_county)[0] == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["import", "problems", "/nonexistent/台账.xlsx", "--campaign", "2024"], "找不到文件"),
        (["import", "units", "{png}"], "不是 Excel 表格"),
    ],
)
def test_cli_import_refusals(
    cli_county: Database,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    png = tmp_path / "图.png"
    png.write_bytes(PNG)
    assert main([a.replace("{png}", str(png)) for a in args]) == 1
    assert message in capsys.readouterr().err


def test_cli_import_needs_campaign(cli_county: Database, tmp_path: Path) -> None:
    path = tmp_path / "台账.csv"
    path.write_bytes(csv_bytes([row()]))
    with pytest.raises(SystemExit) as exc:
        main(["import", "problems", str(path)])
    assert exc.value.code == 2


def test_cli_kinds_are_the_import_kinds() -> None:
    from dashboard.cli import IMPORT_HELP
    from data.import_plan import ImportKind
    from data.imports import NEEDS_CAMPAIGN

    assert set(IMPORT_HELP) == set(ImportKind)
    assert {kind for kind, (_, needs) in IMPORT_HELP.items() if needs} == set(NEEDS_CAMPAIGN)


# ---- the page: every error and every row in grids (layouts/imports.py) ----------------------

MANY = 450  # more than the 200 errors, 200 bad rows and 20 preview rows the page once listed


def _grid(node: Any, grid_id: str) -> Any:
    grid = by_id(node, grid_id)
    assert grid is not None and type(grid).__name__ == "AgGrid"
    return grid


def test_failed_preview_holds_every_error_and_every_bad_row(county: Database) -> None:
    rows = [row(编号=f"B-{n}", 发现日期="2024-02-30") for n in range(MANY)]
    rows.append(row(编号="B-ok"))
    rows.append(row(编号="B-x", 责任单位="不存在的单位", 整改状态="已整改"))
    with county.read() as s, pytest.raises(ImportFailed) as exc:
        run_import(s, "problems", csv_bytes(rows), "台账.csv", 2024, dry_run=True)
    issues = exc.value.issues
    view = failed_view(exc.value)
    assert f"发现 {len(issues)} 处错误" in " ".join(texts(by_id(view, "import-failed")))
    errors = _grid(view, Ids.ISSUES).rowData
    assert len(errors) == len(issues) == MANY + 2
    assert [(e["row"], e["column"], e["message"]) for e in errors[:1]] == [
        (2, "E 列「发现日期」", "日期不存在：2024-02-30")
    ]
    last_rows = {(e["row"], e["column"]) for e in errors[-2:]}
    assert last_rows == {(MANY + 3, "B 列「责任单位」"), (MANY + 3, "I 列「完成日期」")}
    preview = _grid(view, Ids.TABLE)
    bad_rows = {i.row for i in issues}
    assert [r["n"] for r in preview.rowData] == sorted(bad_rows)  # the valid row is left out
    last = preview.rowData[-1]
    assert (last["c1"], last["c1_lv"], last["c8"], last["c8_lv"]) == (
        "不存在的单位",
        "bad",
        "（空）",  # a blank cell that must be filled shows as （空）, in red
        "bad",
    )
    assert last["reasons"].startswith("B 列「责任单位」：单位不在评议对象名册中：不存在的单位；")
    assert "c4_lv" not in last  # a good cell is not marked
    headers = [c["headerName"] for c in preview.columnDefs]
    assert headers[:3] == ["行号", "错误原因", "编号"]
    assert all("cellClassRules" not in c and "tooltipField" not in c for c in preview.columnDefs)


def test_valid_preview_holds_every_row_of_the_file(county: Database) -> None:
    rows = [row(编号=f"C-{n}", 问题描述=f"第{n}号问题" + "很长" * 40) for n in range(MANY)]
    with county.read() as s:
        result = run_import(s, "problems", csv_bytes(rows), "台账.csv", 2024, dry_run=True)
    view = ok_view(result, {})
    grid = _grid(view, Ids.TABLE)
    assert result.sheet is not None
    assert len(grid.rowData) == len(result.sheet.rows) == result.created == MANY
    assert grid.rowData[-1]["c0"] == f"C-{MANY - 1}"
    assert grid.rowData[0]["c5"] == rows[0]["问题描述"]  # the whole text, filterable
    assert "c8" not in grid.rowData[0]  # a blank cell is not sent
    assert [c["headerName"] for c in grid.columnDefs][:2] == ["行号", "编号"]
    assert by_id(view, Ids.ISSUES) is None
    assert f"全部 {MANY} 行" in " ".join(texts(view))


def test_a_refused_file_lists_its_error_without_a_row() -> None:
    view = failed_view(ImportFailed("台账.csv", [Issue("文件是空的")]))
    errors = _grid(view, Ids.ISSUES)
    assert grid_cells(errors) == [["—", "—", "文件是空的"]]
    assert by_id(view, Ids.TABLE) is None
