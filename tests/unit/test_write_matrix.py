"""Every callback checks on the server who may write, and who may read the records it returns:
direct POSTs, not clicks."""

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
from dashboard.text import T
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
        if ident.startswith("{"):  # a pattern-matching ALL: the buttons `values` has of its type
            prop = spec["property"]
            pressed = values.get(json.loads(ident)["type"], [])
            return [{"id": i, "property": prop, "value": v} for i, v in pressed]
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
        "changedPropIds": [_changed(dep["inputs"][0], values)],
    }


def _changed(first: dict[str, Any], values: dict[str, Any]) -> str:
    """The input that triggered the call: the first, or the button pressed among its pattern."""
    ident = first["id"]
    if ident.startswith("{"):
        pressed = values.get(json.loads(ident)["type"])
        if pressed:
            ident = json.dumps(pressed[0][0], sort_keys=True, separators=(",", ":"))
    return f"{ident}.{first['property']}"


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


# A role that may not make a write is told so in words where it looks, and recorded (issue 19).
REFUSED_IN_WORDS = "您的角色："


@pytest.mark.parametrize(
    ("who", "status", "written"),
    [
        (None, 401, 0),
        ("leader", 200, 0),
        ("unit", 200, 0),
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
        text = _shown(response.get_data(as_text=True))
    refused = who is not None and not written
    assert (REFUSED_IN_WORDS in text) is refused
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(SupervisionVisit)) == written
        denied = s.scalar(
            select(func.count()).select_from(ChangeLog).where(ChangeLog.action == "denied")
        )
    assert denied == (1 if refused else 0)


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
    ("who", "chosen", "status", "words"),
    [
        (None, "done", 401, None),
        (
            "leader",
            "done",
            200,
            "只有单位填报员、督导员、管理员可以填报整改情况（您的角色：局领导）",
        ),
        ("unit", "done", 200, None),
        ("supervisor", "done", 200, None),
        ("other_unit", "done", 200, "只能填报本单位的整改情况"),
        # a forged POST (the dialog offers unit staff neither): the bureau's call, not theirs
        ("unit", "verified", 200, "“已销号”“不属实”须由督导员或管理员认定"),
        ("unit", "unfounded", 200, "“已销号”“不属实”须由督导员或管理员认定"),
        ("supervisor", "verified", 200, None),
    ],
)
def test_save_rectification_by_role(
    app: Dash, db: Database, who: str | None, chosen: str, status: int, words: str | None
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
            "unit-rect-status.value": chosen,
            "unit-rect-completed.value": "2024-07-01",
            "unit-rect-measures.value": "已整改",
            "unit-state.data": {"unit": "1", "search": ""},
        },
    )
    with client.post("/_dash-update-component", json=body) as response:
        assert response.status_code == status, response.get_data(as_text=True)[:300]
        text = _shown(response.get_data(as_text=True))
    changed = who is not None and words is None
    if words is not None:  # said in the dialog, which stays open (no is_open=False)
        assert words in text and "unit-rect-errors" in text
        assert "is_open" not in text
    with db.read() as s:
        assert (s.get(Problem, problem_id).status == chosen) is changed
        denied = s.scalar(
            select(func.count()).select_from(ChangeLog).where(ChangeLog.action == "denied")
        )
    assert denied == (1 if words else 0)


# ---- 明查暗访, 作废, 阶段任务, 查看投诉人: every role × every write callback -------------------

ROLES = (None, "leader", "unit", "other_unit", "supervisor", "admin")
# What each callback tells a user it refuses, in its dialog or form (issue 19).
REFUSALS = {
    "inspection": REFUSED_IN_WORDS,
    "void": REFUSED_IN_WORDS,
    "task": "只能填报本单位的整改情况",  # another unit's task; a leader: REFUSED_IN_WORDS
    "reveal": REFUSED_IN_WORDS,
}
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
        expected = 401 if who is None else 200
        assert response.status_code == expected, response.get_data(as_text=True)[:300]
        text = _shown(response.get_data(as_text=True))
    if who is not None and not allowed:
        words = REFUSED_IN_WORDS if who == "leader" else REFUSALS[action]
        assert words in text, text[:300]
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


