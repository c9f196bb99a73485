"""The 纠风办 loop (#18 item 3): dated, numbered batches of reported problems, the office's
feedback imported back by 编号 (all or nothing), and reported / fed back / outstanding."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from dash import Dash
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data.db import Database
from data.exports import LEDGER_HEADERS, export_report
from data.figures import Filters
from data.form_tokens import once
from data.forms import FormError, RectificationForm
from data.history import record_history
from data.import_files import ImportFailed
from data.imports import run_import
from data.labels import describe_changes
from data.models import Campaign, ChangeLog, Problem, ReportBatch
from data.rectification_updates import update_rectification
from data.report_batches import (
    REPORTING_HEADERS,
    Selection,
    batch_of,
    candidate_count,
    create_batch,
    export_batch,
    import_feedback,
    report_counts,
)
from tests.conftest import MakeApp
from tests.factories import login, make_campaign, make_problem, make_unit, make_user

TODAY = dt.date(2024, 10, 20)
SEPT = dt.date(2024, 9, 20)


@pytest.fixture
def county(db: Database) -> Database:
    """Two offices: four problems (one numbered, one a complaint with a complainant, one
    voided, one already marked reported by hand), a second campaign's problem."""
    with db.write("test") as s:
        campaign = make_campaign(s, 2024)
        other = make_campaign(s, 2023)
        a = make_unit(s, name="城关镇司法所")
        b = make_unit(s, name="城北律师事务所", kind="law_firm")
        make_problem(s, campaign, a, description="窗口无公示", ledger_key="2024-0001")
        make_problem(
            s,
            campaign,
            b,
            description="收费不透明",
            channel="hotline",
            criterion_code="honest_service",
            complainant_name="张三",
            complainant_phone="13812345678",
        )
        make_problem(s, campaign, a, description="已作废", voided_at=dt.datetime(2024, 7, 1))
        make_problem(s, campaign, a, description="早已上报", reported=True, ledger_key="2024-0009")
        make_problem(s, other, a, description="去年的问题", ledger_key="2024-0002")
    return db


def _batch(s: Session, selection: Selection | None = None, **kw: object) -> ReportBatch:
    args = {"reported_on": SEPT, "note": "第三季度", "reported_by": "admin", "today": TODAY}
    args.update(kw)
    return create_batch(s, 2024, selection or Selection(), **args)  # type: ignore[arg-type]


def _problem(s: Session, description: str) -> Problem:
    return s.scalars(select(Problem).where(Problem.description == description)).one()


def test_a_batch_takes_the_unreported_problems_and_numbers_them(county: Database) -> None:
    with county.read() as s:
        assert candidate_count(s, 2024) == 2  # not the voided one, not the one already reported
    with county.write("admin") as s:
        first = _batch(s)
        assert (first.number, first.reported_on, first.reported_by) == (1, SEPT, "admin")
    with county.read() as s:
        window, fees = _problem(s, "窗口无公示"), _problem(s, "收费不透明")
        assert window.report_batch_id == fees.report_batch_id == first.id
        assert window.reported and fees.reported
        assert window.ledger_key == "2024-0001"  # its own 编号 kept
        assert fees.ledger_key == f"2024-JF{fees.id:05d}"  # one given, stable and unique
        assert _problem(s, "已作废").report_batch_id is None
        assert _problem(s, "早已上报").report_batch_id is None
        assert candidate_count(s, 2024) == 0
    with county.write("admin") as s:
        with pytest.raises(FormError) as nothing:
            _batch(s)
        assert "没有符合条件" in nothing.value.errors["selection"]
        window = _problem(s, "窗口无公示")
        make_problem(s, _campaign(s), window.unit, description="新发现")
        second = _batch(s, reported_on=TODAY)
        assert second.number == 2 and second.campaign_id == window.campaign_id
    with county.read() as s:
        assert batch_of(s, 2024, 2) is not None and batch_of(s, 2024, 3) is None


def _campaign(s: Session) -> Campaign:
    return s.scalars(select(Campaign).where(Campaign.year == 2024)).one()


def test_numbering_is_per_campaign(county: Database) -> None:
    with county.write("admin") as s:
        assert _batch(s).number == 1
        other = create_batch(s, 2023, Selection(), dt.date(2023, 9, 1), None, "admin", TODAY)
        assert other.number == 1


