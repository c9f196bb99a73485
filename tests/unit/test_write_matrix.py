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
    for part in dep["output"].strip(".").split("..."):
        ident, prop = part.rsplit(".", 1)
        prop = prop.split("@")[0]
        if ident.startswith("{"):  # the per-field messages the form has on screen
            pattern = json.loads(ident)
            fields = FIELDS if pattern["type"] == "sup-feedback" else ()
            outputs.append(
                [{"id": {"type": pattern["type"], "field": f}, "property": prop} for f in fields]
            )
        else:
            outputs.append({"id": ident, "property": prop})
    return {
        "output": dep["output"],
        "outputs": outputs,
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
            "unit-rect-meta.data": {"problem_id": problem_id},
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
