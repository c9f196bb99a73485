"""#14 item 4: the history proves itself — each row chained to the one before, the chain's end
kept, every audited record replayed from its history; plain SQL behind the application's back is
named by `verify`, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection, func, select, text

from dashboard.cli import main
from data.chain import GENESIS, row_digest, verify
from data.db import Database
from data.denials import record_denied
from data.history import record
from data.migrate import upgrade
from data.models import ChangeLog, HistoryHead, Problem
from tests.conftest import PostgresDatabases
from tests.factories import make_campaign, make_problem, make_unit


@pytest.fixture
def filled(db: Database) -> Database:
    """A little of every kind of history row: ORM creates and updates, a Core `record`, a
    refusal."""
    with db.write("王督导", user_id=7) as s:
        campaign = make_campaign(s)
        unit = make_unit(s, name="城关镇司法所")
        for n in range(3):
            make_problem(s, campaign, unit, description=f"问题{n}", complainant_name="张三")
    with db.write("李所长", user_id=9) as s:
        problem = s.scalars(select(Problem).order_by(Problem.id)).first()
        problem.status = "in_progress"
        problem.measures = "制定整改方案"
        record(s, "reveal", "problem", [(problem.id, None, {"fields": ["complainant_name"]})])
    with db.write("unit01", user_id=11) as s:
        record_denied(s, "测试页面", {"field": "status"}, "须由督导员或管理员认定")
    return db


def _verify(db: Database) -> list[str]:
    with db.read() as s:
        return [str(f) for f in verify(s).findings]


@pytest.fixture
def raw(filled: Database) -> Iterator[Connection]:
    """A plain connection with the append-only triggers out of the way, as someone with the
    database's password could do."""
    with filled.engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            connection.execute(text("DROP TRIGGER change_log_no_update"))
            connection.execute(text("DROP TRIGGER change_log_no_delete"))
        else:
            connection.execute(text("ALTER TABLE change_log DISABLE TRIGGER USER"))
        yield connection


def _ids(db: Database) -> list[int]:
    with db.read() as s:
        return list(s.scalars(select(ChangeLog.id).order_by(ChangeLog.id)))


def test_the_history_as_written_verifies(filled: Database) -> None:
    assert _verify(filled) == []
    with filled.read() as s:
        rows = s.execute(select(ChangeLog).order_by(ChangeLog.id)).scalars().all()
        head = s.get(HistoryHead, 1)
    assert {r.action for r in rows} >= {"create", "update", "reveal", "denied"}
    previous = GENESIS
    for row in rows:
        previous = row_digest(
            previous,
            {
                c: getattr(row, c)
                for c in (
                    "at",
                    "actor",
                    "user_id",
                    "action",
                    "entity",
                    "entity_id",
                    "before",
                    "after",
                    "note",
                )
            },
        )
        assert row.digest == previous
    assert (head.rows, head.digest) == (len(rows), previous)


def test_an_edited_history_row_is_named(filled: Database, raw: Connection) -> None:
    target = _ids(filled)[4]
    raw.execute(text("UPDATE change_log SET actor = '别人' WHERE id = :id"), {"id": target})
    raw.commit()
    assert _verify(filled)[0].startswith(f"修改历史第 {target} 条")


def test_a_forged_row_is_named(filled: Database, raw: Connection) -> None:
    raw.execute(
        text(
            "INSERT INTO change_log (at, actor, action, entity, entity_id, after, digest) "
            "VALUES (:at, '王督导', 'update', 'problem', '1', '{\"status\": \"verified\"}', :d)"
        ),
        {"at": dt.datetime(2024, 9, 1), "d": "f" * 64},
    )
    raw.commit()
    forged = max(_ids(filled))
    assert _verify(filled)[0].startswith(f"修改历史第 {forged} 条")


def test_a_deleted_row_names_the_row_after_it(filled: Database, raw: Connection) -> None:
    ids = _ids(filled)
    raw.execute(text("DELETE FROM change_log WHERE id = :id"), {"id": ids[3]})
    raw.commit()
    assert _verify(filled)[0].startswith(f"修改历史第 {ids[4]} 条")


def test_rows_cut_from_the_end_are_noticed(filled: Database, raw: Connection) -> None:
    raw.execute(text("DELETE FROM change_log WHERE id = :id"), {"id": max(_ids(filled))})
    raw.commit()
    assert _verify(filled)[0].startswith("修改历史末尾")


