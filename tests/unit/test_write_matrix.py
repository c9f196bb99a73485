"""Every write callback checks the role on the server: direct POSTs, not clicks."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from dash import Dash
from sqlalchemy import func, select

from dashboard.app import create_app
from dashboard.config import Settings
from dashboard.dash_private import has_several_outputs, output_parts
from data.db import Database
from data.models import ChangeLog, SupervisionVisit
from tests.factories import login, make_campaign, make_unit, make_user

SAVE_OUTPUT = "sup-message.children"
FIELDS = ("unit_id", "visited_on", "supervisors", "kind", "findings", "notes", "next_visit_on")


def _dependency(client: Any, output_part: str, trigger: str | None = None) -> dict[str, Any]:
    deps = client.get("/_dash-dependencies").get_json()
    return next(
        d
        for d in deps
        if output_part in d["output"] and (trigger is None or d["inputs"][0]["id"] == trigger)
    )


def _payload(dep: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """A request body for a callback, the way the browser would send it."""

    def item(spec: dict[str, Any]) -> Any:
        ident = spec["id"]
        if ident.startswith("{"):  # a pattern-matching ALL: no such components on screen
            return []
        key = f"{ident}.{spec['property']}"
        return {"id": ident, "property": spec["property"], "value": values.get(key)}

    outputs: list[Any] = []
    for ident, prop in output_parts(dep["output"]):
        if ident.startswith("{"):  # the per-field messages the form has on screen
            pattern = json.loads(ident)
            fields = FIELDS if pattern["type"] == "sup-feedback" else ()
            outputs.append(
                [{"id": {"type": pattern["type"], "field": f}, "property": prop} for f in fields]
            )
        else:
            outputs.append({"id": ident, "property": prop})
    single = not has_several_outputs(dep["output"])  # one output is sent bare, not in a list
    return {
        "output": dep["output"],
        "outputs": outputs[0] if single else outputs,
        "inputs": [item(s) for s in dep["inputs"]],
        "state": [item(s) for s in dep["state"]],
        "changedPropIds": [f"{dep['inputs'][0]['id']}.{dep['inputs'][0]['property']}"],
    }


@pytest.fixture
def app(db_url: str, db: Database) -> Dash:
    with db.write("test") as s:
        make_campaign(s, 2024)
        unit = make_unit(s, name="城关镇司法所")
        for role in ("leader", "supervisor", "admin"):
            make_user(s, role, role)
        make_user(s, "unit", "unit", unit_name=unit.name)
    return create_app(
        Settings(database_url=db_url, secret_key="t", fixed_today=dt.date(2024, 11, 20))
    )


@pytest.mark.parametrize(
    ("who", "status", "written"),
    [
        (None, 401, 0),
        ("leader", 403, 0),
        ("unit", 403, 0),
        ("supervisor", 200, 1),
        ("admin", 200, 1),
    ],
)
def test_save_visit_by_role(
    app: Dash, db: Database, who: str | None, status: int, written: int
) -> None:
    client = app.server.test_client()
    if who:
        login(client, who).close()
        dep = _dependency(client, SAVE_OUTPUT)
    else:
        helper = app.server.test_client()
        login(helper, "admin").close()
        dep = _dependency(helper, SAVE_OUTPUT)
    body = _payload(
        dep,
        {
            "sup-save.n_clicks": 1,
            "sup-state.data": "?campaign=2024&as_of=2024-11-20",
            "sup-meta.data": {},
            "sup-unit.value": 1,
            "sup-date.value": "2024-11-18",
            "sup-supervisors.value": "王督导",
            "sup-kind.value": "focus",
        },
    )
    with client.post("/_dash-update-component", json=body) as response:
        assert response.status_code == status, response.get_data(as_text=True)[:300]
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(SupervisionVisit)) == written
        denied = s.scalar(
            select(func.count()).select_from(ChangeLog).where(ChangeLog.action == "denied")
        )
    assert denied == (1 if status == 403 else 0)


def test_refused_save_names_the_field(app: Dash, db: Database) -> None:
    client = app.server.test_client()
    login(client, "supervisor").close()
    dep = _dependency(client, SAVE_OUTPUT)
    body = _payload(
        dep,
        {
            "sup-save.n_clicks": 1,
            "sup-state.data": "?campaign=2024",
            "sup-meta.data": {},
            "sup-unit.value": 1,
            "sup-date.value": "2024-02-30",
            "sup-supervisors.value": "",
        },
    )
    with client.post("/_dash-update-component", json=body) as response:
        text = json.dumps(response.get_json(), ensure_ascii=False)
    assert "日期不存在：2024-02-30" in text and "督导人员：必填" in text
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(SupervisionVisit)) == 0


@pytest.mark.parametrize(
    ("who", "status", "changed"),
    [
        (None, 401, False),
        ("leader", 403, False),
        ("unit", 200, True),
        ("supervisor", 200, True),
        ("other_unit", 403, False),
    ],
)
def test_save_rectification_by_role(
    app: Dash, db: Database, who: str | None, status: int, changed: bool
) -> None:
    from data.models import Campaign, Problem, Unit
    from tests.factories import make_problem

    with db.write("test") as s:
        campaign = s.scalars(select(Campaign)).one()
        own = s.scalars(select(Unit).where(Unit.name == "城关镇司法所")).one()
        other = make_unit(s, name="东湖镇司法所")
        make_user(s, "other_unit", "unit", unit_name=other.name)
        problem_id = make_problem(s, campaign, own, found_on=dt.date(2024, 6, 1)).id
    admin = app.server.test_client()
    login(admin, "admin").close()
    dep = _dependency(admin, "unit-rect-message.children", "unit-rect-save")
    client = app.server.test_client()
    if who:
        login(client, who).close()
    body = _payload(
        dep,
        {
            "unit-rect-save.n_clicks": 1,
            "unit-rect-meta.data": {"problem_id": problem_id, "version": 1},
            "unit-rect-status.value": "done",
            "unit-rect-completed.value": "2024-07-01",
            "unit-rect-measures.value": "已整改",
            "unit-state.data": {"unit": "1", "search": ""},
        },
    )
    with client.post("/_dash-update-component", json=body) as response:
        assert response.status_code == status, response.get_data(as_text=True)[:300]
    with db.read() as s:
        assert (s.get(Problem, problem_id).status == "done") is changed


# ---- 明查暗访, 作废, 阶段任务, 查看投诉人: every role × every write callback -------------------

ROLES = (None, "leader", "unit", "other_unit", "supervisor", "admin")
ALLOWED = {
    "inspection": {"supervisor", "admin"},
    "void": {"supervisor", "admin"},
    "task": {"unit", "supervisor", "admin"},
    "reveal": {"admin"},
}


def _targets(db: Database) -> dict[str, int]:
    """A problem with a complainant and a phase task of 城关镇司法所; another unit's user."""
    from data.models import Campaign, Unit
    from tests.factories import make_problem, make_task

    with db.write("test") as s:
        campaign = s.scalars(select(Campaign)).one()
        own = s.scalars(select(Unit).where(Unit.name == "城关镇司法所")).one()
        other = make_unit(s, name="东湖镇司法所")
        make_user(s, "other_unit", "unit", unit_name=other.name)
        problem = make_problem(
            s,
            campaign,
            own,
            channel="hotline",
            complainant_name="张三",
            complainant_phone="13812345678",
        )
        task = make_task(s, campaign, own, name="实施方案")
        return {"problem": problem.id, "task": task.id, "unit": own.id}


