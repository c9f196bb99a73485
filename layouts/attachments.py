"""The attachment panel (#18 item 5): a record's files — thumbnails, names, sizes, who and when,
download links, 移除 for those allowed — and an upload box. Usable on any page: its ids are
pattern-matching (owner, record id, stage), its callbacks live in callbacks/attachments.py and
read the signed-in account (the panel itself holds no data: its list fills when it is shown).
"""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.text import T
from data.attachments import MAX_BYTES, STAGE_NAMES, AttachmentRow, human_size

UPLOAD = "att-upload"  # the dcc.Upload
FILE = "att-file"  # the chosen file after the browser's size check (dcc.Store)
LIST = "att-list"  # the list of files
MESSAGE = "att-message"  # what went wrong (or right), in the panel
REFRESH = "att-refresh"  # a Store whose data fills the list when the panel is shown
REMOVE = "att-remove"  # one file's 移除 button (key "aid": the attachment's id)
PANEL = "att-panel"


def panel_key(
    owner: str, owner_id: int, stage: str | None = None, place: str = ""
) -> dict[str, Any]:
    """The keys every id of one panel shares (`place`: which part of the page shows it, so the
    same record's panel may be in two dialogs of one page)."""
    return {"owner": owner, "oid": int(owner_id), "stage": stage or "", "place": place}


def pid(
    kind: str, owner: str, owner_id: int, stage: str | None = None, place: str = ""
) -> dict[str, Any]:
    """One component's id in a panel."""
    return {"type": kind, **panel_key(owner, owner_id, stage, place)}


def download_href(attachment_id: int) -> str:
    return f"/download/attachment/{attachment_id}"


def thumb_href(attachment_id: int) -> str:
    return f"/download/attachment/{attachment_id}/thumb"


def attachment_panel(
    owner: str,
    owner_id: int,
    *,
    can_upload: bool,
    stage: str | None = None,
    title: str | None = None,
    place: str = "",
) -> html.Div:
    """A record's files and (when `can_upload`) the box to add one. The server checks again on
    every upload and removal; `can_upload` only decides whether the box is shown."""
    heading = title or (STAGE_NAMES[stage] + T["att_photos"] if stage else T["attachments_title"])
    parts: list[Any] = [
        html.Div(heading, className="fw-semibold small mb-1"),
        dcc.Store(id=pid(REFRESH, owner, owner_id, stage, place), data=0),
        dcc.Store(id=pid(FILE, owner, owner_id, stage, place)),
        html.Div(
            html.Div(T["att_loading"], className="small text-muted"),
            id=pid(LIST, owner, owner_id, stage, place),
        ),
        html.Div(id=pid(MESSAGE, owner, owner_id, stage, place)),
    ]
    if can_upload:
        parts.append(
            dcc.Upload(
                html.Div(
                    [
                        html.Span(T["att_drop"]),
                        html.Span(
                            T["att_limits"].format(size=human_size(MAX_BYTES)),
                            className="d-block small text-muted",
                        ),
                    ]
                ),
                id=pid(UPLOAD, owner, owner_id, stage, place),
                # No `accept` filter: a file it left out would be dropped without a word; every
                # file reaches the server, which says why one is refused.
                multiple=False,
                className="att-upload border border-secondary-subtle rounded text-center "
                "p-2 mt-1 small",
                style={"borderStyle": "dashed", "cursor": "pointer"},
            )
        )
    return html.Div(
        parts,
        id=pid(PANEL, owner, owner_id, stage, place),
        className="att-panel border rounded p-2 mb-2",
        **{"data-owner": owner, "data-stage": stage or ""},
    )


def file_list(
    rows: list[AttachmentRow],
    *,
    may_remove: bool,
    owner: str,
    owner_id: int,
    stage: str | None,
    place: str = "",
) -> Any:
    """The files as a list: thumbnail (or type badge), name as a download link, size, who/when."""
    if not rows:
        return html.Div(T["att_none"], className="small text-muted att-empty")
    items = []
    for row in rows:
        if row.has_thumbnail:
            picture: Any = html.A(
                html.Img(
                    src=thumb_href(row.id),
                    alt=row.filename,
                    className="att-thumb rounded border",
                    style={"width": "96px", "height": "72px", "objectFit": "cover"},
                ),
                href=download_href(row.id),
                target="_blank",
                rel="noopener",
            )
        else:
            badge = row.filename.rsplit(".", 1)[-1].upper() if "." in row.filename else "FILE"
            picture = html.Div(
                badge,
                className="att-type rounded border bg-light d-flex align-items-center "
                "justify-content-center small fw-semibold text-secondary",
                style={"width": "96px", "height": "72px"},
            )
        details = [
            html.A(
                row.filename,
                href=download_href(row.id),
                target="_blank" if row.is_image else None,
                rel="noopener",
                className="att-name text-break",
                title=T["att_download"],
            ),
            html.Div(
                f"{human_size(row.size)} · {row.uploaded_by} · {row.uploaded_at:%Y-%m-%d %H:%M}",
                className="small text-muted",
            ),
        ]
        if may_remove:
            details.append(
                dbc.Button(
                    T["att_remove"],
                    id={"type": REMOVE, **panel_key(owner, owner_id, stage, place), "aid": row.id},
                    color="link",
                    size="sm",
                    className="p-0 text-danger att-remove",
                )
            )
        items.append(
            html.Li(
                [picture, html.Div(details, className="ms-2 flex-grow-1", style={"minWidth": 0})],
                className="d-flex align-items-start mb-2 att-item",
                **{"data-id": str(row.id)},
            )
        )
    return html.Ul(items, className="list-unstyled mb-1")


# Where a page shows a record's panels: an empty Div that callbacks/attachments.py fills when
# the page's dialog (its meta Store) or card names the record.
DETAIL_SLOT = "att-slot-detail"  # the unit page's problem record (详情): the photos, to read
TASK_SLOT = "att-slot-task"  # the unit page's task dialog: evidence files
RECT_SLOT = "att-slot-rect"  # the unit page's rectification dialog: 整改前/整改后 photos
VISIT_SLOT = "att-slot-visit"  # a supervision visit's card
INSPECTION_SLOT = "att-slot-inspection"  # an inspection's files


def attachment_slot(slot_id: str) -> html.Div:
    """An empty place for a record's attachment panels."""
    return html.Div(id=slot_id, className="mt-3 att-slot")
