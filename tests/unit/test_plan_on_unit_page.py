"""#18 finished on the unit and topic pages: a problem's 纠风办 batch and feedback in its detail,
the unit's 评议选题, derived tasks that link to the archive instead of a 标记完成 button (and a
posted completion refused and recorded), the /topics page under the shell's kind and township
filters, and the topic's files."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from dash import Dash
from plotly.utils import PlotlyJSONEncoder
from sqlalchemy import event, select

from data.campaigns import create_campaign
from data.db import Database
from data.figures import Filters
from data.forms import validate
from data.models import Campaign, ChangeLog, ReportBatch, TaskTemplate, Unit, UnitTask
from data.topics import (
    Actor,
    TopicForm,
    TopicTextsForm,
    counts_out_of_range,
    create_topic,
    list_topics,
    save_texts,
    withdraw_topic,
)
from data.unit_detail import problem_record
from layouts.unit_dialogs import report_facts
from tests.conftest import MakeApp, signed_in
from tests.factories import login, make_problem, make_unit, make_user
from tests.unit.test_write_matrix import _dependency, _payload

YEAR = 2024
SEARCH = f"?campaign={YEAR}&as_of={YEAR}-11-15"


@pytest.fixture
def county(db: Database) -> dict[str, int]:
    """A 司法所 in 城关镇 and a law firm in 青龙镇 with their staff, a leader, a supervisor and
    the admin; the campaign set up as a new one is (its derived archive tasks included)."""
    with db.write("test") as s:
        a = make_unit(s, "城关司法所", township="城关镇")
        b = make_unit(s, "青龙律师事务所", kind="law_firm", township="青龙镇")
        make_user(s, "unit_a", "unit", "城关司法所")
        make_user(s, "unit_b", "unit", "青龙律师事务所")
        make_user(s, "leader", "leader")
        make_user(s, "duban", "supervisor")
        make_user(s, "admin", "admin")
        campaign = create_campaign(s, YEAR)
        return {"a": a.id, "b": b.id, "campaign": campaign.id}


@pytest.fixture
def app(make_app: MakeApp, county: dict[str, int]) -> Dash:
    return make_app()


def shown_of(component: Any) -> str:
    """A component as the browser receives it, as text."""
    return json.dumps(component, cls=PlotlyJSONEncoder, ensure_ascii=False)


def _ids_of(component: Any, kind: str) -> list[dict[str, Any]]:
    """The pattern-matching ids of `kind` in a component tree (as the browser gets it)."""
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            ident = node.get("id")
            if isinstance(ident, dict) and ident.get("type") == kind:
                found.append(ident)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(shown_of(component)))
    return found


def _topic(db: Database, actor: Actor, title: str, **texts: str) -> int:
    with db.write(actor.role) as s:
        topic = create_topic(s, actor, YEAR, validate(TopicForm, {"title": title}))
        if texts:
            form = validate(TopicTextsForm, texts)
            save_texts(s, actor, topic.id, form, topic.version, None)
        return topic.id


# ---- 1. the problem's detail: its 纠风办 batch and feedback --------------------------------


@pytest.fixture
def reported(db: Database, county: dict[str, int]) -> dict[str, int]:
    """Three problems of unit a: in batch 第2批 with the office's feedback; reported by hand
    outside any batch, not fed back; not reported."""
    with db.write("admin") as s:
        campaign = s.get(Campaign, county["campaign"])
        a = s.get(Unit, county["a"])
        batch = ReportBatch(
            campaign_id=county["campaign"],
            number=2,
            reported_on=dt.date(YEAR, 6, 3),
            reported_by="admin",
        )
        s.add(batch)
        s.flush()
        fed = make_problem(s, campaign, a, description="窗口人员态度生硬")
        fed.reported, fed.report_batch_id = True, batch.id
        fed.report_feedback = "已当面致歉，群众认可"
        fed.report_feedback_on = dt.date(YEAR, 7, 1)
        by_hand = make_problem(s, campaign, a, description="办事指南未更新", reported=True)
        kept = make_problem(s, campaign, a, description="自查发现的问题")
        return {"fed": fed.id, "by_hand": by_hand.id, "kept": kept.id}


def test_a_problems_record_has_its_batch_and_feedback_in_one_query(
    db: Database, reported: dict[str, int]
) -> None:
    statements: list[str] = []

    def count(*args: Any) -> None:
        if args[2].lstrip().upper().startswith("SELECT"):
            statements.append(args[2])

    with db.read() as s:
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            record = problem_record(s, reported["fed"])
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        assert len(statements) == 1, statements
        assert record is not None
        assert (record.batch_number, record.batch_reported_on) == (2, dt.date(YEAR, 6, 3))
        assert report_facts(record) == [
            ("上报批次", "第2批（2024-06-03 上报）"),
            ("纠风办反馈情况", "2024-07-01：已当面致歉，群众认可"),
        ]
        by_hand = problem_record(s, reported["by_hand"])
        kept = problem_record(s, reported["kept"])
    assert by_hand is not None and kept is not None
    assert report_facts(by_hand) == [
        ("上报批次", "已上报（未编入批次）"),
        ("纠风办反馈情况", "尚未反馈"),
    ]
    assert report_facts(kept) == [("上报批次", "未上报")]


def test_the_problem_detail_on_the_unit_page_shows_them(
    app: Dash, db: Database, reported: dict[str, int]
) -> None:
    from callbacks.unit import problem_detail_dialog

    with signed_in(app, db, "unit_a"):
        opened, _meta, _title, body = problem_detail_dialog(reported["fed"])
    shown = shown_of(body)
    assert opened is True
    assert "上报批次" in shown and "第2批（2024-06-03 上报）" in shown
    assert "2024-07-01：已当面致歉，群众认可" in shown


# ---- 2. the unit's topics on its page -----------------------------------------------------


def test_the_unit_page_lists_the_units_own_topics(
    app: Dash, db: Database, county: dict[str, int]
) -> None:
    from callbacks.unit import render_unit

    own = _topic(db, Actor("unit", county["a"]), "窗口服务规范", deployment="部署", plan="方案")
    _topic(db, Actor("admin"), "全局选题")
    _topic(db, Actor("unit", county["b"]), "别所选题")
    gone = _topic(db, Actor("unit", county["a"]), "已撤销的选题")
    with db.write("unit_a") as s:
        withdraw_topic(s, Actor("unit", county["a"]), gone, 1)
    with signed_in(app, db, "unit_a"):
        page = shown_of(render_unit({"unit": str(county["a"]), "search": SEARCH}))
    assert '"id": "unit-topics"' in page and "评议选题（1 个）" in page
    assert "窗口服务规范" in page and f"/topics/{own}{SEARCH}" in page
    assert "完成 2/4" in page
    for absent in ("全局选题", "别所选题", "已撤销的选题"):
        assert absent not in page
    assert '"href": "#unit-topics"' in page  # in the section menu


def test_a_unit_without_topics_says_so(app: Dash, db: Database, county: dict[str, int]) -> None:
    from callbacks.unit import render_unit

    with signed_in(app, db, "leader"):
        page = shown_of(render_unit({"unit": str(county["b"]), "search": SEARCH}))
    assert "评议选题（0 个）" in page and "本单位尚未确定评议选题" in page


# ---- 4. derived tasks: a link to the archive, never a button; a posted one refused ---------


def _tasks(db: Database, unit_id: int) -> dict[int, str | None]:
    with db.read() as s:
        return dict(
            s.execute(
                select(UnitTask.id, TaskTemplate.derived_from)
                .join(TaskTemplate, TaskTemplate.id == UnitTask.template_id)
                .where(UnitTask.unit_id == unit_id)
            ).all()
        )


def test_derived_tasks_link_to_the_archive_instead_of_a_button(
    app: Dash, db: Database, county: dict[str, int]
) -> None:
    from callbacks.unit import render_unit

    tasks = _tasks(db, county["a"])
    derived = {i for i, d in tasks.items() if d is not None}
    assert len(derived) == 2
    for who in ("unit_a", "admin"):
        with signed_in(app, db, who):
            page = render_unit({"unit": str(county["a"]), "search": SEARCH})
        buttons = {ident["task"] for ident in _ids_of(page, "unit-task-open")}
        assert buttons == set(tasks) - derived  # every other task has its button
        shown = shown_of(page)
        assert shown.count("由工作档案确定") == 2
        assert f"/archives?campaign={YEAR}&as_of={YEAR}-11-15&unit={county['a']}" in shown


def test_a_posted_completion_of_a_derived_task_is_refused_and_recorded(
    app: Dash, db: Database, county: dict[str, int]
) -> None:
    task_id = next(i for i, d in _tasks(db, county["a"]).items() if d == "upload")
    values = {
        "unit-task-save.n_clicks": 1,
        "unit-task-meta.data": {"task_id": task_id, "version": 1},
        "unit-task-completed.value": "2024-11-10",
        "unit-task-evidence.value": "已上传",
        "unit-state.data": {"unit": str(county["a"]), "search": ""},
    }
    client = app.server.test_client()
    login(client, "unit_a").close()
    dep = _dependency(client, "unit-task-message.children", "unit-task-save")
    with client.post("/_dash-update-component", json=_payload(dep, values)) as response:
        assert response.status_code == 200
        text = json.dumps(response.get_json(), ensure_ascii=False)
    assert "随工作档案清单自动完成" in text and f"/archives?unit={county['a']}" in text
    with db.read() as s:
        assert s.get(UnitTask, task_id).completed_on is None
        denied = s.scalars(
            select(ChangeLog).where(ChangeLog.action == "denied", ChangeLog.actor == "unit_a")
        ).all()
    assert any("随工作档案清单自动完成" in (d.note or "") for d in denied)


# ---- 5. /topics under the shell's kind and township filters --------------------------------


def test_topics_follow_the_kind_and_township_filters(
    app: Dash, db: Database, county: dict[str, int]
) -> None:
    from callbacks.topics import render_topics

    _topic(db, Actor("unit", county["a"]), "司法所选题")
    _topic(db, Actor("unit", county["b"]), "律所选题")
    _topic(db, Actor("admin"), "全局选题")
    with db.read() as s:

        def titles(filters: Filters) -> set[str]:
            return {r.title for r in list_topics(s, YEAR, filters=filters)}

        assert titles(Filters()) == {"司法所选题", "律所选题", "全局选题"}
        assert titles(Filters(kinds=("law_firm",))) == {"律所选题", "全局选题"}
        assert titles(Filters(townships=("城关镇",))) == {"司法所选题", "全局选题"}
        assert titles(Filters(kinds=("law_firm",), townships=("城关镇",))) == {"全局选题"}
        # Both units have one topic (fewer than 2): the note names only the filtered ones.
        few = counts_out_of_range(s, YEAR, filters=Filters(townships=("青龙镇",)))
        assert [c.unit for c in few] == ["青龙律师事务所"]
    with signed_in(app, db, "leader"):
        page = shown_of(render_topics(f"{SEARCH}&kind=law_firm", None))
        assert "律所选题" in page and "全局选题" in page and "司法所选题" not in page
        # The note on units outside 2–3 topics names the filtered units only.
        assert "青龙律师事务所（1个）" in page and "城关司法所（1个）" not in page
        page = shown_of(render_topics(f"{SEARCH}&township=城关镇", None))
        assert "司法所选题" in page and "律所选题" not in page


# ---- 3. the topic's files ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "panel", "upload"),
    [
        ("unit_a", True, True),  # the topic's unit
        ("admin", True, True),
        ("duban", True, True),  # supervisors attach check records (data/attachments.py)
        ("leader", True, False),  # reads its files
    ],
)
def test_the_topic_page_has_its_files_for_those_who_may_see_them(
    app: Dash, db: Database, county: dict[str, int], who: str, panel: bool, upload: bool
) -> None:
    from callbacks.topics import render_topic

    topic_id = _topic(db, Actor("unit", county["a"]), "窗口服务规范")
    with signed_in(app, db, who):
        page = shown_of(render_topic(str(topic_id), SEARCH, None))
    assert ('"id": "topic-files"' in page) is panel
    assert ('"type": "att-upload"' in page) is upload
    if panel:
        assert '"owner": "topic"' in page and f'"oid": {topic_id}' in page


def test_no_topic_files_where_they_may_not_be_seen_and_no_upload_once_withdrawn(
    app: Dash, db: Database, county: dict[str, int]
) -> None:
    from callbacks.topics import render_topic

    bureau = _topic(db, Actor("admin"), "全局选题")
    own = _topic(db, Actor("unit", county["a"]), "已撤销的选题")
    with db.write("unit_a") as s:
        withdraw_topic(s, Actor("unit", county["a"]), own, 1)
    with signed_in(app, db, "unit_a"):
        page = shown_of(render_topic(str(bureau), SEARCH, None))
        assert "全局选题" in page and "topic-files" not in page  # not their unit's files
        page = shown_of(render_topic(str(own), SEARCH, None))
        assert '"id": "topic-files"' in page and "att-upload" not in page
    with signed_in(app, db, "unit_b"):
        page = shown_of(render_topic(str(own), SEARCH, None))
        assert "topic-files" not in page and "access-refused" in page
