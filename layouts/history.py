"""The change history (修改历史) of any record: who changed it, when, and each field before and
after in words (data/labels.py names the fields and values)."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import html

from dashboard.text import T
from data.history import History
from data.labels import ACTION_NAMES, describe_changes

TIME_FORMAT = "%Y-%m-%d %H:%M"


def history_rows(history: History) -> list[html.Tr]:
    """One row per entry, newest first: time, actor, action, the changes (and the note)."""
    rows = []
    for entry in history.entries:
        entity = entry.entity or history.entity
        lines = describe_changes(entity, entry.action, entry.changes, history.lookups)
        items = [html.Li(line) for line in lines]
        if entry.note:
            items.append(html.Li(entry.note, className="text-muted"))
        rows.append(
            html.Tr(
                [
                    html.Td(entry.at.strftime(TIME_FORMAT), className="text-nowrap"),
                    html.Td(entry.actor),
                    html.Td(ACTION_NAMES.get(entry.action, entry.action), className="text-nowrap"),
                    html.Td(html.Ul(items, className="mb-0 small ps-3")),
                ]
            )
        )
    return rows


def history_table(history: History, table_id: str | None = None) -> Any:
    """The history as a small table, or a line saying there is none."""
    if not history.entries:
        return html.P(T["detail_no_history"], className="text-muted small")
    head = html.Tr(
        [
            html.Th(T["history_at"]),
            html.Th(T["history_actor"]),
            html.Th(T["history_action"]),
            html.Th(T["history_changes"]),
        ]
    )
    table = dbc.Table(
        [html.Thead(head), html.Tbody(history_rows(history))],
        size="sm",
        className="history-table mb-0",
    )
    extra = {"id": table_id} if table_id else {}
    return html.Div(table, className="table-responsive", **extra)
