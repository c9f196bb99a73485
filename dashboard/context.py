"""Access to the running app's database and settings from callbacks (via Flask's app context)."""

from __future__ import annotations

import datetime as dt

from flask import current_app

from dashboard.config import Settings
from data.db import Database

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
