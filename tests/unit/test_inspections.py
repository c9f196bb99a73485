"""明查暗访: saving (findings become problems), validation, and what unit staff may not see."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from dash import Dash
from sqlalchemy import func, select

from dashboard.app import create_app
from dashboard.config import Settings
from dashboard.dash_private import output_string
from data.db import Database
from data.forms import FormError
from data.history import history_of
from data.inspections import (
    inspection_counts,
    inspection_form,
    list_inspections,
    save_inspections,
)
from data.models import ChangeLog, Inspection, Problem, Representative
from tests.factories import login, make_campaign, make_unit, make_user

TODAY = dt.date(2024, 11, 20)


@pytest.fixture
def setup(db: Database) -> dict[str, int]:
    with db.write("test") as s:
        make_campaign(s, 2024)
        office = make_unit(s, name="城关镇司法所")
        firm = make_unit(s, name="明德律师事务所", kind="law_firm")
        reps = [
            Representative(name="李代表", sector="人大代表", contact="13800000001", active=True),
            Representative(name="周代表", sector="群众代表", contact=None, active=True),
        ]
        s.add_all(reps)
        s.flush()
        return {"office": office.id, "firm": firm.id, "rep1": reps[0].id, "rep2": reps[1].id}


def _raw(setup: dict[str, int], **kw: Any) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "unit_ids": [setup["office"]],
        "inspected_on": "2024-07-10",
        "mode": "covert",
        "representative_ids": [setup["rep1"]],
        "findings": "窗口服务情况",
        "follow_ups": [],
    }
    raw.update(kw)
    return raw


def _finding(**kw: Any) -> dict[str, Any]:
    finding = {
        "description": "未公示收费标准",
        "criterion_code": "disclosure",
        "deadline": "2024-08-10",
        "owner": "张所长",
    }
    finding.update(kw)
    return finding


def _save(db: Database, raw: dict[str, Any], today: dt.date = TODAY) -> list[int]:
    with db.write("duban") as s:
        return [i.id for i in save_inspections(s, inspection_form(raw), 2024, today)]


def _count(db: Database, model: Any) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_each_unit_gets_an_inspection_and_each_finding_a_problem(
    db: Database, setup: dict[str, int]
) -> None:
    raw = _raw(
        setup,
        unit_ids=[setup["office"], setup["firm"]],
        mode="open",
        representative_ids=[setup["rep1"], setup["rep2"]],
        follow_ups=[
            _finding(unit_id=setup["office"]),
            _finding(unit_id=setup["firm"], criterion_code="honest_service", severity="serious"),
        ],
    )
    ids = _save(db, raw)
    assert len(ids) == 2
    with db.read() as s:
        problems = s.scalars(select(Problem).order_by(Problem.id)).all()
        assert [(p.unit_id, p.channel, p.status) for p in problems] == [
            (setup["office"], "inspection", "pending"),
            (setup["firm"], "inspection", "pending"),
        ]
        assert problems[1].severity == "serious" and problems[0].owner == "张所长"
        assert problems[0].found_on == dt.date(2024, 7, 10)
        by_unit = {i.unit_id: i.id for i in s.scalars(select(Inspection))}
        assert [p.inspection_id for p in problems] == [
            by_unit[setup["office"]],
            by_unit[setup["firm"]],
        ]
        inspection = s.get(Inspection, ids[0])
        assert sorted(r.name for r in inspection.representatives) == ["周代表", "李代表"]
        assert history_of(s, "inspection", ids[0])[0].actor == "duban"
        assert len(history_of(s, "problem", problems[0].id)) == 1


@pytest.mark.parametrize(
    ("changes", "path", "message"),
    [
        ({"unit_ids": []}, "unit_ids", "请选择被检查单位"),
        ({"inspected_on": "2024-02-30"}, "inspected_on", "日期不存在"),
        ({"mode": "secret"}, "mode", "请选择有效的选项"),
        ({"findings": "长" * 5001}, "findings", "不能超过 5000 个字"),
        (
            {"follow_ups": [_finding(criterion_code="honest_service")]},
            "follow_ups.0.criterion_code",
            "不适用于该单位",
        ),
        (
            {"follow_ups": [_finding(deadline="2024-07-01")]},
            "follow_ups.0.deadline",
            "整改时限不能早于检查日期",
        ),
        ({"follow_ups": [_finding(description="")]}, "follow_ups.0.description", "必填"),
        ({"representative_ids": [999]}, "representative_ids", "民评代表不存在"),
        ({"unit_ids": [999]}, "unit_ids", "单位不存在"),
    ],
)
def test_wrong_input_is_named_and_nothing_is_saved(
    db: Database, setup: dict[str, int], changes: dict[str, Any], path: str, message: str
) -> None:
    with pytest.raises(FormError) as caught:
        _save(db, _raw(setup, **changes))
    assert message in caught.value.errors[path]
    assert _count(db, Inspection) == 0 and _count(db, Problem) == 0


def test_a_finding_of_several_units_names_its_unit(db: Database, setup: dict[str, int]) -> None:
    raw = _raw(setup, unit_ids=[setup["office"], setup["firm"]], follow_ups=[_finding()])
    with pytest.raises(FormError) as caught:
        _save(db, raw)
    assert "所属" in caught.value.errors["follow_ups.0.unit_id"]
    assert _count(db, Inspection) == 0


def test_a_planned_inspection_has_no_findings_yet(db: Database, setup: dict[str, int]) -> None:
    future = _raw(setup, inspected_on="2024-12-05", follow_ups=[_finding(deadline="2024-12-31")])
    with pytest.raises(FormError) as caught:
        _save(db, future)
    assert "尚未进行" in caught.value.errors["follow_ups"]
    assert _save(db, _raw(setup, inspected_on="2024-12-05"))  # the schedule alone is fine


def test_unit_staff_do_not_see_covert_schedule_or_team(db: Database, setup: dict[str, int]) -> None:
    _save(db, _raw(setup, inspected_on="2024-07-10", mode="covert", findings="暗访已做"))
    _save(db, _raw(setup, inspected_on="2024-12-05", mode="covert", findings="暗访计划"))
    _save(db, _raw(setup, inspected_on="2024-12-06", mode="open", findings="明查计划"))
    with db.read() as s:
        everything = list_inspections(s, 2024, TODAY, TODAY)
        hidden = list_inspections(s, 2024, TODAY, TODAY, hide_covert=True)
        counts_all = inspection_counts(s, 2024, TODAY)
        counts_unit = inspection_counts(s, 2024, TODAY, hide_covert=True)
    assert [r.findings for r in everything] == ["明查计划", "暗访计划", "暗访已做"]
    assert all(r.representatives == ["李代表（人大代表）"] for r in everything)
    assert [r.findings for r in hidden] == ["明查计划", "暗访已做"]
    assert [r.representatives for r in hidden] == [["李代表（人大代表）"], None]
    assert (counts_all.total, counts_all.covert, counts_all.planned) == (3, 2, 2)
    assert (counts_unit.total, counts_unit.covert, counts_unit.planned) == (2, 1, 1)


# ---- the page's callbacks, called as a browser would (direct POSTs) ------------------------


@pytest.fixture
def app(db_url: str, db: Database, setup: dict[str, int]) -> Dash:
    with db.write("test") as s:
        for role in ("leader", "supervisor", "admin"):
            make_user(s, role, role)
        make_user(s, "unit", "unit", unit_name="城关镇司法所")
    _save(db, _raw(setup, inspected_on="2024-07-10", mode="covert", findings="暗访已做"))
    _save(db, _raw(setup, inspected_on="2024-12-05", mode="covert", findings="暗访计划"))
    return create_app(Settings(database_url=db_url, secret_key="t", fixed_today=TODAY))


def _post(client: Any, output: str, inputs: list[dict], state: list[dict] | None = None) -> Any:
    body = {
        "output": output,
        "outputs": {"id": output.rsplit(".", 1)[0], "property": output.rsplit(".", 1)[1]},
        "inputs": inputs,
        "state": state or [],
        "changedPropIds": [f"{inputs[0]['id']}.{inputs[0]['property']}"],
    }
    return client.post("/_dash-update-component", json=body)


@pytest.mark.parametrize(("who", "sees_schedule"), [("unit", False), ("leader", True)])
def test_the_list_callback_withholds_covert_details_on_the_server(
    app: Dash, who: str, sees_schedule: bool
) -> None:
    client = app.server.test_client()
    login(client, who).close()
    search = {"id": "insp-state", "property": "data", "value": "?campaign=2024"}
    with _post(client, "insp-content.children", [search]) as response:
        assert response.status_code == 200
        text = json.dumps(response.get_json(), ensure_ascii=False)
    assert "暗访已做" in text
    assert ("暗访计划" in text) is sees_schedule
    assert ("李代表" in text) is sees_schedule
    assert "13800000001" not in text  # a representative's contact is never sent


@pytest.mark.parametrize(("who", "status"), [("unit", 403), ("leader", 403), ("supervisor", 200)])
def test_the_form_options_are_for_writers_only(
    app: Dash, db: Database, who: str, status: int
) -> None:
    client = app.server.test_client()
    login(client, who).close()
    outputs = [
        ("insp-units", "options"),
        ("insp-reps", "options"),
        ("insp-date", "value"),
        ("insp-meta", "data"),
    ]
    body = {
        "output": output_string(outputs),
        "outputs": [{"id": ident, "property": prop} for ident, prop in outputs],
        "inputs": [{"id": "insp-form-card", "property": "id", "value": "insp-form-card"}],
        "state": [],
        "changedPropIds": ["insp-form-card.id"],
    }
    with client.post("/_dash-update-component", json=body) as response:
        assert response.status_code == status
        if status == 200:
            assert "李代表" in json.dumps(response.get_json(), ensure_ascii=False)
    with db.read() as s:
        denied = s.scalar(
            select(func.count()).select_from(ChangeLog).where(ChangeLog.action == "denied")
        )
    assert denied == (1 if status == 403 else 0)


def _grid_rows(response: Any) -> list[dict[str, Any]]:
    """The rows of the inspections grid in a callback's JSON answer."""
    stack = [response.get_json()]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if item.get("props", {}).get("id") == "insp-grid":
                return item["props"]["rowData"]
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    raise AssertionError("no inspections grid")