def test_the_selection_filters_by_unit_channel_and_status(county: Database) -> None:
    with county.write("admin") as s:
        fees = _problem(s, "收费不透明")
        assert candidate_count(s, 2024, Selection(channels=("hotline",))) == 1
        assert candidate_count(s, 2024, Selection(unit_ids=(fees.unit_id,))) == 1
        assert candidate_count(s, 2024, Selection(statuses=("done",))) == 0
        batch = _batch(s, Selection(channels=("hotline",)))
        assert _problem(s, "收费不透明").report_batch_id == batch.id
        assert _problem(s, "窗口无公示").report_batch_id is None


@pytest.mark.parametrize(
    ("kw", "field", "words"),
    [
        ({"reported_on": None}, "reported_on", "请填写上报日期"),
        ({"reported_on": TODAY + dt.timedelta(days=1)}, "reported_on", "不能晚于今天"),
        ({"note": "长" * 501}, "note", "最多 500 字"),
        ({"expected": 5}, "selection", "已由 5 件变为 2 件"),
    ],
)
def test_a_refused_batch_writes_nothing(county: Database, kw: dict, field: str, words: str) -> None:
    with county.write("admin") as s, pytest.raises(FormError) as refused:
        _batch(s, **kw)
    assert words in refused.value.errors[field]
    with county.read() as s:
        assert s.scalar(select(func.count()).select_from(ReportBatch)) == 0
        assert s.scalar(select(func.count()).where(Problem.report_batch_id.is_not(None))) == 0


def test_a_confirmed_batch_posted_twice_makes_one(county: Database) -> None:
    token = "ab" * 16
    made = []
    for _ in range(2):
        with county.write("admin") as s:
            made.append(
                once(
                    s,
                    token,
                    "report_batch",
                    lambda s=s: _batch(s).number,
                    lambda n: {"number": n},
                    lambda kept: kept["number"],
                )
            )
    assert made == [1, 1]
    with county.read() as s:
        assert s.scalar(select(func.count()).select_from(ReportBatch)) == 1


