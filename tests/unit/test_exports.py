"""Exports: the ledger round-trips through the import to the same figures; formulas are
neutralised; complainants masked unless revealed (and every reveal is in the history); the
report, overdue, supervision and archive workbooks carry data.figures' numbers, and every
workbook is set up to print (tests/e2e/test_19_print.py prints them); charts as PNG."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from dashboard.charts.report import (
    CHARTS,
    complaints_by_month_figure,
    figure_png,
    rectification_by_channel_figure,
)
from dashboard.cli import CHART_NAMES, main
from data.db import Database
from data.exports import (
    LEDGER_HEADERS,
    chart_data,
    export_archive,
    export_ledger,
    export_overdue,
    export_report,
    export_supervision,
)
from data.figures import campaign_figures
from data.import_schema import LEDGER_COLUMNS
from data.imports import run_import
from data.migrate import upgrade
from data.models import ArchiveItem, ChangeLog, Problem
from data.overdue import overdue_problems
from data.users import accounts_workbook
from data.workbook import (
    LINE_HEIGHT,
    PageHeading,
    Percent,
    SheetData,
    Title,
    lines_needed,
    neutralise,
    workbook_bytes,
)
from tests.factories import make_campaign, make_problem, make_unit, make_visit

YEAR = 2024
AS_OF = dt.date(2024, 11, 15)
LONG_NAME = "城关镇人民政府驻城关社区公共法律服务工作站暨基层法律服务所"
TRICKY = [
    '=HYPERLINK("http://evil.example","点我")',
    "+86 138 0000 1111",
    "-某项制度未落实",
    "@某某单位",
    "\t制表符开头",
    "<script>alert('x')</script>",
    "';-- DROP TABLE problem;",
]


def d(month: int, day: int) -> dt.date:
    return dt.date(YEAR, month, day)


def build_county(db: Database) -> None:
    """Three units and problems in every status and channel, complainants and tricky text."""
    with db.write("test") as s:
        campaign = make_campaign(s, YEAR)
        office = make_unit(s, name="城关镇司法所", township="城关镇")
        firm = make_unit(s, name="明正律师事务所", kind="law_firm", township=None)
        long = make_unit(s, name=LONG_NAME, kind="legal_service_center", township="新华镇")
        specs: list[dict[str, Any]] = [
            dict(unit=office, channel="hotline", status="done", completed_on=d(6, 20)),
            dict(unit=office, channel="referral", status="verified", completed_on=d(8, 1)),
            dict(unit=office, channel="referral", status="in_progress", feedback="dissatisfied"),
            dict(
                unit=firm,
                channel="self_inspection",
                status="pending",
                criterion_code="honest_service",
            ),
            dict(unit=firm, channel="inspection", status="unfounded"),
            dict(unit=long, channel="meeting", status="done", completed_on=d(11, 20)),
            dict(unit=long, channel="supervision", status="pending", severity="serious"),
        ]
        for i, spec in enumerate(specs):
            unit = spec.pop("unit")
            make_problem(
                s,
                campaign,
                unit,
                found_on=d(6, 1 + i),
                deadline=d(7, 1 + i),
                ledger_key=f"2024-{i + 1:04d}" if i % 2 == 0 else None,
                complainant_name="张三" if spec["channel"] in ("hotline", "referral") else None,
                complainant_phone="13812345678" if spec["channel"] == "hotline" else None,
                published=i % 3 == 0,
                reported=spec["channel"] == "referral",
                measures="限期整改" if i % 2 else None,
                owner="李主任",
                **spec,
            )
        for i, text in enumerate(TRICKY):
            make_problem(
                s, campaign, office, found_on=d(9, 1 + i), deadline=d(9, 20), description=text
            )


@pytest.fixture
def county(db: Database) -> Database:
    build_county(db)
    return db


def workbook(data: bytes) -> Any:
    return load_workbook(io.BytesIO(data))


def sheet_rows(data: bytes, title: str | None = None) -> list[list[Any]]:
    book = workbook(data)
    sheet = book[title] if title else book.worksheets[0]
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def roster_csv(db: Database) -> bytes:
    """The county's roster as the roster import reads it."""
    from data.models import Unit
    from data.reference import KIND_NAMES

    with db.read() as s:
        units = s.scalars(select(Unit).order_by(Unit.id)).all()
    lines = ["单位名称,单位类型,所属乡镇"]
    lines += [f"{u.name},{KIND_NAMES[u.kind]},{u.township or ''}" for u in units]
    return ("\n".join(lines) + "\n").encode("utf-8")