# ---- reading: every role × every callback that returns records of a unit -------------------
# Unit staff read their own unit's records only; covert inspections still ahead and meeting
# questions are not theirs to read at all; complainants are masked for every role. Each record
# carries a mark naming its unit (本所 own, 他所 another), so the answers can be searched.

OWN, OTHER = "本所", "他所"
NAMES = {OWN: "城关镇司法所", OTHER: "东湖镇司法所"}
NOT_UNIT = frozenset({"leader", "supervisor", "admin"})
EVERYONE = NOT_UNIT | {"unit"}
EDITORS = frozenset({"unit", "supervisor", "admin"})
COMPLAINANT = ("欧阳明月", "13987654321")


def _unit_records(s: Any, campaign: Any, unit: Any, mark: str) -> dict[str, int]:
    """One record of every kind for `unit`, each text carrying `mark`."""
    from data.models import Inspection, MeetingQuestion
    from tests.factories import make_problem, make_task, make_visit

    problem = make_problem(
        s,
        campaign,
        unit,
        channel="hotline",
        description=f"{mark}问题描述",
        measures=f"{mark}整改措施",
        complainant_name=COMPLAINANT[0],
        complainant_phone=COMPLAINANT[1],
    )
    task = make_task(s, campaign, unit, name="实施方案")  # the checklist is every unit's
    task.evidence = f"{mark}佐证材料"
    visit = make_visit(
        s, campaign, unit, findings=f"{mark}督导发现", notes=f"{mark}督导备注", kind="focus"
    )
    for day, text in ((dt.date(2024, 7, 10), "暗访已做"), (dt.date(2024, 12, 5), "暗访计划")):
        s.add(
            Inspection(
                campaign_id=campaign.id,
                unit_id=unit.id,
                inspected_on=day,
                mode="covert",
                findings=f"{mark}{text}",
            )
        )
    s.add(
        MeetingQuestion(
            campaign_id=campaign.id,
            unit_id=unit.id,
            asker="群众代表",
            question=f"{mark}评议问题",
            asked_on=dt.date(2024, 8, 20),
        )
    )
    s.flush()
    return {"unit": unit.id, "problem": problem.id, "task": task.id, "visit": visit.id}


def _both_units(db: Database) -> dict[str, dict[str, int]]:
    """Records of the unit account's own unit (城关镇司法所) and of another (东湖镇司法所)."""
    from data.models import Campaign, Unit

    with db.write("test") as s:
        campaign = s.scalars(select(Campaign)).one()
        own = s.scalars(select(Unit).where(Unit.name == NAMES[OWN])).one()
        other = make_unit(s, name=NAMES[OTHER], township="东湖镇")
        return {
            OWN: _unit_records(s, campaign, own, OWN),
            OTHER: _unit_records(s, campaign, other, OTHER),
        }


def _button(kind: str, key: str, record: int) -> dict[str, Any]:
    """A pressed pattern-matching button (as `_payload` takes it: under its type)."""
    return {kind: [({"type": kind, key: record}, 1)]}


def _grid_press(column: str, record: int, grid: str = "unit-problem-grid") -> dict[str, Any]:
    """A press of a button in a grid of the unit page (its cellRendererData)."""
    return {f"{grid}.cellRendererData": {"colId": column, "value": record}}


