"""A year of photos in the database (#18 item 5): how saving, pages, lists, downloads, backup and
restore behave with N photos of about 2 MB each.

    .venv/bin/python -m bench.attachments [--count 1000] [--kb 2000] [--url URL] [--dir DIR]
                                          [--json FILE]

Without --url it makes a demo county in a SQLite file under --dir (or uses DATABASE_URL when it
names PostgreSQL: an empty database, which it fills with the demo). Each photo is a JPEG of random
pixels of about --kb kilobytes after re-encoding (random pixels barely compress: each is stored
near its full size, unlike a real photo's), saved through data.attachments.save_attachment in its
own write transaction as the unit's staff would, on the demo's problems in turn (整改前/整改后).

Measured: the time to save a photo (p50/p95), the unit page's server render and the
rectification dialog's photo list (the panel callback, the query alone) before and after, a
thumbnail and a download, the database's size, `dashboard backup`'s time and file size, and a
restore into an empty database (and that its blobs are the same, by sha256). Prints JSON.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from PIL import Image
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.pool import NullPool

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard.auth import Account  # noqa: E402
from data.attachments import attachments_of, save_attachment  # noqa: E402
from data.backup import backup, restore  # noqa: E402
from data.db import Database  # noqa: E402
from data.demo import load_demo  # noqa: E402
from data.migrate import upgrade  # noqa: E402
from data.models import AttachmentBlob, Campaign, Problem, User  # noqa: E402

TODAY = dt.date(2026, 11, 20)
PANEL_REPEATS = 20


def photo(kb: int, seed: int) -> bytes:
    """A JPEG of random pixels of about `kb` KB (quality 85, as stored)."""
    side = int((kb * 1024 / 0.65) ** 0.5)  # noise at quality 85: ≈0.65 bytes a pixel
    width, height = side * 4 // 3, side * 3 // 4
    noise = os.urandom(width * height * 3)
    image = Image.frombytes("RGB", (width, height), noise)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def db_size(url: str) -> int:
    if url.startswith("sqlite"):
        path = Path(url.split("///", 1)[1])
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    engine = create_engine(url, poolclass=NullPool)
    with engine.connect() as connection:
        size = connection.execute(text("SELECT pg_database_size(current_database())")).scalar()
    engine.dispose()
    return int(size or 0)


def account_of(db: Database, username: str) -> Account:
    with db.read() as s:
        u = s.scalars(select(User).where(User.username == username)).one()
        return Account(u.id, u.username, u.display_name, u.role, u.unit_id)


def timed(fn: Any, repeats: int) -> tuple[float, float]:
    """(p50, p95) milliseconds of `fn()` over `repeats` calls (after one warm-up)."""
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return ms(statistics.median(times)), ms(percentile(times, 0.95))


def page_measures(url: str, db: Database, unit_id: int, problem_id: int) -> dict[str, Any]:
    """The unit page's server render, the photo panel's callback and query, as unit01."""
    from flask_login import login_user

    from callbacks.unit import render_unit
    from dashboard.app import create_app
    from dashboard.config import Settings
    from tests.unit.test_attachments import CALLBACK_MAP, panel_post

    app = create_app(Settings(database_url=url, secret_key="bench", fixed_today=TODAY))
    CALLBACK_MAP.update(app.callback_map)
    unit01 = account_of(db, "unit01")
    state = {"unit": str(unit_id), "search": f"?campaign={TODAY.year}"}

    def render() -> None:
        with app.server.test_request_context("/_dash-update-component", method="POST"):
            login_user(unit01)
            render_unit(state)

    client = app.server.test_client()
    client.post("/login", data={"username": "unit01", "password": "pingyi2024"}).close()

    def panel() -> None:
        with panel_post(client, "problem", problem_id, "before") as response:
            assert response.status_code == 200

    def query() -> None:
        with db.read() as s:
            attachments_of(s, unit01, "problem", problem_id)

    result = {
        "unit_page_render_ms": timed(render, 10),
        "photo_panel_callback_ms": timed(panel, PANEL_REPEATS),
        "photo_list_query_ms": timed(query, PANEL_REPEATS),
    }
    with db.read() as s:
        rows = attachments_of(s, unit01, "problem", problem_id)
    if rows:

        def thumb() -> None:
            with client.get(f"/download/attachment/{rows[0].id}/thumb") as response:
                assert response.status_code == 200

        def download() -> None:
            with client.get(f"/download/attachment/{rows[0].id}") as response:
                assert response.status_code == 200 and len(response.data) > 1000

        result["thumbnail_ms"] = timed(thumb, PANEL_REPEATS)
        result["download_ms"] = timed(download, 10)
    return result


def blob_digests(url: str) -> str:
    """One digest over every blob's data and thumbnail digests (in sha256 order)."""
    database = Database.from_url(url)
    total = hashlib.sha256()
    with database.read() as s:
        for sha, data, thumb in s.execute(
            select(AttachmentBlob.sha256, AttachmentBlob.data, AttachmentBlob.thumbnail).order_by(
                AttachmentBlob.sha256
            )
        ).yield_per(50):
            total.update(sha.encode())
            total.update(hashlib.sha256(data).digest())
            total.update(hashlib.sha256(thumb or b"").digest())
    database.engine.dispose()
    return total.hexdigest()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--kb", type=int, default=2000)
    parser.add_argument("--url")
    parser.add_argument("--restore-url", help="an empty PostgreSQL database to restore into")
    parser.add_argument("--dir", type=Path)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    work = args.dir or Path(tempfile.mkdtemp(prefix="bench-attachments-"))
    work.mkdir(parents=True, exist_ok=True)
    url = args.url or os.environ.get("DATABASE_URL") or f"sqlite:///{work / 'county.db'}"
    upgrade(url)
    db = Database.from_url(url)
    load_demo(db, today=TODAY, force=True)
    unit01 = account_of(db, "unit01")
    with db.read() as s:
        campaign_id = s.scalar(select(Campaign.id).where(Campaign.year == TODAY.year))
        problems = s.scalars(
            select(Problem.id).where(Problem.campaign_id == campaign_id).order_by(Problem.id)
        ).all()
        own = s.scalars(
            select(Problem.id)
            .where(Problem.campaign_id == campaign_id, Problem.unit_id == unit01.unit_id)
            .order_by(Problem.id)
        ).all()
        users = {
            u.unit_id: Account(u.id, u.username, u.display_name, u.role, u.unit_id)
            for u in s.scalars(select(User).where(User.role == "unit"))
        }
        unit_of = {p: u for p, u in s.execute(select(Problem.id, Problem.unit_id))}
    admin = account_of(db, "admin")
    report: dict[str, Any] = {
        "database": url.split("://", 1)[0],
        "photos": args.count,
        "problems": len(problems),
    }
    with db.read() as s:
        demo_blobs = s.scalar(select(func.count()).select_from(AttachmentBlob)) or 0
    report["demo_blobs"] = demo_blobs
    report["before"] = page_measures(url, db, unit01.unit_id, own[0])

    saves: list[float] = []
    stored = 0
    started = time.perf_counter()
    for n in range(args.count):
        problem_id = problems[n % len(problems)]
        who = users.get(unit_of[problem_id], admin)
        data = photo(args.kb, n)
        start = time.perf_counter()
        with db.write(who.username, who.id) as s:
            saved = save_attachment(
                s,
                who,
                "problem",
                problem_id,
                f"现场照片{n:05d}.jpg",
                data,
                stage="before" if (n // len(problems)) % 2 == 0 else "after",
            )
            stored += saved.size
        saves.append(time.perf_counter() - start)
        if n and n % 250 == 0:
            print(f"  {n} photos, {stored / 2**30:.2f} GiB", file=sys.stderr, flush=True)
    report["save"] = {
        "total_s": round(time.perf_counter() - started, 1),
        "p50_ms": ms(statistics.median(saves)),
        "p95_ms": ms(percentile(saves, 0.95)),
        "stored_bytes": stored,
        "mean_photo_bytes": stored // max(1, args.count),
    }
    with db.read() as s:
        total = s.scalar(select(func.count()).select_from(AttachmentBlob)) or 0
    # The demo brings a few photos and files of its own; "blobs" counts the bench's.
    report["blobs"] = total - demo_blobs
    report["db_bytes"] = db_size(url)
    report["after"] = page_measures(url, db, unit01.unit_id, own[0])
    db.engine.dispose()

    file = work / "county.bak"
    start = time.perf_counter()
    result = backup(url, file)
    report["backup"] = {"s": round(time.perf_counter() - start, 1), "bytes": result.size}

    target = args.restore_url or f"sqlite:///{work / 'restored' / 'county.db'}"
    start = time.perf_counter()
    restore(target, file)
    report["restore"] = {"s": round(time.perf_counter() - start, 1)}
    report["restore"]["same_blobs"] = blob_digests(url) == blob_digests(target)
    report["restored_db_bytes"] = db_size(target)
    print(json.dumps(report, ensure_ascii=False, indent=2))
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
