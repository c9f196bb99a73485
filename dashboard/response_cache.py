"""Whole answers of the read-only page callbacks, kept until the data moves.

A page's content callback is a function of its request body, the signed-in account (role and
unit decide what may be seen), the day and the data. Its answer is kept under all of these:
the database, the data version (data/history.py moves it in every write transaction, read here
before the callback runs, so a write committed meanwhile cannot be hidden by the entry), the
account's id, role and unit, today and a digest of the body. A repeated view with unchanged
data is then answered before Dash is involved at all, still behind the log-in gate and the
security headers. Entries are kept in memory and in the database's shared_cache table
(data/cache.py), so a repeat view is answered from the cache whichever worker or server gets it.

Only the callbacks listed in CACHED_OUTPUTS are kept: they read and never write. Entries live in
data/cache.py's bounded store, as they were sent (gzipped unless small).
"""

from __future__ import annotations

import gzip
import hashlib
import json
from typing import Any

from flask import Flask, Response, g, request

from dashboard.auth import signed_in
from dashboard.context import get_db, request_data_version, today
from dashboard.ids import (
    Complaints,
    Evaluation,
    Inspections,
    Overdue,
    Overview,
    Present,
    Progress,
    Rectification,
    Supervision,
    UnitPage,
)
from data import cache

UPDATE_PATH = "/_dash-update-component"
# The pages' content callbacks: read-only, their answer a function of the key above.
CACHED_OUTPUTS = frozenset(
    f"{ident}.children"
    for ident in (
        Overview.CONTENT,
        Progress.CONTENT,
        Complaints.CONTENT,
        Rectification.CONTENT,
        Overdue.CONTENT,
        Evaluation.CONTENT,
        Supervision.CONTENT,
        Inspections.CONTENT,
        UnitPage.CONTENT,
        Present.CONTENT,
    )
)
GZIPPED, RAW = b"g", b"r"
_KEY = "response_cache_key"


def _outputs(output: str) -> set[str]:
    """The `id.property` parts of a callback's output string (one, or several as ..a...b..)."""
    return {part.split("@")[0] for part in output.strip(".").split("...") if part}


def _accepts_gzip() -> bool:
    return "gzip" in request.headers.get("Accept-Encoding", "").lower()


def _cache_key() -> tuple[Any, ...] | None:
    """The key of this request's answer, or None when it is not a cached callback."""
    if request.method != "POST" or request.path != UPDATE_PATH:
        return None
    account = signed_in()
    if account is None:
        return None
    body = request.get_data(cache=True)
    try:
        output = json.loads(body)["output"]
    except (ValueError, KeyError, TypeError):
        return None
    if not isinstance(output, str) or not _outputs(output) & CACHED_OUTPUTS:
        return None
    return (
        "response",
        str(get_db().engine.url),
        request_data_version(),
        account.id,
        account.role,
        account.unit_id,
        today().isoformat(),
        hashlib.sha256(body).digest(),
    )


def _answer(stored: bytes) -> Response:
    kind, body = stored[:1], stored[1:]
    response = Response(mimetype="application/json")
    response.vary.add("Accept-Encoding")
    if kind == GZIPPED and _accepts_gzip():
        response.set_data(body)
        response.headers["Content-Encoding"] = "gzip"
    else:
        response.set_data(gzip.decompress(body) if kind == GZIPPED else body)
    return response


def init_response_cache(server: Flask) -> None:
    """Serve repeated views from the cache. Call after the log-in gate is installed (it must
    run first) and before the security headers and gzip (their after_request then runs first,
    so the answer is stored as sent)."""

    @server.before_request
    def _serve_cached() -> Response | None:
        key = _cache_key()
        if key is None:
            return None
        stored = cache.lookup(key, get_db().engine)
        if stored is not None:
            return _answer(stored)
        g.setdefault(_KEY, key)
        return None

    @server.after_request
    def _keep(response: Response) -> Response:
        key = g.pop(_KEY, None)
        if (
            key is not None
            and response.status_code == 200
            and response.mimetype == "application/json"
            and not response.is_streamed
        ):
            body = response.get_data()
            engine, version = get_db().engine, key[2]
            if response.headers.get("Content-Encoding") == "gzip":
                cache.store(key, GZIPPED + body, engine, version)
            elif response.headers.get("Content-Encoding") is None:
                # small, or the client takes no gzip
                cache.store(key, RAW + body, engine, version)
        return response
