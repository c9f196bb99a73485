"""#18 item 1, 评议选题: a unit's topics, their linked problems (only the unit's own), the checks
that name them, their completeness, the suggestions grouped from similar complaints, and every
refusal in words with nothing written."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from sqlalchemy import func, select

from data.db import Database
from data.edits import ConflictError
from data.forms import FormError, VisitForm, validate
from data.history import record_history
from data.labels import describe_change
from data.models import Campaign, ChangeLog, Problem, Topic, TopicProblem, Unit, VisitTopic
from data.rectification_updates import NotAllowed
from data.supervision import save_visit, visit_detail
from data.topics import (
    SIMILAR,
    Actor,
    TopicForm,
    TopicTextsForm,
    core_text,
    counts_out_of_range,
    create_topic,
    group_texts,
    link_problems,
    linkable_problems,
    list_topics,
    may_edit,
    save_texts,
    similarity,
    suggestions,
    topic_detail,
    topics_of_unit,
    unlink_problem,
    with_problem_links,
    with_topic_links,
    withdraw_topic,
)
from tests.conftest import MakeApp, signed_in
from tests.factories import login, make_campaign, make_problem, make_unit, make_user

YEAR = 2024


@pytest.fixture
def county(db: Database) -> dict[str, int]:
    """Two offices; the first with complaints alike in wording, the second with one problem."""
    with db.write("test") as s:
        campaign = make_campaign(s, YEAR)
        make_campaign(s, YEAR - 1)
        a = make_unit(s, name="城关镇司法所")
        b = make_unit(s, name="青龙镇司法所")
        ids = {"campaign": campaign.id, "a": a.id, "b": b.id}
        texts = [
            ("群众来电投诉：服务承诺未对外公开", "hotline"),
            ("县纠风办交办（纠风交〔2024〕5号）：群众反映服务承诺没有对外公示", "referral"),
            ("自查发现：服务承诺未对外公开", "self_inspection"),
            ("自查发现：办事流程未在服务窗口公示", "self_inspection"),
        ]
        for i, (text, channel) in enumerate(texts):
            p = make_problem(s, campaign, a, description=text, channel=channel)
            p.criterion_code = "disclosure"
            ids[f"a{i}"] = p.id
        ids["b0"] = make_problem(s, campaign, b, description="接待群众态度生硬").id
        old = s.scalar(select(Campaign).where(Campaign.year == YEAR - 1))
        ids["old"] = make_problem(s, old, a, description="去年的问题").id
    return ids


def _staff(ids: dict[str, int], unit: str = "a") -> Actor:
    return Actor("unit", ids[unit])


def _create(db: Database, actor: Actor, **raw: object) -> int:
    with db.write("unit01") as s:
        return create_topic(s, actor, YEAR, validate(TopicForm, raw)).id


def _count(db: Database, model: type) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_who_may_edit_which_topics() -> None:
    assert may_edit(Actor("admin"), None) and may_edit(Actor("admin"), 3)
    assert may_edit(Actor("unit", 3), 3)
    assert not may_edit(Actor("unit", 3), 4)
    assert not may_edit(Actor("unit", 3), None)  # the bureau's topics: the admin's
    assert not may_edit(Actor("leader"), 3) and not may_edit(Actor("supervisor"), 3)


def test_a_unit_creates_a_topic_with_its_problems_and_completes_it(
    db: Database, county: dict[str, int]
) -> None:
    staff = _staff(county)
    topic_id = _create(
        db,
        staff,
        unit_id=county["b"],  # ignored: unit staff write their own unit's topics
        title="服务承诺公开整治",
        criterion_code="disclosure",
        problem_ids=[county["a0"], county["a1"]],
    )
    with db.read() as s:
        topic = s.get(Topic, topic_id)
        assert topic.unit_id == county["a"] and topic.campaign_id == county["campaign"]
        detail = topic_detail(s, topic_id)
        assert [p.id for p in detail.problems] == sorted([county["a0"], county["a1"]])
        assert detail.completeness.done == 0
        version, seen = detail.version, detail.seen
    with db.write("unit01") as s:
        form = validate(TopicTextsForm, {"deployment": "召开专题会部署", "plan": "评议方案全文"})
        save_texts(s, staff, topic_id, form, version, seen)
    with db.write("duban") as s:
        visit = validate(
            VisitForm,
            {
                "unit_id": county["a"],
                "visited_on": "2024-11-10",
                "supervisors": "王督导",
                "topic_ids": [topic_id],
            },
        )
        visit_id = save_visit(s, visit, YEAR).id
    with db.read() as s:
        detail = topic_detail(s, topic_id)
        assert (detail.completeness.deployment, detail.completeness.plan) == (True, True)
        assert detail.completeness.checked and not detail.completeness.summary
        assert detail.completeness.done == 3
        assert [v.id for v in detail.visits] == [visit_id]
        assert visit_detail(s, visit_id, dt.date(2024, 11, 15)).topics == [
            (topic_id, "服务承诺公开整治")
        ]
        history = with_topic_links(s, record_history(s, "supervision_visit", visit_id), visit_id)
        said = [
            describe_change(e.entity or history.entity, *change, lookups=history.lookups)
            for e in history.entries
            for change in e.changes
        ]
        assert "检查选题：空 → 服务承诺公开整治" in said
        version, seen = detail.version, detail.seen
    with db.write("unit01") as s:
        form = validate(
            TopicTextsForm,
            {"deployment": "召开专题会部署", "plan": "评议方案全文", "summary": "总结"},
        )
        save_texts(s, staff, topic_id, form, version, seen)
    with db.read() as s:
        [row] = list_topics(s, YEAR, (county["a"],))
        assert row.completeness.done == 4 and row.problems == 2 and row.visits == 1
        assert row.rectified == 0
    with db.write("unit01") as s:
        problem = s.get(Problem, county["a0"])
        problem.status, problem.completed_on = "done", dt.date(2024, 7, 1)
    with db.read() as s:
        for day, rectified in ((dt.date(2024, 6, 30), 0), (dt.date(2024, 7, 1), 1)):
            [row] = list_topics(s, YEAR, (county["a"],), as_of=day)
            assert row.rectified == rectified
        changes = record_history(s, "topic", topic_id)
        assert changes.entries  # the history reads the topic's changes


def test_a_stale_save_is_refused_and_nothing_written(db: Database, county: dict[str, int]) -> None:
    staff = _staff(county)
    topic_id = _create(db, staff, title="选题甲")
    with db.read() as s:
        detail = topic_detail(s, topic_id)
    with db.write("unit01") as s:
        save_texts(s, staff, topic_id, validate(TopicTextsForm, {"plan": "第一稿"}), detail.version)
    with pytest.raises(ConflictError) as refused, db.write("admin") as s:
        form = validate(TopicTextsForm, {"plan": "另一稿"})
        save_texts(s, Actor("admin"), topic_id, form, detail.version, detail.seen)
    assert refused.value.changes == {"plan": (None, "第一稿")}
    with db.read() as s:
        assert s.get(Topic, topic_id).plan == "第一稿"


def test_another_units_problem_is_refused_in_words_and_nothing_written(
    db: Database, county: dict[str, int]
) -> None:
    staff = _staff(county)
    with pytest.raises(NotAllowed, match="只能关联本单位本年度的问题"):
        _create(db, staff, title="越界选题", problem_ids=[county["a0"], county["b0"]])
    with pytest.raises(NotAllowed, match=str(county["old"])):  # last year's: refused too
        _create(db, staff, title="跨年选题", problem_ids=[county["old"]])
    assert _count(db, Topic) == 0 and _count(db, TopicProblem) == 0
    topic_id = _create(db, staff, title="选题乙")
    with pytest.raises(NotAllowed, match="只能关联本单位"), db.write("unit01") as s:
        link_problems(s, staff, topic_id, [county["b0"]])
    assert _count(db, TopicProblem) == 0
    with db.read() as s:  # what the link form offers: the unit's problems of the year only
        offered = {i for i, _ in linkable_problems(s, topic_id)}
    assert offered == {county[f"a{i}"] for i in range(4)}


def test_scope_of_writes(db: Database, county: dict[str, int]) -> None:
    topic_id = _create(db, _staff(county), title="选题丙")
    other = _staff(county, "b")
    with db.read() as s:
        detail = topic_detail(s, topic_id)
    with pytest.raises(NotAllowed, match="只能管理本单位的评议选题"), db.write("x") as s:
        save_texts(s, other, topic_id, validate(TopicTextsForm, {"plan": "x"}), detail.version)
    with pytest.raises(NotAllowed, match="全局选题只能由管理员"), db.write("x") as s:
        create_topic(s, Actor("supervisor"), YEAR, validate(TopicForm, {"title": "全局"}))
    with pytest.raises(NotAllowed), db.write("x") as s:
        unlink_problem(s, other, topic_id, county["a0"])
    # The admin makes the bureau's topic, linking any unit's problems.
    with db.write("admin") as s:
        form = validate(
            TopicForm, {"title": "全系统选题", "problem_ids": [county["a0"], county["b0"]]}
        )
        bureau = create_topic(s, Actor("admin"), YEAR, form)
        assert bureau.unit_id is None
        bureau_id = bureau.id
    with db.read() as s:
        assert len(topic_detail(s, bureau_id).problems) == 2
        # Unit b's staff see their own and the bureau's topics, not unit a's.
        assert {r.id for r in list_topics(s, YEAR, (county["b"],))} == {bureau_id}
        assert {i for i, _ in topics_of_unit(s, county["campaign"], county["b"])} == {bureau_id}


def test_link_unlink_withdraw_keep_the_history(db: Database, county: dict[str, int]) -> None:
    staff = _staff(county)
    topic_id = _create(db, staff, title="选题丁", problem_ids=[county["a0"]])
    with db.write("unit01") as s:
        assert link_problems(s, staff, topic_id, [county["a0"], county["a2"]]) == 1
        unlink_problem(s, staff, topic_id, county["a0"])
    with db.read() as s:
        assert [p.id for p in topic_detail(s, topic_id).problems] == [county["a2"]]
        assert _count(db, TopicProblem) == 2  # the unlinked link is kept, marked
    with db.write("unit01") as s:
        assert link_problems(s, staff, topic_id, [county["a0"]]) == 1  # linked again
        version = s.get(Topic, topic_id).version
        withdraw_topic(s, staff, topic_id, version)
    with db.read() as s:
        assert s.get(Topic, topic_id).withdrawn_at is not None
        assert list_topics(s, YEAR, (county["a"],)) == []
        assert [r.id for r in list_topics(s, YEAR, (county["a"],), withdrawn=True)] == [topic_id]
    with pytest.raises(FormError, match="已撤销"), db.write("unit01") as s:
        link_problems(s, staff, topic_id, [county["a1"]])
    with db.read() as s:  # the topic's history says what was linked and unlinked, in words
        history = with_problem_links(s, record_history(s, "topic", topic_id), topic_id)
    said = [
        describe_change(e.entity or history.entity, *change, lookups=history.lookups)
        for e in history.entries
        for change in e.changes
    ]
    linked = "关联问题：空 → 群众来电投诉：服务承诺未对外公开"
    assert said.count(linked) == 2  # linked at creation, and again after being unlinked
    assert "关联问题：群众来电投诉：服务承诺未对外公开 → 空" in said
    assert any(text.startswith("撤销时间：空 → ") for text in said)


def test_a_visit_names_only_the_visited_units_topics(db: Database, county: dict[str, int]) -> None:
    topic_id = _create(db, _staff(county), title="选题戊")
    form = validate(
        VisitForm,
        {
            "unit_id": county["b"],
            "visited_on": "2024-11-10",
            "supervisors": "王督导",
            "topic_ids": [topic_id],
        },
    )
    with pytest.raises(FormError) as refused, db.write("duban") as s:
        save_visit(s, form, YEAR)
    assert refused.value.errors == {"topic_ids": "只能选择被督导单位本年度的评议选题"}
    assert _count(db, VisitTopic) == 0


def test_the_count_note_names_units_outside_two_to_three(
    db: Database, county: dict[str, int]
) -> None:
    staff = _staff(county)
    for title in ("一", "二", "三", "四"):
        _create(db, staff, title=f"选题{title}")
    with db.read() as s:
        out = {c.unit: c.topics for c in counts_out_of_range(s, YEAR)}
    assert out == {"城关镇司法所": 4, "青龙镇司法所": 0}


def test_duplicate_title_and_bad_criterion_are_refused_by_field(
    db: Database, county: dict[str, int]
) -> None:
    staff = _staff(county)
    _create(db, staff, title="同名")
    with pytest.raises(FormError) as refused:
        _create(db, staff, title="同名")
    assert refused.value.errors == {"title": "该单位本年度已有同名选题"}
    with pytest.raises(FormError) as refused:
        _create(db, staff, title="律师事务所的内容", criterion_code="honest_service")
    assert "不适用于该单位" in refused.value.errors["criterion_code"]
    with pytest.raises(FormError) as refused:
        validate(TopicForm, {"title": "  "})
    assert refused.value.errors == {"title": "必填"}


# ---- suggestions -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "core"),
    [
        ("群众来电投诉：服务承诺未对外公开", "服务承诺未对外公开"),
        ("县纠风办交办（纠风交〔2024〕5号）：群众反映收费标准公示不全", "收费标准公示不全"),
        ("问卷调查中服务对象反映：超标准收费，多收费用约400元", "超标准收费，多收费用约#元"),
        ("窗口工作人员态度生硬", "窗口工作人员态度生硬"),
    ],
)
def test_core_text_drops_where_it_came_from(text: str, core: str) -> None:
    assert core_text(text) == core


ALIKE = [
    ("服务承诺未对外公开", "服务承诺没有对外公示"),
    ("收费标准公示不全，部分收费项目未列明", "收费项目公示不全"),
    ("咨询电话长时间无人接听", "咨询电话打不通，长时间无人接"),
    ("接待群众态度生硬，解释不耐心", "窗口人员接待群众态度生硬"),
    ("案卷归档不及时，部分案卷材料不全", "案卷材料不全，归档不及时"),
    ("办事流程未在服务窗口公示", "服务窗口未公示办事流程"),
]
UNLIKE = [
    ("服务承诺未对外公开", "承诺时限内未办结，未履行服务承诺"),
    ("收费未出具正式票据", "超标准收费，多收费用约#元"),
    ("办事流程未在服务窗口公示", "投诉举报电话未在显著位置公布"),
    ("农民工欠薪纠纷调解跟进不及时", "矛盾纠纷调处不及时，群众多次反映未果"),
    ("政风行风建设责任制未分解落实到人", "首问负责制落实不到位"),
]


@pytest.mark.parametrize(("a", "b"), ALIKE)
def test_alike_wordings_reach_the_threshold(a: str, b: str) -> None:
    assert similarity(a, b) >= SIMILAR


@pytest.mark.parametrize(("a", "b"), UNLIKE)
def test_different_problems_stay_apart(a: str, b: str) -> None:
    assert similarity(a, b) < SIMILAR


def test_group_texts_puts_the_weightiest_first() -> None:
    texts = [
        ("服务承诺没有对外公示", 1),
        ("办事流程未在服务窗口公示", 2),
        ("服务承诺未对外公开", 5),
    ]
    assert group_texts(texts) == [[2, 0], [1]]


def test_suggestions_group_count_and_rank_by_complaints(
    db: Database, county: dict[str, int]
) -> None:
    with db.read() as s:
        found = suggestions(s, YEAR, county["a"])
    first = found[0]
    assert first.criterion_code == "disclosure" and first.sample == "服务承诺未对外公开"
    assert first.problem_ids == sorted([county["a0"], county["a1"], county["a2"]])
    assert (first.count, first.complaints, first.units) == (3, 2, 1)
    assert [s.sample for s in found[1:]] == ["办事流程未在服务窗口公示"]
    # Problems linked to one of the unit's topics are no longer suggested.
    _create(db, _staff(county), title="承诺公开", problem_ids=first.problem_ids)
    with db.read() as s:
        assert [x.sample for x in suggestions(s, YEAR, county["a"])] == ["办事流程未在服务窗口公示"]
        bureau = suggestions(s, YEAR, None)  # the bureau's: every unit's problems
        assert sum(x.count for x in bureau) == 5 and bureau[0].complaints == 2
        assert s.scalar(select(func.count()).select_from(Problem)) == 6
        assert s.get(Unit, county["a"]).name == "城关镇司法所"


# ---- a forged callback (a plain POST, not a click) ---------------------------------------


def _form_body(
    client: Any,
    prefix: str,
    fields: dict[str, Any],
    meta: dict[str, Any],
    extra: tuple[str, Any],
    refresh: str,
) -> dict[str, Any]:
    """A topic form's save as the browser would send it: these field values, its meta, and the
    page's Store it reads (`extra`: its id and value)."""
    deps = client.get("/_dash-dependencies").get_json()
    dep = next(
        d
        for d in deps
        if f"{prefix}-message.children" in d["output"] and d["inputs"][0]["id"] == f"{prefix}-save"
    )
    field_ids = [{"type": f"{prefix}-field", "field": name} for name in fields]
    values = [
        {"id": i, "property": "value", "value": v}
        for i, v in zip(field_ids, fields.values(), strict=True)
    ]
    ids = [{"id": i, "property": "id", "value": i} for i in field_ids]
    feedbacks = [
        {"id": {"type": f"{prefix}-feedback", "field": name}, "property": "children"}
        for name in fields
    ]
    return {
        "output": dep["output"],
        "outputs": [
            {"id": f"{prefix}-message", "property": "children"},
            feedbacks,
            {"id": refresh, "property": "data"},
        ],
        "inputs": [{"id": f"{prefix}-save", "property": "n_clicks", "value": 1}],
        "state": [
            values,
            ids,
            {"id": f"{prefix}-meta", "property": "data", "value": meta},
            {"id": extra[0], "property": "data", "value": extra[1]},
        ],
        "changedPropIds": [f"{prefix}-save.n_clicks"],
    }


