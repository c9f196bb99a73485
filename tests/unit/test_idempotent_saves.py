"""A double-clicked save makes one record (issue 16, finding 8): two identical posts of a
new-record form — the visit, inspection, meeting question and admin 'add' forms — save once,
and both get the answer of a saved form (the browser shows the last one)."""

from __future__ import annotations

import datetime as dt
import json
import threading
from typing import Any

import pytest
from dash import Dash
from sqlalchemy import func, select

from dashboard.dash_private import has_several_outputs, output_parts
from data.db import Database
from data.form_tokens import new_token, once
from data.forms import FormError, VisitForm, validate
from data.models import (
    Campaign,
    FormToken,
    Inspection,
    MeetingQuestion,
    SupervisionVisit,
    TaskTemplate,
    Unit,
    User,
)
from data.supervision import save_visit
from tests.conftest import MakeApp
from tests.factories import PASSWORD, login, make_campaign, make_unit, make_user

VISIT = {"unit_id": 1, "visited_on": "2024-11-10", "supervisors": "王督导", "kind": "routine"}


def _count(db: Database, model: Any) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


@pytest.fixture
def county(db: Database) -> dict[str, int]:
    """Campaign 2024, one 司法所, and an admin and a supervisor."""
    with db.write("test") as s:
        make_campaign(s, 2024)
        unit = make_unit(s, name="城关镇司法所")
        make_user(s, "admin", "admin")
        make_user(s, "supervisor", "supervisor")
        return {"unit": unit.id}


# ---- the data layer ----------------------------------------------------------------------


def _save(db: Database, token: Any, **raw: Any) -> int:
    with db.write("duban") as s:
        return save_visit(s, validate(VisitForm, {**VISIT, **raw}), 2024, token=token).id


def test_a_token_saves_once(db: Database, county: dict[str, int]) -> None:
    token = new_token()
    first, second = _save(db, token), _save(db, token)
    assert first == second and _count(db, SupervisionVisit) == 1
    assert _save(db, new_token()) != first  # another opening of the form: another visit
    assert _save(db, None) and _save(db, "not-a-token")  # no token (an older page): saves
    assert _count(db, SupervisionVisit) == 4


def test_a_refused_save_claims_nothing(db: Database, county: dict[str, int]) -> None:
    token = new_token()
    with pytest.raises(FormError), db.write("duban") as s:
        save_visit(s, validate(VisitForm, {**VISIT, "unit_id": 999}), 2024, token=token)
    assert _count(db, FormToken) == 0
    _save(db, token)  # the corrected form saves
    assert _count(db, SupervisionVisit) == 1


def test_another_forms_token_is_not_a_replay(db: Database) -> None:
    token = new_token()
    with db.write("t") as s:
        assert once(s, token, "a", lambda: 1, lambda r: {"r": r}, lambda k: k["r"]) == 1
    with db.write("t") as s:
        assert once(s, token, "b", lambda: 2, lambda r: {"r": r}, lambda k: k["r"]) == 2
        assert once(s, token, "a", lambda: 3, lambda r: {"r": r}, lambda k: k["r"]) == 1


def test_old_tokens_are_forgotten(db: Database) -> None:
    with db.write("t") as s:
        once(s, new_token(), "a", lambda: 1, lambda r: {"r": r}, lambda k: k["r"])
        later = dt.datetime.now() + dt.timedelta(days=2)
        once(s, new_token(), "a", lambda: 1, lambda r: {"r": r}, lambda k: k["r"], now=later)
    assert _count(db, FormToken) == 1


