"""Benchmark: importing a 50 000-row problem ledger (xlsx and CSV) against merely reading it.

    .venv/bin/python bench/import_ledger.py [--rows 50000] [--keep DIR]

Builds a migrated SQLite database with one campaign and 128 units, writes the ledger as .xlsx
and as UTF-8 CSV, then times: pandas reading each file; the first import (all rows new); the
same file again (nothing changes); and a ledger where 1 % of the rows changed.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from data.db import Database  # noqa: E402
from data.exports import LEDGER_HEADERS  # noqa: E402
from data.imports import run_import  # noqa: E402
from data.migrate import upgrade  # noqa: E402
from data.models import Campaign, Phase, Unit  # noqa: E402
from data.reference import (  # noqa: E402
    CHANNEL_NAMES,
    CRITERIA,
    FEEDBACK_NAMES,
    KIND_GROUP,  # noqa: E402
    KIND_NAMES,
    PHASE_DEFAULT_WINDOWS,
    STATUS_NAMES,
    criteria_for_group,
)

YEAR = 2024


def county(db: Database) -> list[tuple[str, str]]:
    """A campaign and 128 units; returns (name, kind) of each unit."""
    units = [
        (f"第{i:03d}号{KIND_NAMES[kind]}", kind) for i, kind in enumerate(list(KIND_NAMES) * 26)
    ][:128]
    with db.write("bench") as s:
        campaign = Campaign(year=YEAR, title=f"{YEAR}年司法民主评议")
        for code, ((m1, d1), (m2, d2)) in PHASE_DEFAULT_WINDOWS.items():
            campaign.phases.append(
                Phase(code=code, starts_on=dt.date(YEAR, m1, d1), ends_on=dt.date(YEAR, m2, d2))
            )
        s.add(campaign)
        s.add_all(Unit(name=name, kind=kind, township="城关镇") for name, kind in units)
    return units


def ledger_rows(units: list[tuple[str, str]], n: int, seed: int = 1) -> list[list[Any]]:
    """n valid ledger rows in the import's columns."""
    rng = random.Random(seed)
    statuses = list(STATUS_NAMES.values())
    rows = []
    for i in range(n):
        name, kind = rng.choice(units)
        found = dt.date(YEAR, 6, 1) + dt.timedelta(days=rng.randint(0, 120))
        status = rng.choice(statuses)
        done = status in ("已整改", "已销号")
        criterion = CRITERIA[rng.choice(criteria_for_group(KIND_GROUP[kind]))][0]
        rows.append(
            [
                f"{YEAR}-{i + 1:05d}",
                name,
                rng.choice(list(CHANNEL_NAMES.values())),
                criterion,
                found,
                f"第{i + 1}件问题：窗口服务不规范，群众反映办事等候时间长",
                rng.choice(["一般", "严重"]),
                "制定整改方案，限期整改到位",
                "李主任",
                found + dt.timedelta(days=30),
                status,
                found + dt.timedelta(days=rng.randint(1, 40)) if done else None,
                rng.choice(["是", "否"]),
                rng.choice(["是", "否"]),
                "王某" if i % 7 == 0 else None,
                "13800001111" if i % 7 == 0 else None,
                rng.choice(list(FEEDBACK_NAMES.values())) if i % 5 == 0 else None,
            ]
        )
    return rows


def write_xlsx(path: Path, rows: list[list[Any]]) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("问题整改台账")
    sheet.append(LEDGER_HEADERS)
    for row in rows:
        sheet.append(row)
    book.save(path)


def write_csv(path: Path, rows: list[list[Any]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(LEDGER_HEADERS)
        for row in rows:
            writer.writerow(
                ["" if v is None else v.isoformat() if isinstance(v, dt.date) else v for v in row]
            )


def timed(label: str, action: Callable[[], Any], results: list[tuple[str, float, str]]) -> Any:
    start = time.perf_counter()
    value = action()
    seconds = time.perf_counter() - start
    note = value.summary() if hasattr(value, "summary") else ""
    results.append((label, seconds, note))
    print(f"{label:<44} {seconds:7.2f} s  {note}", flush=True)
    return value


def run(rows_wanted: int, folder: Path) -> list[tuple[str, float, str]]:
    """Every measurement for one ledger size."""
    results: list[tuple[str, float, str]] = []
    for fmt in ("xlsx", "csv"):
        url = f"sqlite:///{folder / f'bench-{fmt}.db'}"
        upgrade(url)
        db = Database.from_url(url)
        units = county(db)
        rows = ledger_rows(units, rows_wanted)
        path = folder / f"ledger.{fmt}"
        (write_xlsx if fmt == "xlsx" else write_csv)(path, rows)
        data = path.read_bytes()
        reader = pd.read_excel if fmt == "xlsx" else pd.read_csv
        timed(f"{fmt}: pandas read only", lambda p=path, r=reader: r(p), results)

        def load(payload: bytes = data, f: str = fmt, d: Database = db) -> Any:
            with d.write("bench") as s:
                return run_import(s, "problems", payload, f"ledger.{f}", YEAR)

        timed(f"{fmt}: import, all {rows_wanted} rows new", load, results)
        timed(f"{fmt}: same file again (no change)", load, results)
        changed = [list(r) for r in rows]
        for r in changed[::100]:
            r[8] = "张副主任"  # 责任人 changes in 1 % of the rows
        (write_xlsx if fmt == "xlsx" else write_csv)(path, changed)
        updated = path.read_bytes()
        timed(f"{fmt}: 1 % of rows changed", lambda u=updated: load(u), results)
        db.engine.dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--keep", type=Path, default=None, help="keep the files in this folder")
    args = parser.parse_args()
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        run(args.rows, args.keep)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            run(args.rows, Path(tmp))


if __name__ == "__main__":
    main()
