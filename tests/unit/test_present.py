"""The 评议大会 deck's builders and the question page's server-side checks (direct POSTs)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from typing import Any

import pytest
from dash import Dash
from sqlalchemy import func, select

from dashboard.charts.present import (
    DARK,
    LIGHT,
    evaluation_figure,
    heatmap_figure,
    rectification_figure,
    theme_of,
)
from dashboard.ids import PresentQuestions as PQ
from dashboard.state import parse_state
from data.db import Database
from data.figures import BreakdownRow
from data.meetings import QuestionRow, QuestionSummary, deck_data
from data.models import ChangeLog, MeetingQuestion, Problem
from layouts.present import (
    QUESTIONS_PER_PAGE,
    auto_seconds,
    deck_body,
    overdue_units,
    pages_of,
    questions_body,
)
from layouts.present_questions import ANSWER_FIELDS, QUESTION_FIELDS, question_list
from tests.components import by_type, grid_cells, texts
from tests.conftest import MakeApp
from tests.factories import login, make_campaign, make_problem, make_unit, make_user

TODAY = dt.date(2024, 11, 20)
ADD_OUTPUT = "pq-add-message.children"
ANSWER_OUTPUT = "pq-answer-message.children"
DECK_OUTPUT = "present-content.children"


def _row(township: str | None, month: int, complaints: int) -> BreakdownRow:
    return BreakdownRow(
        (township, 2024, month), complaints, 0, 0, None, 0, 0, None, 0, None, complaints, 0
    )


def test_themes_and_auto_advance_come_from_the_url() -> None:
    assert theme_of("light") is LIGHT and theme_of(None) is DARK and theme_of("x") is DARK
    assert [auto_seconds(v) for v in (None, "", "0", "abc", "2", "30")] == [
        None,
        None,
        None,
        None,
        5,
        30,
    ]


def test_heatmap_puts_the_busiest_township_on_top_with_counts_in_cells() -> None:
    rows = [_row("城关镇", 6, 1), _row("城关镇", 7, 0), _row("东湖镇", 7, 4), _row(None, 6, 2)]
    fig = heatmap_figure(rows, ["2024-06", "2024-07"], DARK)
    trace = fig.data[0]
    assert list(trace.y) == ["东湖镇", "县直", "城关镇"]
    assert list(trace.x) == ["6月", "7月"]
    assert [list(r) for r in trace.z] == [[0, 4], [2, 0], [1, 0]]
    assert fig.layout.font.size >= 28 and fig.layout.paper_bgcolor == DARK.background
    empty = heatmap_figure([], ["2024-06"], LIGHT)
    assert not empty.data and "没有投诉" in empty.layout.annotations[0].text


@pytest.fixture
def seeded_deck(db: Database) -> Database:
    """Two groups of units with problems in various states."""
    with db.write("test") as s:
        campaign = make_campaign(s, 2024, meeting_date=dt.date(2024, 8, 20))
        office = make_unit(s, name="城关镇司法所")
        slow = make_unit(s, name="东湖镇司法所", township="东湖镇")
        firm = make_unit(s, name="正义律师事务所", kind="law_firm")
        for unit, done in ((office, True), (slow, False), (firm, True)):
            make_problem(
                s,
                campaign,
                unit,
                status="done" if done else "pending",
                completed_on=dt.date(2024, 7, 1) if done else None,
                deadline=dt.date(2024, 7, 10),
            )
        make_problem(s, campaign, firm, channel="hotline", criterion_code="honest_service")
    return db


def test_deck_has_every_slide_and_a_dot_for_each(seeded_deck: Database) -> None:
    with seeded_deck.read() as s:
        deck = deck_data(s, 2024, TODAY)
    body = deck_body(deck, parse_state("?campaign=2024&as_of=2024-11-20&theme=light"))
    slides, dots = body[0].children, body[1].children
    assert len(slides) == len(dots) == 10
    assert [d.children for d in dots] == [str(n) for n in range(1, 11)]
    text = json.dumps(body[0].to_plotly_json(), ensure_ascii=False, default=str)
    assert "数据截至 2024年11月20日" in text and "评议大会 · 2024年8月20日" in text
    overdue = [u.unit for u in overdue_units(deck)]
    assert "城关镇司法所" not in overdue and "东湖镇司法所" in overdue


def test_rectification_chart_lists_the_lowest_rates_first_and_caps(seeded_deck: Database) -> None:
    with seeded_deck.read() as s:
        deck = deck_data(s, 2024, TODAY)
    agency = [u for u in deck.figures.by_unit if u.group == "agency"]
    fig = rectification_figure(agency, DARK, 0.8, limit=1)
    assert list(fig.data[0].y) == ["东湖镇司法所"]
    assert fig.data[0].text[0] == "0.0%（0/1）"
    assert fig.data[0].marker.color[0] == DARK.levels["bad"]
    assert "没有需要整改" in rectification_figure([], DARK, 0.8, 5).layout.annotations[0].text


def test_evaluation_chart_ranks_within_the_group(seeded_deck: Database) -> None:
    with seeded_deck.read() as s:
        deck = deck_data(s, 2024, TODAY)
    legal = [e for e in deck.evaluations if e.group == "legal_service"]
    fig = evaluation_figure(legal, LIGHT, 15)
    # No survey answers yet: no composite, so nobody is ranked and the chart says so.
    assert not fig.data and "尚无评议结果" in fig.layout.annotations[0].text


# --- the question page's callbacks, called the way a browser (or anyone) would ---


def _dependency(client: Any, output_part: str) -> dict[str, Any]:
    deps = client.get("/_dash-dependencies").get_json()
    return next(d for d in deps if output_part in d["output"])


def _payload(dep: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """A request body for a callback, the way the browser would send it."""

    def item(spec: dict[str, Any]) -> Any:
        key = f"{spec['id']}.{spec['property']}"
        return {"id": spec["id"], "property": spec["property"], "value": values.get(key)}

    outputs: list[Any] = []
    for part in dep["output"].strip(".").split("..."):
        ident, prop = part.rsplit(".", 1)
        prop = prop.split("@")[0]
        if ident.startswith("{"):
            pattern = json.loads(ident)
            fields = QUESTION_FIELDS if pattern["type"] == "pq-feedback" else ANSWER_FIELDS
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
def app(make_app: MakeApp, db: Database) -> Dash:
    with db.write("test") as s:
        make_campaign(s, 2024)
        unit = make_unit(s, name="城关镇司法所")
        for role in ("leader", "supervisor", "admin"):
            make_user(s, role, role)
        make_user(s, "unit", "unit", unit_name=unit.name)
        s.add(
            MeetingQuestion(
                campaign_id=1,
                unit_id=unit.id,
                asker="王代表",
                question="为何排队？",
                asked_on=TODAY,
            )
        )
    return make_app(today=TODAY)


def _post(app: Dash, who: str | None, output: str, values: dict[str, Any]) -> Any:
    helper = app.server.test_client()
    login(helper, "admin").close()
    dep = _dependency(helper, output)
    client = app.server.test_client()
    if who:
        login(client, who).close()
    return client.post("/_dash-update-component", json=_payload(dep, values))


def _count(db: Database, model: Any) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def _denied(db: Database) -> int:
    with db.read() as s:
        return (
            s.scalar(
                select(func.count()).select_from(ChangeLog).where(ChangeLog.action == "denied")
            )
            or 0
        )


ADD_VALUES = {
    "pq-add.n_clicks": 1,
    "pq-state.data": "?campaign=2024&as_of=2024-11-20",
    "pq-asker.value": "李群众",
    "pq-unit.value": 1,
    "pq-question.value": "窗口排队太久",
}


@pytest.mark.parametrize(
    ("who", "status", "written"),
    [
        (None, 401, 1),
        ("leader", 403, 1),
        ("unit", 403, 1),
        ("supervisor", 200, 2),
        ("admin", 200, 2),
    ],
)
def test_add_question_by_role(
    app: Dash, db: Database, who: str | None, status: int, written: int
) -> None:
    with _post(app, who, ADD_OUTPUT, ADD_VALUES) as response:
        assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert _count(db, MeetingQuestion) == written
    assert _denied(db) == (1 if status == 403 else 0)


ANSWER_VALUES = {
    "pq-save-answer.n_clicks": 1,
    "pq-state.data": "?campaign=2024",
    "pq-pick.value": 1,
    "pq-mode.value": "follow_up",
    "pq-deadline.value": "2024-12-20",
    "pq-criterion.value": "style",
    "pq-pending.data": {"1": {"version": 1, "kind": "judicial_office"}},
}


@pytest.mark.parametrize(
    ("who", "status", "problems"),
    [(None, 401, 0), ("leader", 403, 0), ("unit", 403, 0), ("supervisor", 200, 1)],
)
def test_answer_by_role_and_the_follow_up_problem(
    app: Dash, db: Database, who: str | None, status: int, problems: int
) -> None:
    with _post(app, who, ANSWER_OUTPUT, ANSWER_VALUES) as response:
        assert response.status_code == status, response.get_data(as_text=True)[:300]
        if status == 200:
            text = json.dumps(response.get_json(), ensure_ascii=False)
            assert "已生成整改问题（面对面评议，时限 2024年12月20日）" in text
    assert _count(db, Problem) == problems
    if problems:
        with db.read() as s:
            problem = s.scalars(select(Problem)).one()
            assert (problem.channel, problem.deadline, problem.question_id) == (
                "meeting",
                dt.date(2024, 12, 20),
                1,
            )


def test_refused_question_shows_chinese_messages_at_the_fields(app: Dash, db: Database) -> None:
    values = {**ADD_VALUES, "pq-asker.value": "", "pq-question.value": " "}
    with _post(app, "supervisor", ADD_OUTPUT, values) as response:
        body = response.get_json()["response"]
    text = json.dumps(body, ensure_ascii=False)
    assert "请选择提问的民评代表或填写提问人" in text and "必填" in text
    # The form keeps what was typed: the question field is not cleared.
    assert "pq-question" not in body
    assert _count(db, MeetingQuestion) == 1


def test_unit_staff_get_no_deck(app: Dash) -> None:
    values = {"present-state.data": "?campaign=2024&as_of=2024-11-20"}
    with _post(app, "unit", DECK_OUTPUT, values) as response:
        text = json.dumps(response.get_json(), ensure_ascii=False)
    assert "评议大会投影只供" in text and "present-slide" not in text


def test_an_empty_campaign_still_gives_every_slide(db: Database) -> None:
    with db.write("test") as s:
        make_campaign(s, 2025)
    with db.read() as s:
        deck = deck_data(s, 2025, dt.date(2025, 5, 1))
    body = deck_body(deck, parse_state("?campaign=2025&as_of=2025-05-01"))
    assert len(body[0].children) == 10
    text = json.dumps(body[0].to_plotly_json(), ensure_ascii=False, default=str)
    for message in (
        "评议大会日期未定",
        "截至该日没有逾期单位",
        "还没有登记问题",
        "该类别没有需要整改",
    ):
        assert message in text
    # a rate without problems is shown as "—", never as 0 %
    assert deck.figures.rectification_rate is None
    assert "children='—', className='present-value" in text


def test_a_list_is_cut_into_pages_and_keeps_every_item() -> None:
    assert pages_of([], 5) == [[]]
    assert pages_of(list(range(11)), 5) == [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9], [10]]


def _question(n: int) -> QuestionRow:
    return QuestionRow(
        id=n,
        version=1,
        asked_on=TODAY,
        asker=f"代表{n}",
        unit_id=None,
        unit=None,
        unit_kind=None,
        question=f"第{n}个问题？",
        mode="pending",
        answer=None,
        deadline=None,
        replied_on=None,
        state="pending",
        follow_ups=0,
        follow_ups_rectified=0,
    )


def test_the_questions_slide_pages_through_every_question() -> None:
    total = 2 * QUESTIONS_PER_PAGE + 1
    summary = QuestionSummary(total=total, pending=total)
    body = questions_body(summary, [_question(n) for n in range(1, total + 1)])
    pager = body[-1].to_plotly_json()
    text = json.dumps(pager, ensure_ascii=False, default=str)
    assert pager["props"]["data-pages"] == "3"
    for n in range(1, total + 1):
        assert f"第{n}个问题？" in text
    for k in (1, 2, 3):
        assert f"第 {k} / 3 页" in text
    assert "另有" not in text
    # one question: one page, no page label
    one = json.dumps(questions_body(summary, [_question(1)])[-1].to_plotly_json(), default=str)
    assert '"data-pages": "1"' in one and "/ 1" not in one


# --- /present/questions: the list of questions ---------------------------------------------


def test_the_questions_page_lists_every_question_in_a_grid_and_as_phone_cards() -> None:
    answered = replace(
        _question(2),
        unit_id=7,
        unit="城关镇司法所",
        mode="follow_up",
        deadline=dt.date(2024, 12, 20),
        state="open",
    )
    questions = [_question(1), answered, *(_question(n) for n in range(3, 41))]
    listing = question_list(questions)
    table = by_type(listing, "AgGrid")
    assert table.id == PQ.GRID
    assert len(table.rowData) == 40  # every question, none cut off
    rows = grid_cells(table)
    assert rows[0] == ["2024年11月20日", "代表1", "综合", "第1个问题？", "待答复", "—"]
    assert rows[1] == [
        "2024年11月20日",
        "代表2",
        "城关镇司法所",
        "第2个问题？",
        "会后反馈",
        "2024年12月20日",
    ]
    assert table.rowData[1]["deadline"] == "2024-12-20"  # sorts as a date
    # the same questions as cards for a phone (shown below 768 px only), one a question
    cards = by_type(listing, "Tbody").children
    assert len(cards) == 40
    assert [cell.children for cell in cards[1].children] == rows[1]
    assert cards[1].children[5].to_plotly_json()["props"]["data-label"] == "反馈时限"
    assert "d-md-none" in listing.children[1].className
    assert "d-none d-md-block" in listing.children[0].className


def test_the_questions_page_says_when_there_is_no_question() -> None:
    listing = question_list([])
    assert texts(listing) == ["还没有登记问题"]
    assert by_type(listing, "AgGrid") is None
