"""The command line: exit codes, messages and the stats JSON shape of INTERFACES.md."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from sqlalchemy import func, select

from dashboard.cli import main
from data.db import Database
from data.models import User
from data.users import check_password
from tests.factories import make_campaign, make_problem, make_task, make_unit

STATS_KEYS = {
    "campaign",
    "as_of",
    "problems",
    "unfounded",
    "rectified",
    "rectification_rate",
    "due",
    "on_time",
    "on_time_rate",
    "overdue_problems",
    "complaints",
    "overdue_units",
    "by_channel",
    "complaints_by_month",
    "phase_progress",
    "by_unit",
}
UNIT_KEYS = {
    "unit",
    "kind",
    "township",
    "problems",
    "unfounded",
    "rectified",
    "rectification_rate",
    "due",
    "on_time",
    "overdue_problems",
    "max_days_overdue",
    "complaints",
    "phase_progress",
}


def test_stats_json_shape(cli_db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    with cli_db.write("test") as s:
        campaign = make_campaign(s, 2024)
        unit = make_unit(s, name="城关镇司法所")
        make_problem(
            s,
            campaign,
            unit,
            channel="hotline",
            status="done",
            completed_on=campaign.phases[1].starts_on.replace(day=20),
        )
        make_unit(s, name="明正律师事务所", kind="law_firm")
    assert main(["stats", "--campaign", "2024", "--as-of", "2024-11-15", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == STATS_KEYS
    assert out["campaign"] == 2024 and out["as_of"] == "2024-11-15"
    assert out["problems"] == 1 and out["complaints"] == 1 and out["rectification_rate"] == 1.0
    assert set(out["phase_progress"]) == {"mobilize", "investigate", "rectify", "assess"}
    assert len(out["by_unit"]) == 2
    assert all(set(u) == UNIT_KEYS for u in out["by_unit"])
    empty = next(u for u in out["by_unit"] if u["unit"] == "明正律师事务所")
    assert empty["rectification_rate"] is None and empty["max_days_overdue"] is None


def test_stats_json_null_for_a_phase_not_started(
    cli_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    """Inside 调查评议, 落实整改 and 工作考评 have not started: their progress is null (no
    denominator: their tasks count nowhere), not 0, in the totals and for each unit."""
    with cli_db.write("test") as s:
        campaign = make_campaign(s, 2024)
        unit = make_unit(s, name="城关镇司法所")
        make_task(s, campaign, unit, "mobilize", "实施方案", completed_on=dt.date(2024, 5, 2))
        make_task(s, campaign, unit, "investigate", "自查自纠", completed_on=dt.date(2024, 7, 1))
        make_task(s, campaign, unit, "investigate", "问卷调查")
        make_task(s, campaign, unit, "rectify", "整改方案")
        make_task(s, campaign, unit, "assess", "接受督导检查")
    assert main(["stats", "--campaign", "2024", "--as-of", "2024-07-15", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == STATS_KEYS and set(out["by_unit"][0]) == UNIT_KEYS
    expected = {"mobilize": 1.0, "investigate": 0.5, "rectify": None, "assess": None}
    assert out["phase_progress"] == expected
    assert out["by_unit"][0]["phase_progress"] == expected
    assert main(["stats", "--campaign", "2024", "--as-of", "2024-09-01", "--json"]) == 0
    started = json.loads(capsys.readouterr().out)["phase_progress"]
    assert (started["rectify"], started["assess"]) == (0.0, None)


def test_stats_unknown_campaign(cli_db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--campaign", "1999", "--json"]) == 1
    err = capsys.readouterr().err
    assert "1999" in err and err.startswith("错误：")


def test_stats_bad_date(cli_db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["stats", "--campaign", "2024", "--as-of", "2024-02-30", "--json"])
    assert exc.value.code == 2
    assert "2024-02-30" in capsys.readouterr().err


def test_users_add_reads_password_from_stdin(
    cli_db: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("s3cret-pass\n"))
    assert main(["users", "add", "zhang", "--role", "leader"]) == 0
    with cli_db.read() as s:
        user = s.scalars(select(User).where(User.username == "zhang")).one()
    assert user.role == "leader" and user.password_hash != "s3cret-pass"
    assert check_password(user, "s3cret-pass")


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["users", "add", "u1", "--role", "unit"], "longenough\n", "--unit"),
        (
            ["users", "add", "u1", "--role", "unit", "--unit", "不存在的所"],
            "longenough\n",
            "不存在",
        ),
        (["users", "add", "u1", "--role", "leader"], "short\n", "至少"),
    ],
)
def test_users_add_errors(
    cli_db: Database,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    stdin: str,
    message: str,
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    assert main(args) == 1
    assert message in capsys.readouterr().err
    with cli_db.read() as s:
        assert s.scalar(select(func.count()).select_from(User)) == 0


def test_demo_refuses_non_empty_then_if_empty_is_quiet(
    cli_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    with cli_db.write("test") as s:
        make_unit(s)
    assert main(["demo"]) == 1
    assert "--force" in capsys.readouterr().err
    assert main(["demo", "--if-empty"]) == 0


def test_db_upgrade_is_idempotent(cli_db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "upgrade"]) == 0
    assert "最新" in capsys.readouterr().out