def _values(action: str, ids: dict[str, int]) -> tuple[str, str, dict[str, Any]]:
    """(output, trigger, values) of the callback that makes `action`."""
    if action == "inspection":
        return (
            "insp-message.children",
            "insp-save",
            {
                "insp-save.n_clicks": 1,
                "insp-state.data": "?campaign=2024",
                "insp-units.value": [ids["unit"]],
                "insp-date.value": "2024-07-10",
                "insp-mode.value": "covert",
                "insp-findings.value": "暗访窗口",
            },
        )
    if action == "void":
        return (
            "unit-void-message.children",
            "unit-void-save",
            {
                "unit-void-save.n_clicks": 1,
                "unit-void-meta.data": {"problem_id": ids["problem"], "version": 1},
                "unit-void-reason.value": "重复登记",
                "unit-state.data": {"unit": str(ids["unit"]), "search": ""},
            },
        )
    if action == "task":
        return (
            "unit-task-message.children",
            "unit-task-save",
            {
                "unit-task-save.n_clicks": 1,
                "unit-task-meta.data": {"task_id": ids["task"], "version": 1},
                "unit-task-completed.value": "2024-05-20",
                "unit-task-evidence.value": "实施方案.pdf",
                "unit-state.data": {"unit": str(ids["unit"]), "search": ""},
            },
        )
    return (
        "unit-reveal-value.children",
        "unit-reveal",
        {
            "unit-reveal.n_clicks": 1,
            "unit-detail-meta.data": {"problem_id": ids["problem"]},
        },
    )


