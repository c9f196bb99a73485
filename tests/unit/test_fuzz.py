"""Malformed requests get an answer, never an HTTP 500, and write nothing (issue 16, finding 8).

Every callback of the app, as every role, gets malformed values in every input and state (one
slot at a time, the others as the page would send them); every page and download gets malformed
query parameters. The count is bounded: each role takes a quarter of the malformed values for
each slot, so every (slot, value) pair is posted once and every (callback, role) pair many times.
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import pytest
from dash import Dash
from flask import got_request_exception
from sqlalchemy import func, select

from dashboard.dash_private import has_several_outputs, output_parts
from data.db import Database
from data.models import Base, ChangeLog, MeetingQuestion, Representative
from tests.conftest import MakeApp
from tests.factories import (
    login,
    make_campaign,
    make_problem,
    make_task,
    make_unit,
    make_user,
    make_visit,
)

ROLES = ("leader", "supervisor", "unit", "admin")
OTHERS = ROLES[:-1]
MALFORMED: tuple[Any, ...] = (
    None,
    "",
    "１２",
    "²",
    "9" * 40,
    -1,
    2**63,
    [],
    [1, 2, 3],
    {},
    "abc",
    "2024-02-30",
    "0001-01-01",
    "9999-12-31",
    "<script>",
    "\x00",
)
# The malformed values put in a Store's keys (every kind of MALFORMED, fewer of each).
IN_STORES: tuple[Any, ...] = (None, "", "²", "9" * 40, -1, 2**63, [1, 2, 3], {}, "2024-02-30")
# What a meta Store or a page state may hold: each is tried with one malformed value at once.
STORE_KEYS = (
    "problem_id",
    "task_id",
    "visit_id",
    "user_id",
    "unit_id",
    "unit",
    "year",
    "campaign",
    "version",
    "seen",
    "ratings",
    "search",
    "token",
    "notices",
)
QUERY_PARAMS = (
    "campaign",
    "as_of",
    "kind",
    "township",
    "unit",
    "visit",
    "edit",
    "saved",
    "visits",
    "all",
    "units",
    "problems",
    "tasks",
    "focus",
    "per100",
    "channels",
    "theme",
    "auto",
    "created",
    "reveal",
)
BAD_PARAMS = (
    "１２",
    "²",
    "9" * 40,
    "-1",
    "2024-02-30",
    "0001-01-01",
    "9999-12-31",
    "<script>",
    "%00",
)
DOWNLOADS = ("ledger.xlsx", "overdue.xlsx", "supervision.xlsx", "report.xlsx", "archive.xlsx")
# The log-in throttle (written by signing in, not by a callback) and the shared cache (written
# by any read: data/cache.py) are no records.
UNCOUNTED = {"login_failure", "shared_cache"}
ROUTER = "_pages_content.children"


@pytest.fixture
def seeded(db: Database) -> dict[str, int]:
    """A county with one of everything a page shows, and a user of every role."""
    with db.write("test") as s:
        campaign = make_campaign(s, 2024)
        own = make_unit(s, name="城关镇司法所")
        other = make_unit(s, name="东湖镇司法所", township="东湖镇")
        problem = make_problem(s, campaign, own, channel="hotline", complainant_name="张三")
        make_problem(s, campaign, other, found_on=dt.date(2024, 5, 2))
        task = make_task(s, campaign, own, name="实施方案")
        visit = make_visit(s, campaign, own, {"lawful": "conform"})
        rep = Representative(name="李代表", sector="人大代表")
        s.add(rep)
        s.flush()
        s.add(
            MeetingQuestion(
                campaign_id=campaign.id,
                unit_id=own.id,
                representative_id=rep.id,
                asker="李代表",
                question="窗口排队太久",
                asked_on=dt.date(2024, 11, 1),
            )
        )
        for role in ("leader", "supervisor", "admin"):
            make_user(s, role, role)
        user = make_user(s, "unit", "unit", unit_name=own.name)
        return {
            "unit": own.id,
            "problem": problem.id,
            "task": task.id,
            "visit": visit.id,
            "user": user,
        }


@dataclass
class Fuzzer:
    """Signed-in clients of every role, the app's callbacks, what the pages draw, and the
    500s found (with the exception behind each)."""

    app: Dash
    db: Database
    clients: dict[str, Any]
    deps: list[dict[str, Any]] = field(default_factory=list)
    props: dict[str, dict[str, Any]] = field(default_factory=dict)
    patterns: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requests: int = 0

    def post(self, role: str, body: dict[str, Any], what: str) -> Any:
        """Post one callback request as `role`; a 500 is noted with `what` and its cause."""
        self.errors.clear()
        response = self.clients[role].post("/_dash-update-component", json=body)
        self.note(role, response.status_code, what)
        return response

    def get(self, role: str, url: str) -> Any:
        """GET `url` as `role`; a 500 is noted."""
        self.errors.clear()
        response = self.clients[role].get(url)
        self.note(role, response.status_code, url)
        response.close()
        return response

    def note(self, role: str, status: int, what: str) -> None:
        self.requests += 1
        if status >= 500:
            cause = self.errors[-1] if self.errors else "?"
            self.failures.append(f"{status} {role}: {what}: {cause}")


def _cause(sender: Any, exception: BaseException, **_: Any) -> None:
    """The exception behind a 500, with the last frame of this project's code."""
    frames = []
    tb = exception.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if "/site-packages/" not in name:
            frames.append(f"{name.rsplit('/', 2)[-2]}/{name.rsplit('/', 1)[-1]}:{tb.tb_lineno}")
        tb = tb.tb_next
    text = f"{type(exception).__name__}: {str(exception)[:120]} at {frames[-1:] or '?'}"
    sender.extensions["fuzz_errors"].append(text)


