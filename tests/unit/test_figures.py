"""The figures of DOMAIN.md, against hand-computed fixtures, edge by edge."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from data.db import Database
from data.evaluation import evaluation_results, focus_candidates
from data.figures import CHANNELS, Filters, campaign_figures, campaign_years, latest_campaign_year
from data.scope import CampaignNotFound
from tests.factories import make_campaign, make_problem, make_task, make_unit, set_caseload

AS_OF = dt.date(2024, 9, 15)
NO_PHASE_PROGRESS = {"mobilize": None, "investigate": None, "rectify": None, "assess": None}


def d(month: int, day: int, year: int = 2024) -> dt.date:
    """A date in 2024 unless told otherwise."""
    return dt.date(year, month, day)


# One problem per case: (fields, figures the unit must show at AS_OF = 2024-09-15).
EDGES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "deadline on as-of is due, not overdue": (
        {"found_on": d(8, 1), "deadline": AS_OF},
        {"problems": 1, "due": 1, "on_time": 0, "overdue_problems": 0, "max_days_overdue": None},
    ),
    "deadline the day before as-of is overdue by 1 day": (
        {"found_on": d(8, 1), "deadline": d(9, 14), "status": "in_progress"},
        {"problems": 1, "due": 1, "overdue_problems": 1, "max_days_overdue": 1},
    ),
    "completed exactly on the deadline is on time": (
        {"found_on": d(8, 1), "deadline": d(8, 31), "status": "done", "completed_on": d(8, 31)},
        {"rectified": 1, "due": 1, "on_time": 1, "overdue_problems": 0, "rate": 1.0},
    ),
    "completed the day after the deadline is rectified but late": (
        {"found_on": d(8, 1), "deadline": d(8, 31), "status": "done", "completed_on": d(9, 1)},
        {"rectified": 1, "due": 1, "on_time": 0, "overdue_problems": 0, "on_time_rate": 0.0},
    ),
    "verified counts as rectified": (
        {"found_on": d(8, 1), "deadline": d(9, 10), "status": "verified", "completed_on": d(9, 1)},
        {"rectified": 1, "due": 1, "on_time": 1, "rate": 1.0, "on_time_rate": 1.0},
    ),
    "completed after as-of is not rectified yet (and overdue)": (
        {"found_on": d(8, 1), "deadline": d(9, 10), "status": "done", "completed_on": d(9, 20)},
        {"rectified": 0, "due": 1, "on_time": 0, "overdue_problems": 1, "max_days_overdue": 5},
    ),
    "completed after as-of with a future deadline is neither due nor rectified": (
        {"found_on": d(8, 1), "deadline": d(9, 30), "status": "done", "completed_on": d(9, 20)},
        {"problems": 1, "rectified": 0, "due": 0, "rate": 0.0, "on_time_rate": None},
    ),
    "found after as-of does not count": (
        {"found_on": d(9, 16), "deadline": d(9, 20), "channel": "hotline"},
        {"problems": 0, "due": 0, "complaints": 0, "rate": None},
    ),
    "found on as-of counts": (
        {"found_on": AS_OF, "deadline": AS_OF, "channel": "referral"},
        {"problems": 1, "due": 1, "complaints": 1, "rate": 0.0},
    ),
    "unfounded with a past deadline is neither due nor overdue": (
        {"found_on": d(6, 1), "deadline": d(7, 1), "status": "unfounded", "channel": "hotline"},
        {
            "problems": 1,
            "unfounded": 1,
            "due": 0,
            "overdue_problems": 0,
            "complaints": 1,
            "rate": None,
        },
    ),
    "voided problem counts nowhere": (
        {
            "found_on": d(6, 1),
            "deadline": d(7, 1),
            "channel": "hotline",
            "voided_at": dt.datetime(2024, 7, 2, 9, 0),
            "void_reason": "重复录入",
        },
        {"problems": 0, "due": 0, "overdue_problems": 0, "complaints": 0, "rate": None},
    ),
    "serious and open": (
        {"found_on": d(8, 1), "deadline": d(9, 30), "severity": "serious"},
        {"serious_open": 1, "overdue_problems": 0},
    ),
    "serious but rectified": (
        {
            "found_on": d(8, 1),
            "deadline": d(9, 30),
            "severity": "serious",
            "status": "done",
            "completed_on": d(9, 1),
        },
        {"serious_open": 0, "rectified": 1},
    ),
    "serious but unfounded": (
        {"found_on": d(8, 1), "deadline": d(8, 2), "severity": "serious", "status": "unfounded"},
        {"serious_open": 0, "overdue_problems": 0},
    ),
    "serious, done after as-of, still open": (
        {
            "found_on": d(8, 1),
            "deadline": d(9, 30),
            "severity": "serious",
            "status": "done",
            "completed_on": d(9, 16),
        },
        {"serious_open": 1, "rectified": 0},
    ),
}

ZERO = {
    "problems": 0,
    "unfounded": 0,
    "rectified": 0,
    "due": 0,
    "on_time": 0,
    "overdue_problems": 0,
    "max_days_overdue": None,
    "complaints": 0,
    "serious_open": 0,
}


@pytest.mark.parametrize(("fields", "expected"), EDGES.values(), ids=EDGES.keys())
def test_problem_edges(session: Session, fields: dict[str, Any], expected: dict[str, Any]) -> None:
    campaign = make_campaign(session)
    unit = make_unit(session, "城关司法所")
    make_problem(session, campaign, unit, **fields)

    figures = campaign_figures(session, 2024, AS_OF)
    (row,) = figures.by_unit
    expected = dict(expected)
    rates = {key: expected.pop(key) for key in ("rate", "on_time_rate") if key in expected}
    assert {key: getattr(row, key) for key in expected} == expected
    if "rate" in rates:
        assert row.rectification_rate == rates["rate"]
    if "on_time_rate" in rates:
        assert row.on_time_rate == rates["on_time_rate"]
    # The campaign totals are the sum over units, so a single unit's figures reappear there.
    for key in ("problems", "unfounded", "rectified", "due", "on_time", "overdue_problems"):
        assert getattr(figures, key) == getattr(row, key)
    assert figures.rectification_rate == row.rectification_rate


def test_unit_without_problems_has_no_rates(session: Session) -> None:
    campaign = make_campaign(session)
    busy = make_unit(session, "甲司法所")
    make_unit(session, "乙司法所")
    make_problem(session, campaign, busy, found_on=d(6, 1), deadline=d(7, 1))

    figures = campaign_figures(session, 2024, AS_OF)
    idle = next(u for u in figures.by_unit if u.unit == "乙司法所")
    assert {k: getattr(idle, k) for k in ZERO} == ZERO
    assert idle.rectification_rate is None
    assert idle.on_time_rate is None
    assert idle.complaints_per_100 is None
    assert idle.phase_progress == NO_PHASE_PROGRESS
    assert not idle.overdue
    assert figures.overdue_units == ["甲司法所"]


def test_empty_campaign_rates_are_none(session: Session) -> None:
    make_campaign(session)
    figures = campaign_figures(session, 2024, AS_OF)
    assert figures.by_unit == []
    assert figures.rectification_rate is None
    assert figures.on_time_rate is None
    assert figures.phase_progress == NO_PHASE_PROGRESS
    assert figures.by_channel == dict.fromkeys(CHANNELS, 0)


def test_campaign_totals_hand_computed(session: Session) -> None:
    campaign = make_campaign(session)
    other = make_campaign(session, 2023)
    a = make_unit(session, "城关司法所", township="城关镇")
    b = make_unit(session, "河口司法所", township="河口镇")
    make_unit(session, "明理律师事务所", kind="law_firm", township="城关镇")
    # a: 4 problems: on time, late, overdue 15 days (hotline), unfounded (referral).
    make_problem(
        session,
        campaign,
        a,
        found_on=d(6, 1),
        deadline=d(7, 1),
        status="done",
        completed_on=d(6, 20),
    )
    make_problem(
        session,
        campaign,
        a,
        found_on=d(6, 1),
        deadline=d(7, 1),
        status="verified",
        completed_on=d(7, 5),
        channel="questionnaire",
    )
    make_problem(session, campaign, a, found_on=d(7, 1), deadline=d(8, 31), channel="hotline")
    make_problem(
        session,
        campaign,
        a,
        found_on=d(7, 1),
        deadline=d(7, 10),
        status="unfounded",
        channel="referral",
    )
    # b: 2 overdue problems (5 and 45 days), one future deadline.
    make_problem(session, campaign, b, found_on=d(7, 1), deadline=d(9, 10), channel="meeting")
    make_problem(
        session,
        campaign,
        b,
        found_on=d(7, 1),
        deadline=d(8, 1),
        channel="hotline",
        status="in_progress",
    )
    make_problem(session, campaign, b, found_on=d(9, 1), deadline=d(10, 1), channel="inspection")
    # c: nothing; another campaign's problem for a must not leak in.
    make_problem(session, other, a, found_on=d(6, 1, 2023), deadline=d(7, 1, 2023))

    f = campaign_figures(session, 2024, AS_OF)
    assert (f.problems, f.unfounded, f.rectified, f.due, f.on_time) == (7, 1, 2, 5, 1)
    assert f.rectification_rate == pytest.approx(2 / 6)
    assert f.on_time_rate == pytest.approx(1 / 5)
    assert f.overdue_problems == 3
    assert f.complaints == 3
    assert f.overdue_units == ["河口司法所", "城关司法所"]
    assert f.by_channel == {
        "self_inspection": 1,
        "questionnaire": 1,
        "visit_forum": 0,
        "hotline": 2,
        "inspection": 1,
        "meeting": 1,
        "referral": 1,
        "supervision": 0,
    }
    assert list(f.by_channel) == list(CHANNELS)
    by_name = {u.unit: u for u in f.by_unit}
    assert by_name["城关司法所"].max_days_overdue == 15
    assert by_name["河口司法所"].max_days_overdue == 45
    assert by_name["河口司法所"].overdue_problems == 2
    assert by_name["明理律师事务所"].problems == 0
    assert [u.unit for u in f.by_unit] == ["城关司法所", "河口司法所", "明理律师事务所"]
    assert [u.group for u in f.by_unit] == ["agency", "agency", "legal_service"]
    assert f.campaign == 2024
    assert f.as_of == AS_OF


def test_overdue_units_ordering(session: Session) -> None:
    campaign = make_campaign(session)
    units = {name: make_unit(session, name) for name in ("甲所", "乙所", "丙所", "丁所", "戊所")}
    # 甲: 1 overdue, 10 days; 乙: 1 overdue, 20 days; 丙: 2 overdue; 丁: only an overdue task;
    # 戊: 1 overdue, 10 days (ties with 甲 on both counts, so the name decides).
    make_problem(session, campaign, units["甲所"], found_on=d(8, 1), deadline=d(9, 5))
    make_problem(session, campaign, units["乙所"], found_on=d(8, 1), deadline=d(8, 26))
    make_problem(session, campaign, units["丙所"], found_on=d(8, 1), deadline=d(9, 14))
    make_problem(session, campaign, units["丙所"], found_on=d(8, 1), deadline=d(9, 13))
    make_task(session, campaign, units["丁所"], phase="mobilize")
    make_problem(session, campaign, units["戊所"], found_on=d(8, 1), deadline=d(9, 5))

    f = campaign_figures(session, 2024, AS_OF)
    assert f.overdue_units == ["丙所", "乙所", *sorted(["甲所", "戊所"]), "丁所"]
    assert f.overdue_tasks == 1


def test_by_unit_ordered_by_kind_township_name(session: Session) -> None:
    make_campaign(session)
    make_unit(session, "乙律所", kind="law_firm", township="城关镇")
    make_unit(session, "公证处", kind="notary_office", township=None)
    make_unit(session, "河口司法所", township="河口镇")
    make_unit(session, "城关司法所", township="城关镇")
    make_unit(session, "甲律所", kind="law_firm", township="城关镇")
    make_unit(session, "丙律所", kind="law_firm", township=None)

    f = campaign_figures(session, 2024, AS_OF)
    assert [(u.kind, u.township, u.unit) for u in f.by_unit] == [
        ("judicial_office", "城关镇", "城关司法所"),
        ("judicial_office", "河口镇", "河口司法所"),
        ("notary_office", None, "公证处"),
        ("law_firm", "城关镇", min("甲律所", "乙律所")),
        ("law_firm", "城关镇", max("甲律所", "乙律所")),
        ("law_firm", None, "丙律所"),
    ]


@pytest.mark.parametrize(
    ("retired_on", "included"),
    [
        (None, True),
        (d(3, 31), False),
        (d(4, 1), True),  # retired on the first day of the campaign: still evaluated
        (d(7, 1), True),
    ],
)
def test_retired_units(session: Session, retired_on: dt.date | None, included: bool) -> None:
    campaign = make_campaign(session)
    unit = make_unit(session, "旧司法所", retired_on=retired_on)
    make_problem(session, campaign, unit, found_on=d(3, 1), deadline=d(3, 20))

    f = campaign_figures(session, 2024, AS_OF)
    assert [u.unit for u in f.by_unit] == (["旧司法所"] if included else [])
    assert f.problems == (1 if included else 0)
    assert sum(f.by_channel.values()) == (1 if included else 0)


def test_tasks_progress_and_overdue(session: Session) -> None:
    campaign = make_campaign(session)
    unit = make_unit(session, "城关司法所")
    make_task(session, campaign, unit, "mobilize", "实施方案")  # overdue: never done
    make_task(session, campaign, unit, "mobilize", "动员大会", completed_on=d(9, 20))  # after as-of
    make_task(session, campaign, unit, "mobilize", "评议选题", completed_on=d(5, 10))
    make_task(session, campaign, unit, "investigate", "自查自纠", completed_on=d(8, 1))
    make_task(session, campaign, unit, "rectify", "整改方案")  # phase still running
    other = make_unit(session, "河口司法所")
    make_task(session, campaign, other, "mobilize", "实施方案", completed_on=d(5, 1))

    f = campaign_figures(session, 2024, AS_OF)
    u = next(x for x in f.by_unit if x.unit == "城关司法所")
    assert u.phase_progress == {
        "mobilize": pytest.approx(1 / 3),
        "investigate": 1.0,
        "rectify": 0.0,
        "assess": None,
    }
    assert (u.tasks_done, u.tasks_total, u.overdue_tasks) == (2, 5, 2)
    assert u.overdue
    assert u.overdue_problems == 0
    assert f.overdue_tasks == 2
    assert f.overdue_units == ["城关司法所"]
    # Campaign progress pools the units' tasks: mobilize 2 of 4 done.
    assert f.phase_progress == {"mobilize": 0.5, "investigate": 1.0, "rectify": 0.0, "assess": None}


@pytest.mark.parametrize(
    ("as_of", "overdue_tasks"),
    [(d(5, 31), 0), (d(6, 1), 1)],
    ids=["phase ends on as-of: not overdue", "phase ended the day before: overdue"],
)
def test_task_overdue_boundary(session: Session, as_of: dt.date, overdue_tasks: int) -> None:
    campaign = make_campaign(session)
    unit = make_unit(session)
    make_task(session, campaign, unit, "mobilize")
    f = campaign_figures(session, 2024, as_of)
    assert f.by_unit[0].overdue_tasks == overdue_tasks
    assert f.overdue_tasks == overdue_tasks


def test_tasks_of_another_campaign_do_not_count(session: Session) -> None:
    make_campaign(session)
    other = make_campaign(session, 2023)
    unit = make_unit(session)
    make_task(session, other, unit, "mobilize")
    f = campaign_figures(session, 2024, AS_OF)
    assert f.by_unit[0].tasks_total == 0
    assert f.by_unit[0].phase_progress == NO_PHASE_PROGRESS


def test_complaints_by_month_zero_filled(session: Session) -> None:
    campaign = make_campaign(session)
    unit = make_unit(session)
    make_problem(session, campaign, unit, found_on=d(3, 20), channel="hotline")  # before start
    make_problem(session, campaign, unit, found_on=d(6, 3), channel="hotline")
    make_problem(session, campaign, unit, found_on=d(6, 30), channel="referral", status="unfounded")
    make_problem(session, campaign, unit, found_on=d(8, 31), channel="referral")
    make_problem(session, campaign, unit, found_on=d(7, 1), channel="meeting")  # not a complaint
    make_problem(session, campaign, unit, found_on=d(9, 16), channel="hotline")  # after as-of

    f = campaign_figures(session, 2024, AS_OF)
    assert f.complaints_by_month == {
        "2024-03": 1,
        "2024-04": 0,
        "2024-05": 0,
        "2024-06": 2,
        "2024-07": 0,
        "2024-08": 1,
        "2024-09": 0,
    }
    assert f.complaints == sum(f.complaints_by_month.values()) == 4


def test_complaints_by_month_stops_at_campaign_end(session: Session) -> None:
    campaign = make_campaign(session)
    unit = make_unit(session)
    make_problem(session, campaign, unit, found_on=d(1, 5, 2025), channel="hotline")

    f = campaign_figures(session, 2024, d(2, 1, 2025))
    months = list(f.complaints_by_month)
    assert months[0] == "2024-04"
    assert months[-2:] == ["2024-12", "2025-01"]
    assert len(months) == 10
    assert f.complaints_by_month["2025-01"] == 1


def test_complaints_by_month_before_campaign_is_empty(session: Session) -> None:
    make_campaign(session)
    f = campaign_figures(session, 2024, d(3, 1))
    assert f.complaints_by_month == {}


# Days left count the as-of date and the phase's last day: 1 on the last day, the whole
# window (61 days for 4/1–5/31) on the first.
@pytest.mark.parametrize(
    ("as_of", "phase", "days_left"),
    [
        (d(3, 31), None, None),
        (d(4, 1), "mobilize", 61),
        (d(5, 30), "mobilize", 2),
        (d(5, 31), "mobilize", 1),
        (d(6, 1), "investigate", 92),
        (d(9, 15), "rectify", 47),
        (d(12, 31), "assess", 1),
        (d(1, 1, 2025), None, None),
    ],
)
def test_current_phase_and_days_left(
    session: Session, as_of: dt.date, phase: str | None, days_left: int | None
) -> None:
    make_campaign(session)
    f = campaign_figures(session, 2024, as_of)
    assert (f.current_phase, f.days_left) == (phase, days_left)


def test_phase_windows_are_data(session: Session) -> None:
    campaign = make_campaign(session)
    mobilize = next(p for p in campaign.phases if p.code == "mobilize")
    investigate = next(p for p in campaign.phases if p.code == "investigate")
    mobilize.ends_on, investigate.starts_on = d(6, 15), d(6, 16)
    session.flush()
    unit = make_unit(session)
    make_task(session, campaign, unit, "mobilize")

    f = campaign_figures(session, 2024, d(6, 10))
    assert (f.current_phase, f.days_left) == ("mobilize", 6)
    assert f.overdue_tasks == 0


@pytest.fixture
def county(session: Session) -> dict[str, Any]:
    """Four units of both groups and two townships, one problem each."""
    campaign = make_campaign(session)
    units = {
        "城关司法所": make_unit(session, "城关司法所", township="城关镇"),
        "河口司法所": make_unit(session, "河口司法所", township="河口镇"),
        "明理律师事务所": make_unit(session, "明理律师事务所", kind="law_firm", township="城关镇"),
        "县公证处": make_unit(session, "县公证处", kind="notary_office", township=None),
    }
    for i, unit in enumerate(units.values()):
        channel = "hotline" if i % 2 else "self_inspection"
        make_problem(session, campaign, unit, found_on=d(6, 1), deadline=d(7, 1), channel=channel)
    return units


@pytest.mark.parametrize(
    ("filters", "names"),
    [
        (Filters(), ["城关司法所", "河口司法所", "县公证处", "明理律师事务所"]),
        (Filters(kinds=("law_firm",)), ["明理律师事务所"]),
        (Filters(kinds=("law_firm", "notary_office")), ["县公证处", "明理律师事务所"]),
        (Filters(townships=("城关镇",)), ["城关司法所", "明理律师事务所"]),
        (Filters(group="agency"), ["城关司法所", "河口司法所"]),
        (Filters(group="legal_service"), ["县公证处", "明理律师事务所"]),
        (Filters(group="agency", kinds=("law_firm",)), []),
        (Filters(kinds=("judicial_office",), townships=("河口镇",)), ["河口司法所"]),
    ],
    ids=[
        "none",
        "kind",
        "two kinds",
        "township",
        "agency",
        "legal service",
        "disjoint",
        "kind and township",
    ],
)
def test_filters(
    county: dict[str, Any], session: Session, filters: Filters, names: list[str]
) -> None:
    f = campaign_figures(session, 2024, AS_OF, filters)
    assert [u.unit for u in f.by_unit] == names
    assert f.problems == len(names)
    assert f.overdue_problems == len(names)
    assert sum(f.by_channel.values()) == len(names)
    assert f.overdue_units == sorted(names)
    expected_complaints = sum(1 for n in names if n in ("河口司法所", "县公证处"))
    assert f.complaints == expected_complaints
    assert sum(f.complaints_by_month.values()) == expected_complaints


def test_filter_by_unit_ids(county: dict[str, Any], session: Session) -> None:
    ids = (county["河口司法所"].id, county["县公证处"].id)
    f = campaign_figures(session, 2024, AS_OF, Filters(unit_ids=ids))
    assert [u.unit_id for u in f.by_unit] == list(ids)


@pytest.mark.parametrize(("cases", "per_100"), [(200, 1.5), (0, None), (None, None)])
def test_complaints_per_100_cases(
    session: Session, cases: int | None, per_100: float | None
) -> None:
    campaign = make_campaign(session)
    unit = make_unit(session)
    for _ in range(3):
        make_problem(session, campaign, unit, channel="hotline")
    if cases is not None:
        set_caseload(session, campaign, unit, cases)
    other = make_campaign(session, 2023)
    set_caseload(session, other, unit, 10)  # another year's caseload must not be used

    (u,) = campaign_figures(session, 2024, AS_OF).by_unit
    assert u.cases == cases
    assert u.complaints == 3
    assert u.complaints_per_100 == per_100


def test_to_json_shape(county: dict[str, Any], session: Session) -> None:
    f = campaign_figures(session, 2024, AS_OF)
    data = json.loads(json.dumps(f.to_json(), ensure_ascii=False))
    assert list(data) == [
        "campaign", "as_of", "problems", "unfounded", "rectified", "rectification_rate",
        "due", "on_time", "on_time_rate", "overdue_problems", "complaints", "overdue_units",
        "by_channel", "complaints_by_month", "phase_progress", "by_unit",
    ]  # fmt: skip
    assert data["campaign"] == 2024
    assert data["as_of"] == "2024-09-15"
    assert data["rectification_rate"] == 0.0
    assert data["on_time_rate"] == 0.0
    assert list(data["by_channel"]) == list(CHANNELS)
    assert data["phase_progress"] == NO_PHASE_PROGRESS
    assert len(data["by_unit"]) == 4
    entry = data["by_unit"][0]
    assert list(entry) == [
        "unit", "kind", "township", "problems", "unfounded", "rectified", "rectification_rate",
        "due", "on_time", "overdue_problems", "max_days_overdue", "complaints", "phase_progress",
    ]  # fmt: skip
    assert entry == {
        "unit": "城关司法所",
        "kind": "judicial_office",
        "township": "城关镇",
        "problems": 1,
        "unfounded": 0,
        "rectified": 0,
        "rectification_rate": 0.0,
        "due": 1,
        "on_time": 0,
        "overdue_problems": 1,
        "max_days_overdue": 76,
        "complaints": 0,
        "phase_progress": NO_PHASE_PROGRESS,
    }


def test_to_json_null_rates(session: Session) -> None:
    make_campaign(session)
    make_unit(session)
    data = campaign_figures(session, 2024, AS_OF).to_json()
    assert data["rectification_rate"] is None
    assert data["on_time_rate"] is None
    assert data["by_unit"][0]["rectification_rate"] is None
    assert data["by_unit"][0]["max_days_overdue"] is None
    assert json.dumps(data)  # plain JSON types only


def test_campaign_not_found(session: Session) -> None:
    make_campaign(session, 2024)
    with pytest.raises(CampaignNotFound, match="没有 2023 年的评议活动"):
        campaign_figures(session, 2023, AS_OF)
    with pytest.raises(LookupError):
        campaign_figures(session, 2023, AS_OF)


def test_campaign_years(session: Session) -> None:
    assert campaign_years(session) == []
    assert latest_campaign_year(session) is None
    for year in (2022, 2024, 2023):
        make_campaign(session, year)
    assert campaign_years(session) == [2024, 2023, 2022]
    assert latest_campaign_year(session) == 2024


@contextmanager
def counting(db: Database) -> Iterator[list[str]]:
    """Collect every SQL statement the engine runs inside the block."""
    statements: list[str] = []

    def _count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", _count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", _count)


def _populate(session: Session, campaign: Any, first: int, last: int) -> None:
    """Units first..last-1, each with problems on several channels and tasks in each phase."""
    kinds = ("judicial_office", "law_firm", "notary_office")
    for i in range(first, last):
        unit = make_unit(session, f"单位{i:03d}", kind=kinds[i % 3], township=f"镇{i % 4}")
        set_caseload(session, campaign, unit, 100 + i)
        for j, channel in enumerate(("hotline", "referral", "self_inspection", "meeting")):
            make_problem(
                session,
                campaign,
                unit,
                channel=channel,
                found_on=d(6 + j, 1),
                deadline=d(6 + j, 20),
                severity="serious" if j == 0 else "normal",
                status="done" if j % 2 else "pending",
                completed_on=d(6 + j, 15) if j % 2 else None,
            )
        for phase in ("mobilize", "investigate", "rectify", "assess"):
            make_task(
                session,
                campaign,
                unit,
                phase,
                f"{phase}任务",
                completed_on=d(5, 1) if i % 2 else None,
            )


def _size(result: Any) -> int:
    """How many units a result covers (a list of units, or CampaignFigures)."""
    return len(result) if isinstance(result, list) else len(result.by_unit)


@pytest.mark.parametrize(
    "compute",
    [campaign_figures, evaluation_results, focus_candidates],
    ids=["campaign_figures", "evaluation_results", "focus_candidates"],
)
def test_query_count_does_not_grow_with_units(db: Database, session: Session, compute: Any) -> None:
    campaign = make_campaign(session)
    _populate(session, campaign, 0, 3)
    session.flush()
    with counting(db) as few:
        small = compute(session, 2024, AS_OF)
    _populate(session, campaign, 3, 30)
    session.flush()
    with counting(db) as many:
        large = compute(session, 2024, AS_OF)

    assert _size(small) == 3
    assert _size(large) == 30
    assert len(many) == len(few)
    assert len(many) <= 12
    # No per-row problem query: every statement that reads `problem` aggregates it.
    for statement in many:
        if "FROM problem" in statement:
            assert "GROUP BY" in statement


def test_problem_breakdown_agrees_with_campaign_figures(session: Session) -> None:
    """Grouping by any column uses the same definitions as the headline figures."""
    from data.figures import month_of, problem_breakdown
    from data.models import Problem, Unit

    campaign = make_campaign(session, 2024)
    a = make_unit(session, name="甲司法所", township="东湖镇")
    b = make_unit(session, name="乙律师事务所", kind="law_firm", township="石桥乡")
    as_of = dt.date(2024, 9, 1)
    make_problem(
        session,
        campaign,
        a,
        channel="hotline",
        found_on=dt.date(2024, 6, 1),
        deadline=dt.date(2024, 6, 30),
        status="done",
        completed_on=dt.date(2024, 6, 30),
    )
    make_problem(
        session,
        campaign,
        a,
        channel="hotline",
        found_on=dt.date(2024, 7, 2),
        deadline=dt.date(2024, 8, 1),
    )
    make_problem(
        session,
        campaign,
        b,
        channel="referral",
        criterion_code="honest_service",
        found_on=dt.date(2024, 7, 5),
        deadline=dt.date(2024, 7, 20),
        status="unfounded",
    )
    make_problem(session, campaign, b, channel="self_inspection", found_on=dt.date(2024, 9, 2))

    figures = campaign_figures(session, 2024, as_of)
    by_channel = problem_breakdown(session, 2024, as_of, [Problem.channel])
    assert {r.key[0]: r.problems for r in by_channel} == {"hotline": 2, "referral": 1}
    assert sum(r.rectified for r in by_channel) == figures.rectified == 1
    assert sum(r.overdue_problems for r in by_channel) == figures.overdue_problems == 1
    hotline = next(r for r in by_channel if r.key == ("hotline",))
    assert hotline.rectification_rate == 0.5 and hotline.on_time_rate == 0.5
    assert hotline.max_days_overdue == (as_of - dt.date(2024, 8, 1)).days

    towns = problem_breakdown(
        session,
        2024,
        as_of,
        [Unit.township, *month_of(Problem.found_on)],
        channels=("hotline", "referral"),
    )
    cells = {(r.key[0], int(r.key[1]), int(r.key[2])): r.problems for r in towns}
    assert cells == {("东湖镇", 2024, 6): 1, ("东湖镇", 2024, 7): 1, ("石桥乡", 2024, 7): 1}


# --- a phase not yet started at the as-of date counts nowhere (issue #19, item 7) -------------

MID = d(7, 15)  # inside 调查评议: 落实整改 and 工作考评 not started


def _tasks_in_every_phase(session: Session) -> Any:
    """A unit with 2 mobilize tasks (done), 2 investigate (1 done), 2 rectify (one done early,
    before its phase starts) and 1 assess task."""
    campaign = make_campaign(session)
    unit = make_unit(session, "城关镇司法所")
    make_task(session, campaign, unit, "mobilize", "实施方案", completed_on=d(4, 20))
    make_task(session, campaign, unit, "mobilize", "动员大会", completed_on=d(5, 10))
    make_task(session, campaign, unit, "investigate", "自查自纠", completed_on=d(7, 1))
    make_task(session, campaign, unit, "investigate", "问卷调查")
    make_task(session, campaign, unit, "rectify", "问题汇总梳理", completed_on=d(7, 10))
    make_task(session, campaign, unit, "rectify", "整改方案")
    make_task(session, campaign, unit, "assess", "接受督导检查")
    return unit


def test_phase_not_started_counts_in_no_rate(session: Session) -> None:
    _tasks_in_every_phase(session)
    f = campaign_figures(session, 2024, MID)
    unit = f.by_unit[0]
    expected = {"mobilize": 1.0, "investigate": 0.5, "rectify": None, "assess": None}
    assert f.phase_progress == expected
    assert unit.phase_progress == expected
    # the 3 tasks of 落实整改 and 工作考评 (one of them done early) are not in the denominator
    assert (unit.tasks_done, unit.tasks_total) == (3, 4)
    assert f.not_started == ("rectify", "assess")
    assert [f.phase_started(p) for p in ("mobilize", "investigate", "rectify", "assess")] == [
        True,
        True,
        False,
        False,
    ]
    assert f.to_json()["phase_progress"] == expected
    assert f.to_json()["by_unit"][0]["phase_progress"] == expected


def test_a_phase_counts_from_its_first_day(session: Session) -> None:
    _tasks_in_every_phase(session)
    f = campaign_figures(session, 2024, d(9, 1))  # 落实整改's first day
    unit = f.by_unit[0]
    assert f.phase_progress == {"mobilize": 1.0, "investigate": 0.5, "rectify": 0.5, "assess": None}
    assert (unit.tasks_done, unit.tasks_total) == (4, 6)
    assert f.not_started == ("assess",)
    before = campaign_figures(session, 2024, d(3, 31))  # before the campaign: nothing counts
    assert before.phase_progress == NO_PHASE_PROGRESS
    assert (before.by_unit[0].tasks_done, before.by_unit[0].tasks_total) == (0, 0)


def test_work_score_leaves_out_tasks_of_phases_not_started(session: Session) -> None:
    unit = _tasks_in_every_phase(session)
    result = next(e for e in evaluation_results(session, 2024, MID) if e.unit_id == unit.id)
    assert result.tasks_share == 0.75  # 3 of the 4 tasks of 动员部署 and 调查评议
    assert result.work_score == 75.0  # the only part with data yet
