"""Benchmark databases: a synthetic county (or city) of a given size, cached on disk.

This is a bench-only path. Rows are written with Core bulk inserts (executemany) inside one
`db.write("bench-seed")` session, so the data version moves as for any write, but no history
rows are recorded for the synthetic rows: `data.history.record()` is simply not called, as a
bulk import would. Nothing in the application's history rules is switched off.

SQLite files are kept in bench/.cache/<size>-<schema revision>-<seed version>.db and reused;
on PostgreSQL (DATABASE_URL) a database that already holds the size's rows is reused.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import func, insert, select

from data.db import Database
from data.migrate import upgrade
from data.models import (
    Campaign,
    Phase,
    Problem,
    SatisfactionSurvey,
    SupervisionRating,
    SupervisionVisit,
    TaskTemplate,
    Unit,
    UnitTask,
)
from data.reference import (
    CRITERIA,
    DEFAULT_TASKS,
    KIND_GROUP,
    KIND_NAMES,
    PHASE_DEFAULT_WINDOWS,
    RESPONDENT_TYPES,
    criteria_for_group,
)
from data.users import add_user

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(__file__).resolve().parent / ".cache"
SEED_VERSION = 1
PASSWORD = "pingyi2024"
CHANNELS = (
    "self_inspection",
    "questionnaire",
    "visit_forum",
    "hotline",
    "inspection",
    "meeting",
    "referral",
    "supervision",
)
STATUSES = ("pending", "in_progress", "done", "verified", "unfounded")
BATCH = 20_000


@dataclass(frozen=True)
class Size:
    name: str
    units: int
    problems: int
    campaigns: int

    @property
    def years(self) -> list[int]:
        last = 2024
        return list(range(last - self.campaigns + 1, last + 1))

    @property
    def today(self) -> dt.date:
        return dt.date(self.years[-1], 11, 20)


SIZES = {
    "tiny": Size("tiny", 6, 300, 2),
    "small": Size("small", 30, 10_000, 2),
    "medium": Size("medium", 300, 200_000, 2),
    "large": Size("large", 300, 1_000_000, 4),
}


def schema_revision() -> str:
    """The Alembic head: a cached database is rebuilt when the schema moves on."""
    config = Config()
    config.set_main_option("script_location", str(ROOT / "migrations"))
    return str(ScriptDirectory.from_config(config).get_current_head())


def database(size: Size, folder: Path | None = None, url: str | None = None) -> tuple[str, bool]:
    """The URL of the size's seeded database and whether it was seeded just now: `url` (or a
    PostgreSQL DATABASE_URL) is used as it is, seeded when empty; else a cached SQLite file."""
    env = os.environ.get("DATABASE_URL", "")
    url = url or (env if env.startswith("postgresql") else "")
    if url:
        upgrade(url)
        db = Database.from_url(url)
        with db.read() as s:
            have = s.scalar(select(func.count()).select_from(Problem))
        if have == size.problems:
            db.engine.dispose()
            return url, False
        if have:
            raise SystemExit(f"bench: {url} 已有其他数据（{have} 个问题），请使用空库")
        seed(db, size)
        db.engine.dispose()
        return url, True
    folder = folder or CACHE
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ".gitignore").write_text("*\n")
    path = folder / f"{size.name}-{schema_revision()}-s{SEED_VERSION}.db"
    if path.exists():
        return f"sqlite:///{path}", False
    partial = path.with_suffix(".partial")
    for leftover in folder.glob(partial.name + "*"):
        leftover.unlink()
    url = f"sqlite:///{partial}"
    older = sorted(
        folder.glob(f"{size.name}-*-s{SEED_VERSION}.db"), key=lambda p: p.stat().st_mtime
    )
    if older:
        # The same rows under an older schema: migrate a copy (as a bureau's database would be)
        # instead of seeding again.
        shutil.copyfile(older[-1], partial)
        upgrade(url)
        db = Database.from_url(url)
    else:
        upgrade(url)
        db = Database.from_url(url)
        seed(db, size)
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.exec_driver_sql("ANALYZE")
    db.engine.dispose()
    partial.rename(path)
    return f"sqlite:///{path}", True


def _units(size: Size) -> list[dict[str, Any]]:
    kinds = list(KIND_NAMES)
    townships = max(3, size.units // 10)
    return [
        {
            "name": f"第{i + 1:03d}号{KIND_NAMES[kinds[i % len(kinds)]]}",
            "kind": kinds[i % len(kinds)],
            "township": f"第{i % townships + 1:02d}镇",
            "version": 1,
        }
        for i in range(size.units)
    ]


def seed(db: Database, size: Size, seed_value: int = 7) -> None:
    """Write the size's campaigns, units, tasks, surveys, visits and problems."""
    rng = random.Random(seed_value)
    with db.write("bench-seed") as s:
        conn = s.connection()
        if db.engine.dialect.name == "sqlite":
            # One transaction of a million rows: keep its pages in memory (1 GB) rather than
            # spilling them to the file while the indexes are built.
            conn.exec_driver_sql("PRAGMA cache_size = -1000000")
        conn.execute(insert(Unit), _units(size))
        units = s.execute(select(Unit.id, Unit.kind)).all()
        add_user(s, "leader", PASSWORD, "leader")
        add_user(s, "admin", PASSWORD, "admin")
        per_campaign = size.problems // size.campaigns
        for n, year in enumerate(size.years):
            count = per_campaign if n < size.campaigns - 1 else size.problems - per_campaign * n
            _campaign(s, conn, rng, year, units, count)


