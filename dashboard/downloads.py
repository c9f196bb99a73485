"""Download routes: the exports of data.exports and the report charts, for the view in the URL.

Every route takes the pages' query parameters (campaign, as_of, kind, township) and resolves
them exactly as the pages do (`resolve_view`: unit staff get their own unit only). The log-in
gate covers these paths like every other; showing complainants (`reveal=1`) needs a role that
may see them, otherwise 403, logged by `require_role`.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from urllib.parse import quote

from flask import Flask, Response, abort, request, send_file
from sqlalchemy.orm import Session

from dashboard.auth import current_account, require_role
from dashboard.context import get_db, today
from dashboard.text import T
from dashboard.urls import PREFIX
from dashboard.view import View, resolve_view
from data import exports
from data.reference import Role

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def content_disposition(filename: str, fallback: str) -> str:
    """`attachment` with an ASCII fallback name and the UTF-8 name (RFC 5987 / RFC 6266)."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"


def _send(data: bytes, filename: str, mimetype: str) -> Response:
    """A file download that is never cached (exports hold protected data)."""
    response = send_file(io.BytesIO(data), mimetype=mimetype, max_age=0)
    fallback = request.path.rsplit("/", 1)[-1]  # e.g. ledger.xlsx
    response.headers["Content-Disposition"] = content_disposition(filename, fallback)
    response.headers["Cache-Control"] = "no-store"
    return response


def _view(session: Session) -> View:
    """The view the query string asks for (404 without any campaign)."""
    search = request.query_string.decode("utf-8", errors="replace")
    view = resolve_view(session, f"?{search}", today())
    if view is None:
        abort(404, T["export_no_campaign"])
    return view


def _wants_reveal() -> bool:
    """`reveal=1` asked for; refused (403, logged) for a role that may not see complainants."""
    if request.args.get("reveal") not in ("1", "true"):
        return False
    if not current_account().may_reveal():
        require_role(Role.ADMIN)
    return True


def _date_name(key: str, view: View) -> str:
    """A file name of the catalogue with the view's year and as-of date."""
    return T[key].format(year=view.year, date=view.as_of.isoformat())


def download_ledger() -> Response:
    """The problem ledger in the import's columns (complainants masked unless revealed)."""
    reveal = _wants_reveal()
    account = current_account()
    db = get_db()
    with db.write(account.username, account.id) if reveal else db.read() as session:
        view = _view(session)
        as_of = view.state.as_of  # the ledger lists every problem unless a date is chosen
        data = exports.export_ledger(
            session, view.year, as_of=as_of, filters=view.filters, reveal=reveal
        )
    return _send(data, T["export_file_ledger"].format(year=view.year), XLSX)


def _simple(
    build: Callable[[Session, View], bytes], name: Callable[[View], str]
) -> Callable[[], Response]:
    """A route sending `build(session, view)` as the file `name(view)`."""

    def route() -> Response:
        with get_db().read() as session:
            view = _view(session)
            data = build(session, view)
        return _send(data, name(view), XLSX)

    route.__doc__ = build.__doc__
    return route


def _chart(name: str) -> Response:
    """A report chart as PNG (rendered with kaleido; takes a few seconds)."""
    from dashboard.charts.report import CHARTS, figure_png

    if name not in CHARTS:
        abort(404, T["export_unknown_chart"].format(name=name))
    with get_db().read() as session:
        view = _view(session)
        data = exports.chart_data(session, view.year, view.as_of, view.filters)
    png = figure_png(CHARTS[name](data))
    filename = T["export_file_chart"].format(name=name, year=view.year, date=view.as_of.isoformat())
    return _send(png, filename, "image/png")


DOWNLOADS: dict[str, Callable[[], Response]] = {
    "ledger.xlsx": download_ledger,
    "overdue.xlsx": _simple(
        lambda s, v: exports.export_overdue(s, v.year, v.as_of, v.filters),
        lambda v: _date_name("export_file_overdue", v),
    ),
    "supervision.xlsx": _simple(
        lambda s, v: exports.export_supervision(s, v.year, v.as_of, v.filters),
        lambda v: _date_name("export_file_supervision", v),
    ),
    "report.xlsx": _simple(
        lambda s, v: exports.export_report(s, v.year, v.as_of, v.filters),
        lambda v: _date_name("export_file_report", v),
    ),
    "archive.xlsx": _simple(
        lambda s, v: exports.export_archive(s, v.year, v.filters),
        lambda v: T["export_file_archive"].format(year=v.year),
    ),
}


def init_exports(server: Flask) -> None:
    """Register the download routes on the Flask server (call once from create_app)."""
    for name, view in DOWNLOADS.items():
        endpoint = f"download_{name.split('.')[0]}"
        server.add_url_rule(f"{PREFIX}/{name}", endpoint, view)
    server.add_url_rule(f"{PREFIX}/chart/<name>.png", "download_chart", _chart)
