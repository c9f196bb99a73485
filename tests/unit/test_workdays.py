"""Working days (#15): National Day 2024 in both modes, the admin's days over the library, the
work_day ordinals SQL counts with, unknown years, and days overdue on /overdue and in figures."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from data.chase_settings import ChaseSettings, chase_settings, save_chase_settings
from data.db import Database
from data.figures import campaign_figures, problem_breakdown
from data.forms import FormError
from data.models import CalendarDay, ChangeLog, Problem, WorkDay
from data.overdue import overdue_problems, overdue_tasks
from data.supervision import unit_open_problems
from data.unit_detail import unit_problems
from data.workdays import (
    DayCounter,
    add_calendar_day,
    day_counter,
    ensure_work_days,
    overdue_days_sql,
    remove_calendar_day,
    remove_calendar_day_form,
    set_calendar_day,
    unknown_years,
    year_calendar,
)
from tests.factories import make_campaign, make_problem, make_task, make_unit

WORKING = DayCounter("working")
CALENDAR = DayCounter("calendar")


def d(month: int, day: int, year: int = 2024) -> dt.date:
    """A date (in 2024 unless told)."""
    return dt.date(year, month, day)


# ---- National Day 2024: 10/1–10/7 off, Sunday 9/29 and Saturday 10/12 worked ---------------


@pytest.mark.parametrize(
    ("day", "workday"),
    [
        (d(9, 27), True),  # Friday
        (d(9, 28), False),  # Saturday
        (d(9, 29), True),  # Sunday, 调休
        (d(9, 30), True),
        (d(10, 1), False),
        (d(10, 4), False),  # a Friday inside the holiday
        (d(10, 7), False),
        (d(10, 8), True),
        (d(10, 12), True),  # Saturday, 调休
        (d(10, 13), False),
    ],
)
def test_national_day_is_known(day: dt.date, workday: bool) -> None:
    assert WORKING.is_workday(day) is workday
    assert CALENDAR.is_workday(day) is workday  # a fact about the day, whatever the mode


@pytest.mark.parametrize(
    ("start", "n", "working", "calendar"),
    [
        (d(9, 30), 1, d(10, 8), d(10, 1)),  # the first day after the holiday
        (d(9, 30), 5, d(10, 12), d(10, 5)),  # Saturday 10/12 is worked
        (d(10, 8), -1, d(9, 30), d(10, 7)),
        (d(10, 11), -3, d(10, 8), d(10, 8)),
        (d(10, 9), -3, d(9, 29), d(10, 6)),  # Sunday 9/29 is worked
        (d(9, 27), 1, d(9, 29), d(9, 28)),
        (d(10, 3), 1, d(10, 8), d(10, 4)),  # from inside the holiday
        (d(10, 3), 0, d(10, 3), d(10, 3)),
    ],
)
def test_add(start: dt.date, n: int, working: dt.date, calendar: dt.date) -> None:
    assert WORKING.add(start, n) == working
    assert CALENDAR.add(start, n) == calendar


@pytest.mark.parametrize(
    ("start", "end", "working", "calendar"),
    [
        (d(9, 30), d(10, 8), 1, 8),
        (d(9, 30), d(10, 7), 0, 7),
        (d(9, 27), d(10, 12), 7, 15),  # 9/29, 9/30, 10/8 … 10/12
        (d(10, 8), d(9, 30), -1, -8),
        (d(9, 30), d(9, 30), 0, 0),
        (d(12, 31, 2023), d(1, 2), 1, 2),  # 1/1 is New Year's Day
    ],
)
def test_between(start: dt.date, end: dt.date, working: int, calendar: int) -> None:
    assert WORKING.between(start, end) == working
    assert CALENDAR.between(start, end) == calendar


def test_between_agrees_with_add() -> None:
    start = d(9, 20)
    for n in range(1, 40):
        assert WORKING.between(start, WORKING.add(start, n)) == n
        assert WORKING.between(WORKING.add(start, -n), start) == n


def test_first_after() -> None:
    assert WORKING.first_after(d(9, 30)) == d(10, 8)
    assert WORKING.first_after(d(10, 11)) == d(10, 12)
    assert CALENDAR.first_after(d(9, 30)) == d(10, 1)


def test_across_years_and_unknown_years() -> None:
    """Years the library does not know follow the weekend rule; ordinals run on across years."""
    assert WORKING.known(2024) and WORKING.known(2026)
    assert not WORKING.known(2027)
    assert WORKING.is_workday(d(1, 1, 2027))  # a Friday: unknown holidays are not guessed
    assert not WORKING.is_workday(d(1, 2, 2027))
    assert WORKING.between(d(12, 31, 2026), d(1, 4, 2027)) == 2
    assert WORKING.between(d(12, 31, 1999), d(1, 4, 2000)) == 2


# ---- the admin's days ------------------------------------------------------------------------


def test_admin_days_override_the_library(session: Session) -> None:
    set_calendar_day(session, d(10, 8), False, "延长假期")  # library: worked
    set_calendar_day(session, d(10, 5), True, None)  # library: off
    set_calendar_day(session, d(1, 1, 2027), False, "元旦")
    counter = day_counter(session)
    assert counter.mode == "calendar"
    assert not counter.is_workday(d(10, 8))
    assert counter.is_workday(d(10, 5))
    assert counter.known(2027)
    working = day_counter(session, ChaseSettings(day_count="working"))
    assert working.first_after(d(9, 30)) == d(10, 5)
    assert working.add(d(10, 5), 1) == d(10, 9)
    assert working.between(d(9, 30), d(10, 9)) == 2
    assert unknown_years(session, [2026, 2027, 2028]) == [2028]

    # Taken back, the day follows the library again; the row and its history stay.
    assert remove_calendar_day(session, d(10, 8))
    assert not remove_calendar_day(session, d(10, 8))
    assert day_counter(session, ChaseSettings(day_count="working")).is_workday(d(10, 8))
    assert session.get(CalendarDay, d(10, 8)).removed_at is not None
    actions = session.scalars(
        select(ChangeLog.action).where(ChangeLog.entity == "calendar_day")
    ).all()
    assert actions.count("create") == 3 and "update" in actions


def test_calendar_of_a_year(session: Session) -> None:
    entries = {e.day: e for e in year_calendar(session, 2024)}
    assert entries[d(10, 1)].name == "国庆节" and not entries[d(10, 1)].workday
    assert entries[d(10, 5)].name == "国庆节"  # a weekend day inside the holiday
    assert entries[d(9, 29)].workday and entries[d(9, 29)].name == "国庆节调休上班"
    assert d(9, 28) not in entries  # a plain Saturday
    assert {e.source for e in entries.values()} == {"library"}
    set_calendar_day(session, d(10, 8), False, "延长假期")
    entry = next(e for e in year_calendar(session, 2024) if e.day == d(10, 8))
    assert (entry.source, entry.workday, entry.library_workday) == ("admin", False, True)
    assert year_calendar(session, 2027) == []


def test_calendar_day_form(session: Session) -> None:
    assert add_calendar_day(session, {"day": "2027-02-11", "workday": "off", "name": "春节"})
    assert session.get(CalendarDay, d(2, 11, 2027)).name == "春节"
    with pytest.raises(FormError) as refused:
        add_calendar_day(session, {"day": "2027-02-30", "workday": "off"})
    assert "day" in refused.value.errors
    with pytest.raises(FormError) as refused:
        add_calendar_day(session, {"day": "2027-02-12", "workday": None, "name": "x" * 51})
    assert set(refused.value.errors) == {"workday", "name"}
    # A name left blank, or not sent at all, is no name (not an error of the server's).
    for blank in ({"name": "  "}, {"name": None}, {}):
        day = add_calendar_day(session, {"day": "2027-02-13", "workday": "work", **blank})
        assert session.get(CalendarDay, day).name is None
    with pytest.raises(FormError):
        remove_calendar_day_form(session, {"day": "2027-02-12"})  # never set
    assert remove_calendar_day_form(session, {"day": "2027-02-11"}) == d(2, 11, 2027)


# ---- work_day and SQL --------------------------------------------------------------------------


def test_work_day_ordinals(session: Session) -> None:
    assert ensure_work_days(session, [2024]) == 366
    assert ensure_work_days(session, [2024]) == 0  # nothing changed, nothing written
    rows = {
        row.day: row
        for row in session.scalars(select(WorkDay).where(WorkDay.day.between(d(9, 29), d(10, 8))))
    }
    assert rows[d(10, 8)].ordinal - rows[d(9, 30)].ordinal == 1
    assert not rows[d(10, 1)].workday and rows[d(9, 29)].workday
    assert rows[d(10, 8)].ordinal == WORKING.ordinal(d(10, 8))
    # An admin's day rebuilds the year and every later year work_day holds.
    ensure_work_days(session, [2025])
    before = session.get(WorkDay, d(6, 3, 2025)).ordinal
    set_calendar_day(session, d(10, 8), False, None)
    assert session.get(WorkDay, d(10, 8)).ordinal == rows[d(9, 30)].ordinal
    assert session.get(WorkDay, d(6, 3, 2025)).ordinal == before - 1


@pytest.mark.parametrize("mode", ["calendar", "working", None])
def test_overdue_days_sql(session: Session, mode: str | None) -> None:
    campaign = make_campaign(session)
    unit = make_unit(session, "城关镇司法所")
    deadlines = [d(9, 30), d(10, 3), d(10, 8), d(12, 20, 2023), d(1, 3, 1999)]
    for deadline in deadlines:
        make_problem(session, campaign, unit, found_on=d(1, 1, 1999), deadline=deadline)
    save_chase_settings(session, ChaseSettings(day_count="working"))
    as_of = d(10, 12)
    query = select(Problem.deadline, overdue_days_sql(as_of, Problem.deadline, mode))
    got = dict(session.execute(query).all())
    counter = CALENDAR if mode == "calendar" else WORKING
    expected = {deadline: counter.between(deadline, as_of) for deadline in deadlines}
    # 1999 is outside the years work_day covers: calendar days rather than nothing.
    expected[d(1, 3, 1999)] = (as_of - d(1, 3, 1999)).days
    assert got == expected
    # The counter's own expression counts in the bureau's mode (working, saved above).
    counted = day_counter(session).overdue_days_sql(as_of, Problem.deadline)
    assert session.execute(select(counted).where(Problem.deadline == d(9, 30))).scalar() == 5


def test_the_bureau_mode_in_sql_follows_the_setting(session: Session) -> None:
    campaign = make_campaign(session)
    make_problem(session, campaign, make_unit(session, "城关镇司法所"), deadline=d(9, 30))
    query = select(overdue_days_sql(d(10, 8), Problem.deadline))
    assert session.execute(query).scalar() == 8
    save_chase_settings(session, ChaseSettings(day_count="working"))
    assert session.execute(query).scalar() == 1


# ---- days overdue on /overdue and in the figures -----------------------------------------------


def _county(db: Database) -> None:
    with db.write("test") as s:
        campaign = make_campaign(s, 2024)
        unit = make_unit(s, "城关镇司法所", "judicial_office", "城关镇")
        make_problem(s, campaign, unit, found_on=d(9, 1), deadline=d(9, 27))
        make_problem(s, campaign, unit, found_on=d(9, 1), deadline=d(10, 8))
        make_task(s, campaign, unit, "rectify", "整改方案")  # rectify ends 10-31


def test_days_overdue_follow_the_mode(db: Database) -> None:
    _county(db)
    as_of = d(11, 4)
    with db.read() as s:
        calendar = (
            [p.days_overdue for p in overdue_problems(s, 2024, as_of)],
            [t.days_overdue for t in overdue_tasks(s, 2024, as_of)],
            campaign_figures(s, 2024, as_of).by_unit[0].max_days_overdue,
        )
    assert calendar == ([38, 27], [4], 38)
    with db.write("admin") as s:
        save_chase_settings(s, ChaseSettings(day_count="working"))
        assert chase_settings(s).working_days
    with db.read() as s:
        working = (
            [p.days_overdue for p in overdue_problems(s, 2024, as_of)],
            [t.days_overdue for t in overdue_tasks(s, 2024, as_of)],
            campaign_figures(s, 2024, as_of).by_unit[0].max_days_overdue,
        )
        rows = problem_breakdown(s, 2024, as_of, [Problem.unit_id])
        unit_id = rows[0].key[0]
        on_unit_page = sorted(p.days_overdue for p in unit_problems(s, 2024, unit_id, as_of))
        on_visit_form = [p.days_overdue for p in unit_open_problems(s, 2024, unit_id, as_of)]
    assert on_unit_page == [20, 23] and on_visit_form == [23, 20]
    # 9/27 → 11/4: 9/29, 9/30, 10/8–10/12 (5), 10/14–10/18, 10/21–25, 10/28–11/1, 11/4.
    assert working == ([23, 20], [2], 23)
    assert rows[0].max_days_overdue == 23