def test_the_batch_downloads_in_the_ledger_columns_masked(county: Database) -> None:
    with county.write("admin") as s:
        _batch(s)
    with county.read() as s:
        data = export_batch(s, 2024, 1, TODAY)
        assert export_batch(s, 2024, 9, TODAY) is None
    assert data is not None
    sheet = load_workbook(io.BytesIO(data)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == LEDGER_HEADERS
    assert sorted(r[5] for r in rows[1:]) == ["收费不透明", "窗口无公示"]
    complaint = next(r for r in rows[1:] if r[5] == "收费不透明")
    assert complaint[14] == "张*" and complaint[15] == "138****5678"
    assert complaint[0].startswith("2024-JF") and complaint[13] == "是"
    assert "第1批" in sheet.title


def _feedback(
    rows: list[list[object]], headers: tuple[str, ...] = ("编号", "反馈日期", "反馈情况")
) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _state(db: Database) -> list[tuple]:
    with db.read() as s:
        return list(
            s.execute(
                select(Problem.id, Problem.report_feedback, Problem.report_feedback_on).order_by(
                    Problem.id
                )
            )
        )


def test_feedback_is_matched_by_its_number_and_kept_in_the_history(county: Database) -> None:
    with county.write("admin") as s:
        _batch(s)
        key = _problem(s, "收费不透明").ledger_key
    data = _feedback(
        [
            ["2024-0001", dt.datetime(2024, 10, 8), "已整改到位，同意销号"],
            [key, "2024/10/9", "请补充整改照片"],
            ["2024-0009", "2024年10月10日", "已收悉"],  # reported before batches existed
        ]
    )
    with county.read() as s:
        preview = import_feedback(s, data, "反馈.xlsx", 2024, TODAY, dry_run=True)
    assert (preview.updated, preview.created, preview.dry_run) == (3, 0, True)
    assert _state(county) == _state(county) and all(f is None for _i, f, _o in _state(county))
    with county.write("admin") as s:
        done = import_feedback(s, data, "反馈.xlsx", 2024, TODAY)
    assert done.updated == 3
    with county.read() as s:
        window = _problem(s, "窗口无公示")
        assert window.report_feedback == "已整改到位，同意销号"
        assert window.report_feedback_on == dt.date(2024, 10, 8)
        history = record_history(s, "problem", window.id)
        words = [
            line
            for entry in history.entries
            for line in describe_changes("problem", entry.action, entry.changes, history.lookups)
        ]
    assert "纠风办反馈情况：空 → 已整改到位，同意销号" in words
    assert "纠风办反馈日期：空 → 2024-10-08" in words
    assert "上报批次：空 → 第1批（2024-09-20）" in words
    assert "是否上报纠风办：否 → 是" in words
    with county.write("admin") as s:  # the same file again changes nothing
        again = import_feedback(s, data, "反馈.xlsx", 2024, TODAY)
    assert (again.updated, again.unchanged) == (0, 3)


def test_feedback_reads_a_gbk_csv(county: Database) -> None:
    with county.write("admin") as s:
        _batch(s)
    data = "编号,反馈日期,反馈情况\r\n2024-0001,2024-10-08,已整改\r\n".encode("gbk")
    with county.write("admin") as s:
        assert import_feedback(s, data, "反馈.csv", 2024, TODAY).updated == 1
    with county.read() as s:
        assert _problem(s, "窗口无公示").report_feedback == "已整改"


@pytest.mark.parametrize(
    ("row", "where", "words"),
    [
        (["2024-9999", "2024-10-08", "已整改"], "A 列「编号」", "系统中没有这个编号"),
        (["2024-0002", "2024-10-08", "已整改"], "A 列「编号」", "系统中没有这个编号"),
        (["NEW", "2024-10-08", "已整改"], "A 列「编号」", "尚未上报纠风办"),
        (["VOID", "2024-10-08", "已整改"], "A 列「编号」", "已作废"),
        (["2024-0001", "2024-13-40", "已整改"], "B 列「反馈日期」", "日期"),
        (["2024-0001", "2024-09-01", "已整改"], "B 列「反馈日期」", "早于该问题的上报日期"),
        (["2024-0001", "2024-10-21", "已整改"], "B 列「反馈日期」", "晚于今天"),
        (["2024-0001", "2024-10-08", None], "C 列「反馈情况」", "不能为空"),
        ([None, "2024-10-08", "已整改"], "A 列「编号」", "不能为空"),
    ],
)
def test_any_bad_row_and_nothing_is_written(
    county: Database, row: list, where: str, words: str
) -> None:
    with county.write("admin") as s:
        _batch(s, Selection(channels=("self_inspection",)))
        _problem(s, "收费不透明").ledger_key = "NEW"
        _problem(s, "已作废").ledger_key = "VOID"
    before = _state(county)
    data = _feedback([["2024-0009", "2024-10-08", "已收悉"], row])
    with county.write("admin") as s, pytest.raises(ImportFailed) as failed:
        import_feedback(s, data, "反馈.xlsx", 2024, TODAY)
    issue = failed.value.issues[0]
    assert issue.row == 3 and words in issue.message, issue
    assert issue.text().startswith(f"第 3 行 {where}")
    assert _state(county) == before


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"not a table at all \x00\x01", "无法读取"),
        (None, "缺少"),
    ],
)
def test_a_bad_file_says_why(county: Database, data: bytes | None, words: str) -> None:
    data = data or _feedback([["2024-0001", "2024-10-08"]], headers=("编号", "反馈日期"))
    with county.read() as s, pytest.raises(ImportFailed) as failed:
        import_feedback(s, data, "反馈.xlsx", 2024, TODAY)
    assert words in " ".join(i.message for i in failed.value.issues)


def test_a_repeated_number_is_an_error(county: Database) -> None:
    with county.write("admin") as s:
        _batch(s)
    data = _feedback([["2024-0001", "2024-10-08", "甲"], ["2024-0001", "2024-10-09", "乙"]])
    with county.read() as s, pytest.raises(ImportFailed) as failed:
        import_feedback(s, data, "反馈.xlsx", 2024, TODAY)
    assert "与第 2 行重复" in failed.value.issues[0].message


