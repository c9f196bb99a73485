"""Repeated views answered from the response cache: never stale, never another account's answer,
never past the log-in gate."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from typing import Any

import pytest
from dash import Dash
from sqlalchemy import event, select

from bench.run import _engine_of, body_for
from dashboard.response_cache import CACHED_OUTPUTS, _outputs
from data import cache
from data.db import Database
from data.models import Campaign, Unit
from tests.conftest import MakeApp
from tests.factories import login, make_problem, make_user
from tests.unit.test_exports import build_county

SEARCH = "?campaign=2024&as_of=2024-11-15"


@pytest.fixture
def app(make_app: MakeApp, db: Database) -> Dash:
    cache.clear()
    build_county(db)
    with db.write("test") as s:
        make_user(s, "leader", "leader")
        make_user(s, "unit01", "unit", unit_name="城关镇司法所")
    return make_app()


def client_as(app: Dash, who: str | None) -> Any:
    client = app.server.test_client()
    if who:
        login(client, who).close()
    return client


def view(client: Any, content: str, gzip_ok: bool = True, deps: Any = None) -> tuple[int, str]:
    """POST a page's content callback as the browser does; (status, JSON text)."""
    deps = deps or client.get("/_dash-dependencies").get_json()
    headers = {"Accept-Encoding": "gzip"} if gzip_ok else {}
    response = client.post(
        "/_dash-update-component", json=body_for(deps, content, SEARCH), headers=headers
    )
    data = response.get_data()
    if response.headers.get("Content-Encoding") == "gzip":
        data = gzip.decompress(data)
    # Chinese as itself, not as \u escapes, so tests can look for names.
    return response.status_code, json.dumps(json.loads(data), ensure_ascii=False)


class Statements:
    """The SQL statements an app runs, by text."""

    def __init__(self, app: Dash) -> None:
        self.seen: list[str] = []
        event.listen(_engine_of(app), "before_cursor_execute", self._hook)

    def _hook(self, _conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        self.seen.append(statement)

    def reading_problems(self) -> int:
        return sum(1 for s in self.seen if "FROM problem" in s)


@pytest.mark.parametrize("content", ["overview-content", "rect-content", "unit-content"])
def test_a_repeated_view_reads_no_figures_and_gets_the_same_answer(app: Dash, content: str) -> None:
    client = client_as(app, "leader")
    statements = Statements(app)
    first = view(client, content)
    assert first[0] == 200 and statements.reading_problems() > 0
    statements.seen.clear()
    assert view(client, content) == first
    assert statements.reading_problems() == 0
    # A client that takes no gzip gets the same answer, plain.
    assert view(client, content, gzip_ok=False) == first


def test_a_write_is_shown_by_the_next_view(app: Dash, db: Database) -> None:
    client = client_as(app, "leader")
    before = view(client, "overview-content")
    with db.write("test") as s:
        campaign = s.scalars(select(Campaign)).one()
        unit = s.scalars(select(Unit).where(Unit.name == "城关镇司法所")).one()
        make_problem(s, campaign, unit, found_on=dt.date(2024, 9, 1), channel="hotline")
    after = view(client, "overview-content")
    assert after != before
    cache.clear()
    assert view(client, "overview-content") == after  # what a cold view computes


def test_each_account_gets_its_own_answer(app: Dash) -> None:
    leader = view(client_as(app, "leader"), "rect-content")
    unit = view(client_as(app, "unit01"), "rect-content")
    assert unit[0] == 200 and unit != leader
    assert "明正律师事务所" in leader[1] and "明正律师事务所" not in unit[1]
    cache.clear()
    assert view(client_as(app, "unit01"), "rect-content") == unit


def test_a_signed_out_request_is_refused_even_when_the_answer_is_kept(app: Dash) -> None:
    leader = client_as(app, "leader")
    assert view(leader, "overview-content")[0] == 200
    deps = leader.get("/_dash-dependencies").get_json()
    status, text = view(client_as(app, None), "overview-content", deps=deps)
    assert status == 401 and "未登录" in json.loads(text)["error"]


def test_only_the_read_only_page_callbacks_are_kept(app: Dash) -> None:
    outputs: set[str] = set()
    for dep in client_as(app, "leader").get("/_dash-dependencies").get_json():
        if _outputs(dep["output"]) & CACHED_OUTPUTS:
            outputs |= _outputs(dep["output"])
    # Every kept callback shows a page's content; the only other output is the deck's URL.
    assert outputs - CACHED_OUTPUTS == {"shell-url.search"}
    assert len(CACHED_OUTPUTS) == 10