# ---- printing ------------------------------------------------------------------------------


def assert_prints(sheet: Any, title: str, as_of: dt.date | None) -> None:
    """A sheet set up to print: A4, one page wide, the header row on every page, the heading."""
    setup = sheet.page_setup
    assert str(setup.paperSize) == sheet.PAPERSIZE_A4
    assert (int(setup.fitToWidth), sheet.sheet_properties.pageSetUpPr.fitToPage) == (1, True)
    assert int(setup.fitToHeight) > 1000  # as many pages tall as the rows need
    assert sheet.oddHeader.left.text == title
    assert sheet.oddHeader.center.text == "&A"
    right = f"数据截至：{as_of.isoformat()}" if as_of else None
    assert sheet.oddHeader.right.text == right
    assert "&P" in sheet.oddFooter.center.text and "&N" in sheet.oddFooter.center.text


@pytest.mark.parametrize(
    ("export", "title", "landscape"),
    [
        (lambda s: export_ledger(s, YEAR, as_of=AS_OF), "问题整改台账", {"问题整改台账"}),
        (
            lambda s: export_overdue(s, YEAR, AS_OF),
            "逾期单位清单",
            {"逾期问题", "重点督查对象", "逾期单位"},
        ),
        (lambda s: export_supervision(s, YEAR, AS_OF), "督导检查记录", {"督导检查记录"}),
        (
            lambda s: export_report(s, YEAR, AS_OF),
            "纠风办报表",
            {"各单位情况", "问题整改台账", "纠风办交办件"},
        ),
        (lambda s: export_archive(s, YEAR, current_on=AS_OF), "工作档案目录", {"档案目录"}),
    ],
)
def test_every_export_is_set_up_to_print(
    county: Database, export: Any, title: str, landscape: set[str]
) -> None:
    with county.read() as s:
        book = workbook(export(s))
    for sheet in book.worksheets:
        assert_prints(sheet, f"{YEAR}年{title}", AS_OF)
        wide = sheet.page_setup.orientation == "landscape"
        assert wide == (sheet.title in landscape), sheet.title
        if sheet.title != "汇总":  # the summary has sub-tables, no header row
            assert sheet.print_title_rows == "$1:$1"


def test_ledger_without_a_date_prints_the_day_it_is_current_on(county: Database) -> None:
    with county.read() as s:
        sheet = workbook(export_ledger(s, YEAR, current_on=AS_OF)).worksheets[0]
    assert sheet.oddHeader.right.text == f"数据截至：{AS_OF.isoformat()}"


def test_long_text_wraps_in_a_row_tall_enough() -> None:
    long = "、".join([LONG_NAME] * 4)
    data = workbook_bytes(
        [
            SheetData(
                "表&一",
                ["单位", "说明"],
                [["短", long], [dt.date(2024, 1, 2), Percent(0.5)], [Title("标题")]],
                [10, 30],
            )
        ],
        PageHeading("A&B 报表", AS_OF),
    )
    sheet = workbook(data).worksheets[0]
    assert sheet.oddHeader.left.text == "A&&B 报表"  # & is a header code: doubled
    assert sheet.page_setup.orientation == "portrait"  # 40 characters wide
    assert sheet["B2"].alignment.wrap_text and sheet["A2"].alignment.vertical == "top"
    assert sheet["B3"].number_format == "0.0%" and sheet["B3"].alignment.vertical == "top"
    lines = lines_needed(long, 30)
    assert lines > 4
    assert sheet.row_dimensions[2].height == lines * LINE_HEIGHT + 2
    assert sheet.row_dimensions[3].height is None  # one line: left to the program
    assert sheet.row_dimensions[4].height > LINE_HEIGHT  # the title's larger type


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("", 10, 1),
        ("一二三四", 9, 1),
        ("一二三四五", 9, 2),
        ("abcdefghij", 6, 2),
        ("甲\n乙", 20, 2),
    ],
)
def test_lines_needed(text: str, width: int, lines: int) -> None:
    assert lines_needed(text, width) == lines


def test_the_initial_passwords_print_with_their_sheet_as_heading() -> None:
    sheet = workbook(accounts_workbook([("unit01", LONG_NAME, "pw")])).worksheets[0]
    assert_prints(sheet, "初始密码", None)


