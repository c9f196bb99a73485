"""The text catalogue (STYLE.md habit 7): no Chinese text in layouts/ or callbacks/ outside
dashboard/text.py's T and data/labels.py, and no key of T that nothing uses."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard.text import T

ROOT = Path(__file__).resolve().parents[2]
# CJK punctuation (、。「」…), ideographs, and full-width forms (（）：；，).
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
# Files (globs) whose text has not moved yet. Empty: every file's text has moved.
NOT_YET: tuple[str, ...] = ()
# (file, literal) → why it may stay where it is. Empty: every literal has moved.
ALLOWED: dict[tuple[str, str], str] = {}
# Keys looked up by a name built at run time, each with where and how.
BUILT: dict[str, str] = {
    **{
        f"export_file_{name}": "dashboard/downloads.py: _date_name(key, view) names the file"
        for name in ("overdue", "supervision", "report", "ledger_on")
    },
    **{
        f"cmp_axis_{axis}": "dashboard/charts/complaints.py: T['cmp_axis_' + axis] in the hover"
        for axis in ("unit", "township", "channel", "month", "criterion")
    },
    "cmp_scale_count": "dashboard/charts/complaints.py: the colour bar's title, by normalise",
    "cmp_scale_per100": "dashboard/charts/complaints.py: the colour bar's title, by normalise",
    **{
        f"unit_task_{state}": "layouts/unit_sections.py: T[f'unit_task_{task.state}']"
        for state in ("open", "upcoming")
    },
    **{
        f"unit_record_{record}": "callbacks/unit.py: T[f'unit_record_{record}'] in a conflict"
        for record in ("problem", "task")
    },
    **{
        f"unit_sec_{name}": "layouts/unit.py: the section menu's (id, key) table, T[key]"
        for name in ("problems", "visits", "questions")
    },
}
# T["key"] and T.get("key") (a key alone: not T["prefix_" + name]).
USED = (
    re.compile(r"""\bT\[\s*(["'])(\w+)\1\s*\]"""),
    re.compile(r"""\bT\.get\(\s*(["'])(\w+)\1\s*[,)]"""),
)


def _checked_files() -> list[Path]:
    """The modules of layouts/ and callbacks/ whose text must be in the catalogue."""
    skipped = {path for pattern in NOT_YET for path in ROOT.glob(pattern)}
    files = [*ROOT.glob("layouts/*.py"), *ROOT.glob("callbacks/*.py")]
    return sorted(path for path in files if path not in skipped)


def _bare_strings(tree: ast.AST) -> set[int]:
    """The string statements (docstrings) of a module: not shown to anyone."""
    return {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    }


def chinese_literals(source: str) -> Iterator[tuple[int, str]]:
    """(line, text) of every string constant with CJK text — f-strings by their constant
    parts; docstrings and comments do not count."""
    tree = ast.parse(source)
    docstrings = _bare_strings(tree)
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and CJK.search(node.value)
        ):
            yield node.lineno, node.value


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ('x = "督导"', ["督导"]),
        ('x = f"共 {n} 件"', ["共 ", " 件"]),
        ('x = "（"', ["（"]),
        ('"""模块说明"""\ndef f():\n    """函数说明"""\n    return 1  # 注释', []),
        ('x = "—" + "·" + "▲"', []),
    ],
)
def test_the_finder_sees_literals_not_docstrings(source: str, found: list[str]) -> None:
    assert [text for _line, text in chinese_literals(source)] == found


def test_the_excluded_files_exist() -> None:
    for pattern in NOT_YET:
        assert list(ROOT.glob(pattern)), pattern


def test_no_chinese_literal_outside_the_catalogue() -> None:
    found = []
    for path in _checked_files():
        name = path.relative_to(ROOT).as_posix()
        for line, text in chinese_literals(path.read_text(encoding="utf-8")):
            if (name, text) not in ALLOWED:
                found.append(f"{name}:{line}: {text!r}")
    assert found == [], "move these to dashboard/text.py (or data/labels.py):\n" + "\n".join(found)


def _sources() -> Iterator[Path]:
    """Every module of the application (not the tests, not the catalogue itself)."""
    for folder in ("dashboard", "data", "layouts", "callbacks", "bench"):
        yield from (ROOT / folder).rglob("*.py")


def _referenced() -> set[str]:
    """The keys used as T["key"] or T.get("key") anywhere in the application."""
    text = ROOT / "dashboard" / "text.py"
    return {
        match.group(2)
        for path in _sources()
        if path != text
        for pattern in USED
        for match in pattern.finditer(path.read_text(encoding="utf-8"))
    }


def test_every_key_is_used() -> None:
    referenced = _referenced()
    unused = sorted(key for key in T if key not in referenced and key not in BUILT)
    assert unused == [], f"delete these keys or list them in BUILT with a reason: {unused}"


def test_every_key_used_is_there() -> None:
    assert sorted(_referenced() - set(T)) == []


def test_the_built_keys_are_exact() -> None:
    referenced = _referenced()
    assert [key for key in BUILT if key not in T] == []
    assert [key for key in BUILT if key in referenced] == []
