"""系统设置 index: the four first steps and the set-up pages, for admins."""

from __future__ import annotations

from typing import Any

from callbacks.content import admin_content
from dashboard.context import get_db
from dashboard.ids import AdminIndex as Ids
from dashboard.text import T
from data.campaign_view import setup_progress
from layouts.admin import admin_index


@admin_content(Ids.CONTENT, Ids.STATE, what=T["adm_what"])
def render_admin(_search: str | None) -> Any:
    """The steps with their counts, and links to the set-up pages."""
    with get_db().read() as session:
        progress = setup_progress(session)
    return admin_index(progress)
