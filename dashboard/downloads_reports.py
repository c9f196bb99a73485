"""Download routes of #18's reports (registered by dashboard.downloads.init_exports): a batch of
problems reported to the 纠风办, in the ledger's columns with complainants masked."""

from __future__ import annotations

from flask import Flask, Response, abort

from dashboard.auth import require_role
from dashboard.context import get_db, today
from dashboard.downloads import XLSX, _send
from dashboard.text import T
from dashboard.urls import PREFIX
from data.reference import Role
from data.report_batches import export_batch
from data.scope import CampaignNotFound

# A batch lists every unit's problems: the bureau's roles only (unit staff see their own).
READERS = (Role.LEADER, Role.SUPERVISOR, Role.ADMIN)


def download_batch(year: int, number: int) -> Response:
    """第N批 of a campaign as .xlsx; 403 (logged) for unit staff, 404 for no such batch."""
    require_role(*READERS)
    with get_db().read() as session:
        try:
            data = export_batch(session, year, number, today())
        except CampaignNotFound:
            data = None
    if data is None:
        abort(404, T["reports_no_batch"])
    return _send(data, T["reports_file_name"].format(year=year, number=number), XLSX)


def init(server: Flask) -> None:
    """Register this part's download routes under /download (authorised in each route)."""
    server.add_url_rule(
        f"{PREFIX}/report-batch/<int:year>/<int:number>.xlsx",
        "download_report_batch",
        download_batch,
    )
