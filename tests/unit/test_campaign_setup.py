"""A campaign from the work plan, copied to next year, changed while it runs — and every bad
input refused with its field named, nothing written (no row, no history)."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, inspect, select, text
from sqlalchemy.orm import Session

from dashboard.cli import main
from data.campaign_view import campaign_setup, setup_progress
from data.campaigns import (
    create_campaign,
    generate_unit_items,
    set_phase,
    setup_snapshot,
    update_campaign,
    update_settings,
)
from data.db import Database
from data.edits import ConflictError
from data.figures import Filters, campaign_figures
from data.forms import FormError
from data.models import (
    ArchiveItem,
    Campaign,
    ChangeLog,
    Problem,
    Setting,
    TaskTemplate,
    Unit,
    UnitTask,
)
from data.progress import task_grid
from data.reference import DEFAULT_CHECKLIST, DEFAULT_TASKS, PhaseCode
from data.settings import EvaluationSettings, load_settings
from data.templates import (
    add_template,
    delete_template,
    rename_template,
    restore_template,
    retire_template,
)
from tests.conftest import MakeApp, signed_in
from tests.factories import make_problem, make_unit

ROSTER = (
    "单位名称,单位类型,所属乡镇\n东湖镇司法所,司法所,东湖镇\n明理律师事务所,律师事务所,东湖镇\n"
)
LEDGER = (
    "编号,责任单位,问题来源,评议内容,发现日期,问题描述,整改时限,整改状态,完成日期\n"
    "A1,东湖镇司法所,投诉举报,依法办事,2024-06-10,调解协议未及时送达,2024-07-10,已整改,2024-07-01\n"
    "A2,明理律师事务所,投诉举报,诚信服务,2024-07-15,收费标准未公示,2024-08-31,待整改,\n"
    "A3,明理律师事务所,自查自纠,信息公开,2024-07-20,执业信息未公开,2024-10-31,整改中,\n"
)


def table_counts(db: Database) -> dict[str, int]:
    """Rows in every table (change_log and data_version included)."""
    with db.engine.connect() as conn:
        names = inspect(conn).get_table_names()
        counts = {n: conn.execute(text(f'SELECT COUNT(*) FROM "{n}"')).scalar() for n in names}
        counts["data_version.n"] = conn.execute(text("SELECT n FROM data_version")).scalar()
    return counts


def refused(db: Database, write: Callable[[Session], object], field: str, words: str) -> None:
    """`write` is refused naming `field` with `words`, and nothing at all was written."""
    before = table_counts(db)
    with pytest.raises(FormError) as caught, db.write("admin") as session:
        write(session)
    assert field in caught.value.errors, caught.value.errors
    assert words in caught.value.errors[field]
    assert table_counts(db) == before


@pytest.fixture
def county(db: Database) -> Database:
    """Three units (two kinds, one retired) and the 2024 campaign from the work plan."""
    with db.write("admin") as s:
        make_unit(s, name="东湖镇司法所")
        make_unit(s, name="明理律师事务所", kind="law_firm")
        old = make_unit(s, name="已撤并司法所")
        old.retired_on = dt.date(2023, 12, 31)
        create_campaign(s, 2024, meeting_date="2024-08-20")
    return db


def test_a_campaign_from_the_work_plan(county: Database) -> None:
    with county.read() as s:
        setup = campaign_setup(s, 2024)
        campaign = s.scalars(select(Campaign)).one()
        tasks = {
            unit_id: n
            for unit_id, n in s.execute(
                select(UnitTask.unit_id, func.count()).group_by(UnitTask.unit_id)
            )
        }
        items = s.scalar(select(func.count()).select_from(ArchiveItem))
        created = s.scalar(
            select(func.count()).where(
                ChangeLog.entity == "unit_task", ChangeLog.action == "create"
            )
        )
    assert campaign.title == "2024年司法民主评议"
    assert campaign.meeting_date == dt.date(2024, 8, 20)
    assert [(p.code, p.starts_on, p.ends_on) for p in setup.phases] == [
        ("mobilize", dt.date(2024, 4, 1), dt.date(2024, 5, 31)),
        ("investigate", dt.date(2024, 6, 1), dt.date(2024, 8, 31)),
        ("rectify", dt.date(2024, 9, 1), dt.date(2024, 10, 31)),
        ("assess", dt.date(2024, 11, 1), dt.date(2024, 12, 31)),
    ]
    in_phase_order = sorted(DEFAULT_CHECKLIST, key=lambda t: list(PhaseCode).index(t[0]))
    assert [(t.phase_code, t.name) for t in setup.templates] == [
        (p, n) for p, n, _ in in_phase_order
    ]
    assert {n for n, _ in setup.archive} >= {"实施方案", "动员大会照片", "工作总结"}
    assert setup.settings == EvaluationSettings()
    # The 司法所 gets the 16 common deliverables; the law firm also 公开服务承诺; the retired
    # unit gets nothing.
    common = sum(len(names) for names in DEFAULT_TASKS.values())
    assert sorted(tasks.values()) == [common, common + 1]
    assert len(tasks) == 2
    assert items == 2 * len(setup.archive)
    assert created == common * 2 + 1


def test_generating_again_adds_nothing_and_new_units_get_their_items(county: Database) -> None:
    with county.write("admin") as s:
        assert generate_unit_items(s) == 0
        make_unit(s, name="新设公证处", kind="notary_office")
        added = generate_unit_items(s)
    with county.read() as s:
        setup = campaign_setup(s, 2024)
    assert added == len(DEFAULT_CHECKLIST) + len(setup.archive)


def test_next_year_copies_the_set_up_shifted_and_nothing_else(county: Database) -> None:
    with county.write("admin") as s:
        changed = {**EvaluationSettings().to_dict(), "focus_threshold": 0.7}
        update_settings(s, 2024, changed)
        add_template(s, 2024, {"phase_code": "assess", "name": "年度总结", "kinds": ["law_firm"]})
        retired = add_template(s, 2024, {"phase_code": "assess", "name": "临时任务"})
        retire_template(s, retired.id, dt.datetime(2024, 11, 2))
        unit = s.get_one(Unit, s.scalar(select(UnitTask.unit_id).limit(1)))
        make_problem(s, s.scalars(select(Campaign)).one(), unit)
        create_campaign(s, 2025, copy_from=2024)
    with county.read() as s:
        before, after = campaign_setup(s, 2024), campaign_setup(s, 2025)
        problems_2025 = s.scalar(
            select(func.count()).select_from(Problem).join(Campaign).where(Campaign.year == 2025)
        )
        threshold = load_settings(s, 2025).focus_threshold
    assert [(t.phase_code, t.name, t.kinds) for t in after.templates] == [
        (t.phase_code, t.name, t.kinds) for t in before.templates if not t.retired
    ]
    assert [
        (p.code, p.starts_on.replace(year=2025), p.ends_on.replace(year=2025))
        for p in before.phases
    ] == [(p.code, p.starts_on, p.ends_on) for p in after.phases]
    assert after.archive == before.archive
    assert threshold == 0.7
    assert problems_2025 == 0
    assert after.meeting_date is None


def test_retired_deliverables_count_in_no_figure(county: Database) -> None:
    as_of = dt.date(2024, 12, 31)
    with county.write("admin") as s:
        template = s.scalars(select(TaskTemplate).where(TaskTemplate.name == "实施方案")).one()
        s.execute(
            UnitTask.__table__.update()
            .where(UnitTask.template_id != template.id)
            .values(completed_on=dt.date(2024, 5, 1))
        )
    with county.read() as s:
        assert campaign_figures(s, 2024, as_of).phase_progress["mobilize"] < 1
    with county.write("admin") as s:
        retire_template(s, template.id, dt.datetime(2024, 6, 1))
    with county.read() as s:
        assert campaign_figures(s, 2024, as_of).phase_progress["mobilize"] == 1
        assert "实施方案" not in {t.name for t in task_grid(s, 2024, as_of, Filters()).tasks}
    with county.write("admin") as s:
        restore_template(s, template.id)
    with county.read() as s:
        assert campaign_figures(s, 2024, as_of).phase_progress["mobilize"] < 1


def test_rename_and_delete_an_unused_deliverable(county: Database) -> None:
    with county.write("admin") as s:
        template = add_template(s, 2024, {"phase_code": "rectify", "name": "整改回头看"})
        rename_template(s, template.id, "整改“回头看”")
    with county.write("admin") as s:
        delete_template(s, template.id)
    with county.read() as s:
        assert s.get(TaskTemplate, template.id) is None
        assert not s.scalar(select(func.count()).where(UnitTask.template_id == template.id))
        deleted = s.scalar(select(func.count()).where(ChangeLog.action == "delete"))
    assert deleted == 3  # the template and its two unit tasks, each recorded


def test_changing_phases_moves_the_figures_at_once(county: Database) -> None:
    with county.read() as s:
        version = s.scalar(text("SELECT n FROM data_version"))
    with county.write("admin") as s:
        set_phase(s, 2024, "assess", "2024-11-01", "2025-01-31")
    with county.read() as s:
        assert s.scalar(text("SELECT n FROM data_version")) > version
        setup = campaign_setup(s, 2024)
        history = s.scalars(
            select(ChangeLog).where(ChangeLog.entity == "phase", ChangeLog.action == "update")
        ).all()
    assert setup.phases[-1].ends_on == dt.date(2025, 1, 31)
    assert history[-1].after == {"ends_on": "2025-01-31"}


# ---- every bad input: refused at its field, nothing written ---------------------------------


def test_a_year_that_exists(county: Database) -> None:
    refused(county, lambda s: create_campaign(s, 2024), "year", "2024 年的评议活动已存在")


@pytest.mark.parametrize("year", ["二〇二四", "24", "", "2024.5"])
def test_a_year_that_is_not_one(county: Database, year: str) -> None:
    refused(county, lambda s: create_campaign(s, year), "year", "")


def test_copying_a_year_that_does_not_exist(county: Database) -> None:
    refused(county, lambda s: create_campaign(s, 2025, copy_from=2019), "copy_from", "没有 2019")


def test_a_meeting_outside_the_campaign(county: Database) -> None:
    refused(
        county,
        lambda s: create_campaign(s, 2025, meeting_date="2026-01-10"),
        "meeting_date",
        "评议大会日期应在评议活动期间",
    )


@pytest.mark.parametrize(
    ("phase", "start", "end", "field", "words"),
    [
        ("rectify", "2024-10-31", "2024-09-01", "rectify.ends_on", "结束日期早于开始日期"),
        ("rectify", "2024-08-15", "2024-10-31", "rectify.starts_on", "不能重叠或颠倒"),
        ("mobilize", "2024-09-01", "2024-09-30", "investigate.starts_on", "不能重叠或颠倒"),
        ("assess", "2024-13-01", "2024-12-31", "assess.starts_on", "日期不存在"),
        ("assess", "", "2024-12-31", "assess.starts_on", "必填"),
    ],
)
def test_phases_out_of_order(
    county: Database, phase: str, start: str, end: str, field: str, words: str
) -> None:
    refused(county, lambda s: set_phase(s, 2024, phase, start, end), field, words)


def test_a_meeting_date_moved_outside(county: Database) -> None:
    with county.read() as s:
        raw = setup_snapshot(s.scalars(select(Campaign)).one())
    raw["meeting_date"] = "2023-12-01"
    refused(county, lambda s: update_campaign(s, 2024, raw), "meeting_date", "评议活动期间")


def test_an_edit_over_someone_elses(county: Database) -> None:
    with county.read() as s:
        seen = setup_snapshot(s.scalars(select(Campaign)).one())
    with county.write("other") as s:
        set_phase(s, 2024, "assess", "2024-11-01", "2025-01-31")
    before = table_counts(county)
    with pytest.raises(ConflictError) as caught, county.write("admin") as s:
        update_campaign(s, 2024, {**seen, "title": "新名称"}, seen)
    assert caught.value.changes == {"assess.ends_on": ("2024-12-31", "2025-01-31")}
    assert table_counts(county) == before


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"work_weight": 0.5}, "work_weight", "权重之和应为 1"),
        ({"tasks_weight": 0.5}, "conformity_weight", "三项权重之和应为 1"),
        ({"grade_basic": 80.0}, "grade_basic", "依次降低"),
        ({"grade_fairly_satisfied": 85.0}, "grade_basic", "依次降低"),
        ({"focus_threshold": 80}, "focus_threshold", "不能大于 1"),
        ({"points_basic": "七十"}, "points_basic", "应为数字"),
        ({"rating_basic": None}, "rating_basic", "必填"),
    ],
)
def test_settings_that_do_not_add_up(
    county: Database, change: dict, field: str, words: str
) -> None:
    raw = {**EvaluationSettings().to_dict(), **change}
    refused(county, lambda s: update_settings(s, 2024, raw), field, words)


def test_deleting_a_deliverable_in_use(county: Database) -> None:
    with county.write("unit") as s:
        template = s.scalars(select(TaskTemplate).where(TaskTemplate.name == "动员大会")).one()
        task = s.scalars(select(UnitTask).where(UnitTask.template_id == template.id)).first()
        task.completed_on = dt.date(2024, 5, 10)
    refused(county, lambda s: delete_template(s, template.id), "template", "只能停用")


@pytest.mark.parametrize(
    ("raw", "field", "words"),
    [
        ({"phase_code": "mobilize", "name": "实施方案"}, "name", "已有任务“实施方案”"),
        ({"phase_code": "summer", "name": "x"}, "phase_code", "请选择阶段"),
        ({"phase_code": "assess", "name": "　"}, "name", "必填"),
        ({"phase_code": "assess", "name": "x", "kinds": ["bank"]}, "kinds", "单位类型无效"),
    ],
)
def test_bad_deliverables(county: Database, raw: dict, field: str, words: str) -> None:
    refused(county, lambda s: add_template(s, 2024, raw), field, words)


# ---- the same path from the command line only -------------------------------------------------


def test_day_one_from_the_command_line(
    cli_db: Database,
    make_app: MakeApp,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    roster, ledger, accounts = tmp_path / "名册.csv", tmp_path / "台账.csv", tmp_path / "a.xlsx"
    roster.write_bytes(ROSTER.encode("gbk"))
    ledger.write_bytes(LEDGER.encode("utf-8-sig"))
    monkeypatch.setattr("sys.stdin", io.StringIO("Jiufeng2024\n"))
    assert main(["users", "add", "jiufeng", "--role", "admin"]) == 0
    assert main(["campaign", "create", "2024", "--meeting-date", "2024-08-20"]) == 0
    assert main(["import", "units", str(roster)]) == 0
    assert main(["import", "problems", str(ledger), "--campaign", "2024"]) == 0
    assert main(["users", "bulk-units", "--out", str(accounts)]) == 0
    capsys.readouterr()
    assert main(["stats", "--campaign", "2024", "--as-of", "2024-11-15", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    with cli_db.read() as s:
        assert stats == campaign_figures(s, 2024, dt.date(2024, 11, 15)).to_json()
        progress = setup_progress(s)
        tasks = s.scalar(select(func.count()).select_from(UnitTask))
    assert stats["problems"] == 3
    assert (progress.units, progress.campaigns, progress.unit_accounts, progress.problems) == (
        2,
        1,
        2,
        3,
    )
    assert tasks == 2 * sum(len(n) for n in DEFAULT_TASKS.values()) + 1
    rows = list(load_workbook(accounts).active.iter_rows(values_only=True))
    assert rows[0] == ("用户名", "单位名称", "初始密码") and len(rows) == 3

    assert main(["campaign", "create", "2025", "--copy-from", "2024"]) == 0
    capsys.readouterr()
    assert main(["campaign", "show", "2025", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert main(["campaign", "show", "2024", "--json"]) == 0
    last = json.loads(capsys.readouterr().out)
    assert [(t["phase"], t["name"]) for t in shown["templates"]] == [
        (t["phase"], t["name"]) for t in last["templates"]
    ]
    assert shown["phases"]["assess"] == {"starts_on": "2025-11-01", "ends_on": "2025-12-31"}
    # year over year: 2025's overview compares with 2024 at the same day
    from callbacks.overview import render_overview  # noqa: F401 (the page's own path below)
    from tests.components import texts

    app = make_app(today=dt.date(2025, 11, 15))
    with signed_in(app, cli_db, "jiufeng"):
        body = render_overview("?campaign=2025&as_of=2025-11-15")
    assert any("去年同期 3" in t for t in texts(body))


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["campaign", "create", "2024"], "2024 年的评议活动已存在"),
        (["campaign", "create", "abc"], "应为 4 位数字年份"),
        (["campaign", "create", "2026", "--copy-from", "2019"], "没有 2019 年的评议活动"),
        (["campaign", "set-phase", "2024", "rectify", "2024-10-31", "2024-09-01"], "早于开始日期"),
        (["campaign", "set-phase", "2024", "winter", "2024-10-31", "2024-11-01"], "阶段无效"),
        (["campaign", "show", "2030"], "没有 2030 年的评议活动"),
    ],
)
@pytest.mark.usefixtures("cli_db")
def test_cli_refusals(
    county: Database, capsys: pytest.CaptureFixture[str], argv: list[str], words: str
) -> None:
    before = table_counts(county)
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert words in err and err.startswith("错误：")
    assert table_counts(county) == before


def test_settings_are_kept_per_campaign(county: Database) -> None:
    with county.write("admin") as s:
        create_campaign(s, 2025, copy_from=2024)
        update_settings(s, 2025, {**EvaluationSettings().to_dict(), "grade_satisfied": 90.0})
    with county.read() as s:
        assert load_settings(s, 2024).grade_satisfied == 85.0
        assert load_settings(s, 2025).grade_satisfied == 90.0
        assert s.scalar(select(func.count()).select_from(Setting)) == 2


def test_the_log_says_how_to_create_the_first_admin(db: Database, db_url: str) -> None:
    from dashboard.serve import startup_hint
    from data.users import add_user

    assert "dashboard users add 用户名 --role admin" in startup_hint(db_url)
    with db.write("cli") as s:
        add_user(s, "jiufeng", "Jiufeng2024", "admin")
    assert startup_hint(db_url) == "请用本局账号登录"