# ---- the ledger ----------------------------------------------------------------------------


def test_ledger_columns_are_the_import_columns(county: Database) -> None:
    with county.read() as s:
        rows = sheet_rows(export_ledger(s, YEAR))
    assert rows[0] == [column.header for column in LEDGER_COLUMNS] == LEDGER_HEADERS
    assert len(rows) == 1 + 7 + len(TRICKY)


def test_export_then_import_into_an_empty_database_gives_the_same_figures(
    county: Database, tmp_path: Path
) -> None:
    with county.read() as s:
        data = export_ledger(s, YEAR)
        expected = {
            as_of: campaign_figures(s, YEAR, as_of).to_json()
            for as_of in (d(6, 30), d(8, 15), AS_OF, dt.date(2025, 1, 31))
        }
        texts = set(s.scalars(select(Problem.description)))
    url = f"sqlite:///{tmp_path / 'other.db'}"
    upgrade(url)
    other = Database.from_url(url)
    try:
        with other.write("admin") as s:
            make_campaign(s, YEAR)
            run_import(s, "units", roster_csv(county), "名册.csv")
        with other.write("admin") as s:
            result = run_import(s, "problems", data, "台账.xlsx", YEAR)
        assert result.created == len(texts)
        with other.read() as s:
            for as_of, figures in expected.items():
                assert campaign_figures(s, YEAR, as_of).to_json() == figures
            assert set(s.scalars(select(Problem.description))) == texts
    finally:
        other.engine.dispose()


def test_reimporting_an_export_changes_nothing(county: Database) -> None:
    with county.read() as s:
        data = export_ledger(s, YEAR)
        log = s.scalar(select(func.count()).select_from(ChangeLog))
    with county.write("admin") as s:
        result = run_import(s, "problems", data, "台账.xlsx", YEAR)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 7 + len(TRICKY))
    with county.read() as s:
        assert s.scalar(select(func.count()).select_from(ChangeLog)) == log
        # masked complainants in the file did not overwrite the stored ones
        names = set(
            s.scalars(select(Problem.complainant_name).where(Problem.complainant_name.is_not(None)))
        )
    assert names == {"张三"}


def test_the_report_imports_from_its_ledger_sheet(county: Database) -> None:
    """The ledger sheet of a multi-sheet workbook is found even when it is not the first."""
    with county.read() as s:
        data = export_report(s, YEAR, dt.date(2025, 1, 31))
    with county.write("admin") as s:
        result = run_import(s, "problems", data, "纠风办报表.xlsx", YEAR, dry_run=True)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 7 + len(TRICKY))


def test_formulas_are_neutralised(county: Database) -> None:
    with county.read() as s:
        data = export_ledger(s, YEAR)
    book = workbook(data)
    cells = [cell for row in book.worksheets[0].iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    descriptions = {cell.value for cell in cells if cell.column_letter == "F"}
    assert "'" + TRICKY[0] in descriptions  # =HYPERLINK(…) is text starting with '
    assert "'+86 138 0000 1111" in descriptions and "'-某项制度未落实" in descriptions
    assert "'@某某单位" in descriptions and "'\t制表符开头" in descriptions
    assert "<script>alert('x')</script>" in descriptions  # not a formula: left alone
    assert "';-- DROP TABLE problem;" in descriptions


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("正常文字", "正常文字"),
        (12, 12),
        (None, None),
    ],
)
def test_neutralise(value: Any, written: Any) -> None:
    assert neutralise(value) == written


def test_complainants_are_masked_unless_revealed(county: Database) -> None:
    with county.read() as s:
        masked = sheet_rows(export_ledger(s, YEAR))
    name_col, phone_col = LEDGER_HEADERS.index("投诉人"), LEDGER_HEADERS.index("联系电话")
    assert {r[name_col] for r in masked[1:]} == {"张*", None}
    assert {r[phone_col] for r in masked[1:]} == {"138****5678", None}
    with county.read() as s:
        assert s.scalar(select(func.count()).where(ChangeLog.action == "reveal")) == 0

    with county.write("admin", 7) as s:
        shown = sheet_rows(export_ledger(s, YEAR, reveal=True))
    assert {r[name_col] for r in shown[1:]} == {"张三", None}
    assert {r[phone_col] for r in shown[1:]} == {"13812345678", None}
    with county.read() as s:
        reveals = s.scalars(select(ChangeLog).where(ChangeLog.action == "reveal")).all()
        with_complainant = set(
            s.scalars(select(Problem.id).where(Problem.complainant_name.is_not(None)))
        )
    assert {int(r.entity_id) for r in reveals} == with_complainant
    assert all(r.actor == "admin" and r.user_id == 7 and r.entity == "problem" for r in reveals)