def _effect(db: Database, action: str, ids: dict[str, int]) -> bool:
    """Whether the write happened."""
    from data.models import Inspection, Problem, UnitTask

    with db.read() as s:
        if action == "inspection":
            return bool(s.scalar(select(func.count()).select_from(Inspection)))
        if action == "void":
            return s.get(Problem, ids["problem"]).voided_at is not None
        if action == "task":
            return s.get(UnitTask, ids["task"]).completed_on is not None
        reveals = select(func.count()).select_from(ChangeLog).where(ChangeLog.action == "reveal")
        return bool(s.scalar(reveals))


@pytest.mark.parametrize("action", sorted(ALLOWED))
@pytest.mark.parametrize("who", ROLES)
def test_new_write_callbacks_by_role(app: Dash, db: Database, action: str, who: str | None) -> None:
    ids = _targets(db)
    output, trigger, values = _values(action, ids)
    admin = app.server.test_client()
    login(admin, "admin").close()
    dep = _dependency(admin, output, trigger)
    client = app.server.test_client()
    if who:
        login(client, who).close()
    allowed = who in ALLOWED[action]
    with client.post("/_dash-update-component", json=_payload(dep, values)) as response:
        expected = 200 if allowed else 401 if who is None else 403
        assert response.status_code == expected, response.get_data(as_text=True)[:300]
        text = response.get_data(as_text=True)
    assert _effect(db, action, ids) is allowed
    assert ("13812345678" in text) is (allowed and action == "reveal")
    with db.read() as s:
        denied = s.scalar(
            select(func.count()).select_from(ChangeLog).where(ChangeLog.action == "denied")
        )
    assert denied == (1 if who is not None and not allowed else 0)


@pytest.mark.parametrize(
    ("completed", "evidence", "message"),
    [
        (None, "实施方案.pdf", "完成日期：请填写完成日期"),
        ("2024-11-21", "实施方案.pdf", "完成日期：完成日期不能晚于今天"),
        ("2024-02-30", "实施方案.pdf", "完成日期：日期不存在：2024-02-30"),
        ("2024-05-20", "  ", "佐证材料：请填写佐证材料"),
        ("2024-05-20", "长" * 1001, "佐证材料：佐证材料说明不能超过 1000 个字"),
    ],
)
def test_refused_task_names_the_field(
    app: Dash, db: Database, completed: str | None, evidence: str, message: str
) -> None:
    from data.models import UnitTask

    ids = _targets(db)
    output, trigger, values = _values("task", ids)
    values.update({"unit-task-completed.value": completed, "unit-task-evidence.value": evidence})
    client = app.server.test_client()
    login(client, "unit").close()
    dep = _dependency(client, output, trigger)
    with client.post("/_dash-update-component", json=_payload(dep, values)) as response:
        assert response.status_code == 200
        text = json.dumps(response.get_json(), ensure_ascii=False)
    assert message in text
    with db.read() as s:
        assert s.get(UnitTask, ids["task"]).completed_on is None