def _components(node: Any) -> Iterator[dict[str, Any]]:
    """The props of every component in a serialised layout."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            if "props" in item and "type" in item:
                yield item["props"]
                stack.extend(item["props"].values())
            else:
                stack.extend(item.values())


def _key(ident: Any) -> str:
    """A component id as the dependencies name it (a dict id as sorted JSON)."""
    if isinstance(ident, dict):
        return json.dumps(ident, sort_keys=True, separators=(",", ":"))
    return str(ident)


def _wild(spec_id: str) -> bool:
    """Whether a callback's id is a pattern-matching ALL (not a plain or dict id)."""
    return '["ALL"]' in spec_id


def _ident(spec_id: str) -> Any:
    """A component id as a request names it (a dict id as the dict)."""
    return json.loads(spec_id) if spec_id.startswith("{") else spec_id


def _drawn(fuzzer: Fuzzer, layout: Any) -> None:
    """Remember the props and pattern-matching ids of what a response drew."""
    for props in _components(layout):
        ident = props.get("id")
        if ident is None:
            continue
        fuzzer.props.setdefault(_key(ident), props)
        if isinstance(ident, dict) and "type" in ident:
            known = fuzzer.patterns.setdefault(ident["type"], [])
            if ident not in known:
                known.append(ident)


def _ids_of(fuzzer: Fuzzer, spec_id: str) -> list[dict[str, Any]]:
    """The components a pattern-matching ALL stands for: those the pages drew (one made up when
    none was drawn)."""
    pattern = json.loads(spec_id)
    drawn = fuzzer.patterns.get(pattern["type"])
    if drawn:
        return drawn
    return [{k: (1 if v == ["ALL"] else v) for k, v in pattern.items()}]


def _baseline(fuzzer: Fuzzer, spec: dict[str, Any]) -> Any:
    """A slot's value as a page sends it: a Store's data as drawn, a button pressed once,
    every input empty (so nothing can be saved by accident)."""
    ident, prop = spec["id"], spec["property"]
    if prop == "n_clicks":
        return 1
    if prop == "id":
        return None if _wild(ident) else _ident(ident)
    if prop in ("data", "search", "pathname"):
        return copy.deepcopy(fuzzer.props.get(ident, {}).get(prop))
    return None


def _slot(fuzzer: Fuzzer, spec: dict[str, Any], value: Any, extra: int = 0) -> Any:
    """A slot of a request: {id, property, value}, or for a pattern-matching ALL one such
    item per component (`extra` more than were drawn: a list of the wrong length)."""
    if not _wild(spec["id"]):
        return {"id": _ident(spec["id"]), "property": spec["property"], "value": value}
    ids = _ids_of(fuzzer, spec["id"])
    made_up = [{k: v if k == "type" else f"x{n}" for k, v in ids[0].items()} for n in range(extra)]
    ids = ids + made_up
    return [
        {"id": i, "property": spec["property"], "value": i if spec["property"] == "id" else value}
        for i in ids
    ]


def _outputs(fuzzer: Fuzzer, output: str) -> Any:
    """The outputs of a request, a pattern-matching one as the components drawn."""
    outputs: list[Any] = []
    for ident, prop in output_parts(output):
        if _wild(ident):
            outputs.append([{"id": i, "property": prop} for i in _ids_of(fuzzer, ident)])
        else:
            outputs.append({"id": _ident(ident), "property": prop})
    return outputs if has_several_outputs(output) else outputs[0]


