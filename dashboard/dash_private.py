"""The private parts of Dash this project relies on, behind one small module.

Dash has no public way to do these; each is checked against the installed Dash by
tests/unit/test_dash_private.py, so that an upgrade that changes one fails there, naming it,
and not somewhere deep in a page:

- the global registry of `@callback`s, which Dash moves into the first app it sets up; create_app
  hands a copy to every app the process makes (tests make several);
- `Dash._setup_server`, which hands the callbacks over;
- the callback output string of /_dash-dependencies and of an update request: `id.prop`, or
  `..a.prop...b.prop..` for several outputs, a duplicate-allowed one as `id.prop@<hash>`;
- the callback context, which a test sets to call a callback as a plain function.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import dash
from dash import Dash

MOVED = "Dash {version} changed {what}; update dashboard/dash_private.py (see its docstring)."
REGISTRY = ("GLOBAL_CALLBACK_LIST", "GLOBAL_CALLBACK_MAP", "GLOBAL_INLINE_SCRIPTS")

Registrations = tuple[list[Any], dict[str, Any], list[Any]]


class DashChanged(RuntimeError):
    """A private part of Dash this project uses is not there any more, or not as it was."""

    def __init__(self, what: str) -> None:
        super().__init__(MOVED.format(version=dash.__version__, what=what))


def _private(module: str, name: str) -> Any:
    """`dash.<module>.<name>`, or DashChanged naming it."""
    try:
        return getattr(importlib.import_module(f"dash.{module}"), name)
    except (ImportError, AttributeError):
        raise DashChanged(f"dash.{module}.{name}") from None


def _registry() -> Registrations:
    """Dash's own global registry (not a copy)."""
    callbacks, callback_map, scripts = (_private("_callback", name) for name in REGISTRY)
    if not (isinstance(callbacks, list) and isinstance(callback_map, dict)):
        raise DashChanged("the types of dash._callback's global callback registry")
    if not isinstance(scripts, list):
        raise DashChanged("the type of dash._callback.GLOBAL_INLINE_SCRIPTS")
    return callbacks, callback_map, scripts


def registered_callbacks() -> Registrations:
    """A copy of every `@callback` registered so far and not yet handed to an app."""
    callbacks, callback_map, scripts = _registry()
    return list(callbacks), dict(callback_map), list(scripts)


def register_again(saved: Registrations) -> None:
    """Put `saved` back as the callbacks the next app set up takes."""
    callbacks, callback_map, scripts = _registry()
    callbacks[:] = saved[0]
    callback_map.clear()
    callback_map.update(saved[1])
    scripts[:] = saved[2]


def setup_server(app: Dash) -> None:
    """Hand the registered callbacks to `app` now (Dash otherwise does it at the first request);
    call it inside a request context."""
    setup = getattr(app, "_setup_server", None)
    if not callable(setup):
        raise DashChanged("Dash._setup_server")
    setup()


def output_parts(output: str) -> list[tuple[str, str]]:
    """The (component id, property) of each output in a callback's output string; a pattern-
    matching id stays its JSON text, a duplicate-allowed output loses its `@<hash>`."""
    parts = []
    for part in output.strip(".").split("..."):
        ident, _, prop = part.rpartition(".")
        if not ident:
            raise DashChanged(f"the callback output string format ({output!r})")
        parts.append((ident, prop.split("@")[0]))
    return parts


def has_several_outputs(output: str) -> bool:
    """Whether a callback's output string names several outputs (their values then come as a
    list, even of one)."""
    return output.startswith("..")


def output_string(parts: Sequence[tuple[str, str]]) -> str:
    """The output string of a callback with these (component id, property) outputs."""
    names = [f"{ident}.{prop}" for ident, prop in parts]
    return names[0] if len(names) == 1 else f"..{'...'.join(names)}.."


@contextmanager
def callback_context(
    outputs_list: Sequence[Any] = (), triggered_inputs: Sequence[dict[str, Any]] = ()
) -> Iterator[None]:
    """What Dash tells a running callback (`ctx.outputs_list`, `ctx.triggered_id`), for calling
    a callback as a plain function in a test."""
    context_value = _private("_callback_context", "context_value")
    attribute_dict = _private("_utils", "AttributeDict")
    value = attribute_dict(outputs_list=list(outputs_list), triggered_inputs=list(triggered_inputs))
    token = context_value.set(value)
    try:
        yield
    finally:
        context_value.reset(token)
