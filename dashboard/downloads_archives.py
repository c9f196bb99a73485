"""Download routes of #18's archives (registered by dashboard.downloads.init_exports): a unit's
工作档案 as one zip — a folder per checklist item with its files, and manifest.csv.

Authorised here: unit staff their own unit's, the admin and the bureau's leaders and
supervisors any; anyone else is refused in words (403) and the refusal recorded. Each file put
in the zip is read through data.attachments.read_attachment, which records the download."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, request, send_file
from markupsafe import escape
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dashboard import params
from dashboard.auth import Account, current_account, log_denial
from dashboard.context import get_db
from dashboard.downloads import content_disposition
from dashboard.text import T
from dashboard.view import may_read_unit
from data.archives import archive_zip, unit_archive
from data.attachments import attachments_of, read_attachment
from data.models import Campaign

ZIP = "application/zip"
REFUSAL_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>{title} · {brand}</title>
<link rel="stylesheet" href="/vendor/bootstrap5/css/bootstrap.min.css">
</head><body><main class="container" style="max-width: 560px; padding-top: 10vh">
<div class="alert alert-danger" id="archives-download-refused">{reason}</div>
<p><a href="/archives">{back}</a></p></main></body></html>"""


def init(server: Flask) -> None:
    """Register this part's download routes under /download (authorised in each route)."""
    server.add_url_rule(
        "/download/archive/<int:unit_id>.zip", "download_archive_zip", download_archive
    )


def _refusal(reason: str, status: int) -> Response:
    """A refusal in words, as a page (never a bare 403)."""
    page = REFUSAL_PAGE.format(
        title=escape(T["archives_title"]),
        brand=escape(T["brand"]),
        reason=escape(T["archives_download_refused"].format(reason=reason)),
        back=escape(T["archives_back"]),
    )
    response = Response(page, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response


def _year(session: Session) -> int | None:
    """The campaign year asked for (`?campaign=`), else the latest."""
    asked = params.year(request.args.get("campaign"))
    if asked is not None:
        return asked
    return session.scalar(select(func.max(Campaign.year)))


def _files_of(session: Session, account: Account) -> Callable[[int], list[tuple[str, bytes]]]:
    """Each item's files as (name, bytes), read through data.attachments (each download
    recorded in the history there)."""

    def files(item_id: int) -> list[tuple[str, bytes]]:
        out = []
        for row in attachments_of(session, account, "archive_item", item_id):
            meta, data = read_attachment(session, account, row.id)
            out.append((meta.filename, data))
        return out

    return files


def download_archive(unit_id: int) -> Any:
    """A unit's archive of a campaign as one zip with its manifest."""
    account = current_account()
    if not may_read_unit(account, unit_id):
        reason = T["archives_download_not_yours"]
        log_denial(account, reason, action=T["archives_download"], target=("unit", unit_id))
        return _refusal(reason, 403)
    with get_db().write(account.username, account.id) as session:
        year = _year(session)
        if year is None or session.scalar(select(Campaign.id).where(Campaign.year == year)) is None:
            return _refusal(T["archives_download_no_campaign"].format(year=year or "—"), 404)
        archive = unit_archive(session, year, unit_id)
        if archive is None:
            return _refusal(T["archives_download_no_unit"], 404)
        files_of = _files_of(session, account)
        data = archive_zip(archive, {item.id: files_of(item.id) for item in archive.items})
    name = T["archives_zip_name"].format(year=year, unit=archive.unit_name)
    response = send_file(io.BytesIO(data), mimetype=ZIP, max_age=0)
    response.headers["Content-Disposition"] = content_disposition(name, f"archive-{unit_id}.zip")
    response.headers["Cache-Control"] = "no-store"
    return response
