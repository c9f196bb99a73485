"""Load test: simulated users against `dashboard serve --workers N` on 127.0.0.1.

    .venv/bin/python bench/load.py [--users 12] [--seconds 60] [--workers 2] [--url URL]

Without --url it makes a demo county in a temporary SQLite file (or uses DATABASE_URL when it
names PostgreSQL, loading the demo there if it is empty), starts `dashboard serve` and stops it
afterwards. Each user is a thread with its own logged-in requests session that, for the given
time, mixes page loads (the HTML, the layout), page callbacks (each page's content for the
campaign) and writes (saving a 督导检查 visit as the supervisor). Every answer that is not 200, or
a write whose saved record is missing afterwards, counts as an error. Prints the counts and
p50/p95 per kind, and exits 1 on any error.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
DASHBOARD = ROOT / ".venv" / "bin" / "dashboard"
DEMO_TODAY = "2026-11-20"
PASSWORD = "pingyi2024"
PAGES = ("/", "/progress", "/complaints", "/rectification", "/overdue", "/supervision")
# The pages whose content callback takes the URL's search string (the unit page takes a dict).
CONTENT = ("overview", "progress", "rect", "overdue", "sup", "eval", "insp")


class DashSession:
    """One signed-in browser, reduced to its HTTP requests."""

    def __init__(self, base: str, username: str, password: str = PASSWORD) -> None:
        self.base = base
        self.http = requests.Session()
        self.http.headers["Accept-Encoding"] = "gzip"
        answer = self.http.post(
            f"{base}/login",
            data={"username": username, "password": password},
            allow_redirects=False,
            timeout=30,
        )
        if answer.status_code != 302:
            raise RuntimeError(f"log-in as {username} failed: {answer.status_code}")
        self.deps: list[dict[str, Any]] = self.http.get(
            f"{base}/_dash-dependencies", timeout=30
        ).json()

    def dependency(self, output_part: str) -> dict[str, Any]:
        return next(d for d in self.deps if output_part in d["output"])

    def content_callbacks(self) -> list[dict[str, Any]]:
        """Each page's main callback: `<page>-content.children` from `<page>-state.data`."""
        wanted = {f"{name}-content.children": f"{name}-state" for name in CONTENT}
        return [
            d
            for d in self.deps
            if d["output"] in wanted
            and d["inputs"] == [{"id": wanted[d["output"]], "property": "data"}]
        ]

    def callback(self, dep: dict[str, Any], values: dict[str, Any]) -> requests.Response:
        """POST a callback the way the renderer does (pattern-matching inputs empty)."""

        def item(spec: dict[str, Any]) -> Any:
            ident = spec["id"]
            if ident.startswith("{"):
                return []
            key = f"{ident}.{spec['property']}"
            return {"id": ident, "property": spec["property"], "value": values.get(key)}

        outputs: list[Any] = []
        for part in dep["output"].strip(".").split("..."):
            ident, prop = part.rsplit(".", 1)
            prop = prop.split("@")[0]
            outputs.append([] if ident.startswith("{") else {"id": ident, "property": prop})
        single = not dep["output"].startswith("..")
        body = {
            "output": dep["output"],
            "outputs": outputs[0] if single else outputs,
            "inputs": [item(s) for s in dep["inputs"]],
            "state": [item(s) for s in dep["state"]],
            "changedPropIds": [f"{dep['inputs'][0]['id']}.{dep['inputs'][0]['property']}"],
        }
        return self.http.post(f"{self.base}/_dash-update-component", json=body, timeout=60)

    def save_visit(self, search: str, unit_id: int, day: str, supervisors: str) -> int | None:
        """Save a supervision visit; the new visit's id when the server confirmed it."""
        dep = self.dependency("sup-message.children")
        answer = self.callback(
            dep,
            {
                "sup-save.n_clicks": 1,
                "sup-state.data": search,
                "sup-meta.data": {},
                "sup-unit.value": unit_id,
                "sup-date.value": day,
                "sup-supervisors.value": supervisors,
                "sup-kind.value": "routine",
            },
        )
        if answer.status_code != 200:
            return None
        found = re.search(r"visit=(\d+)", answer.text)
        return int(found.group(1)) if found else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """`dashboard serve` in its own process group (so kill -9 reaches every worker)."""

    def __init__(self, database_url: str, workers: int, log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "DASHBOARD_TODAY": DEMO_TODAY,
            "SECRET_KEY": os.environ.get("SECRET_KEY", "load-test-key"),
        }
        self.log = log.open("ab")
        self.process = subprocess.Popen(
            [str(DASHBOARD), "serve", "--port", str(self.port), "--workers", str(workers)],
            env=env,
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("dashboard serve exited")
            try:
                if requests.get(f"{self.url}/login", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError("dashboard serve did not start")

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Signal the whole process group (gunicorn's master and its workers)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, sig)
        self.process.wait(timeout=30)
        self.log.close()


@dataclass
class Results:
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    saved: list[tuple[int, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float, error: str | None = None) -> None:
        with self.lock:
            self.times[kind].append(seconds)
            if error:
                self.errors.append(f"{kind}: {error}")


def _user(
    base: str, index: int, until: float, search: str, units: list[int], results: Results
) -> None:
    writer = index % 3 == 0
    rng = random.Random(index)
    try:
        client = DashSession(base, "duban" if writer else "leader")
    except Exception as exc:  # noqa: BLE001 - counted, not raised
        results.add("login", 0.0, str(exc))
        return
    contents = client.content_callbacks()
    serial = 0
    while time.monotonic() < until:
        roll = rng.random()
        start = time.perf_counter()
        detail = "bad answer"
        try:
            if writer and roll < 0.3:
                serial += 1
                name = f"压测督导-{index}-{serial}"
                visit = client.save_visit(search, rng.choice(units), DEMO_TODAY, name)
                kind, ok = "write", visit is not None
                if ok:
                    with results.lock:
                        results.saved.append((visit, name))
            elif roll < 0.55:
                page = rng.choice(PAGES)
                first = client.http.get(f"{base}{page}{search}", timeout=60)
                layout = client.http.get(f"{base}/_dash-layout", timeout=60)
                kind, ok = "page", first.status_code == layout.status_code == 200
            else:
                dep = rng.choice(contents)
                answer = client.callback(dep, {f"{dep['inputs'][0]['id']}.data": search})
                kind, ok = "callback", answer.status_code == 200
                detail = f"{dep['output']} answered {answer.status_code}"
        except requests.RequestException as exc:
            results.add("request", time.perf_counter() - start, str(exc))
            continue
        results.add(kind, time.perf_counter() - start, None if ok else detail)


def _percentile(values: list[float], q: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def run_load(base: str, users: int, seconds: float, database_url: str) -> Results:
    """Run `users` simulated users for `seconds` against the server at `base`."""
    from sqlalchemy import select

    from data.db import Database
    from data.models import Campaign, SupervisionVisit, Unit

    database = Database.from_url(database_url)
    with database.read() as s:
        year = s.scalar(select(Campaign.year).order_by(Campaign.year.desc()).limit(1))
        units = list(s.scalars(select(Unit.id).order_by(Unit.id).limit(40)))
    search = f"?campaign={year}&as_of={DEMO_TODAY}"
    results = Results()
    until = time.monotonic() + seconds
    threads = [
        threading.Thread(target=_user, args=(base, i, until, search, units, results))
        for i in range(users)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with database.read() as s:
        ids = [visit for visit, _ in results.saved]
        stored = dict(
            s.execute(
                select(SupervisionVisit.id, SupervisionVisit.supervisors).where(
                    SupervisionVisit.id.in_(ids)
                )
            ).all()
        )
    for visit, name in results.saved:
        if stored.get(visit) != name:
            results.errors.append(f"write: visit {visit} ({name}) missing")
    database.engine.dispose()
    return results


def report(results: Results, seconds: float) -> dict[str, Any]:
    summary: dict[str, Any] = {}
    total = sum(len(v) for v in results.times.values())
    for kind in ("page", "callback", "write"):
        values = results.times.get(kind, [])
        if values:
            summary[kind] = {
                "n": len(values),
                "p50_ms": round(_percentile(values, 50) * 1000),
                "p95_ms": round(_percentile(values, 95) * 1000),
            }
    everything = [t for v in results.times.values() for t in v]
    summary["all"] = {
        "n": total,
        "per_second": round(total / seconds, 1),
        "p50_ms": round(_percentile(everything, 50) * 1000) if everything else None,
        "p95_ms": round(_percentile(everything, 95) * 1000) if everything else None,
    }
    summary["errors"] = len(results.errors)
    return summary


def _prepare(url: str | None) -> tuple[str, tempfile.TemporaryDirectory | None]:
    """The database to load: DATABASE_URL's PostgreSQL, or a new SQLite demo county."""
    env = {**os.environ, "DASHBOARD_TODAY": DEMO_TODAY}
    holder = None
    if url is None or not url.startswith("postgresql"):
        holder = tempfile.TemporaryDirectory(prefix="load-")
        url = f"sqlite:///{Path(holder.name) / 'demo.db'}"
    env["DATABASE_URL"] = url
    subprocess.run([str(DASHBOARD), "db", "upgrade"], env=env, check=True, capture_output=True)
    subprocess.run(
        [str(DASHBOARD), "demo", "--if-empty", "--today", DEMO_TODAY],
        env=env,
        check=True,
        capture_output=True,
    )
    return url, holder


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=12)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--url", default=None, help="a running server (then DATABASE_URL too)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))

    server = None
    holder = None
    if args.url:
        base, database_url = args.url.rstrip("/"), os.environ["DATABASE_URL"]
    else:
        database_url, holder = _prepare(os.environ.get("DATABASE_URL"))
        log = Path(tempfile.gettempdir()) / "load-serve.log"
        server = Server(database_url, args.workers, log)
        server.wait_ready()
        base = server.url
    try:
        results = run_load(base, args.users, args.seconds, database_url)
    finally:
        if server is not None:
            server.kill(signal.SIGTERM)
        if holder is not None:
            holder.cleanup()
    summary = report(results, args.seconds)
    backend = database_url.split(":", 1)[0]
    print(f"load: {args.users} users, {args.seconds:.0f} s, {args.workers} workers, {backend}")
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    for error in results.errors[:20]:
        print(f"  error: {error}")
    all_ = summary["all"]
    print(
        f"load: errors={len(results.errors)} requests={all_['n']} "
        f"rps={all_['per_second']} p50={all_['p50_ms']}ms p95={all_['p95_ms']}ms"
    )
    return 1 if results.errors else 0


if __name__ == "__main__":
    sys.exit(main())
