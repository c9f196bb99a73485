"""Download routes of #15's notices (registered by dashboard.downloads.init_exports).

/download/notice/<id>.docx             a 催办通知书 / 督办通知书: admin, supervisor, leader; unit
                                       staff only their own unit's.
/download/notices/<YYYY-MM-DD>.zip     all of a day's notices in one .zip: admin, supervisor,
                                       leader.
/download/notice-template/<kind>.docx  the template in use (built-in or the admin's), for the
                                       admin to edit in WPS and upload again.

Each is authorised here; a refusal is a Chinese page saying so and a denial row in the history —
never a bare 403. The documents carry no complainant data (data/notices.py).
"""

from __future__ import annotations

import datetime as dt

from flask import Flask, Response
from markupsafe import escape

from dashboard.auth import Account, current_account, log_denial
from dashboard.context import get_db
from dashboard.downloads import _send
from dashboard.text import T
from dashboard.urls import PREFIX
from data.notices import (
    DOCX_TYPE,
    KIND_TITLES,
    KINDS,
    day_notices_zip,
    notice_docx,
    notice_row,
    safe_filename,
    template_file,
)
from data.reference import Role

ZIP = "application/zip"
READERS = (Role.ADMIN, Role.SUPERVISOR, Role.LEADER)
PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="/vendor/bootstrap5/css/bootstrap.min.css">
</head><body>
<main class="container" style="max-width: 560px; padding-top: 10vh">
  <h1 class="h5 fw-bold mb-3" id="notice-refused-heading">{title}</h1>
  <div class="alert alert-{color}" id="notice-refused">{reason}</div>
  <p class="mt-3"><a href="/todo" id="notice-back">{back}</a></p>
</main></body></html>"""


def _page(reason: str, status: int, title: str | None = None) -> Response:
    """A Chinese page instead of the file (refused, not found, bad address)."""
    body = PAGE.format(
        title=escape(title or T["notices_refused_title"]),
        reason=escape(reason),
        color="warning" if status in (400, 404) else "danger",
        back=escape(T["notices_back"]),
    )
    response = Response(body, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response


def _refuse(account: Account, reason: str, target: tuple[str, object] | None = None) -> Response:
    log_denial(account, reason, action="download", target=target)
    return _page(reason, 403)


def download_notice(notice_id: int) -> Response:
    """One notice as .docx."""
    account = current_account()
    with get_db().read() as session:
        row = notice_row(session, notice_id)
        if row is None:
            return _page(T["notices_not_found"].format(id=notice_id), 404, T["notices_missing"])
        own_unit = account.role == Role.UNIT and account.unit_id == row.unit_id
        if account.role not in READERS and not own_unit:
            return _refuse(account, T["notices_other_unit"], ("chase_notice", notice_id))
        data = notice_docx(session, notice_id)
    return _send(data or b"", row.filename, DOCX_TYPE)


def download_day(day: str) -> Response:
    """A day's notices in one .zip."""
    account = current_account()
    if account.role not in READERS:
        return _refuse(account, T["notices_day_refused"])
    try:
        when = dt.date.fromisoformat(day)
    except ValueError:
        return _page(T["notices_bad_day"].format(day=day), 400, T["notices_missing"])
    with get_db().read() as session:
        data = day_notices_zip(session, when)
    if data is None:
        return _page(
            T["notices_none_on_day"].format(day=when.isoformat()), 404, T["notices_missing"]
        )
    return _send(data, T["notices_zip_name"].format(day=when.isoformat()), ZIP)


def download_template(kind: str) -> Response:
    """The notice template of a kind in use, to edit."""
    account = current_account()
    if account.role != Role.ADMIN:
        return _refuse(account, T["notices_template_refused"])
    if kind not in KINDS:
        return _page(T["notices_bad_kind"].format(kind=kind), 404, T["notices_missing"])
    with get_db().read() as session:
        data, name = template_file(session, kind)
    if not name.lower().endswith(".docx"):
        name = f"{KIND_TITLES[kind]}模板.docx"
    return _send(data, safe_filename(name), DOCX_TYPE)


def init(server: Flask) -> None:
    """Register this part's download routes under /download (authorised in each route)."""
    server.add_url_rule(f"{PREFIX}/notice/<int:notice_id>.docx", "download_notice", download_notice)
    server.add_url_rule(f"{PREFIX}/notices/<day>.zip", "download_notices_day", download_day)
    server.add_url_rule(
        f"{PREFIX}/notice-template/<kind>.docx", "download_notice_template", download_template
    )
