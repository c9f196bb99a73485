"""Download routes: the exports of data.exports and the report charts, for the view in the URL.

Every route takes the pages' query parameters (campaign, as_of, kind, township) and resolves
them exactly as the pages do (`resolve_view`: unit staff get their own unit only). The log-in
gate covers these paths like every other; showing complainants (`reveal=1`) needs a role that
may see them, otherwise 403, logged by `require_role`.

The unmasked ledger is sent only for a POST from a page of this site (its Origin, or without
one its Referer, names this host) that carries the confirmation (`confirm=1`, the 确认 button):
a link, an <img> or a form on another site makes the signed-in admin's browser ask for it, but
gets the confirmation page or a refusal, and nothing is recorded.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from urllib.parse import quote, urlencode, urlparse

from flask import Flask, Response, abort, request, send_file
from markupsafe import escape
from sqlalchemy.orm import Session

from dashboard import params
from dashboard.auth import current_account, require_role
from dashboard.context import get_db, today
from dashboard.state import malformed
from dashboard.text import T
from dashboard.urls import PREFIX
from dashboard.view import View, resolve_view
from data import exports
from data.labels import LIST_SEPARATOR
from data.reference import Role

log = logging.getLogger(__name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REVEAL_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · {brand}</title>
<link rel="stylesheet" href="/vendor/bootstrap5/css/bootstrap.min.css">
<link rel="stylesheet" href="/assets/app.css">
</head><body>
<main class="container" style="max-width: 560px; padding-top: 10vh">
  <h1 class="h5 fw-bold mb-3" id="reveal-heading">{title}</h1>
  {notice}
  <p id="reveal-explain">{explain}</p>
  <form method="post" action="{action}" id="reveal-form">
    <button class="btn btn-danger" type="submit" name="confirm" value="1"
            id="reveal-confirm">{confirm}</button>
  </form>
  <p class="mt-3"><a href="{back}" id="reveal-back">{back_text}</a></p>
</main></body></html>"""


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
    """The view the query string asks for (400 naming what in it is malformed — a page would
    show its default, a file should not be another year's; 404 without any campaign)."""
    search = request.query_string.decode("utf-8", errors="replace")
    bad = malformed(f"?{search}")
    if bad:
        abort(400, T["export_bad_params"].format(params=LIST_SEPARATOR.join(bad)))
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


def from_this_site() -> bool:
    """Whether the request comes from a page of this host: its Origin names this host, or it
    has none and its Referer does. Browsers send an Origin with every POST, so a request naming
    neither is refused."""
    origin = request.headers.get("Origin")
    if origin and origin != "null":
        return urlparse(origin).netloc == request.host
    referer = request.headers.get("Referer")
    return bool(referer) and urlparse(referer).netloc == request.host


def _reveal_page(notice: str | None = None, status: int = 200) -> Response:
    """The confirmation page of the unmasked ledger: what it shows, that it is recorded, and
    the 确认 button that POSTs to this same address."""
    back = {key: value for key, value in request.args.items() if key != "reveal"}
    page = REVEAL_PAGE.format(
        title=escape(T["reveal_page_title"]),
        brand=escape(T["brand"]),
        notice=(
            f'<div class="alert alert-warning" id="reveal-notice">{escape(notice)}</div>'
            if notice
            else ""
        ),
        explain=escape(T["reveal_page_explain"]),
        action=escape(request.full_path.rstrip("?")),
        confirm=escape(T["reveal_ledger_confirm"]),
        back=escape("/import" + (f"?{urlencode(back)}" if back else "")),
        back_text=escape(T["reveal_page_back"]),
    )
    response = Response(page, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response


def _reveal_refusal() -> Response | None:
    """Why a reveal is not sent now (None when it is confirmed by a POST from this site): a
    GET gets the confirmation page; a POST from elsewhere or without 确认, a refusal."""
    if request.method != "POST":
        return _reveal_page()
    if not from_this_site():
        account = current_account()
        log.warning("reveal refused: %s: origin %s", account.username, request.origin)
        return _reveal_page(T["reveal_bad_origin"], status=403)
    if request.form.get("confirm") != "1":
        return _reveal_page(T["reveal_not_confirmed"], status=400)
    return None


def _date_name(key: str, view: View) -> str:
    """A file name of the catalogue with the view's year and as-of date."""
    return T[key].format(year=view.year, date=view.as_of.isoformat())


def download_ledger() -> Response:
    """The problem ledger in the import's columns (complainants masked unless revealed, which
    takes a confirmed POST from this site)."""
    reveal = _wants_reveal()
    if reveal:
        refusal = _reveal_refusal()
        if refusal is not None:
            return refusal
    elif request.method == "POST":
        abort(405)
    account = current_account()
    db = get_db()
    with db.write(account.username, account.id) if reveal else db.read() as session:
        view = _view(session)
        as_of = view.state.as_of  # the ledger lists every problem unless a date is chosen
        data = exports.export_ledger(
            session,
            view.year,
            as_of=as_of,
            filters=view.filters,
            reveal=reveal,
            current_on=today(),
        )
    name = (
        T["export_file_ledger"].format(year=view.year)
        if as_of is None
        else _date_name("export_file_ledger_on", view)
    )
    return _send(data, name, XLSX)


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


def _report(session: Session, view: View) -> bytes:
    """The 纠风办 report; with `snapshot=ID`, the report as that snapshot was published."""
    snapshot_id = view.state.extra.get("snapshot")
    if snapshot_id is None:
        return exports.export_report(session, view.year, view.as_of, view.filters)
    from data.snapshots import published_report, snapshot_of

    found = params.record_id(snapshot_id)
    snapshot = snapshot_of(session, found) if found else None
    if snapshot is None or (snapshot.year, snapshot.as_of) != (view.year, view.as_of):
        abort(404, T["export_no_snapshot"])
    return published_report(session, snapshot)


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
    "report.xlsx": _simple(_report, lambda v: _date_name("export_file_report", v)),
    "archive.xlsx": _simple(
        lambda s, v: exports.export_archive(s, v.year, v.filters, current_on=today()),
        lambda v: T["export_file_archive"].format(year=v.year),
    ),
}


def init_exports(server: Flask) -> None:
    """Register the download routes on the Flask server (call once from create_app)."""
    for name, view in DOWNLOADS.items():
        endpoint = f"download_{name.split('.')[0]}"
        methods = ["GET", "POST"] if view is download_ledger else ["GET"]  # POST: the reveal
        server.add_url_rule(f"{PREFIX}/{name}", endpoint, view, methods=methods)
    server.add_url_rule(f"{PREFIX}/chart/<name>.png", "download_chart", _chart)
    from dashboard import (
        downloads_archives,
        downloads_attachments,
        downloads_briefings,
        downloads_reports,
    )

    for part in (downloads_briefings, downloads_reports, downloads_attachments, downloads_archives):
        part.init(server)
    from dashboard import downloads_chase  # #15 催办: notices and their templates

    downloads_chase.init(server)