@pytest.mark.parametrize(("who", "hide_covert"), [("leader", False), ("unit", True)])
def test_the_grid_holds_every_inspection_the_viewer_may_see(
    app: Dash, db: Database, setup: dict[str, int], who: str, hide_covert: bool
) -> None:
    """No cap (the list once stopped at 60, and at 1000 behind 显示全部): every inspection the
    role may see is a row, as many as data/ counts; a covert one still ahead is not sent to
    unit staff at all, nor any covert team."""
    with db.write("duban") as s:
        campaign_id = s.scalar(select(Inspection.campaign_id))
        s.add_all(
            Inspection(
                campaign_id=campaign_id,
                unit_id=setup["office"],  # the unit account's own: both roles see them
                inspected_on=dt.date(2024, 6, 1) + dt.timedelta(days=i % 60),
                mode="open",
                findings=f"第{i}次明查",
            )
            for i in range(1005)
        )
    with db.read() as s:
        counts = inspection_counts(s, 2024, TODAY, hide_covert=hide_covert)
        listed = list_inspections(s, 2024, TODAY, TODAY, hide_covert=hide_covert, limit=None)
    client = app.server.test_client()
    login(client, who).close()
    state = {"id": "insp-state", "property": "data", "value": "?campaign=2024"}
    with _post(client, "insp-content.children", [state]) as response:
        rows = _grid_rows(response)
        text = json.dumps(response.get_json(), ensure_ascii=False)
    assert len(rows) == counts.total == len(listed) == (1006 if hide_covert else 1007)
    assert [row["id"] for row in rows] == [r.id for r in listed]  # newest first
    assert "insp-show-all" not in text and "显示全部" not in text
    covert = [row for row in rows if row["findings"].startswith("暗访")]
    assert [row["findings"] for row in covert] == (
        ["暗访已做"] if hide_covert else ["暗访计划", "暗访已做"]
    )
    teams = {row["representatives"] for row in covert}
    assert teams == ({"不公开"} if hide_covert else {"李代表（人大代表）"})
    if not hide_covert:
        assert rows[0]["mode"] == "暗访（计划）" and rows[0]["mode_level"] == "neutral"
    assert rows[-1]["unit_href"] == f"/units/{setup['office']}?campaign=2024"
    assert rows[-1]["problems_text"] == "0 / 0"