def test_a_direct_update_of_a_record_is_named_without_showing_complainants(
    filled: Database,
) -> None:
    with filled.read() as s:
        first, second = s.scalars(select(Problem.id).order_by(Problem.id).limit(2)).all()
    with filled.engine.begin() as connection:
        connection.execute(
            text("UPDATE problem SET measures = '已整改' WHERE id = :id"), {"id": first}
        )
        connection.execute(
            text("UPDATE problem SET complainant_name = '李四' WHERE id = :id"), {"id": second}
        )
    findings = _verify(filled)
    assert (
        f"problem #{first}：字段 measures 现为 '已整改'，修改历史记载为 '制定整改方案'"
        in (findings[0])
    )
    assert findings[1].startswith(f"problem #{second}：字段 complainant_name")
    assert "李四" not in findings[1] and "张三" not in findings[1]


def test_a_record_written_behind_the_history_is_named(filled: Database) -> None:
    table = Problem.__table__
    columns = [c for c in table.columns if c.key != "id"]
    with filled.engine.begin() as connection:  # a copy of a row, written with plain SQL
        connection.execute(
            table.insert().from_select(columns, select(*columns).order_by(table.c.id).limit(1))
        )
    with filled.read() as s:
        added = s.scalar(select(func.max(Problem.id)))
    assert _verify(filled) == [f"problem #{added}：该记录没有任何修改历史（未经本系统写入）"]


def test_existing_history_is_chained_by_the_migration(
    tmp_path: Path, postgres: PostgresDatabases | None
) -> None:
    """A database with history written before 0007 verifies after the upgrade."""
    name = postgres.create(uuid.uuid4().hex[:12]) if postgres is not None else None
    url = postgres.url(name) if postgres is not None and name else f"sqlite:///{tmp_path}/old.db"
    try:
        upgrade(url, "0006")
        old = Database.from_url(url)
        with old.engine.begin() as connection:
            for n in range(3):
                connection.execute(
                    text(
                        "INSERT INTO change_log (at, actor, action, entity, entity_id, after) "
                        "VALUES (:at, 'a', 'create', 'import', :id, :after)"
                    ),
                    {"at": dt.datetime(2024, 5, n + 1, 9, 30), "id": str(n), "after": "{}"},
                )
        old.engine.dispose()
        upgrade(url)
        new = Database.from_url(url)
        with new.read() as s:
            result = verify(s)
            digests = s.scalars(select(ChangeLog.digest).order_by(ChangeLog.id)).all()
        with new.write("王督导") as s:
            make_unit(s, name="城关镇司法所")
        with new.read() as s:
            after = verify(s)
        new.engine.dispose()
    finally:
        if postgres is not None and name:
            postgres.drop(name)
    assert result.ok and result.rows == 3 and None not in digests
    assert after.ok and after.rows == 4


def test_dashboard_verify_says_what_it_checked_and_fails_on_a_mismatch(
    cli_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    with cli_db.write("王督导") as s:
        campaign = make_campaign(s)
        unit = make_unit(s, name="城关镇司法所")
        problem_id = make_problem(s, campaign, unit).id
    assert main(["verify"]) == 0
    out = capsys.readouterr().out
    with cli_db.read() as s:
        head = s.get(HistoryHead, 1)
    assert f"修改历史共 {head.rows} 条，链末摘要：{head.digest}" in out
    assert "核验通过" in out
    with cli_db.engine.begin() as connection:
        connection.execute(
            text("UPDATE problem SET measures = '已整改' WHERE id = :id"), {"id": problem_id}
        )
    assert main(["verify"]) == 1
    out = capsys.readouterr().out
    assert "核验未通过：发现 1 处不一致" in out
    assert f"problem #{problem_id}：字段 measures 现为 '已整改'" in out


def test_a_fresh_demo_verifies(db: Database) -> None:
    """The demo county as `dashboard demo` loads it: every row chained, every record replayed."""
    from data.demo import load_demo

    load_demo(db, seed=2024, today=dt.date(2026, 11, 20))
    with db.read() as s:
        result = verify(s)
        problems = s.scalar(select(func.count()).select_from(Problem))
    assert result.ok, [str(f) for f in result.findings[:5]]
    assert result.rows > problems > 0
