"""Access to the running app's database and settings from callbacks (via Flask's app context)."""

from __future__ import annotations

import datetime as dt

from flask import current_app, g, has_request_context
from sqlalchemy import select

from dashboard.config import Settings
from data.db import Database
from data.models import DataVersion

EXTENSION = "pingyi"


def get_db() -> Database:
    """The Database of the app serving this request."""
    return current_app.extensions[EXTENSION]["db"]


def get_settings() -> Settings:
    """The Settings of the app serving this request."""
    return current_app.extensions[EXTENSION]["settings"]


def today() -> dt.date:
    """Today for this app (pinned in demos and tests)."""
    return get_settings().today()


_VERSION = select(DataVersion.n).where(DataVersion.id == 1)  # built once, run per request


def request_data_version() -> int:
    """The data version (data/history.py), read once per request: the log-in check and the
    response cache both key on it. Outside a request it is read every time."""
    if has_request_context() and "data_version" in g:
        return g.data_version
    with get_db().engine.connect() as conn:
        version = conn.execute(_VERSION).scalar() or 0
    if has_request_context():
        g.data_version = version
    return version