def test_two_saves_at_the_same_moment_make_one_visit(db: Database, county: dict[str, int]) -> None:
    token, ids, errors = new_token(), [], []
    start = threading.Barrier(2)

    def save() -> None:
        try:
            start.wait()
            ids.append(_save(db, token))
        except Exception as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)

    threads = [threading.Thread(target=save) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len(set(ids)) == 1
    assert _count(db, SupervisionVisit) == 1


# ---- two identical posts -----------------------------------------------------------------


def _dependency(client: Any, output: str, trigger: str) -> dict[str, Any]:
    deps = client.get("/_dash-dependencies").get_json()
    return next(d for d in deps if output in d["output"] and d["inputs"][0]["id"] == trigger)


def _body(dep: dict[str, Any], values: dict[str, Any], fields: dict[str, list[str]]) -> Any:
    """A request as the browser sends it: `values` by `id.property` (a form's fields by name
    under `<type>.value`), pattern-matching outputs for the `fields` of their type."""

    def ids(pattern: dict[str, Any]) -> list[dict[str, Any]]:
        key = next(k for k, v in pattern.items() if v == ["ALL"])
        return [{**pattern, key: name} for name in fields.get(pattern["type"], [])]

    def item(spec: dict[str, Any]) -> Any:
        if not spec["id"].startswith("{"):
            value = values.get(f"{spec['id']}.{spec['property']}")
            return {"id": spec["id"], "property": spec["property"], "value": value}
        pattern = json.loads(spec["id"])
        named = values.get(f"{pattern['type']}.value", {})
        return [
            {
                "id": i,
                "property": spec["property"],
                "value": i if spec["property"] == "id" else named.get(i["field"]),
            }
            for i in ids(pattern)
        ]

    outputs: list[Any] = []
    for ident, prop in output_parts(dep["output"]):
        if ident.startswith("{"):
            outputs.append([{"id": i, "property": prop} for i in ids(json.loads(ident))])
        else:
            outputs.append({"id": ident, "property": prop})
    return {
        "output": dep["output"],
        "outputs": outputs if has_several_outputs(dep["output"]) else outputs[0],
        "inputs": [item(s) for s in dep["inputs"]],
        "state": [item(s) for s in dep["state"]],
        "changedPropIds": [f"{dep['inputs'][0]['id']}.{dep['inputs'][0]['property']}"],
    }


def _twice(app: Dash, who: str, output: str, trigger: str, values: dict[str, Any]) -> list[str]:
    """Post the same save twice (a double click); both answers, as text."""
    client = app.server.test_client()
    login(client, who).close()
    dep = _dependency(client, output, trigger)
    fields = {
        f"{trigger.removesuffix('-save')}-{part}": list(values.get(f"{part}-names", []))
        for part in ("field", "feedback")
    }
    body = _body(dep, values, fields)
    answers = []
    for _ in range(2):
        with client.post("/_dash-update-component", json=body) as response:
            assert response.status_code == 200, response.get_data(as_text=True)[:300]
            answers.append(json.dumps(response.get_json(), ensure_ascii=False))
    return answers


def _answers_alike(answers: list[str]) -> None:
    """Both posts answered alike (the 'saved' answers, without their timestamps)."""
    first, second = (json.loads(a)["response"] for a in answers)
    for answer in (first, second):
        for outputs in answer.values():
            for value in outputs.values():
                if isinstance(value, dict):
                    value.pop("at", None)
    assert first == second


def test_a_double_clicked_visit_is_saved_once(
    make_app: MakeApp, db: Database, county: dict[str, int]
) -> None:
    values = {
        "sup-save.n_clicks": 1,
        "sup-state.data": "?campaign=2024",
        "sup-meta.data": {"token": new_token()},
        "sup-unit.value": county["unit"],
        "sup-date.value": "2024-11-10",
        "sup-supervisors.value": "王督导",
        "sup-kind.value": "routine",
    }
    answers = _twice(make_app(), "supervisor", "sup-message.children", "sup-save", values)
    _answers_alike(answers)
    assert f"visit={_visit_id(db)}" in answers[1]
    assert _count(db, SupervisionVisit) == 1


def _visit_id(db: Database) -> int:
    with db.read() as s:
        return s.scalars(select(SupervisionVisit.id)).one()


def test_a_double_clicked_inspection_is_saved_once(
    make_app: MakeApp, db: Database, county: dict[str, int]
) -> None:
    values = {
        "insp-save.n_clicks": 1,
        "insp-state.data": "?campaign=2024",
        "insp-meta.data": {"token": new_token()},
        "insp-units.value": [county["unit"]],
        "insp-date.value": "2024-07-10",
        "insp-mode.value": "open",
        "insp-findings.value": "窗口明查",
    }
    answers = _twice(make_app(), "supervisor", "insp-message.children", "insp-save", values)
    assert all("已保存 1 条明查暗访记录" in a for a in answers)
    # Each answer gives the form a new token: the next inspection is another one.
    assert (
        json.loads(answers[0])["response"]["insp-meta"]["data"]["token"]
        != values["insp-meta.data"]["token"]
    )
    assert _count(db, Inspection) == 1


def test_a_double_clicked_question_is_recorded_once(
    make_app: MakeApp, db: Database, county: dict[str, int]
) -> None:
    values = {
        "pq-add.n_clicks": 1,
        "pq-state.data": "?campaign=2024",
        "pq-add-meta.data": {"token": new_token()},
        "pq-asker.value": "李代表",
        "pq-unit.value": county["unit"],
        "pq-question.value": "窗口排队太久",
    }
    answers = _twice(make_app(), "supervisor", "pq-add-message.children", "pq-add", values)
    assert all("问题已登记" in a for a in answers)
    assert _count(db, MeetingQuestion) == 1


@pytest.mark.parametrize(
    ("prefix", "names", "raw", "model", "saved"),
    [
        (
            "adm-unit-add",
            ("name", "kind", "township"),
            {"name": "东湖镇司法所", "kind": "judicial_office", "township": "东湖镇"},
            Unit,
            "已新增单位“东湖镇司法所”",
        ),
        (
            "adm-tpl-add",
            ("phase_code", "name", "kinds"),
            {"phase_code": "mobilize", "name": "宣传材料", "kinds": ["judicial_office"]},
            TaskTemplate,
            "已添加阶段任务“宣传材料”",
        ),
        (
            "adm-new",
            ("year", "title", "meeting_date", "copy_from"),
            {"year": 2025},
            Campaign,
            "已建立 2025 年评议活动",
        ),
    ],
)
def test_a_double_clicked_admin_add_is_made_once(
    make_app: MakeApp,
    db: Database,
    county: dict[str, int],
    prefix: str,
    names: tuple[str, ...],
    raw: dict[str, Any],
    model: Any,
    saved: str,
) -> None:
    before = _count(db, model)
    meta = {"token": new_token(), "year": 2024}
    values = {
        f"{prefix}-save.n_clicks": 1,
        f"{prefix}-meta.data": meta,
        f"{prefix}-field.value": raw,
        "field-names": names,
        "feedback-names": names,
        "admin-state.data": "?campaign=2024",
    }
    answers = _twice(make_app(), "admin", f"{prefix}-message.children", f"{prefix}-save", values)
    assert _count(db, model) == before + 1
    assert not any("已存在" in a or "已有" in a for a in answers), answers[1][:400]
    if prefix != "adm-new":  # the new campaign's notice is drawn from the URL it moves to
        assert all(saved in a for a in answers)
    else:
        assert all("created=2025" in a for a in answers)


def test_a_double_clicked_account_is_added_once_with_a_password_that_works(
    make_app: MakeApp, db: Database, county: dict[str, int]
) -> None:
    names = ("username", "display_name", "role", "unit_id")
    values = {
        "adm-user-add-save.n_clicks": 1,
        "adm-user-add-meta.data": {"token": new_token()},
        "adm-user-add-field.value": {"username": "lingdao2", "role": "leader"},
        "field-names": names,
        "feedback-names": names,
    }
    app = make_app()
    answers = _twice(app, "admin", "adm-user-add-message.children", "adm-user-add-save", values)
    with db.read() as s:
        assert s.scalar(select(func.count()).where(User.username == "lingdao2")) == 1
    shown = [json.loads(a)["response"]["admin-users-refresh"]["data"]["notices"] for a in answers]
    passwords = [notice["adm-user-add"].split("初始密码 ")[1].split("（")[0] for notice in shown]
    client = app.server.test_client()
    response = login(client, "lingdao2", passwords[-1])  # the one the browser shows last
    assert response.status_code == 302 and "/login" not in response.headers["Location"]
    assert login(app.server.test_client(), "admin", PASSWORD).status_code == 302
