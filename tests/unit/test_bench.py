"""`make bench` at a tiny size: it runs end to end and its last line has the promised form."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bench.run import main

LAST = re.compile(
    r"bench: callback/floor=(\S+) page/bare=(\S+) payload=(\S+) rss=(\S+) "
    r"import/floor=(\S+) cached/trivial=(\S+)"
)


def test_tiny_bench_prints_the_table_and_the_line(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(
        [
            "--sizes",
            "tiny",
            "--rounds",
            "1",
            "--import-rows",
            "300",
            "--import-rounds",
            "1",
            "--cache-dir",
            str(tmp_path),
            "--database-url",
            db_url,
        ]
    )
    lines = capsys.readouterr().out.strip().splitlines()
    match = LAST.fullmatch(lines[-1])
    assert match, lines[-1]
    for value in match.groups():
        assert float(value) > 0, lines[-1]
    table = "\n".join(lines)
    for page in ("overview", "rectification", "overdue", "unit", "present"):
        assert re.search(rf"^{page}\s+\d+", table, re.MULTILINE), page
    assert "rss: app" in table
