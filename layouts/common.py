"""Builders shared by pages: the page skeleton, cards, empty states. Ids come as arguments."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.ids import Page
from dashboard.state import parse_state, to_search
from dashboard.text import T
from dashboard.urls import download_href


def search_from_query(query: dict[str, Any]) -> str:
    """Rebuild a normalised query string from the keyword arguments Dash pages pass to layout."""
    pairs: list[tuple[str, Any]] = []
    for key, value in query.items():
        values = value if isinstance(value, list) else [value]
        pairs += [(key, v) for v in values if v not in (None, "")]
    # Encoded, so that a value with & or = (a township 城关&东湖) stays one value.
    return to_search(parse_state(urlencode(pairs)))


def page_skeleton(
    title: str,
    query: dict[str, Any],
    state_id: str = Page.STATE,
    content_id: str = Page.CONTENT,
    extra: Sequence[Any] = (),
) -> html.Div:
    """A page: its title, the URL state as a Store (and `extra` components beside it, such as
    the Store a save moves to redraw the page), and a loading body filled by a callback."""
    return html.Div(
        [
            html.H4(title, className="page-title mt-2 mb-3"),
            dcc.Store(id=state_id, data=search_from_query(query)),
            *extra,
            dcc.Loading(
                html.Div(id=content_id, className="page-body"), type="default", delay_show=300
            ),
        ]
    )


def under_construction(title: str) -> html.Div:
    """The placeholder of a page a later release fills."""
    return html.Div(
        [
            html.H4(title, className="page-title mt-2 mb-3"),
            dbc.Alert(
                [html.Strong(T["under_construction"]), " ", T["under_construction_hint"]],
                color="secondary",
            ),
        ]
    )


def empty_state(message: str) -> dbc.Alert:
    """What a view shows when it has nothing to show."""
    return dbc.Alert(message, color="light", className="empty-state border text-center py-5")


def unit_href(unit_id: int, search: str = "") -> str:
    """The address of a unit's page, keeping the shared filters."""
    return f"/units/{unit_id}{search}"


def unit_link(unit_id: int, name: str, search: str = "") -> dcc.Link:
    """A unit's name linking to its page (long names wrap rather than overflow)."""
    return dcc.Link(name, href=unit_href(unit_id, search), className="unit-link")


def download_bar(search: str, items: Sequence[tuple[str, str]], name: str) -> html.Div:
    """Buttons downloading `(file, label)` exports for the view in the URL (the same filters)."""
    return html.Div(
        [
            html.Span(T["download_label"], className="small text-muted me-1"),
            *(
                html.A(
                    label,
                    href=download_href(file, search),
                    className="btn btn-outline-secondary btn-sm download-link",
                    id=f"{name}-download-{file.split('.')[0].replace('/', '-')}",
                )
                for file, label in items
            ),
        ],
        className="download-bar d-flex flex-wrap align-items-center gap-2 mb-2",
    )
