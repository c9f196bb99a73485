"""系统设置 index: the four first steps and the set-up pages, for admins."""

from __future__ import annotations

from typing import Any

from dash import Input, Output, callback

from dashboard.auth import current_account
from dashboard.context import get_db
from dashboard.ids import AdminIndex as Ids
from data.campaigns import setup_progress
from data.reference import Role
from layouts.admin import admin_index
from layouts.admin_campaign import admin_only


@callback(Output(Ids.CONTENT, "children"), Input(Ids.STATE, "data"))
def render_admin(_search: str | None) -> Any:
    """The steps with their counts, and links to the set-up pages."""
    account = current_account()
    if account.role != Role.ADMIN:
        return admin_only("进行系统设置", account.role_name)
    with get_db().read() as session:
        progress = setup_progress(session)
    return admin_index(progress)