def _create_body(client: Any, fields: dict[str, Any], meta: dict[str, Any]) -> dict[str, Any]:
    """The create form's save, posted on /topics of 2024."""
    state = ("topics-state", "?campaign=2024")
    return _form_body(client, "topics-create", fields, meta, state, "topics-refresh")


@pytest.mark.parametrize(
    ("who", "problem", "words"),
    [
        ("unit_a", "b0", "只能关联本单位本年度的问题"),
        ("leader", "a0", "只有单位填报员、管理员可以新建评议选题（您的角色：局领导）"),
        ("unit_a", "a0", None),
    ],
)
def test_a_forged_create_is_refused_in_words_and_recorded(
    make_app: MakeApp,
    db: Database,
    county: dict[str, int],
    who: str,
    problem: str,
    words: str | None,
) -> None:
    with db.write("test") as s:
        make_user(s, "unit_a", "unit", unit_name="城关镇司法所")
        make_user(s, "leader", "leader")
    app = make_app()
    client = app.server.test_client()
    login(client, who).close()
    fields = {"unit_id": None, "title": "伪造的选题", "problem_ids": [county[problem]]}
    body = _create_body(client, fields, {})
    with client.post("/_dash-update-component", json=body) as response:
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
        shown = json.dumps(response.get_json(), ensure_ascii=False)
    with db.read() as s:
        topics = s.scalar(select(func.count()).select_from(Topic))
        links = s.scalar(select(func.count()).select_from(TopicProblem))
        denied = s.scalar(
            select(func.count()).select_from(ChangeLog).where(ChangeLog.action == "denied")
        )
    if words is None:
        assert "已建立选题" in shown and (topics, links, denied) == (1, 1, 0)
    else:
        assert words in shown and "topics-create-errors" in shown
        assert (topics, links, denied) == (0, 0, 1)