def test_counts_equal_the_rows(county: Database) -> None:
    with county.write("admin") as s:
        _batch(s, Selection(channels=("self_inspection",)))
        _batch(s, Selection(channels=("hotline",)), reported_on=TODAY)
    with county.write("admin") as s:
        import_feedback(
            s, _feedback([["2024-0001", "2024-10-08", "已整改"]]), "反馈.xlsx", 2024, TODAY
        )
    with county.read() as s:
        counts = report_counts(s, 2024)
        reported = s.scalar(
            select(func.count()).where(
                Problem.campaign_id == _campaign(s).id,
                Problem.voided_at.is_(None),
                Problem.reported.is_(True),
            )
        )
        fed = s.scalar(
            select(func.count()).where(
                Problem.campaign_id == _campaign(s).id,
                Problem.report_feedback_on.is_not(None),
            )
        )
        early = report_counts(s, 2024, as_of=dt.date(2024, 10, 1))
    assert (counts.overall.reported, counts.overall.fed_back) == (reported, fed) == (3, 1)
    assert counts.overall.outstanding == 2
    by_batch = [(b.number, b.counts.reported, b.counts.fed_back) for b in counts.by_batch]
    assert by_batch == [(1, 1, 1), (2, 1, 0), (None, 1, 0)]
    by_unit = {u.unit: (u.counts.reported, u.counts.outstanding) for u in counts.by_unit}
    assert by_unit == {"城关镇司法所": (2, 1), "城北律师事务所": (1, 1)}
    # On 1 October only the first batch (and the one reported by hand) had gone; no feedback.
    assert (early.overall.reported, early.overall.fed_back) == (2, 0)
    assert [b.number for b in early.by_batch] == [1, None]


def test_a_batched_problem_stays_reported(county: Database) -> None:
    with county.write("admin") as s:
        _batch(s)
        window = _problem(s, "窗口无公示")
        form = RectificationForm(status="pending", reported=False)
        with pytest.raises(FormError) as refused:
            update_rectification(s, window.id, form, "admin", None, TODAY)
        assert "不能改为未上报" in refused.value.errors["reported"]


def test_a_ledger_import_cannot_unreport_a_batched_problem(county: Database) -> None:
    with county.write("admin") as s:
        _batch(s, Selection(channels=("self_inspection",)))
    book = Workbook()
    sheet = book.active
    sheet.append(
        ["编号", "责任单位", "问题来源", "评议内容", "发现日期", "问题描述", "整改时限"]
        + ["整改状态", "是否上报纠风办"]
    )
    row = ["城关镇司法所", "自查自纠", "依法办事", "2024-06-10", "窗口无公示", "2024-07-10"]
    sheet.append(["2024-0001", *row, "待整改", "否"])
    out = io.BytesIO()
    book.save(out)
    with county.write("admin") as s, pytest.raises(ImportFailed) as failed:
        run_import(s, "problems", out.getvalue(), "台账.xlsx", 2024)
    assert "不能改为“否”" in failed.value.issues[0].text()
    assert "I 列「是否上报纠风办」" in failed.value.issues[0].text()


def test_the_feedback_command(
    county: Database,
    db_url: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from dashboard.cli import main

    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("DASHBOARD_TODAY", TODAY.isoformat())
    with county.write("admin") as s:
        _batch(s)
    good = tmp_path / "反馈.xlsx"
    good.write_bytes(_feedback([["2024-0001", "2024-10-08", "已整改"]]))
    bad = tmp_path / "错.xlsx"
    bad.write_bytes(_feedback([["2024-0404", "2024-10-08", "已整改"]]))
    assert main(["feedback", "import", str(good), "--campaign", "2024", "--dry-run"]) == 0
    assert "试运行" in capsys.readouterr().out
    assert _problem_feedback(county) is None
    assert main(["feedback", "import", str(bad), "--campaign", "2024"]) == 1
    err = capsys.readouterr().err
    assert "错.xlsx 第 2 行 A 列「编号」" in err and "没有写入任何数据" in err
    assert main(["feedback", "import", str(good), "--campaign", "2024"]) == 0
    assert "更新 1 条" in capsys.readouterr().out
    assert _problem_feedback(county) == "已整改"
    assert main(["feedback", "import", str(tmp_path / "none.xlsx"), "--campaign", "2024"]) == 1


def _problem_feedback(db: Database) -> str | None:
    with db.read() as s:
        return _problem(s, "窗口无公示").report_feedback


# ---- the page's writes and the download, as the server answers them -----------------------

BATCH_FIELDS = ("unit_ids", "channels", "statuses", "reported_on", "note")


@pytest.fixture
def served(county: Database, make_app: MakeApp) -> Dash:
    with county.write("test") as s:
        make_user(s, "admin", "admin")
        make_user(s, "leader", "leader")
        make_user(s, "unit01", "unit", unit_name="城关镇司法所")
    return make_app(today=TODAY)


def _client(app: Dash, who: str) -> Any:
    client = app.server.test_client()
    login(client, who).close()
    return client


def _save_batch(client: Any, token: str, values: dict[str, Any]) -> str:
    """POST the new-batch form's save as the browser does; the answer as text."""
    deps = client.get("/_dash-dependencies").get_json()
    dep = next(d for d in deps if d["output"].startswith("..reports-batch-message.children"))

    def field(name: str) -> dict[str, Any]:
        return {"type": "reports-batch-field", "field": name}

    body = {
        "output": dep["output"],
        "outputs": [
            {"id": "reports-batch-message", "property": "children"},
            [
                {"id": {"type": "reports-batch-feedback", "field": f}, "property": "children"}
                for f in BATCH_FIELDS
            ],
            {"id": "reports-refresh", "property": "data"},
        ],
        "inputs": [{"id": "reports-batch-save", "property": "n_clicks", "value": 1}],
        "state": [
            [{"id": field(f), "property": "value", "value": values.get(f)} for f in BATCH_FIELDS],
            [{"id": field(f), "property": "id", "value": field(f)} for f in BATCH_FIELDS],
            {
                "id": "reports-batch-meta",
                "property": "data",
                "value": {"year": 2024, "token": token},
            },
        ],
        "changedPropIds": ["reports-batch-save.n_clicks"],
    }
    with client.post("/_dash-update-component", json=body) as response:
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
        return json.dumps(response.get_json(), ensure_ascii=False)


def _batches(db: Database) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(ReportBatch)) or 0


