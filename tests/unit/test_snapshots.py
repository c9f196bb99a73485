"""#14 items 2 and 3: published figures never change; the live computation names what moved
since and why; the figures as recorded at the publishing moment equal the snapshot."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from dash import Dash
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from dashboard.cli import main
from data.chain import verify
from data.db import Database
from data.figures import campaign_figures
from data.models import Problem, Snapshot
from data.recorded import figures_as_recorded
from data.snapshots import compare, figures_from_record, publish, snapshots
from tests.conftest import MakeApp
from tests.factories import make_campaign, make_problem, make_unit, make_user

YEAR = 2024
AS_OF = dt.date(YEAR, 9, 30)


@pytest.fixture
def county(db: Database) -> Database:
    with db.write("test") as s:
        campaign = make_campaign(s, YEAR)
        unit = make_unit(s, name="城关镇司法所")
        make_problem(
            s, campaign, unit, description="窗口未公示收费标准", deadline=dt.date(YEAR, 8, 1)
        )
        make_problem(
            s,
            campaign,
            unit,
            description="群众反映调解员态度生硬",
            channel="hotline",
            deadline=dt.date(YEAR, 10, 31),
        )
    return db


def _problem(db: Database, description: str) -> int:
    with db.read() as s:
        return s.scalar(select(Problem.id).where(Problem.description == description))


def _publish(db: Database) -> Snapshot:
    with db.write("局领导", user_id=2) as s:
        snapshot = publish(s, YEAR, AS_OF, "评议大会")
        s.expunge(snapshot)
    return snapshot


def _after_the_meeting(db: Database) -> None:
    """A completion entered later and backdated, and a complaint found 不属实 later."""
    late, complaint = _problem(db, "窗口未公示收费标准"), _problem(db, "群众反映调解员态度生硬")
    with db.write("unit01", user_id=11) as s:
        p = s.get(Problem, late)
        p.status, p.completed_on = "done", dt.date(YEAR, 9, 20)
    with db.write("duban", user_id=3) as s:
        s.get(Problem, complaint).status = "unfounded"


def test_a_snapshot_keeps_its_numbers_and_the_live_view_names_what_moved(
    county: Database,
) -> None:
    snapshot = _publish(county)
    assert snapshot.stats["rectified"] == 0 and snapshot.stats["unfounded"] == 0
    assert snapshot.stats["overdue_problems"] == 1
    _after_the_meeting(county)
    with county.read() as s:
        kept = s.get(Snapshot, snapshot.id)
        assert kept.stats == snapshot.stats and kept.digest == snapshot.digest
        live = campaign_figures(s, YEAR, AS_OF)
        comparison = compare(s, kept)
    assert (live.rectified, live.unfounded, live.overdue_problems) == (1, 1, 0)
    moved = {d.figure: (d.published, d.live) for d in comparison.differences}
    assert moved["已整改"] == (0, 1)
    assert moved["其中经核查不属实"] == (0, 1)
    assert moved["逾期问题"] == (1, 0)
    said = [(c.actor, c.description, c.changes) for c in comparison.changes]
    assert ("unit01", "窗口未公示收费标准") in [(a, d) for a, d, _ in said]
    assert ("duban", "群众反映调解员态度生硬") in [(a, d) for a, d, _ in said]
    words = " ".join(" ".join(changes) for _, _, changes in said)
    assert "整改状态：待整改 → 已整改" in words
    assert "完成日期：空 → 2024-09-20" in words
    assert "整改状态：待整改 → 不属实" in words
    assert all(c.at > kept.published_at for c in comparison.changes)


def test_the_figures_as_recorded_at_publication_equal_the_snapshot(county: Database) -> None:
    snapshot = _publish(county)
    _after_the_meeting(county)
    with county.read() as s:
        then = figures_as_recorded(s, YEAR, AS_OF, snapshot.published_at)
        now = figures_as_recorded(s, YEAR, AS_OF, dt.datetime.now())
        live = campaign_figures(s, YEAR, AS_OF)
    assert json.loads(json.dumps(then.to_json())) == snapshot.stats
    assert now.to_json() == live.to_json() != then.to_json()
    assert figures_from_record(snapshot.figures).to_json() == then.to_json()


def test_stats_as_recorded_on_the_command_line(
    cli_db: Database, county: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    snapshot = _publish(county)
    _after_the_meeting(county)
    moment = snapshot.published_at.isoformat()
    args = ["stats", "--campaign", str(YEAR), "--as-of", AS_OF.isoformat(), "--json"]
    assert main([*args, "--as-recorded-on", moment]) == 0
    assert json.loads(capsys.readouterr().out) == snapshot.stats
    assert main(args) == 0
    assert json.loads(capsys.readouterr().out)["unfounded"] == 1


def test_publish_and_list_on_the_command_line(
    cli_db: Database, county: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["publish", "--campaign", str(YEAR), "--as-of", "2024-09-30"]) == 0
    out = capsys.readouterr().out
    with county.read() as s:
        (only,) = snapshots(s)
    assert f"已发布快照 #{only.id}：2024年 截至2024-09-30（评议大会），摘要 {only.digest}" in out
    assert main(["snapshots"]) == 0
    assert only.digest in capsys.readouterr().out
    assert main(["publish", "--campaign", "2030", "--as-of", "2030-09-30"]) == 1
    assert "没有 2030 年度的评议活动" in capsys.readouterr().err


def test_a_snapshot_cannot_be_changed_and_a_changed_one_is_named(county: Database) -> None:
    snapshot = _publish(county)
    with pytest.raises(DatabaseError, match="append-only"), county.engine.begin() as c:
        c.execute(text("UPDATE snapshot SET purpose = '改过'"))
    with county.read() as s:
        assert verify(s).ok
    with county.engine.begin() as c:
        if c.dialect.name == "sqlite":
            c.execute(text("DROP TRIGGER snapshot_no_update"))
        else:
            c.execute(text("ALTER TABLE snapshot DISABLE TRIGGER USER"))
        c.execute(
            text("UPDATE snapshot SET stats = :stats WHERE id = :id"),
            {"stats": json.dumps({**snapshot.stats, "rectified": 99}), "id": snapshot.id},
        )
    with county.read() as s:
        findings = [str(f) for f in verify(s).findings]
    assert findings == [
        f"发布快照 #{snapshot.id}（2024年 截至2024-09-30）：内容与发布时的摘要不符：快照被改动"
    ]


@pytest.fixture
def app(make_app: MakeApp, county: Database) -> Dash:
    with county.write("test") as s:
        make_user(s, "leader", "leader")
        make_user(s, "duban", "supervisor")
        make_user(s, "unit01", "unit", unit_name="城关镇司法所")
    return make_app(today=dt.date(YEAR, 11, 20))


@pytest.mark.parametrize(
    ("username", "published"), [("leader", True), ("duban", False), ("unit01", False)]
)
def test_only_leaders_and_admins_publish_and_others_are_told(
    app: Dash, county: Database, username: str, published: bool
) -> None:
    """The publish callback checks the role on the server (a forged POST is refused in words)."""
    from callbacks.snapshots import save_publish
    from data.form_tokens import with_token
    from layouts.snapshots import PUBLISH
    from tests.unit.test_admin_units import form_context, signed_in

    meta = with_token({"year": YEAR, "as_of": AS_OF.isoformat()})
    fields = [PUBLISH.field("purpose"), PUBLISH.field("confirm")]
    with signed_in(app, county, username), form_context(PUBLISH, ("purpose", "confirm")):
        message, _feedback, refresh = save_publish(1, ["纠风办报表", True], fields, meta)
    with county.read() as s:
        rows = snapshots(s)
    if published:
        assert [r.purpose for r in rows] == ["纠风办报表"]
        assert rows[0].digest in refresh["notices"][PUBLISH.prefix]
    else:
        assert rows == []
        assert "局领导" in str(message) and "管理员" in str(message)


def test_the_report_as_published_is_the_published_figures(app: Dash, county: Database) -> None:
    """/download/report.xlsx?…&snapshot=ID: the report of the publishing moment, named so in its
    page header, while the plain download has today's figures."""
    from tests.factories import login
    from tests.unit.test_exports import sheet_rows, workbook

    snapshot = _publish(county)
    _after_the_meeting(county)
    client = app.server.test_client()
    login(client, "leader").close()
    base = f"/download/report.xlsx?campaign={YEAR}&as_of={AS_OF.isoformat()}"
    with client.get(f"{base}&snapshot={snapshot.id}") as published:
        assert published.status_code == 200
        then = published.get_data()
    with client.get(base) as live:
        now = live.get_data()
    summary = {r[0]: r[1] for r in sheet_rows(then, "汇总") if r}
    assert (summary["已整改"], summary["其中经核查不属实"]) == (0, 0)
    assert {r[0]: r[1] for r in sheet_rows(now, "汇总") if r}["已整改"] == 1
    assert f"发布快照 #{snapshot.id}" in workbook(then)["汇总"].oddHeader.left.text
    with client.get(f"{base}&snapshot=999") as missing:
        assert missing.status_code == 404