def test_unit_staff_read_their_own_and_the_bureaus_topics_only(
    make_app: MakeApp, db: Database, county: dict[str, int]
) -> None:
    from callbacks.topics import render_topic

    with db.write("test") as s:
        make_user(s, "unit_b", "unit", unit_name="青龙镇司法所")
    app = make_app()
    own = _create(db, _staff(county, "b"), title="本单位选题")
    other = _create(db, _staff(county), title="别的单位的选题")
    with db.write("admin") as s:
        bureau = create_topic(s, Actor("admin"), YEAR, validate(TopicForm, {"title": "全局"})).id
    with signed_in(app, db, "unit_b"):
        shown = str(render_topic(str(own), "?campaign=2024", None))
        assert "本单位选题" in shown and "topic-texts-save" in shown  # editable
        shown = str(render_topic(str(bureau), "?campaign=2024", None))
        assert "全局" in shown and "topic-texts-save" not in shown  # read only
        shown = str(render_topic(str(other), "?campaign=2024", None))
        assert "别的单位的选题" not in shown and "access-refused" in shown
        assert "不存在" in str(render_topic("999", "?campaign=2024", None))
    with db.read() as s:
        denied = s.scalars(select(ChangeLog).where(ChangeLog.action == "denied")).all()
    assert [(d.entity, d.entity_id) for d in denied] == [("topic", str(other))]