def _body(
    fuzzer: Fuzzer, dep: dict[str, Any], values: dict[int, Any], extra: int = 0
) -> dict[str, Any]:
    """A request for `dep` with its slots (inputs, then states, numbered) at their baseline
    but those in `values`."""
    specs = [*dep["inputs"], *dep["state"]]
    slots = []
    for n, spec in enumerate(specs):
        if n in values:
            slots.append(_slot(fuzzer, spec, values[n], extra))
        else:
            base = _baseline(fuzzer, spec)
            slots.append(_slot(fuzzer, spec, base))
    changed = min((n for n in values if n < len(dep["inputs"])), default=0)
    trigger = dep["inputs"][changed]
    trigger_id = trigger["id"]
    if _wild(trigger_id):
        trigger_id = _key(_ids_of(fuzzer, trigger_id)[0])
    return {
        "output": dep["output"],
        "outputs": _outputs(fuzzer, dep["output"]),
        "inputs": slots[: len(dep["inputs"])],
        "state": slots[len(dep["inputs"]) :],
        "changedPropIds": [f"{trigger_id}.{trigger['property']}"],
    }


def _variants(spec: dict[str, Any], base: Any, real: dict[str, Any]) -> list[Any]:
    """The malformed values for a slot: every one of MALFORMED, and for a Store every one as the
    value of every key it may hold, with those keys' ids malformed or `real` (so that the
    version and values seen of a real record come malformed too), and a page state's search
    string made malformed."""
    values: list[Any] = list(MALFORMED)
    if spec["property"] == "data":
        values += [dict.fromkeys(STORE_KEYS, bad) for bad in IN_STORES]
        values += [{**dict.fromkeys(STORE_KEYS, bad), **real} for bad in IN_STORES]
        if isinstance(base, str) or isinstance(base, dict) and "search" in base:
            for bad in BAD_PARAMS:  # every parameter malformed at once
                search = "?" + urlencode(dict.fromkeys(QUERY_PARAMS, bad), safe="%")
                values.append({**base, "search": search} if isinstance(base, dict) else search)
    return values


def _rows(db: Database) -> dict[str, int]:
    """Rows in every table (the history without its refusals; the log-in throttle not at all)."""
    counts = {}
    with db.read() as s:
        for table in Base.metadata.sorted_tables:
            if table.name in UNCOUNTED:
                continue
            query = select(func.count()).select_from(table)
            if table.name == ChangeLog.__tablename__:
                query = query.where(ChangeLog.action != "denied")
            counts[table.name] = s.scalar(query)
    return counts


def _written(db: Database, before: dict[str, int]) -> dict[str, Any]:
    """What was written since `before` (the row counts): tables whose count moved, and the
    history rows added (but refusals)."""
    after = _rows(db)
    moved = {name: (before[name], after[name]) for name in after if after[name] != before[name]}
    with db.read() as s:
        rows = s.execute(
            select(ChangeLog.action, ChangeLog.entity, ChangeLog.entity_id, ChangeLog.actor)
            .where(ChangeLog.action != "denied")
            .order_by(ChangeLog.id)
            .offset(before[ChangeLog.__tablename__])
        ).all()
    return {"tables": moved, "history": [tuple(row) for row in rows]} if moved else {}


def _pages(units: dict[str, int]) -> list[str]:
    """Every page path (the unit page for a real unit)."""
    from dashboard.app import page_registry

    paths = [p["path"] for p in page_registry().values() if "<" not in p["path"]]
    return [*paths, f"/units/{units['unit']}", "/units/9999999999999999999999"]


@pytest.fixture
def fuzzer(make_app: MakeApp, db: Database, seeded: dict[str, int]) -> Iterator[Fuzzer]:
    app = make_app()
    app.server.extensions["fuzz_errors"] = []
    clients = {}
    for role in ROLES:
        client = app.server.test_client()
        login(client, role).close()
        clients[role] = client
    fuzzer = Fuzzer(app, db, clients, errors=app.server.extensions["fuzz_errors"])
    got_request_exception.connect(_cause, app.server)
    try:
        clients["admin"].get("/").close()  # the first request registers the pages' router
        deps = clients["admin"].get("/_dash-dependencies").get_json()
        fuzzer.deps = [d for d in deps if not d.get("clientside_function")]
        _draw_every_page(fuzzer, seeded)
        yield fuzzer
    finally:
        got_request_exception.disconnect(_cause, app.server)


def _draw_every_page(fuzzer: Fuzzer, units: dict[str, int]) -> None:
    """Draw every page as an admin (layout, then every callback fed by what it drew), to
    learn the Stores' data and the pattern-matching ids the callbacks are sent."""
    router = next(d for d in fuzzer.deps if d["output"].startswith(f"..{ROUTER}"))
    for path in _pages(units):
        _draw_page(fuzzer, router, path, "?campaign=2024", "admin")


