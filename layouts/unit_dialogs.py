"""The unit page's dialogs: reporting a problem's rectification, marking a phase task done,
voiding a problem, and a problem's record with its history (and, for admins, the reveal)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import dash_bootstrap_components as dbc
from dash import html

from dashboard.ids import DETAIL_DIALOG, RECT_DIALOG, TASK_DIALOG, VOID_DIALOG
from dashboard.ids import UnitActions as Act
from dashboard.ids import UnitRect as Rect
from dashboard.text import MISSING, T
from data.history import History, HistoryEntry
from data.labels import ACTION_NAMES, PROBLEM, value_name
from data.unit_detail import ProblemRecord
from data.voiding import MAX_REASON
from layouts.attachments import DETAIL_SLOT, RECT_SLOT, TASK_SLOT, attachment_slot
from layouts.forms import dialog
from layouts.history import history_table
from layouts.unit_sections import short_date


def detail_modal() -> dbc.Modal:
    """A problem's record and its history (filled when a 详情 button is pressed)."""
    body = [html.Div(id=Act.DETAIL_BODY), attachment_slot(DETAIL_SLOT)]  # #18: its photos
    return dialog(DETAIL_DIALOG, T["detail_button"], body, size="lg", scrollable=True)


def void_modal() -> dbc.Modal:
    """作废: a problem is voided with a reason, never deleted."""
    body = [
        html.Div(T["void_note"], className="small text-muted mb-2"),
        dbc.Label(T["void_reason"], html_for=Act.VOID_REASON),
        dbc.Textarea(
            id=Act.VOID_REASON, rows=3, maxLength=MAX_REASON, placeholder=T["void_reason_hint"]
        ),
    ]
    return dialog(VOID_DIALOG, T["void_button"], body, T["void_save"], color="danger")


def task_modal() -> dbc.Modal:
    """A phase task marked done: completion date and evidence (kept when refused)."""
    body = [
        dbc.Label(T["task_completed"], html_for=Act.TASK_COMPLETED),
        dbc.Input(id=Act.TASK_COMPLETED, type="date"),
        dbc.Label(T["task_evidence"], html_for=Act.TASK_EVIDENCE, className="mt-2"),
        dbc.Textarea(
            id=Act.TASK_EVIDENCE, rows=3, maxLength=1000, placeholder=T["task_evidence_hint"]
        ),
        attachment_slot(TASK_SLOT),  # #18: evidence files (callbacks/attachments.py fills it)
    ]
    return dialog(TASK_DIALOG, T["task_button"], body, T["task_save"])


def status_options(choices: Sequence[str]) -> list[dict[str, str]]:
    """The status select's options: the statuses the user may choose, by their names."""
    return [{"label": value_name("problem", "status", code), "value": code} for code in choices]


def rectification_modal() -> dbc.Modal:
    """The form in which a unit reports a problem's rectification (kept open when refused);
    its statuses are those the user may give the problem, set when it opens."""
    body = [
        dbc.Label(PROBLEM["status"], html_for=Rect.STATUS),
        dbc.Select(id=Rect.STATUS, options=[]),
        dbc.Label(PROBLEM["measures"], html_for=Rect.MEASURES, className="mt-2"),
        dbc.Textarea(id=Rect.MEASURES, rows=3, maxLength=5000),
        dbc.Label(PROBLEM["owner"], html_for=Rect.OWNER, className="mt-2"),
        dbc.Input(id=Rect.OWNER, maxLength=100),
        dbc.Label(PROBLEM["completed_on"], html_for=Rect.COMPLETED, className="mt-2"),
        dbc.Input(id=Rect.COMPLETED, type="date"),
        dbc.Label(PROBLEM["evidence"], html_for=Rect.EVIDENCE, className="mt-2"),
        dbc.Textarea(
            id=Rect.EVIDENCE, rows=2, maxLength=5000, placeholder=T["unit_rect_evidence_hint"]
        ),
        dbc.Checkbox(id=Rect.PUBLISHED, label=T["unit_rect_published"], className="mt-2"),
        dbc.Checkbox(id=Rect.REPORTED, label=T["unit_rect_reported"]),
        attachment_slot(RECT_SLOT),  # #18: 整改前/整改后 photos (callbacks/attachments.py)
    ]
    return dialog(RECT_DIALOG, T["unit_rect_title"], body, T["unit_rect_save"])


# ---- 问题详情与历史 -------------------------------------------------------------------------


def problem_history_table(entries: list[HistoryEntry]) -> Any:
    """The problem's history in the shared table, without which unit it belongs to: the page is
    that unit's own."""
    shown = [
        replace(entry, changes=[change for change in entry.changes if change[0] != "unit_id"])
        for entry in entries
    ]
    return history_table(History("problem", shown), "unit-problem-history")


def report_facts(record: ProblemRecord) -> list[tuple[str, str]]:
    """#18 the 纠风办 loop: the batch the problem was reported in (第N批, its date) and the
    office's feedback on it (with its date), or that it was not reported / not fed back yet."""
    if record.batch_number is not None:
        batch = T["finish_reported_batch"].format(
            number=record.batch_number, date=short_date(record.batch_reported_on)
        )
    elif record.reported:
        batch = T["finish_reported_unbatched"]
    else:
        return [(PROBLEM["report_batch_id"], T["finish_not_reported"])]
    feedback = (
        T["finish_report_feedback"].format(
            date=short_date(record.report_feedback_on), text=record.report_feedback
        )
        if record.report_feedback
        else T["finish_report_feedback_none"]
    )
    return [(PROBLEM["report_batch_id"], batch), (PROBLEM["report_feedback"], feedback)]


def problem_detail(record: ProblemRecord, history: list[HistoryEntry], may_reveal: bool) -> Any:
    """A problem's record (complainant masked), the reveal button for admins, its history."""
    complainant = (
        " ".join(x for x in (record.complainant_name, record.complainant_phone) if x) or MISSING
    )
    values = {
        "channel": value_name("problem", "channel", record.channel),
        "criterion_code": value_name("problem", "criterion_code", record.criterion),
        "found_on": short_date(record.found_on),
        "deadline": short_date(record.deadline),
        "severity": value_name("problem", "severity", record.severity),
        "status": value_name("problem", "status", record.status),
        "measures": record.measures or MISSING,
        "owner": record.owner or MISSING,
        "completed_on": short_date(record.completed_on),
        "evidence": record.evidence or MISSING,
    }
    facts = [(PROBLEM[field], value) for field, value in values.items()]
    facts += report_facts(record)
    if record.voided_at is not None:
        voided = f"{record.voided_at.strftime('%Y-%m-%d %H:%M')} · {record.void_reason}"
        facts.append((ACTION_NAMES["void"], voided))
    reveal: list[Any] = []
    if may_reveal and record.has_complainant:
        reveal = [
            dbc.Button(
                T["reveal_button"],
                id=Act.REVEAL,
                size="sm",
                color="warning",
                outline=True,
                className="ms-2",
            ),
            html.Span(id=Act.REVEAL_VALUE, className="ms-2 fw-semibold"),
            html.Div(T["reveal_note"], className="small text-muted"),
        ]
    return [
        html.P(record.description, className="pre-wrap"),
        html.Dl(
            [
                html.Div([html.Dt(label), html.Dd(value, className="pre-wrap mb-1")])
                for label, value in facts
            ],
            className="unit-visit-notes small",
        ),
        html.Div(
            [html.Strong(T["detail_complainant"]), " ", html.Span(complainant), *reveal],
            className="mb-3",
            id="unit-detail-complainant",
        ),
        html.H6(T["detail_history"]),
        problem_history_table(history),
    ]
