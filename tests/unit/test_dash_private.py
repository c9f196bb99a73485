"""The private parts of Dash in dashboard/dash_private.py, checked against the installed Dash: an
upgrade that changes one fails here, with a message that names it."""

from __future__ import annotations

import dash
import pytest
from dash import Dash, Input, Output, callback, ctx, html

from dashboard import dash_private
from dashboard.dash_private import (
    DashChanged,
    callback_context,
    has_several_outputs,
    output_parts,
    output_string,
    register_again,
    registered_callbacks,
)
from dashboard.ids import DETAIL_DIALOG, RECT_DIALOG
from dashboard.ids import UnitActions as Act
from tests.conftest import MakeApp

UPGRADE = "Dash changed how {what}: dashboard/dash_private.py has to follow (see its docstring)"


def test_the_global_registry_can_be_copied_and_put_back() -> None:
    saved = registered_callbacks()

    @callback(Output("dash-private-probe", "children"), Input("dash-private-button", "n_clicks"))
    def probe(_clicks: int | None) -> str:
        return ""

    try:
        outputs = registered_callbacks()[1]
        assert "dash-private-probe.children" in outputs, UPGRADE.format(
            what="@callback registers (dash._callback.GLOBAL_CALLBACK_MAP)"
        )
    finally:
        register_again(saved)
    assert "dash-private-probe.children" not in registered_callbacks()[1]


def test_every_app_gets_every_callback(app: Dash, make_app: MakeApp) -> None:
    """create_app hands the registry over with setup_server, to each app it makes."""
    second = make_app()
    for each in (app, second):
        assert "overview-content.children" in each.callback_map, UPGRADE.format(
            what="an app takes the registered callbacks (Dash._setup_server)"
        )


def test_the_output_string_format(app: Dash) -> None:
    detail = [(DETAIL_DIALOG.modal, "is_open"), (DETAIL_DIALOG.meta, "data")]
    detail += [(DETAIL_DIALOG.title, "children"), (Act.DETAIL_BODY, "children")]
    keys = set(app.callback_map)
    what = "a callback's outputs are written ({key!r} not among the callbacks)"
    assert output_string(detail) in keys, UPGRADE.format(
        what=what.format(key=output_string(detail))
    )
    assert "overview-content.children" in keys
    assert output_parts(output_string(detail)) == detail
    assert has_several_outputs(output_string(detail))
    assert not has_several_outputs("overview-content.children")
    # A duplicate-allowed output carries a hash, which output_parts drops.
    duplicated = [key for key in keys if f"{RECT_DIALOG.modal}.is_open@" in key]
    assert duplicated, UPGRADE.format(what="allow_duplicate outputs are written")
    assert (RECT_DIALOG.modal, "is_open") in output_parts(duplicated[0])


def test_a_malformed_output_string_says_dash_changed() -> None:
    with pytest.raises(DashChanged, match="dash_private.py"):
        output_parts("..no-property...")


def test_the_callback_context_a_test_sets() -> None:
    outputs = [{"id": "a", "property": "children"}, [{"id": {"type": "t", "field": "x"}}]]
    button = '{"index":3,"type":"unit-rect-open"}.n_clicks'
    with callback_context(outputs, [{"prop_id": button, "value": 1}]):
        assert ctx.outputs_list == outputs, UPGRADE.format(what="ctx.outputs_list is read")
        assert ctx.triggered_id == {"index": 3, "type": "unit-rect-open"}, UPGRADE.format(
            what="ctx.triggered_id is read"
        )
    with callback_context(outputs, [{"prop_id": "adm-unit-edit-retire.n_clicks", "value": 1}]):
        assert ctx.triggered_id == "adm-unit-edit-retire"


def test_a_missing_private_part_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(dash._callback, "GLOBAL_CALLBACK_LIST")
    with pytest.raises(DashChanged, match=r"dash\._callback\.GLOBAL_CALLBACK_LIST"):
        registered_callbacks()
    bare = Dash(__name__)
    bare.layout = html.Div()
    monkeypatch.delattr(Dash, "_setup_server")
    with pytest.raises(DashChanged, match=r"Dash\._setup_server"):
        dash_private.setup_server(bare)
