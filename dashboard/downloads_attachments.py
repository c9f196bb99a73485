"""Download routes of #18's attachments (registered by dashboard.downloads.init_exports).

/download/attachment/<id>        the file: an image inline, anything else as a download, with its
                                 Chinese name (RFC 6266), nosniff, never cached; recorded in the
                                 history (who, when, which file).
/download/attachment/<id>/thumb  its JPEG thumbnail (not recorded: every list shows them).

Each is authorised here (data/attachments.py: unit staff their own unit's files only, covert
inspections' files supervisors and the admin only); a refusal is a Chinese page saying so, and a
denial row in the history — never a bare 403.
"""

from __future__ import annotations

import io
from urllib.parse import quote

from flask import Flask, Response, request, send_file
from markupsafe import escape

from dashboard import params
from dashboard.auth import current_account, log_denial
from dashboard.context import get_db
from dashboard.text import T
from dashboard.urls import PREFIX
from data.attachments import (
    AttachmentError,
    AttachmentNotFound,
    AttachmentRefused,
    read_attachment,
)

# A downloaded file runs nothing in this site's origin, even if a browser were to render it.
FILE_POLICY = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
REFUSED_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="/vendor/bootstrap5/css/bootstrap.min.css">
</head><body>
<main class="container" style="max-width: 560px; padding-top: 10vh">
  <h1 class="h5 fw-bold mb-3" id="attachment-refused-heading">{title}</h1>
  <div class="alert alert-{color}" id="attachment-refused">{reason}</div>
  <p class="mt-3"><a href="/" id="attachment-back">{back}</a></p>
</main></body></html>"""


def disposition(kind: str, filename: str) -> str:
    """`inline`/`attachment` with an ASCII fallback name and the UTF-8 name (RFC 6266)."""
    stem, dot, ext = filename.rpartition(".")
    ascii_ext = ext if dot and ext.isascii() and ext.isalnum() else "bin"
    fallback = f"attachment-{request.view_args['attachment_id']}.{ascii_ext}"  # type: ignore[index]
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"


def _page(reason: str, status: int, title: str | None = None) -> Response:
    color = "warning" if status == 404 else "danger"
    body = REFUSED_PAGE.format(
        title=escape(title or T["att_denied_title"]),
        reason=escape(reason),
        color=color,
        back=escape(T["att_back"]),
    )
    response = Response(body, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response


def _serve(attachment_id: int, thumbnail: bool) -> Response:
    account = current_account()
    if params.record_id(attachment_id) is None:  # no record has it (beyond the largest id)
        return _page(T["att_not_found_title"], 404, T["att_not_found_title"])
    try:
        db = get_db()
        # A thumbnail is not recorded, so it is read without taking the write lock.
        opened = db.read() if thumbnail else db.write(account.username, account.id)
        with opened as session:
            row, content = read_attachment(session, account, attachment_id, thumbnail=thumbnail)
    except AttachmentRefused as error:
        log_denial(account, str(error), action="download", target=("attachment", attachment_id))
        return _page(str(error), 403)
    except AttachmentNotFound as error:
        return _page(str(error), 404, T["att_not_found_title"])
    except AttachmentError as error:  # pragma: no cover - every error is one of the two above
        return _page(str(error), 400)
    mimetype = "image/jpeg" if thumbnail else row.media_type
    response = send_file(io.BytesIO(content), mimetype=mimetype, max_age=0)
    inline = thumbnail or row.is_image
    name = row.filename if not thumbnail else f"缩略图-{row.filename.rsplit('.', 1)[0]}.jpg"
    response.headers["Content-Disposition"] = disposition(
        "inline" if inline else "attachment", name
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = FILE_POLICY
    if thumbnail:
        response.headers["Cache-Control"] = "private, max-age=600"
        response.headers["ETag"] = f'"t{row.sha256[:32]}"'
    else:
        response.headers["Cache-Control"] = "no-store"
    return response


def download_attachment(attachment_id: int) -> Response:
    return _serve(attachment_id, thumbnail=False)


def download_thumbnail(attachment_id: int) -> Response:
    return _serve(attachment_id, thumbnail=True)


def init(server: Flask) -> None:
    """Register this part's download routes under /download (authorised in each route)."""
    server.add_url_rule(
        f"{PREFIX}/attachment/<int:attachment_id>", "download_attachment", download_attachment
    )
    server.add_url_rule(
        f"{PREFIX}/attachment/<int:attachment_id>/thumb", "download_thumbnail", download_thumbnail
    )