def test_a_stale_save_through_the_page_is_refused_in_words(
    make_app: MakeApp, db: Database, county: dict[str, int]
) -> None:
    with db.write("test") as s:
        make_user(s, "unit_a", "unit", unit_name="城关镇司法所")
    app = make_app()
    topic_id = _create(db, _staff(county), title="选题己")
    with db.read() as s:
        opened = topic_detail(s, topic_id)
    with db.write("admin") as s:
        form = validate(TopicTextsForm, {"plan": "第一稿"})
        save_texts(s, Actor("admin"), topic_id, form, opened.version, opened.seen)
    client = app.server.test_client()
    login(client, "unit_a").close()
    meta = {"topic_id": topic_id, "version": opened.version, "seen": opened.seen}
    fields = {"deployment": "部署", "plan": "另一稿", "summary": None}
    body = _form_body(
        client, "topic-texts", fields, meta, ("topic-id", str(topic_id)), "topic-refresh"
    )
    with client.post("/_dash-update-component", json=body) as response:
        shown = json.dumps(response.get_json(), ensure_ascii=False)
    assert "未保存：该选题已被他人修改" in shown
    assert "评议方案：您打开时为“空”，现在为“第一稿”" in shown
    with db.read() as s:
        topic = s.get(Topic, topic_id)
        assert (topic.plan, topic.deployment) == ("第一稿", None)


