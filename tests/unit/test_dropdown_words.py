"""Dash 4's dropdown draws words of its own (its search box, Select All, "3 selected", "No options
found"): every dropdown of the app gives them in Chinese (layouts/forms.dropdown)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from dash import dcc

from layouts.forms import DROPDOWN_LABELS, Field, dropdown, form_card

ROOT = Path(__file__).resolve().parents[2]


def _dropdown_calls(path: Path) -> list[ast.Call]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "Dropdown"
    ]


def test_every_dropdown_passes_the_chinese_words() -> None:
    bare = []
    for folder in ("layouts", "callbacks", "dashboard"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            name = path.relative_to(ROOT).as_posix()
            if name == "layouts/forms.py":  # forms.py: the helper itself
                continue
            for call in _dropdown_calls(path):
                if not any(k.arg in ("labels", None) for k in call.keywords):
                    bare.append(f"{name}:{call.lineno}")
    assert bare == [], f"dcc.Dropdown without labels (use layouts.forms.dropdown): {bare}"


def test_the_words_are_chinese_and_complete() -> None:
    proptypes = set(dcc.Dropdown().available_properties)
    assert "labels" in proptypes
    assert set(DROPDOWN_LABELS) == {
        "select_all",
        "deselect_all",
        "selected_count",
        "search",
        "clear_search",
        "clear_selection",
        "no_options_found",
    }
    for key, words in DROPDOWN_LABELS.items():
        shown = words.replace("{num_selected}", "")
        assert not re.search("[A-Za-z]", shown), (key, words)
    assert "{num_selected}" in DROPDOWN_LABELS["selected_count"]


def _dropdowns(component: object) -> list[dcc.Dropdown]:
    found = []
    if isinstance(component, dcc.Dropdown):
        found.append(component)
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children]:
        if child is not None and not isinstance(child, str | int | float):
            found += _dropdowns(child)
    return found


def test_a_form_multiselect_says_how_many_in_chinese() -> None:
    from dashboard.ids import FormIds

    card = form_card(
        FormIds("dropdown-words"),
        "标题",
        [
            Field("many", "多选", "multiselect", options=[(1, "甲"), (2, "乙")]),
            Field("one", "单选", "select", options=[(1, "甲")], required=True),
        ],
        {"many": [1, 2], "one": 1},
    )
    found = _dropdowns(card)
    assert len(found) == 2
    for component in found:
        assert component.labels == DROPDOWN_LABELS
        assert component.placeholder == "请选择"
    assert found[0].multi is True
    assert DROPDOWN_LABELS["selected_count"].format(num_selected=2) == "已选 2 项"
    # A dropdown given words of its own keeps them.
    own = {**DROPDOWN_LABELS, "selected_count": "已选 {num_selected} 位"}
    assert dropdown(id="x", labels=own).labels["selected_count"] == "已选 {num_selected} 位"
