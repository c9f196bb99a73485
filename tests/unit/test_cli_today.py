"""The CLI's "today" is the dashboard's: DASHBOARD_TODAY pins it, as README says."""

from __future__ import annotations

import json

import pytest

from dashboard.cli import main
from data.db import Database
from tests.factories import make_campaign, make_problem, make_unit


@pytest.fixture
def cli_db(db: Database, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Database:
    monkeypatch.setenv("DATABASE_URL", db_url)
    return db


def test_stats_without_as_of_uses_dashboard_today(
    cli_db: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with cli_db.write("test") as s:
        campaign = make_campaign(s, 2024)
        make_problem(s, campaign, make_unit(s, name="城关镇司法所"))
    monkeypatch.setenv("DASHBOARD_TODAY", "2024-11-15")
    assert main(["stats", "--campaign", "2024", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["as_of"] == "2024-11-15"
    assert out["problems"] == 1