def _campaign(
    s: Any, conn: Any, rng: random.Random, year: int, units: list[Any], count: int
) -> None:
    campaign = Campaign(year=year, title=f"{year}年司法民主评议")
    for code, ((m1, d1), (m2, d2)) in PHASE_DEFAULT_WINDOWS.items():
        campaign.phases.append(
            Phase(code=code, starts_on=dt.date(year, m1, d1), ends_on=dt.date(year, m2, d2))
        )
    s.add(campaign)
    s.flush()
    windows = {
        code: (dt.date(year, a, b), dt.date(year, c, d))
        for code, ((a, b), (c, d)) in PHASE_DEFAULT_WINDOWS.items()
    }
    templates = []
    for phase, names in DEFAULT_TASKS.items():
        for order, name in enumerate(names):
            templates.append(
                {
                    "campaign_id": campaign.id,
                    "phase_code": str(phase),
                    "name": name,
                    "sort_order": order,
                    "needs_evidence": False,
                }
            )
    conn.execute(insert(TaskTemplate), templates)
    template_rows = s.execute(
        select(TaskTemplate.id, TaskTemplate.phase_code).where(
            TaskTemplate.campaign_id == campaign.id
        )
    ).all()
    tasks = []
    for template_id, phase in template_rows:
        start, end = windows[phase]
        for unit_id, _ in units:
            done = rng.random() < 0.8
            tasks.append(
                {
                    "template_id": template_id,
                    "unit_id": unit_id,
                    "version": 1,
                    "completed_on": start + dt.timedelta(days=rng.randint(0, (end - start).days))
                    if done
                    else None,
                    "evidence": None,
                }
            )
    conn.execute(insert(UnitTask), tasks)
    conn.execute(
        insert(SatisfactionSurvey),
        [
            {
                "campaign_id": campaign.id,
                "unit_id": unit_id,
                "respondent_type": kind,
                "satisfied": rng.randint(20, 60),
                "basically_satisfied": rng.randint(0, 20),
                "dissatisfied": rng.randint(0, 8),
                "unknown": rng.randint(0, 5),
                "version": 1,
            }
            for unit_id, _ in units
            for kind in RESPONDENT_TYPES
        ],
    )
    visits = [
        {
            "campaign_id": campaign.id,
            "unit_id": unit_id,
            "version": 1,
            "visited_on": dt.date(year, 7, 1) + dt.timedelta(days=rng.randint(0, 90)),
            "supervisors": "王督导、李督导",
            "kind": "routine" if rng.random() < 0.8 else "focus",
            "findings": "台账基本齐全",
            "notes": None,
            "next_visit_on": None,
        }
        for unit_id, _ in units
    ]
    conn.execute(insert(SupervisionVisit), visits)
    visit_rows = s.execute(
        select(SupervisionVisit.id, Unit.kind)
        .join(Unit, Unit.id == SupervisionVisit.unit_id)
        .where(SupervisionVisit.campaign_id == campaign.id)
    ).all()
    conn.execute(
        insert(SupervisionRating),
        [
            {
                "visit_id": visit_id,
                "criterion_code": code,
                "rating": rng.choice(("conform", "conform", "basic", "nonconform")),
            }
            for visit_id, kind in visit_rows
            for code in criteria_for_group(KIND_GROUP[kind])[:4]
        ],
    )
    criteria = {
        kind: [code for code in criteria_for_group(group) if code in CRITERIA]
        for kind, group in KIND_GROUP.items()
    }
    start = dt.date(year, 3, 1)
    batch: list[dict[str, Any]] = []
    for i in range(count):
        unit_id, kind = units[rng.randrange(len(units))]
        found = start + dt.timedelta(days=rng.randint(0, 260))
        status = STATUSES[rng.randrange(5)]
        done = status in ("done", "verified")
        deadline = found + dt.timedelta(days=rng.choice((15, 30, 60)))
        batch.append(
            {
                "campaign_id": campaign.id,
                "unit_id": unit_id,
                "ledger_key": f"{year}-{i + 1:07d}",
                "channel": CHANNELS[rng.randrange(8)],
                "criterion_code": rng.choice(criteria[kind]),
                "found_on": found,
                "description": f"第{i + 1}件问题：窗口服务不规范",
                "severity": "serious" if rng.random() < 0.1 else "normal",
                "deadline": deadline,
                "measures": None,
                "owner": None,
                "status": status,
                "completed_on": found + dt.timedelta(days=rng.randint(1, 80)) if done else None,
                "published": rng.random() < 0.5,
                "reported": rng.random() < 0.3,
                "complainant_name": "王某" if i % 7 == 0 else None,
                "complainant_phone": "13800001111" if i % 7 == 0 else None,
                "feedback": None,
                "evidence": None,
                "version": 1,
            }
        )
        if len(batch) >= BATCH:
            conn.execute(insert(Problem), batch)
            batch = []
    if batch:
        conn.execute(insert(Problem), batch)
