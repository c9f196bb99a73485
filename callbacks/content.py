"""How every page's content callback opens — a read session, the view the URL asks for, and the
"no campaign yet" notice when there is none; for a set-up page, the notice to anyone but an
admin — written once here, not in every page module."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any

from dash import Input, Output, callback
from sqlalchemy.orm import Session

from dashboard.auth import current_account
from dashboard.context import get_db, today
from dashboard.text import T
from dashboard.view import View, resolve_view
from data.reference import Role
from layouts.admin_campaign import admin_only
from layouts.common import empty_state


@contextmanager
def read_view(search: str | None) -> Iterator[tuple[Session, View | None]]:
    """A read session and the view `search` asks for today (None: no campaign yet)."""
    with get_db().read() as session:
        yield session, resolve_view(session, search, today())


def with_view(render: Callable[[Session, View], Any]) -> Callable[[str | None], Any]:
    """A page's content callback `(search) -> content` from `render(session, view)`, which runs
    inside the read session; the empty state says so when there is no campaign yet."""

    @wraps(render)
    def content(search: str | None) -> Any:
        with read_view(search) as (session, view):
            if view is None:
                return empty_state(T["no_campaign"])
            return render(session, view)

    return content


def admin_content(
    content_id: str, *stores: str, what: str
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a set-up page's content callback, called with the data of `stores` (its URL
    state, and the Store a save moves to redraw it); anyone but an admin is told instead that
    only an admin may `what`."""

    def register(render: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(render)
        def content(*data: Any) -> Any:
            account = current_account()
            if account.role != Role.ADMIN:
                return admin_only(what, account.role_name)
            return render(*data)

        callback(Output(content_id, "children"), *(Input(store, "data") for store in stores))(
            content
        )
        return content

    return register
