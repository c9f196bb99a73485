"""Public commitments (公开承诺, #18 item 4): who records them, the links to complaints, the
counts the list and the evaluation show, withdrawal kept in the history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from dash import Dash
from sqlalchemy import func, select

from data.commitments import (
    CommitmentForm,
    commitment_counts,
    commitment_detail,
    commitment_rows,
    link_complaint,
    save_commitment,
    unlink_complaint,
    withdraw_commitment,
)
from data.db import Database
from data.edits import ConflictError
from data.figures import Filters
from data.forms import FormError
from data.models import Campaign, ChangeLog, Commitment, CommitmentProblem, Problem, Unit
from data.rectification_updates import NotAllowed
from tests.conftest import APP_TODAY
from tests.factories import make_campaign, make_problem, make_unit, make_user

YEAR = 2024
AS_OF = dt.date(2024, 11, 20)
FIRM_A, FIRM_B, OFFICE = "城关律师事务所", "东城律师事务所", "城关镇司法所"


@pytest.fixture
def county(db: Database) -> Database:
    """Two law firms and a 司法所, complaints and a self-inspection problem, a user per role."""
    with db.write("test") as s:
        campaign = make_campaign(s, YEAR)
        a = make_unit(s, FIRM_A, kind="law_firm")
        b = make_unit(s, FIRM_B, kind="law_firm")
        office = make_unit(s, OFFICE)
        make_problem(
            s,
            campaign,
            a,
            description="收费不透明",
            channel="hotline",
            complainant_name="张三丰",
            complainant_phone="13812345678",
        )
        make_problem(s, campaign, a, description="接待态度差", channel="referral")
        make_problem(s, campaign, a, description="自查：台账不全", channel="self_inspection")
        make_problem(s, campaign, b, description="东城投诉", channel="hotline")
        make_problem(s, campaign, office, description="司法所投诉", channel="hotline")
        make_user(s, "admin", "admin")
        make_user(s, "leader", "leader")
        make_user(s, "duban", "supervisor")
        make_user(s, "lawa", "unit", unit_name=FIRM_A)
        make_user(s, "lawb", "unit", unit_name=FIRM_B)
        make_user(s, "sfs", "unit", unit_name=OFFICE)
    return db


@pytest.fixture
def app(make_app: Any, county: Database) -> Dash:
    return make_app()


def _ids(db: Database) -> dict[str, int]:
    with db.read() as s:
        units = dict(s.execute(select(Unit.name, Unit.id)).all())
        problems = dict(s.execute(select(Problem.description, Problem.id)).all())
    return {**units, **problems}


def _form(unit_id: int, content: str = "办理公证一次告知") -> CommitmentForm:
    return CommitmentForm(
        unit_id=unit_id,
        content=content,
        published_on=dt.date(2024, 6, 1),
        published_where="单位门户网站",
    )


def _record(db: Database, unit: str, role: str = "unit", content: str = "一次告知") -> int:
    ids = _ids(db)
    own = ids[unit] if role == "unit" else None
    with db.write("test") as s:
        return save_commitment(s, role, own, YEAR, _form(ids[unit], content)).id


def _count(db: Database, model: Any, *where: Any) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(model).where(*where)) or 0)


# ---- who may record ------------------------------------------------------------------------


def test_a_law_firm_records_its_own_and_the_admin_any_legal_service_unit(county: Database) -> None:
    _record(county, FIRM_A)
    _record(county, FIRM_B, role="admin")
    with county.read() as s:
        rows = commitment_rows(s, YEAR, AS_OF)
    assert sorted(r.unit for r in rows) == sorted([FIRM_A, FIRM_B])


@pytest.mark.parametrize(
    ("unit", "role", "words"),
    [
        (OFFICE, "unit", "司法所，不作公开承诺"),
        (OFFICE, "admin", "司法所，不作公开承诺"),
        (FIRM_B, "unit", "只能记录本单位"),
        (FIRM_A, "leader", "局领导不能修改"),
        (FIRM_A, "supervisor", "督导员不能修改"),
    ],
)
def test_refused_in_words_and_nothing_written(
    county: Database, unit: str, role: str, words: str
) -> None:
    ids = _ids(county)
    own = ids[OFFICE] if unit == OFFICE else ids[FIRM_A]
    with pytest.raises(NotAllowed, match=words), county.write("test") as s:
        save_commitment(s, role, own, YEAR, _form(ids[unit]))
    assert _count(county, Commitment) == 0


def _save_as(app: Dash, db: Database, username: str, unit_id: int) -> tuple[Any, ...]:
    from callbacks.commitments import save
    from data.form_tokens import with_token
    from layouts.commitments import FORM
    from tests.unit.test_admin_units import form_context, signed_in

    names = ("unit_id", "content", "published_on", "published_where")
    values = [unit_id, "材料齐全当场受理", "2024-06-01", "服务窗口公示栏"]
    meta = with_token({"year": YEAR})
    with signed_in(app, db, username), form_context(FORM, names):
        return save(1, values, [FORM.field(n) for n in names], meta, f"?campaign={YEAR}")


def test_the_form_saves_for_the_units_own_staff(app: Dash, county: Database) -> None:
    ids = _ids(county)
    message, _feedback, search = _save_as(app, county, "lawa", ids[FIRM_A])
    assert message is None
    with county.read() as s:
        made = s.scalars(select(Commitment)).one()
    assert made.unit_id == ids[FIRM_A]
    assert f"commitment={made.id}" in search


@pytest.mark.parametrize(
    ("username", "unit", "words"),
    [
        ("sfs", OFFICE, "不作公开承诺"),
        ("lawb", FIRM_A, "只能记录本单位"),
        ("leader", FIRM_A, "只有单位填报员、管理员可以保存公开承诺"),
        ("duban", FIRM_A, "只有单位填报员、管理员可以保存公开承诺"),
    ],
)
def test_the_form_refuses_in_words_with_a_denied_row(
    app: Dash, county: Database, username: str, unit: str, words: str
) -> None:
    message, _feedback, search = _save_as(app, county, username, _ids(county)[unit])
    assert words in str(message)
    assert _count(county, Commitment) == 0
    assert _count(county, ChangeLog, ChangeLog.action == "denied", ChangeLog.actor == username)


def test_a_bad_form_names_its_fields(app: Dash, county: Database) -> None:
    from callbacks.commitments import save
    from layouts.commitments import FORM
    from tests.unit.test_admin_units import form_context, signed_in

    names = ("unit_id", "content", "published_on", "published_where")
    with signed_in(app, county, "lawa"), form_context(FORM, names):
        message, feedback, _search = save(
            1,
            [_ids(county)[FIRM_A], " ", "2024-13-01", ""],
            [FORM.field(n) for n in names],
            {"year": YEAR},
            "",
        )
    assert feedback[1] == "必填" and "日期" in feedback[2] and feedback[3] == "必填"
    assert "承诺内容" in str(message)
    assert _count(county, Commitment) == 0


# ---- links to complaints -------------------------------------------------------------------


def test_another_units_complaint_is_refused_and_nothing_written(county: Database) -> None:
    ids = _ids(county)
    commitment = _record(county, FIRM_A)
    rows_before = _count(county, ChangeLog)
    for other, words in (("东城投诉", "不属于该承诺的单位"), ("自查：台账不全", "不是投诉")):
        with pytest.raises(FormError, match=words), county.write("test") as s:
            link_complaint(s, "admin", None, commitment, ids[other])
    assert _count(county, CommitmentProblem) == 0
    assert _count(county, ChangeLog) == rows_before


def test_link_unlink_relink_and_counts(county: Database) -> None:
    ids = _ids(county)
    a = ids[FIRM_A]
    commitment = _record(county, FIRM_A)
    with county.write("lawa") as s:
        link_complaint(s, "unit", a, commitment, ids["收费不透明"])
        link_complaint(s, "unit", a, commitment, ids["接待态度差"])
    with pytest.raises(FormError, match="已关联"), county.write("lawa") as s:
        link_complaint(s, "unit", a, commitment, ids["收费不透明"])
    with county.write("lawa") as s:
        unlink_complaint(s, "unit", a, commitment, ids["接待态度差"])
    with county.read() as s:
        link = s.scalars(
            select(CommitmentProblem).where(CommitmentProblem.problem_id == ids["接待态度差"])
        ).one()
        assert link.unlinked_at is not None
        (row,) = commitment_rows(s, YEAR, AS_OF)
        assert (row.complaints, row.open_complaints) == (1, 1)
        assert commitment_counts(s, YEAR, AS_OF)[a].complaints == 1
    with county.write("lawa") as s:
        link_complaint(s, "unit", a, commitment, ids["接待态度差"])
    with county.read() as s:
        assert commitment_counts(s, YEAR, AS_OF)[a].complaints == 2
    assert _count(county, CommitmentProblem) == 2  # the same link again, not a second one


def test_the_complainant_stays_masked(county: Database) -> None:
    ids = _ids(county)
    commitment = _record(county, FIRM_A)
    with county.read() as s:
        before = commitment_detail(s, commitment, AS_OF)
    with county.write("t") as s:
        link_complaint(s, "admin", None, commitment, ids["收费不透明"])
    with county.read() as s:
        after = commitment_detail(s, commitment, AS_OF)
    assert before is not None and after is not None
    shown = [c.complainant for c in [*before.candidates, *after.linked]]
    assert "张** 138****5678" in shown
    assert not any("张三丰" in (c or "") or "13812345678" in (c or "") for c in shown)
    # Candidates: the unit's own complaints only, never its self-inspection or another unit's.
    assert {c.description for c in before.candidates} == {"收费不透明", "接待态度差"}


def test_counts_by_sql_equal_the_truth(county: Database) -> None:
    """Counts with several commitments, a withdrawn one, an unlinked link, a voided complaint,
    a rectified one and an as-of date before some complaint was found."""
    ids = _ids(county)
    a, b = ids[FIRM_A], ids[FIRM_B]
    first = _record(county, FIRM_A, content="一")
    second = _record(county, FIRM_A, content="二")
    gone = _record(county, FIRM_A, content="三")
    other = _record(county, FIRM_B, role="admin", content="四")
    with county.write("t") as s:
        campaign = s.scalars(select(Campaign)).one()
        late = make_problem(
            s,
            campaign,
            s.get_one(Unit, a),
            description="十月投诉",
            channel="hotline",
            found_on=dt.date(2024, 10, 10),
        )
        voided = make_problem(
            s,
            campaign,
            s.get_one(Unit, a),
            description="作废投诉",
            channel="hotline",
        )
        s.get_one(Problem, ids["接待态度差"]).status = "done"
        s.get_one(Problem, ids["接待态度差"]).completed_on = dt.date(2024, 7, 1)
        for commitment, problem in (
            (first, ids["收费不透明"]),
            (first, ids["接待态度差"]),
            (first, late.id),
            (first, voided.id),
            (second, ids["收费不透明"]),
            (gone, ids["接待态度差"]),
            (other, ids["东城投诉"]),
        ):
            link_complaint(s, "admin", None, commitment, problem)
        voided.voided_at = dt.datetime(2024, 8, 1)
        version = s.get_one(Commitment, gone).version
        withdraw_commitment(s, "admin", None, gone, version, now=dt.datetime(2024, 10, 8, 9))
    for as_of in (dt.date(2024, 10, 7), dt.date(2024, 10, 8), dt.date(2024, 9, 30), AS_OF):
        with county.read() as s:
            rows = {r.id: r for r in commitment_rows(s, YEAR, as_of)}
            counts = commitment_counts(s, YEAR, as_of)
            truth = _truth(s, as_of)
        assert {i: (r.complaints, r.open_complaints) for i, r in rows.items()} == truth["rows"]
        assert {u: (c.commitments, c.complaints) for u, c in counts.items()} == truth["units"]
    assert (rows[first].complaints, rows[first].open_complaints) == (3, 2)
    assert (counts[a].commitments, counts[a].complaints, counts[b].complaints) == (2, 3, 1)


def _truth(s: Any, as_of: dt.date) -> dict[str, dict[int, tuple[int, int]]]:
    """The counts worked out one record at a time."""
    rows: dict[int, tuple[int, int]] = {}
    units: dict[int, tuple[set[int], set[int]]] = {}
    for c in s.scalars(select(Commitment)):
        complaints = [
            s.get_one(Problem, link.problem_id)
            for link in s.scalars(
                select(CommitmentProblem).where(CommitmentProblem.commitment_id == c.id)
            )
            if link.unlinked_at is None
        ]
        counted = [
            p
            for p in complaints
            if p.voided_at is None and p.found_on <= as_of and p.channel in ("hotline", "referral")
        ]
        still_open = [
            p
            for p in counted
            if p.status != "unfounded"
            and not (p.status in ("done", "verified") and p.completed_on <= as_of)
        ]
        rows[c.id] = (len(counted), len(still_open))
        if c.published_on <= as_of and (c.withdrawn_at is None or c.withdrawn_at.date() > as_of):
            mine = units.setdefault(c.unit_id, (set(), set()))
            mine[0].add(c.id)
            mine[1].update(p.id for p in counted)
    return {"rows": rows, "units": {u: (len(a), len(b)) for u, (a, b) in units.items()}}


# ---- withdrawal and edits ------------------------------------------------------------------


def test_withdrawal_is_kept_in_the_history_and_list(county: Database) -> None:
    from data.commitments import commitment_history
    from layouts.history import history_rows

    ids = _ids(county)
    commitment = _record(county, FIRM_A)
    with county.write("lawa") as s:
        link_complaint(s, "unit", ids[FIRM_A], commitment, ids["收费不透明"])
        version = s.get_one(Commitment, commitment).version
    with county.write("lawa") as s:
        withdraw_commitment(s, "unit", ids[FIRM_A], commitment, version, dt.datetime(2024, 11, 1))
    with county.read() as s:
        (row,) = commitment_rows(s, YEAR, AS_OF)
        assert row.withdrawn_at is not None
        assert ids[FIRM_A] not in commitment_counts(s, YEAR, AS_OF)
        history = commitment_history(s, commitment)
    assert [e.action for e in history.entries][:1] == ["update"]
    text = str(history_rows(history))
    assert "撤回时间" in text and "承诺内容" in text and "关联投诉（问题序号）" in text
    with pytest.raises(FormError, match="已于"), county.write("lawa") as s:
        link_complaint(s, "unit", ids[FIRM_A], commitment, ids["接待态度差"])
    assert _count(county, Commitment) == 1


def test_a_stale_edit_is_refused_with_what_changed(county: Database) -> None:
    ids = _ids(county)
    commitment = _record(county, FIRM_A)
    with county.read() as s:
        opened = s.get_one(Commitment, commitment).version
    seen = {"content": "一次告知"}
    with county.write("admin") as s:
        save_commitment(s, "admin", None, YEAR, _form(ids[FIRM_A], "改过的"), commitment, opened)
    with pytest.raises(ConflictError) as refused, county.write("lawa") as s:
        save_commitment(
            s, "unit", ids[FIRM_A], YEAR, _form(ids[FIRM_A], "我的"), commitment, opened, seen
        )
    assert refused.value.changes == {"content": ("一次告知", "改过的")}
    with pytest.raises(ConflictError), county.write("lawa") as s:
        withdraw_commitment(s, "unit", ids[FIRM_A], commitment, opened)
    with county.read() as s:
        kept = s.get_one(Commitment, commitment)
        assert (kept.content, kept.withdrawn_at) == ("改过的", None)


# ---- the pages -----------------------------------------------------------------------------


@pytest.fixture
def filled(county: Database) -> Iterator[dict[str, int]]:
    ids = _ids(county)
    commitment = _record(county, FIRM_A, content="收费标准全部上墙公示")
    with county.write("t") as s:
        link_complaint(s, "admin", None, commitment, ids["收费不透明"])
    yield {**ids, "commitment": commitment}


def test_the_page_lists_and_opens_a_commitment_within_scope(
    app: Dash, county: Database, filled: dict[str, int]
) -> None:
    from callbacks.commitments import render_commitments
    from tests.unit.test_admin_units import signed_in

    search = f"?campaign={YEAR}&commitment={filled['commitment']}"
    with signed_in(app, county, "leader"):
        page = str(render_commitments(search, None))
    assert "收费标准全部上墙公示" in page and "只读" in page and "张**" in page
    assert "张三丰" not in page and "取消关联" not in page
    with signed_in(app, county, "lawa"):
        page = str(render_commitments(search, None))
    assert "取消关联" in page and "撤回承诺" in page and "记录公开承诺" in page
    with signed_in(app, county, "lawb"):
        page = str(render_commitments(search, None))
    assert "收费标准全部上墙公示" not in page and "无权查看" in page
    with signed_in(app, county, "sfs"):
        page = str(render_commitments(f"?campaign={YEAR}", None))
    assert "不作公开承诺" in page and "commitments-form-card" not in page


def test_link_callback_refuses_another_units_complaint_in_words(
    app: Dash, county: Database, filled: dict[str, int]
) -> None:
    from callbacks.commitments import link
    from tests.unit.test_admin_units import signed_in

    meta = {"id": filled["commitment"], "version": 1}
    with signed_in(app, county, "lawa"):
        message, refresh = link(1, filled["东城投诉"], meta)
    assert "只能关联同一单位同一年度的投诉" in str(message)
    with signed_in(app, county, "lawb"):
        message, refresh = link(1, filled["东城投诉"], meta)
    assert "只能记录本单位" in str(message)
    assert _count(county, CommitmentProblem) == 1
    assert _count(county, ChangeLog, ChangeLog.action == "denied", ChangeLog.actor == "lawb")


def test_the_unit_page_shows_the_section_for_legal_service_units_only(
    app: Dash, county: Database, filled: dict[str, int]
) -> None:
    from callbacks.unit import render_unit
    from tests.unit.test_admin_units import signed_in

    with signed_in(app, county, "lawa"):
        page = str(render_unit({"unit": str(filled[FIRM_A]), "search": f"?campaign={YEAR}"}))
    assert "unit-commitments" in page and "收费标准全部上墙公示" in page and "收费不透明" in page
    assert "张三丰" not in page
    with signed_in(app, county, "admin"):
        page = str(render_unit({"unit": str(filled[OFFICE]), "search": f"?campaign={YEAR}"}))
    assert "unit-commitments" not in page


def test_the_evaluation_shows_commitments_in_the_legal_service_grid(
    app: Dash, county: Database, filled: dict[str, int]
) -> None:
    from callbacks.evaluation import render_evaluation
    from layouts.evaluation import group_table
    from tests.unit.test_admin_units import signed_in

    with signed_in(app, county, "leader"):
        page = render_evaluation(f"?campaign={YEAR}&as_of={AS_OF.isoformat()}")
    text = str(page)
    assert "公开承诺" in text and "承诺相关投诉" in text
    grids = {str(c.id): c for c in _walk(page) if type(c).__name__ == "AgGrid"}
    legal = grids["eval-grid-legal_service"].rowData
    mine = next(r for r in legal if r["unit"] == FIRM_A)
    assert (mine["commitments"], mine["commitment_complaints"]) == (1, 1)
    agency = grids["eval-grid-agency"]
    assert "commitments" not in {c["field"] for c in agency.columnDefs}
    assert group_table is not None


def _walk(component: Any) -> Iterator[Any]:
    yield component
    children = getattr(component, "children", None)
    if isinstance(children, list | tuple):
        for child in children:
            yield from _walk(child)
    elif children is not None and hasattr(children, "to_plotly_json"):
        yield from _walk(children)


def test_filters_keep_their_units(county: Database, filled: dict[str, int]) -> None:
    with county.read() as s:
        assert commitment_rows(s, YEAR, AS_OF, Filters(kinds=("notary_office",))) == []
        assert len(commitment_rows(s, YEAR, AS_OF, Filters(kinds=("law_firm",)))) == 1


def test_withdraw_callback_writes_for_the_unit_and_refuses_a_leader(
    app: Dash, county: Database, filled: dict[str, int]
) -> None:
    from callbacks.commitments import withdraw
    from tests.unit.test_admin_units import signed_in

    meta = {"id": filled["commitment"], "version": 1}
    with signed_in(app, county, "leader"):
        message, refresh = withdraw(1, meta)
    assert "只有单位填报员、管理员可以撤回公开承诺" in str(message)
    assert _count(county, ChangeLog, ChangeLog.action == "denied", ChangeLog.actor == "leader")
    with signed_in(app, county, "lawa"):
        message, refresh = withdraw(1, meta)
    assert message is None and "已撤回" in refresh["notice"]
    with county.read() as s:
        withdrawn = s.get_one(Commitment, filled["commitment"]).withdrawn_at
    assert withdrawn is not None and withdrawn.date() == APP_TODAY  # the app's today


def test_an_edit_opened_before_someone_elses_save_is_refused_in_words(
    app: Dash, county: Database, filled: dict[str, int]
) -> None:
    from callbacks.commitments import render_commitments, save
    from layouts.commitments import FORM
    from tests.unit.test_admin_units import form_context, signed_in

    search = f"?campaign={YEAR}&commitment={filled['commitment']}&edit=1"
    with signed_in(app, county, "lawa"):
        page = render_commitments(search, None)
    assert "修改公开承诺" in str(page)
    (meta,) = [c.data for c in _walk(page) if getattr(c, "id", None) == FORM.meta]
    assert meta["version"] == 1 and meta["seen"]["content"] == "收费标准全部上墙公示"
    with county.write("admin") as s:
        s.get_one(Commitment, filled["commitment"]).content = "管理员改过"
    names = ("unit_id", "content", "published_on", "published_where")
    values = [filled[FIRM_A], "我的修改", "2024-06-01", "网站"]
    with signed_in(app, county, "lawa"), form_context(FORM, names):
        message, _feedback, search_after = save(
            1, values, [FORM.field(n) for n in names], meta, search
        )
    text = str(message)
    assert "已被他人修改" in text and "收费标准全部上墙公示" in text and "管理员改过" in text
    with county.read() as s:
        assert s.get_one(Commitment, filled["commitment"]).content == "管理员改过"