def test_link_and_withdraw_through_the_page(
    make_app: MakeApp, db: Database, county: dict[str, int]
) -> None:
    with db.write("test") as s:
        make_user(s, "unit_a", "unit", unit_name="城关镇司法所")
    app = make_app()
    topic_id = _create(db, _staff(county), title="选题庚")
    client = app.server.test_client()
    login(client, "unit_a").close()
    page = ("topic-id", str(topic_id))

    def post(prefix: str, fields: dict[str, Any], meta: dict[str, Any]) -> str:
        body = _form_body(client, prefix, fields, meta, page, "topic-refresh")
        with client.post("/_dash-update-component", json=body) as response:
            assert response.status_code == 200
            return json.dumps(response.get_json(), ensure_ascii=False)

    # Another unit's problem, forged into the link form: refused in words, recorded.
    shown = post("topic-link", {"problem_ids": [county["a1"], county["b0"]]}, {})
    assert "只能关联本单位本年度的问题" in shown and "topic-link-errors" in shown
    assert "已关联1个问题" in post("topic-link", {"problem_ids": [county["a1"]]}, {})
    with db.read() as s:
        assert [p.id for p in topic_detail(s, topic_id).problems] == [county["a1"]]
        version = s.get(Topic, topic_id).version
        denied = s.scalar(
            select(func.count()).select_from(ChangeLog).where(ChangeLog.action == "denied")
        )
    assert denied == 1
    meta = {"topic_id": topic_id, "version": version}
    assert "请先勾选确认" in post("topic-withdraw", {"confirm": False}, meta)
    assert "已撤销" in post("topic-withdraw", {"confirm": True}, meta)
    with db.read() as s:
        assert s.get(Topic, topic_id).withdrawn_at is not None