SEARCH = "?campaign=2024&as_of=2024-11-20"
# name → (output, trigger or None, values for the target unit's record ids)
READS: dict[str, tuple[str, str | None, Any]] = {
    "visit_form": (
        "sup-form-title.children",
        "sup-form-card",
        lambda ids: {
            "sup-form-card.id": "sup-form-card",
            "sup-state.data": f"{SEARCH}&visit={ids['visit']}&edit=1",
        },
    ),
    "visit_detail": (
        "sup-content.children",
        None,
        lambda ids: {"sup-state.data": f"{SEARCH}&visit={ids['visit']}"},
    ),
    "visit_unit": (
        "sup-content.children",
        None,
        lambda ids: {"sup-state.data": f"{SEARCH}&unit={ids['unit']}"},
    ),
    "unit_page": (
        "unit-content.children",
        None,
        lambda ids: {"unit-state.data": {"unit": str(ids["unit"]), "search": SEARCH}},
    ),
    "problem_detail": (
        "unit-detail-body.children",
        "unit-problem-grid",
        lambda ids: _grid_press("detail", ids["problem"]),
    ),
    "voided_detail": (
        "unit-detail-body.children",
        "unit-voided-grid",
        lambda ids: _grid_press("detail", ids["problem"], "unit-voided-grid"),
    ),
    "rectification_form": (
        "unit-rect-measures.value",
        "unit-problem-grid",
        lambda ids: _grid_press("rect", ids["problem"]),
    ),
    "task_form": (
        "unit-task-evidence.value",
        None,
        lambda ids: _button("unit-task-open", "task", ids["task"]),
    ),
    "complaint_cell": (
        "complaints-modal-body.children",
        None,
        lambda ids: {
            "complaints-unit-month.clickData": {
                "points": [{"y": str(ids["unit"]), "x": "2024-06"}]
            },
            "complaints-state.data": SEARCH,
        },
    ),
    "inspections": ("insp-content.children", None, lambda _ids: {"insp-state.data": SEARCH}),
    "questions": ("pq-content.children", None, lambda _ids: {"pq-state.data": SEARCH}),
    "deck": ("present-content.children", None, lambda _ids: {"present-state.data": SEARCH}),
    "deck_questions": (
        "present-questions.children",
        None,
        lambda _ids: {"present-questions-timer.n_intervals": 1, "present-state.data": SEARCH},
    ),
    # the pages whose URL names no record: what they list is filtered the same way
    **{
        page: (
            f"{prefix}-content.children",
            None,
            lambda _ids, p=prefix: {f"{p}-state.data": SEARCH},
        )
        for page, prefix in (
            ("visit_list", "sup"),
            ("overview", "overview"),
            ("progress", "progress"),
            ("complaints", "complaints"),
            ("rectification", "rect"),
            ("overdue", "overdue"),
            ("evaluation", "eval"),
        )
    },
}
# (callback, what it shows of the target unit — its records' texts by their mark, its name —,
# who reads that of their own unit, who of another)
READ_MATRIX: list[tuple[str, tuple[str, ...], frozenset[str], frozenset[str]]] = [
    ("visit_form", ("{mark}督导发现", "{mark}督导备注"), EVERYONE, NOT_UNIT),
    ("visit_detail", ("{mark}督导发现", "{mark}督导备注"), EVERYONE, NOT_UNIT),
    ("visit_unit", ("{mark}问题描述",), EVERYONE, NOT_UNIT),
    ("unit_page", ("{mark}问题描述", "{mark}督导发现", "{mark}评议问题"), EVERYONE, NOT_UNIT),
    ("problem_detail", ("{mark}问题描述", "{mark}整改措施"), EVERYONE, NOT_UNIT),
    ("voided_detail", ("{mark}问题描述", "{mark}整改措施"), EVERYONE, NOT_UNIT),
    ("rectification_form", ("{mark}整改措施",), EDITORS, EDITORS - {"unit"}),
    ("task_form", ("{mark}佐证材料",), EDITORS, EDITORS - {"unit"}),
    ("complaint_cell", ("{mark}问题描述",), EVERYONE, NOT_UNIT),
    ("inspections", ("{mark}暗访已做",), EVERYONE, NOT_UNIT),
    ("inspections", ("{mark}暗访计划",), NOT_UNIT, NOT_UNIT),  # a covert plan: not unit staff
    ("questions", ("{mark}评议问题",), NOT_UNIT, NOT_UNIT),
    ("deck", ("{mark}评议问题",), NOT_UNIT, NOT_UNIT),
    ("deck_questions", ("{mark}评议问题",), NOT_UNIT, NOT_UNIT),
    ("visit_list", ("{name}",), EVERYONE, NOT_UNIT),
    ("overview", (), EVERYONE, NOT_UNIT),  # figures only, no unit named
    ("progress", ("{name}",), EVERYONE, NOT_UNIT),
    ("complaints", ("{name}",), EVERYONE, NOT_UNIT),
    ("rectification", ("{name}",), EVERYONE, NOT_UNIT),
    ("overdue", ("{name}", "{mark}问题描述"), EVERYONE, NOT_UNIT),
    ("evaluation", ("{name}",), EVERYONE, NOT_UNIT),
]


