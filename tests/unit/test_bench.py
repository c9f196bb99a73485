"""`make bench` at a tiny size: it runs end to end and its last line has the promised form."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bench.run import MEASURED, main

LAST = re.compile(
    r"bench: callback/floor=(\S+) page/bare=(\S+) payload=(\S+) rss=(\S+) "
    r"import/floor=(\S+) cached/trivial=(\S+)"
)
NUMBER = r"(\d+\.\d+)"


def tiny(db_url: str, tmp_path: Path, *extra: str) -> list[str]:
    """The arguments of one round at the tiny size on the test's database."""
    return [
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
        *extra,
    ]


def test_tiny_bench_prints_the_table_and_the_line(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(tiny(db_url, tmp_path, "--no-browser"))
    lines = capsys.readouterr().out.strip().splitlines()
    match = LAST.fullmatch(lines[-1])
    assert match, lines[-1]
    for value in match.groups():
        assert float(value) > 0, lines[-1]
    table = "\n".join(lines)
    for page in ("overview", "rectification", "overdue", "unit", "present"):
        assert re.search(rf"^{page}\s+\d+", table, re.MULTILINE), page
    assert "rss: app" in table
    assert "browser" not in table


def test_tiny_bench_draws_pages_in_chromium(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The browser stage on two real pages (a chart page and a table page): each gets its
    first-visit and repeat times and ratios to the bare page, and the line the worst ratio."""
    pages = ("overview", "overdue")
    measured = MEASURED.read_bytes()
    main(tiny(db_url, tmp_path, "--pages", ",".join(pages), "--browser-rounds", "1"))
    assert MEASURED.read_bytes() == measured  # the committed measurement is not the tiny one
    lines = capsys.readouterr().out.strip().splitlines()
    match = re.fullmatch(LAST.pattern + rf" browser/bare={NUMBER}", lines[-1])
    assert match, lines[-1]
    header = next(line for line in lines if line.startswith("page "))
    assert header.split()[-4:] == ["first", "f/bare", "repeat", "r/bare"], header
    ratios = []
    for page in pages:
        row = next(line for line in lines if line.startswith(f"{page} "))
        first, first_ratio, repeat, repeat_ratio = (float(v) for v in row.split()[-4:])
        assert first > 0 and repeat > 0, row
        assert first_ratio > 0 and repeat_ratio > 0, row
        ratios.append(first_ratio)
    assert float(match.group(7)) == pytest.approx(max(ratios), abs=0.01), lines[-1]
    assert not any(line.startswith(("progress ", "unit ")) for line in lines)
    assert any(line.startswith("browser: bare Dash page drawn in") for line in lines)
