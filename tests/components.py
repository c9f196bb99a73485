"""Reading Dash component trees in tests: every component, the texts, one component by id."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def walk(node: Any) -> Iterator[Any]:
    """Every component under a Dash component (the node itself included), in document order."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, list | tuple):
            stack.extend(reversed(item))
        elif hasattr(item, "to_plotly_json"):
            yield item
            stack.append(getattr(item, "children", None))


def texts(node: Any) -> list[str]:
    """All plain strings in a component tree, in document order."""
    found: list[str] = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, list | tuple):
            stack.extend(reversed(item))
        elif hasattr(item, "children"):
            stack.append(item.children)
    return found


def by_id(node: Any, component_id: Any) -> Any:
    """The component with this id (None when there is none)."""
    return next((c for c in walk(node) if getattr(c, "id", None) == component_id), None)


def by_type(node: Any, name: str) -> Any:
    """The first component of this type name (e.g. "Tbody"), None when there is none."""
    return next((c for c in walk(node) if type(c).__name__ == name), None)
