"""How fast each place a shared cache could live answers (#13 item 6): `python -m
bench.cache_store [--url URL] [--kb 200] [--n 200]`.

Times, for one cached page answer of `--kb` kilobytes, data/cache.py's store and lookup in this
process's memory and in the database's shared_cache table (a fresh migrated SQLite file, or
`--url`'s database, e.g. CI's PostgreSQL), and — when the `diskcache` package is installed — a
diskcache directory, the option shared only by the workers of one machine. Medians in ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from data import cache
from data.db import Database
from data.migrate import upgrade


def median_ms(step: Callable[[int], object], n: int) -> float:
    times = []
    for i in range(n):
        start = time.perf_counter()
        step(i)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def measure(url: str, value: bytes, n: int) -> dict[str, float]:
    """Store then look up n answers in memory and in the shared table of `url`'s database."""
    upgrade(url)
    db = Database.from_url(url)
    engine = db.engine
    cache.clear()
    out = {
        "memory store": median_ms(lambda i: cache.store(("m", i), value), n),
        "memory lookup": median_ms(lambda i: cache.lookup(("m", i)), n),
    }
    cache.clear()
    out[f"{engine.dialect.name} table store"] = median_ms(
        lambda i: cache.store(("s", i), value, engine, 1), n
    )

    def shared_lookup(i: int) -> object:
        cache.clear(memory_only=True)
        return cache.lookup(("s", i), engine)

    out[f"{engine.dialect.name} table lookup"] = median_ms(shared_lookup, n)
    cache.clear()
    engine.dispose()
    return out


def measure_diskcache(folder: Path, value: bytes, n: int) -> dict[str, float]:
    try:
        import diskcache  # type: ignore[import-not-found]
    except ImportError:
        return {}
    store = diskcache.Cache(str(folder))
    out = {
        "diskcache store": median_ms(lambda i: store.set(i, value), n),
        "diskcache lookup": median_ms(lambda i: store.get(i), n),
    }
    store.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="")
    parser.add_argument("--kb", type=int, default=200)
    parser.add_argument("--n", type=int, default=200)
    args = parser.parse_args()
    value = os.urandom(args.kb * 1024)  # incompressible, as a gzipped answer is
    with tempfile.TemporaryDirectory() as folder:
        url = args.url or f"sqlite:///{Path(folder) / 'cache.db'}"
        results = measure(url, value, args.n)
        results |= measure_diskcache(Path(folder) / "diskcache", value, args.n)
    for name, ms in results.items():
        print(f"{name:28s} {ms:8.3f} ms")


if __name__ == "__main__":
    main()