# ---- the report and the other workbooks ----------------------------------------------------


def test_report_carries_the_campaign_figures(county: Database) -> None:
    with county.read() as s:
        data = export_report(s, YEAR, AS_OF)
        figures = campaign_figures(s, YEAR, AS_OF)
    book = workbook(data)
    assert book.sheetnames == ["汇总", "各单位情况", "问题整改台账", "纠风办交办件", "上报纠风办"]
    summary = {r[0]: r[1] for r in book["汇总"].iter_rows(values_only=True) if r and r[0]}
    assert summary["问题总数"] == figures.problems
    assert summary["已整改"] == figures.rectified
    assert summary["整改完成率"] == pytest.approx(figures.rectification_rate)
    assert summary["按期整改率"] == pytest.approx(figures.on_time_rate)
    assert summary["逾期问题"] == figures.overdue_problems
    assert summary["投诉件数"] == figures.complaints == 3
    assert summary["逾期单位"] == len(figures.overdue_units)
    rate_cell = next(row[1] for row in book["汇总"].iter_rows() if row[0].value == "整改完成率")
    assert rate_cell.number_format == "0.0%"
    units = sheet_rows(data, "各单位情况")
    assert [r[0] for r in units[1:]] == [u.unit for u in figures.by_unit]
    assert LONG_NAME in [r[0] for r in units[1:]]
    referred = sheet_rows(data, "纠风办交办件")
    assert len(referred) == 1 + 2
    assert {r[-1] for r in referred[1:]} == {"不满意", "未填写"}


def test_report_phase_progress_without_tasks_is_a_dash(county: Database) -> None:
    with county.read() as s:
        rows = sheet_rows(export_report(s, YEAR, AS_OF), "汇总")
    phases = {r[0]: r[1] for r in rows if r and r[0] in ("动员部署", "工作考评")}
    assert phases == {"动员部署": "—", "工作考评": "—"}


def test_overdue_workbook_lists_the_overdue_problems(county: Database) -> None:
    with county.read() as s:
        data = export_overdue(s, YEAR, AS_OF)
        expected = overdue_problems(s, YEAR, AS_OF)
        figures = campaign_figures(s, YEAR, AS_OF)
    problems = sheet_rows(data, "逾期问题")
    assert len(problems) - 1 == len(expected) == figures.overdue_problems
    units = sheet_rows(data, "逾期单位")
    assert [r[1] for r in units[1:]] == figures.overdue_units


def test_supervision_workbook(county: Database) -> None:
    with county.write("test") as s:
        from data.models import Campaign, Unit

        campaign = s.scalars(select(Campaign)).one()
        office = s.scalars(select(Unit).where(Unit.name == "城关镇司法所")).one()
        make_visit(s, campaign, office, {"lawful": "conform", "disclosure": "basic"}, kind="focus")
        make_visit(s, campaign, office, visited_on=dt.date(2024, 12, 1))
    with county.read() as s:
        rows = sheet_rows(export_supervision(s, YEAR, AS_OF))
    assert len(rows) == 2  # the December visit is after the as-of date
    visit = dict(zip(rows[0], rows[1], strict=True))
    assert visit["督导类型"] == "重点督查"
    assert visit["评议内容评定"] == "信息公开：基本符合；依法办事：符合"


def test_archive_index(county: Database) -> None:
    with county.write("test") as s:
        from data.models import Campaign, Unit

        campaign = s.scalars(select(Campaign)).one()
        for unit in s.scalars(select(Unit)):
            s.add(
                ArchiveItem(
                    campaign_id=campaign.id,
                    unit_id=unit.id,
                    name="实施方案",
                    category="document",
                    in_archive=True,
                    uploaded=False,
                )
            )
            s.add(
                ArchiveItem(
                    campaign_id=campaign.id,
                    unit_id=unit.id,
                    name="动员大会照片",
                    category="photo",
                    in_archive=False,
                    uploaded=False,
                )
            )
    with county.read() as s:
        data = export_archive(s, YEAR)
    items = sheet_rows(data, "档案目录")
    assert len(items) == 1 + 6
    assert items[1][:4] == ["城关镇司法所", "司法所", "城关镇", "动员大会照片"]
    summary = sheet_rows(data, "各单位汇总")
    assert [r[3:] for r in summary[1:]] == [[2, 1, 0]] * 3