def test_only_the_admin_makes_a_batch_and_twice_posted_is_one(
    served: Dash, county: Database
) -> None:
    values = {"reported_on": "2024-09-20", "note": "第三季度", "channels": ["self_inspection"]}
    refused = _save_batch(_client(served, "leader"), "cd" * 16, values)
    assert "您的角色：局领导" in refused and _batches(county) == 0
    with county.read() as s:
        denied = s.scalar(select(func.count()).where(ChangeLog.action == "denied"))
    assert denied == 1
    admin = _client(served, "admin")
    made = _save_batch(admin, "ab" * 16, values)
    assert "已记为第 1 批，共 1 件问题" in made
    again = _save_batch(admin, "ab" * 16, values)  # a double click: the same form posted again
    assert "已记为第 1 批" in again and _batches(county) == 1
    late = _save_batch(admin, "ef" * 16, {"reported_on": "2024-12-01"})
    assert "不能晚于今天" in late and _batches(county) == 1
    with county.read() as s:
        history = record_history(s, "report_batch", batch_of(s, 2024, 1).id)  # type: ignore[union-attr]
        words = [
            line
            for entry in history.entries
            for line in describe_changes("report_batch", entry.action, entry.changes)
        ]
    assert "批次：1" in words and "上报日期：2024-09-20" in words and "备注：第三季度" in words


def test_the_batch_download_is_for_the_bureau(served: Dash, county: Database) -> None:
    with county.write("admin") as s:
        _batch(s)
    with _client(served, "leader").get("/download/report-batch/2024/1.xlsx") as response:
        assert response.status_code == 200
        assert "no-store" in response.headers["Cache-Control"]
        disposition = response.headers["Content-Disposition"]
        assert quote("2024年第1批上报纠风办问题清单.xlsx") in disposition
        sheet = load_workbook(io.BytesIO(response.data)).active
        assert [c.value for c in sheet[1]] == LEDGER_HEADERS
    assert _client(served, "unit01").get("/download/report-batch/2024/1.xlsx").status_code == 403
    admin = _client(served, "admin")
    assert admin.get("/download/report-batch/2024/2.xlsx").status_code == 404
    assert admin.get("/download/report-batch/1999/1.xlsx").status_code == 404


def test_the_report_workbook_lists_the_loop(county: Database) -> None:
    with county.write("admin") as s:
        _batch(s)
    with county.read() as s:
        book = load_workbook(io.BytesIO(export_report(s, 2024, TODAY)))
    rows = [list(r) for r in book["上报纠风办"].iter_rows(values_only=True)]
    assert rows[0] == REPORTING_HEADERS
    assert rows[1] == ["合计", None, 3, 0, 3]
    assert rows[2][0] == "第1批" and rows[2][2:] == [2, 0, 2]
    assert rows[3][0] == "未编入批次" and rows[3][2:] == [1, 0, 1]


def test_the_counts_follow_the_unit_filters(county: Database) -> None:
    with county.write("admin") as s:
        _batch(s)
    with county.read() as s:
        firms = report_counts(s, 2024, filters=Filters(kinds=("law_firm",)))
    assert (firms.overall.reported, [u.unit for u in firms.by_unit]) == (1, ["城北律师事务所"])
    assert [(b.number, b.counts.reported) for b in firms.by_batch] == [(1, 1)]