def _reader(app: Dash, who: str | None) -> Any:
    """A client signed in as `who` (None: nobody)."""
    client = app.server.test_client()
    if who:
        login(client, who).close()
    return client


def _read(client: Any, name: str, ids: dict[str, int]) -> tuple[int, str]:
    """Post callback `name` for the records `ids`: (status, the answer's text as shown)."""
    body = _payload(DEPS[name], READS[name][2](ids))
    with client.post("/_dash-update-component", json=body) as response:
        return response.status_code, _shown(response.get_data(as_text=True))


DEPS: dict[str, dict[str, Any]] = {}  # the callbacks' declarations (the same in every app)


@pytest.fixture
def read_deps(app: Dash) -> None:
    """Fill DEPS, once."""
    if not DEPS:
        admin = _reader(app, "admin")
        for name, (output, trigger, _values) in READS.items():
            DEPS[name] = _dependency(admin, output, trigger)


def _shown(text: str) -> str:
    """An answer's text as the user would read it (JSON escapes undone)."""
    return json.dumps(json.loads(text), ensure_ascii=False) if text.startswith("{") else text


@pytest.mark.parametrize(
    ("name", "shows", "own_readers", "other_readers"),
    READ_MATRIX,
    ids=[row[0] for row in READ_MATRIX],
)
@pytest.mark.parametrize("who", (None, "leader", "unit", "supervisor", "admin"))
def test_read_callbacks_by_role(
    app: Dash,
    db: Database,
    read_deps: None,
    name: str,
    shows: tuple[str, ...],
    own_readers: frozenset[str],
    other_readers: frozenset[str],
    who: str | None,
) -> None:
    records = _both_units(db)
    client = _reader(app, who)
    for target, readers in ((OWN, own_readers), (OTHER, other_readers)):
        status, text = _read(client, name, records[target])
        if who is None:
            assert status == 401
        for part in shows:
            shown = part.format(mark=target, name=NAMES[target])
            assert (shown in text) is (who in readers), (target, shown, text[:500])
        if who == "unit":  # nothing of another unit's, whichever record was asked for
            assert OTHER not in text and NAMES[OTHER] not in text, (target, text[:500])
        assert COMPLAINANT[0] not in text and COMPLAINANT[1] not in text  # masked for all


# What a unit account is told when it asks for another unit's records (by a hand-crafted POST
# for the most part: its pages never link there).
REFUSING = {
    "problem_detail": "access_read_denied",
    "visit_form": "access_read_denied",
    "visit_detail": "access_read_denied",
    "visit_unit": "access_read_denied",
    "unit_page": "unit_not_found",  # 单位不存在，或您无权查看该单位。
    "rectification_form": "access_read_denied",
    "task_form": "access_read_denied",
    "complaint_cell": "access_read_denied",
}


@pytest.mark.parametrize(("name", "words"), REFUSING.items())
def test_unit_staff_are_told_why_in_words(
    app: Dash, db: Database, read_deps: None, name: str, words: str
) -> None:
    records = _both_units(db)
    status, text = _read(_reader(app, "unit"), name, records[OTHER])
    assert status == 200
    assert T[words] in text
    with db.read() as s:
        [denied] = s.scalars(select(ChangeLog).where(ChangeLog.action == "denied")).all()
    assert denied.entity in {"unit", "problem", "unit_task", "supervision_visit"}
    assert denied.entity_id is not None  # the refusal names the record asked for


def test_unit_staff_cannot_open_another_units_visit_in_the_form(
    app: Dash, db: Database, read_deps: None
) -> None:
    """Issue 16, finding 1: the form's initialising callback answered any `visit=` it was given."""
    records = _both_units(db)
    _status, text = _read(_reader(app, "unit"), "visit_form", records[OTHER])
    assert "他所督导发现" not in text and "他所督导备注" not in text
    _status, text = _read(_reader(app, "supervisor"), "visit_form", records[OTHER])
    assert "他所督导发现" in text
