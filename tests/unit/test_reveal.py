"""Revealing a complainant: admins only, one problem at a time, recorded, and sent nowhere else."""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

import pytest
from dash import Dash
from sqlalchemy import func, select

from dashboard.app import create_app
from dashboard.config import Settings
from dashboard.dash_private import output_string
from dashboard.text import T
from data.db import Database
from data.models import Campaign, ChangeLog, Unit
from data.voiding import problem_history, reveal_complainant
from tests.factories import login, make_campaign, make_problem, make_unit, make_user

NAME, PHONE = "欧阳明月", "13812345678"


@pytest.fixture
def problem_id(db: Database) -> int:
    with db.write("test") as s:
        campaign = make_campaign(s, 2024)
        unit = make_unit(s, name="城关镇司法所")
        return make_problem(
            s,
            campaign,
            unit,
            channel="hotline",
            complainant_name=NAME,
            complainant_phone=PHONE,
        ).id


def _reveals(db: Database) -> list[ChangeLog]:
    with db.read() as s:
        return list(s.scalars(select(ChangeLog).where(ChangeLog.action == "reveal")))


def test_reveal_is_recorded_before_the_value_is_returned(db: Database, problem_id: int) -> None:
    with db.write("admin", 1) as s:
        complainant = reveal_complainant(s, problem_id)
    assert complainant is not None
    assert (complainant.name, complainant.phone) == (NAME, PHONE)
    [row] = _reveals(db)
    assert (row.actor, row.entity, row.entity_id) == ("admin", "problem", str(problem_id))
    assert NAME not in json.dumps([row.before, row.after, row.note], ensure_ascii=False)


def test_the_history_shows_complainants_masked(db: Database, problem_id: int) -> None:
    with db.read() as s:
        [created] = problem_history(s, problem_id)
    shown = {field: after for field, _before, after in created.changes}
    assert shown["complainant_name"] == "欧***"
    assert shown["complainant_phone"] == "138****5678"


@pytest.fixture
def app(db_url: str, db: Database, problem_id: int) -> Dash:
    with db.write("test") as s:
        for role in ("leader", "supervisor", "admin"):
            make_user(s, role, role)
        make_user(s, "unit", "unit", unit_name="城关镇司法所")
    return create_app(
        Settings(database_url=db_url, secret_key="t", fixed_today=dt.date(2024, 11, 20))
    )


def _post(client: Any, output: str, inputs: list[dict], state: list[dict]) -> Any:
    ident, prop = output.rsplit(".", 1)
    body = {
        "output": output,
        "outputs": {"id": ident, "property": prop},
        "inputs": inputs,
        "state": state,
        "changedPropIds": [f"{inputs[0]['id']}.{inputs[0]['property']}"],
    }
    return client.post("/_dash-update-component", json=body)


def _reveal(client: Any, problem_id: int) -> Any:
    return _post(
        client,
        "unit-reveal-value.children",
        [{"id": "unit-reveal", "property": "n_clicks", "value": 1}],
        [{"id": "unit-detail-meta", "property": "data", "value": {"problem_id": problem_id}}],
    )


def _open_detail(client: Any, problem_id: int) -> Any:
    """Press a problem's 详情 button in the problems' grid, as the browser would post it."""
    press = {"colId": "detail", "value": problem_id, "rowId": str(problem_id)}
    outputs = [
        ("unit-detail-modal", "is_open"),
        ("unit-detail-meta", "data"),
        ("unit-detail-title", "children"),
        ("unit-detail-body", "children"),
    ]
    body = {
        "output": output_string(outputs),
        "outputs": [{"id": ident, "property": prop} for ident, prop in outputs],
        "inputs": [{"id": "unit-problem-grid", "property": "cellRendererData", "value": press}],
        "state": [],
        "changedPropIds": ["unit-problem-grid.cellRendererData"],
    }
    return client.post("/_dash-update-component", json=body)


@pytest.mark.parametrize(
    ("who", "status"),
    [(None, 401), ("leader", 200), ("unit", 200), ("supervisor", 200), ("admin", 200)],
)
def test_only_admins_reveal(
    app: Dash,
    db: Database,
    problem_id: int,
    who: str | None,
    status: int,
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = app.server.test_client()
    if who:
        login(client, who).close()
    with caplog.at_level(logging.DEBUG), _reveal(client, problem_id) as response:
        assert response.status_code == status
        text = response.get_data(as_text=True)
    shown = json.loads(text)["response"]["unit-reveal-value"]["children"] if who else None
    if who == "admin":
        assert shown == f"{NAME} {PHONE}"
    else:  # refused in words where the value would be (issue 19), never the complainant
        assert NAME not in text
        if who:
            assert shown.startswith("只有管理员可以查看投诉人信息")
    assert len(_reveals(db)) == (1 if who == "admin" else 0)
    assert NAME not in caplog.text and PHONE not in caplog.text


def test_the_detail_sends_masked_values_even_to_admins(
    app: Dash, db: Database, problem_id: int
) -> None:
    client = app.server.test_client()
    login(client, "admin").close()
    with _open_detail(client, problem_id) as response:
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
        text = json.dumps(response.get_json(), ensure_ascii=False)
    assert "欧***" in text and "138****5678" in text
    assert NAME not in text and PHONE not in text
    assert "查看投诉人信息" in text  # the explicit button, for admins
    meta = response.get_json()["response"]["unit-detail-meta"]["data"]
    assert meta == {"problem_id": problem_id}  # the Store holds the id, never the complainant
    assert _reveals(db) == []


def test_unit_staff_cannot_open_another_units_problem(
    app: Dash, db: Database, problem_id: int
) -> None:
    with db.write("test") as s:
        campaign = s.scalars(select(Campaign)).one()
        other = make_unit(s, name="东湖镇司法所")
        theirs = make_problem(s, campaign, other, description="别单位的问题").id
        assert s.scalar(select(func.count()).select_from(Unit)) == 2
    client = app.server.test_client()
    login(client, "unit").close()
    with _open_detail(client, theirs) as response:
        assert response.status_code == 200  # the dialog says why (issue 19), not a bare 403
        text = json.dumps(response.get_json(), ensure_ascii=False)
    assert "别单位的问题" not in text
    assert T["access_read_denied"] in text
