"""The page for paths that do not exist."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import html

from dashboard.text import T


def layout(**_query: Any) -> html.Div:
    """A Chinese 404 with a way back."""
    return html.Div(
        [
            html.H4(T["not_found"], className="page-title mt-2 mb-3"),
            dbc.Alert(
                [T["not_found_hint"], " ", html.A(T["nav_overview"], href="/")], color="warning"
            ),
        ]
    )


PAGE = dict(module="not_found_404", path="/404", name=T["not_found"])