def _route(router: dict[str, Any], path: str, search: str) -> dict[str, Any]:
    """The pages router's request for an address."""
    return {
        "output": router["output"],
        "outputs": [{"id": "_pages_content", "property": "children"}]
        + [{"id": "_pages_store", "property": "data"}],
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": path},
            {"id": "_pages_location", "property": "search", "value": search},
        ],
        "state": [],
        "changedPropIds": ["_pages_location.pathname"],
    }


def _draw_page(fuzzer: Fuzzer, router: dict[str, Any], path: str, search: str, role: str) -> None:
    """Route to a page as `role`, then run every callback whose inputs it drew."""
    response = fuzzer.post(role, _route(router, path, search), f"{path}{search}")
    if response.status_code != 200:
        return
    drawn: dict[str, dict[str, Any]] = {}
    for props in _components(response.get_json()):
        if "id" in props:
            drawn[_key(props["id"])] = props
    _drawn(fuzzer, response.get_json())
    for dep in fuzzer.deps:
        if dep["output"].startswith(f"..{ROUTER}") or not dep["inputs"]:
            continue
        first = dep["inputs"][0]
        if first["id"] not in drawn or first["property"] == "n_clicks":
            continue
        values = {
            n: drawn[spec["id"]].get(spec["property"])
            for n, spec in enumerate([*dep["inputs"], *dep["state"]])
            if spec["id"] in drawn and spec["property"] != "n_clicks"
        }
        answer = fuzzer.post(role, _body(fuzzer, dep, values), f"{dep['output'][:60]} {path}")
        if answer.status_code == 200:
            _drawn(fuzzer, answer.get_json())


def _roles(dep: dict[str, Any], turn: int) -> list[str]:
    """Who posts a malformed value: a page's content (a read) as each role in turn; a form's
    callback as an admin, who passes every role check and so reaches every write's parsing,
    and with every other value as one of the other roles in turn (unit staff's paths are
    their own)."""
    if dep["output"].endswith("-content.children"):
        return [ROLES[turn % len(ROLES)]]
    return ["admin"] + ([OTHERS[turn // 2 % len(OTHERS)]] if turn % 2 == 0 else [])


def test_every_callback_input_as_every_role(fuzzer: Fuzzer, seeded: dict[str, int]) -> None:
    # Real ids of records a form edits (a problem's stays malformed: an admin's reveal of a
    # real problem is recorded, by design).
    real = {
        "task_id": seeded["task"],
        "visit_id": seeded["visit"],
        "unit_id": seeded["unit"],
        "unit": str(seeded["unit"]),
        "user_id": seeded["user"],
        "year": 2024,
        "campaign": 2024,
    }
    before = _rows(fuzzer.db)
    callbacks = [d for d in fuzzer.deps if not d["output"].startswith(f"..{ROUTER}")]
    for k, dep in enumerate(callbacks):
        specs = [*dep["inputs"], *dep["state"]]
        for n, spec in enumerate(specs):
            variants = _variants(spec, _baseline(fuzzer, spec), real)
            for i, value in enumerate(variants):
                what = f"{dep['output'][:70]} [{spec['id'][:50]}.{spec['property']}={value!r:.40}]"
                body = _body(fuzzer, dep, {n: value})
                for role in _roles(dep, i + n + k):
                    fuzzer.post(role, body, what)
            if _wild(spec["id"]):  # a list longer than the components drawn
                for role in ROLES:
                    body = _body(fuzzer, dep, {n: "²"}, extra=2)
                    fuzzer.post(role, body, f"{dep['output'][:70]} [{spec['id'][:50]} +2]")
    assert fuzzer.failures == [], "\n".join(sorted(set(fuzzer.failures)))
    assert _written(fuzzer.db, before) == {}
    assert fuzzer.requests > 1000


def test_every_page_and_download_query_parameter(fuzzer: Fuzzer, seeded: dict[str, int]) -> None:
    before = _rows(fuzzer.db)
    router = next(d for d in fuzzer.deps if d["output"].startswith(f"..{ROUTER}"))
    cycle = itertools.cycle(BAD_PARAMS)
    roles = itertools.cycle(ROLES)
    for path in _pages(seeded):
        for param in QUERY_PARAMS:
            search = "?" + urlencode({param: next(cycle)}, safe="%")
            role = next(roles)
            fuzzer.get(role, f"{path}{search}")
            _draw_page(fuzzer, router, path, search, role)
        every = "?" + "&".join(f"{p}={next(cycle)}" for p in QUERY_PARAMS)
        _draw_page(fuzzer, router, path, every, next(roles))
    for name in DOWNLOADS:
        for param in QUERY_PARAMS:
            fuzzer.get(next(roles), f"/download/{name}?{param}={next(cycle)}")
    assert fuzzer.failures == [], "\n".join(sorted(set(fuzzer.failures)))
    assert _written(fuzzer.db, before) == {}
