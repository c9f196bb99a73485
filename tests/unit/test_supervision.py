"""督导检查 visits: validation, follow-ups as problems, edits with conflicts, lists, calendar."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select

from data.db import Database
from data.edits import ConflictError
from data.figures import campaign_figures
from data.forms import FormError, VisitForm, validate
from data.models import ChangeLog, Problem, SupervisionVisit
from data.supervision import (
    list_visits,
    save_visit,
    unit_open_problems,
    visit_calendar,
    visit_detail,
)
from tests.factories import make_campaign, make_problem, make_unit


@pytest.fixture
def county(db: Database) -> dict[str, int]:
    with db.write("test") as s:
        make_campaign(s, 2024)
        office = make_unit(s, name="城关镇司法所")
        firm = make_unit(s, name="明正律师事务所", kind="law_firm", township="东湖镇")
        return {"office": office.id, "firm": firm.id}


def _raw(unit_id: int, **over: Any) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "unit_id": unit_id,
        "visited_on": "2024-11-10",
        "supervisors": "王督导、李督导",
        "kind": "focus",
        "ratings": {"disclosure": "conform", "lawful": "basic", "style": "nonconform"},
        "findings": "收费公示不全",
        "notes": None,
        "next_visit_on": "2024-12-01",
        "follow_ups": [
            {
                "description": "补齐收费标准公示",
                "criterion_code": "disclosure",
                "deadline": "2024-11-30",
                "owner": "张所长",
                "severity": "serious",
            }
        ],
    }
    raw.update(over)
    return raw


def _count(db: Database, model: Any) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_visit_with_follow_up_creates_a_supervision_problem(db: Database, county: dict) -> None:
    form = validate(VisitForm, _raw(county["office"]))
    with db.write("王督导") as s:
        visit_id = save_visit(s, form, 2024).id
    with db.read() as s:
        problem = s.scalars(select(Problem)).one()
        visit = s.get(SupervisionVisit, visit_id)
        assert {r.criterion_code: r.rating for r in visit.ratings}["style"] == "nonconform"
    assert problem.channel == "supervision" and problem.visit_id == visit_id
    assert problem.found_on == dt.date(2024, 11, 10) and problem.status == "pending"
    with db.read() as s:
        figures = campaign_figures(s, 2024, dt.date(2024, 12, 5))
    assert figures.by_channel["supervision"] == 1 and figures.overdue_problems == 1
    with db.read() as s:
        actions = {(e.entity, e.action) for e in s.scalars(select(ChangeLog))}
    assert {
        ("supervision_visit", "create"),
        ("problem", "create"),
        ("supervision_rating", "create"),
    } <= actions


@pytest.mark.parametrize(
    ("over", "field", "message"),
    [
        ({"visited_on": "2024-02-30"}, "visited_on", "日期不存在"),
        ({"visited_on": "next week"}, "visited_on", "无法识别"),
        ({"visited_on": ""}, "visited_on", "必填"),
        ({"supervisors": "  "}, "supervisors", "必填"),
        ({"supervisors": "王" * 101}, "supervisors", "不能超过 100"),
        ({"findings": "长" * 5001}, "findings", "不能超过 5000"),
        ({"kind": "weekly"}, "kind", "有效的选项"),
        ({"ratings": {"lawful": "good"}}, "ratings.lawful", "有效的选项"),
        ({"ratings": {"honest_service": "conform"}}, "ratings.honest_service", "不适用"),
        ({"next_visit_on": "2024-11-01"}, "next_visit_on", "不能早于"),
        (
            {
                "follow_ups": [
                    {"description": "", "criterion_code": "lawful", "deadline": "2024-11-30"}
                ]
            },
            "follow_ups.0.description",
            "必填",
        ),
        (
            {
                "follow_ups": [
                    {"description": "x", "criterion_code": "lawful", "deadline": "2024-11-01"}
                ]
            },
            "follow_ups.0.deadline",
            "不能早于",
        ),
        (
            {
                "follow_ups": [
                    {
                        "description": "x",
                        "criterion_code": "quality_service",
                        "deadline": "2024-11-30",
                    }
                ]
            },
            "follow_ups.0.criterion_code",
            "不适用",
        ),
        (
            {
                "follow_ups": [
                    {"description": "x", "criterion_code": "nonsense", "deadline": "2024-11-30"}
                ]
            },
            "follow_ups.0.criterion_code",
            "无效",
        ),
    ],
)
def test_invalid_visits_name_the_field_and_write_nothing(
    db: Database, county: dict, over: dict, field: str, message: str
) -> None:
    before = _count(db, ChangeLog)
    with pytest.raises(FormError) as exc:  # noqa: PT012 - validation then save, like the form
        form = validate(VisitForm, _raw(county["office"], **over))
        with db.write("王督导") as s:
            save_visit(s, form, 2024)
    assert message in exc.value.errors[field]
    assert _count(db, SupervisionVisit) == 0 and _count(db, Problem) == 0
    assert _count(db, ChangeLog) == before


def test_unknown_unit_is_refused(db: Database, county: dict) -> None:
    form = validate(VisitForm, {**_raw(county["office"]), "unit_id": 999})
    with pytest.raises(FormError) as exc, db.write("王督导") as s:
        save_visit(s, form, 2024)
    assert exc.value.errors == {"unit_id": "单位不存在"}


def test_second_editor_is_refused_with_what_changed(db: Database, county: dict) -> None:
    with db.write("王督导") as s:
        visit_id = save_visit(
            s, validate(VisitForm, _raw(county["office"], follow_ups=[])), 2024
        ).id
    with db.read() as s:
        opened_by_a = visit_detail(s, visit_id, dt.date(2024, 11, 20))
        opened_by_b = visit_detail(s, visit_id, dt.date(2024, 11, 20))
    a_form = validate(VisitForm, _raw(county["office"], follow_ups=[], notes="甲的补充"))
    with db.write("甲") as s:
        save_visit(s, a_form, 2024, visit_id, opened_by_a.version, opened_by_a.seen)
    b_form = validate(VisitForm, _raw(county["office"], follow_ups=[], findings="乙改的"))
    with pytest.raises(ConflictError) as exc, db.write("乙") as s:
        save_visit(s, b_form, 2024, visit_id, opened_by_b.version, opened_by_b.seen)
    assert exc.value.changes == {"notes": (None, "甲的补充")}
    with db.read() as s:
        visit = s.get(SupervisionVisit, visit_id)
    assert visit.notes == "甲的补充" and visit.findings == "收费公示不全"


def test_edit_changes_ratings_in_place(db: Database, county: dict) -> None:
    with db.write("王督导") as s:
        visit_id = save_visit(
            s, validate(VisitForm, _raw(county["office"], follow_ups=[])), 2024
        ).id
    with db.read() as s:
        detail = visit_detail(s, visit_id, dt.date(2024, 11, 20))
    form = validate(
        VisitForm,
        _raw(county["office"], follow_ups=[], ratings={"style": "conform", "functions": "basic"}),
    )
    with db.write("王督导") as s:
        save_visit(s, form, 2024, visit_id, detail.version, detail.seen)
    with db.read() as s:
        after = visit_detail(s, visit_id, dt.date(2024, 11, 20))
    assert after.ratings == {
        "disclosure": "conform",
        "lawful": "basic",
        "style": "conform",
        "functions": "basic",
    }
    assert after.version == detail.version + 1


def test_list_calendar_and_detail(db: Database, county: dict) -> None:
    with db.write("王督导") as s:
        first = save_visit(s, validate(VisitForm, _raw(county["office"])), 2024).id
        save_visit(
            s,
            validate(
                VisitForm,
                _raw(
                    county["firm"],
                    visited_on="2024-11-12",
                    kind="routine",
                    ratings={},
                    follow_ups=[],
                ),
            ),
            2024,
        )
    with db.read() as s:
        rows = list_visits(s, 2024, dt.date(2024, 12, 5))
        only_office = list_visits(s, 2024, dt.date(2024, 12, 5), unit_id=county["office"])
        days = visit_calendar(s, 2024, dt.date(2024, 11, 1))
        december = visit_calendar(s, 2024, dt.date(2024, 12, 1))
        detail = visit_detail(s, first, dt.date(2024, 12, 5))
    assert [r.unit for r in rows] == ["明正律师事务所", "城关镇司法所"]  # newest first
    assert [(r.follow_ups, r.open_follow_ups) for r in only_office] == [(1, 1)]
    assert days[dt.date(2024, 11, 10)].visits == 1 and days[dt.date(2024, 11, 10)].focus == 1
    assert days[dt.date(2024, 11, 12)].focus == 0
    assert december[dt.date(2024, 12, 1)].planned == 2
    assert detail is not None and detail.follow_ups[0].overdue
    assert detail.follow_ups[0].criterion == "信息公开"


def test_open_problems_of_a_unit(db: Database, county: dict) -> None:
    with db.write("test") as s:
        campaign = s.scalars(select(SupervisionVisit.campaign_id)).first()
        del campaign
        from data.models import Campaign, Unit

        c = s.scalars(select(Campaign)).one()
        office = s.get(Unit, county["office"])
        make_problem(s, c, office, deadline=dt.date(2024, 7, 1), found_on=dt.date(2024, 6, 1))
        make_problem(
            s,
            c,
            office,
            status="done",
            completed_on=dt.date(2024, 6, 5),
            found_on=dt.date(2024, 6, 1),
        )
        make_problem(s, c, office, status="unfounded", found_on=dt.date(2024, 6, 1))
    with db.read() as s:
        open_ = unit_open_problems(s, 2024, county["office"], dt.date(2024, 7, 11))
    assert len(open_) == 1 and open_[0].days_overdue == 10


def _render(db_url: str, search: str) -> Any:
    """What /supervision shows for this address (list, calendar, chosen unit)."""
    from callbacks.supervision import render_content
    from dashboard.app import create_app
    from dashboard.config import Settings

    app = create_app(
        Settings(database_url=db_url, secret_key="t", fixed_today=dt.date(2024, 12, 5))
    )
    with app.server.app_context():
        return render_content(search)


def test_the_grid_holds_every_visit_with_its_links(db_url: str, db: Database, county: dict) -> None:
    """No cap: every visit is a row of the grid (as many as data/ counts), newest first; the
    unit links to its page and 详情 opens the visit (whose 修改 opens the form)."""
    from dashboard.ids import Supervision as Ids
    from data.models import Campaign, Unit
    from data.supervision import count_visits
    from tests.components import by_id, grid_cells, walk
    from tests.factories import make_visit

    with db.write("王督导") as s:
        campaign = s.scalars(select(Campaign)).one()
        office, firm = s.get(Unit, county["office"]), s.get(Unit, county["firm"])
        for i in range(60):  # more than the 50 the list once stopped at
            day = dt.date(2024, 6, 1) + dt.timedelta(days=i)
            make_visit(s, campaign, office, visited_on=day, kind="routine")
        newest = make_visit(s, campaign, firm, visited_on=dt.date(2024, 11, 12), kind="focus").id
    search = "?campaign=2024&as_of=2024-12-05"
    parts = _render(db_url, search)
    with db.read() as s:
        total = count_visits(s, 2024)
        order = [r.id for r in list_visits(s, 2024, dt.date(2024, 12, 5), limit=None)]
    grid = by_id(parts, Ids.GRID)
    assert len(grid.rowData) == total == 61
    assert [row["id"] for row in grid.rowData] == order  # newest first
    assert grid_cells(grid)[0] == [
        "2024年11月12日",
        "明正律师事务所",
        "重点督查",
        "王督导",
        "0 / 0",
        "详情",
    ]
    first = grid.rowData[0]
    assert first["unit_href"] == f"/units/{county['firm']}{search}"
    assert first["detail_href"] == f"/supervision{search}&visit={newest}"
    assert first["kind_level"] == "bad" and grid.rowData[1]["kind_level"] == ""
    assert by_id(parts, "sup-show-all") is None
    tab_labels = [c.label for c in walk(parts) if type(c).__name__ == "Tab"]
    assert tab_labels[0] == "督导记录（61）"

    # the unit in the URL: its visits only
    only_office = by_id(_render(db_url, f"{search}&unit={county['office']}"), Ids.GRID)
    with db.read() as s:
        assert len(only_office.rowData) == count_visits(s, 2024, unit_id=county["office"]) == 60
    assert {row["unit"] for row in only_office.rowData} == {"城关镇司法所"}


def test_no_visits_is_said_in_words(db_url: str, county: dict) -> None:
    from dashboard.ids import Supervision as Ids
    from tests.components import by_id, texts

    parts = _render(db_url, "?campaign=2024&as_of=2024-12-05")
    assert by_id(parts, Ids.GRID) is None
    assert "本年度还没有督导记录。" in texts(parts)


def test_every_open_problem_of_the_unit_is_in_its_grid(
    db_url: str, db: Database, county: dict
) -> None:
    """Logging a visit to a unit lists all its open problems (more than the 50 once listed),
    most overdue first, with the days overdue as a number."""
    from dashboard.ids import Supervision as Ids
    from data.models import Campaign, Unit
    from tests.components import by_id, grid_cells

    with db.write("test") as s:
        c = s.scalars(select(Campaign)).one()
        office = s.get(Unit, county["office"])
        for i in range(55):
            deadline = dt.date(2024, 7, 1) + dt.timedelta(days=i)
            make_problem(s, c, office, deadline=deadline, found_on=dt.date(2024, 6, 1))
        done = dt.date(2024, 6, 5)
        make_problem(s, c, office, status="done", completed_on=done, found_on=dt.date(2024, 6, 1))
    as_of = dt.date(2024, 8, 1)
    with db.read() as s:
        expected = unit_open_problems(s, 2024, county["office"], as_of, limit=None)
    parts = _render(db_url, f"?campaign=2024&as_of={as_of}&unit={county['office']}")
    grid = by_id(parts, Ids.OPEN_GRID)
    assert len(grid.rowData) == len(expected) == 55
    assert [row["id"] for row in grid.rowData] == [p.id for p in expected]
    assert [row["days_overdue"] for row in grid.rowData[:2]] == [31, 30]
    assert grid_cells(grid)[0][-2:] == ["2024年7月1日", "31"]
    assert grid.rowData[-1]["overdue_text"] == "—"  # due after the as-of date: not late