# ---- charts --------------------------------------------------------------------------------


def test_chart_figures_use_the_figures(county: Database) -> None:
    with county.read() as s:
        data = chart_data(s, YEAR, AS_OF)
    months = complaints_by_month_figure(data)
    assert sum(months.data[0].y) == data.figures.complaints == 3
    channels = rectification_by_channel_figure(data)
    labels = dict(zip(channels.data[0].y, channels.data[0].text, strict=True))
    assert labels["投诉举报"] == "100.0%（1/1）"
    assert labels["明查暗访"] == "—"  # only an unfounded problem: nothing to rectify
    assert set(CHARTS) == set(CHART_NAMES) == {"complaints-by-month", "rectification-by-channel"}


def test_chart_png_with_kaleido(county: Database) -> None:
    with county.read() as s:
        data = chart_data(s, YEAR, AS_OF)
    png = figure_png(rectification_by_channel_figure(data), width=600, height=400, scale=1)
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5000


# ---- the command line ----------------------------------------------------------------------


@pytest.fixture
def cli_county(county: Database, cli_db: Database) -> Database:
    """The county, where the command line finds it (conftest's `cli_db` sets DATABASE_URL)."""
    return county


def test_cli_export_ledger_and_reveal(
    cli_county: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "台账.xlsx"
    assert main(["export", "ledger", "--campaign", "2024", "--out", str(out)]) == 0
    assert "张*" in {c for r in sheet_rows(out.read_bytes()) for c in r}
    assert main(["export", "ledger", "--campaign", "2024", "--out", str(out), "--reveal"]) == 0
    assert "记入变更历史" in capsys.readouterr().out
    assert "张三" in {c for r in sheet_rows(out.read_bytes()) for c in r}
    with cli_county.read() as s:
        actors = set(s.scalars(select(ChangeLog.actor).where(ChangeLog.action == "reveal")))
    assert actors == {"cli"}


@pytest.mark.parametrize("kind", ["overdue", "supervision", "report", "archive"])
def test_cli_exports(cli_county: Database, tmp_path: Path, kind: str) -> None:
    out = tmp_path / f"{kind}.xlsx"
    args = ["export", kind, "--campaign", "2024", "--out", str(out)]
    if kind != "archive":
        args += ["--as-of", "2024-11-15"]
    assert main(args) == 0
    assert workbook(out.read_bytes()).sheetnames


def test_cli_export_errors(
    cli_county: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "ledger", "--campaign", "2019", "--out", str(tmp_path / "x.xlsx")]) == 1
    assert "没有 2019 年的评议活动" in capsys.readouterr().err
    bad = tmp_path / "no-such-folder" / "x.xlsx"
    assert main(["export", "report", "--campaign", "2024", "--out", str(bad)]) == 1
    assert "无法写入文件" in capsys.readouterr().err


def test_cli_export_chart(cli_county: Database, tmp_path: Path) -> None:
    out = tmp_path / "投诉.png"
    args = ["export", "chart", "complaints-by-month", "--campaign", "2024"]
    assert main([*args, "--as-of", "2024-11-15", "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"\x89PNG")


def test_report_names_phases_not_started_at_its_date(county: Database) -> None:
    """#19 item 7: at a date inside 调查评议, 落实整改 and 工作考评 are 未开始, not 0 % or —."""
    mid = dt.date(YEAR, 7, 15)
    with county.read() as s:
        data = export_report(s, YEAR, mid)
    summary = {r[0]: r[1] for r in sheet_rows(data, "汇总") if r}
    assert summary["落实整改"] == summary["工作考评"] == "未开始"
    assert summary["动员部署"] != "未开始" and summary["调查评议"] != "未开始"
    units = sheet_rows(data, "各单位情况")
    header = units[0]
    for row in units[1:]:
        assert row[header.index("落实整改完成率")] == "未开始"
        assert row[header.index("工作考评完成率")] == "未开始"
