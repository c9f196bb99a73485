"""The application factory: a Dash app on a Flask server, with Bootstrap served locally."""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
from pathlib import Path
from typing import Any

import dash
from dash import Dash
from flask import Blueprint

from dashboard.auth import init_auth
from dashboard.config import Settings
from dashboard.context import EXTENSION
from dashboard.dash_private import (
    Registrations,
    register_again,
    registered_callbacks,
    setup_server,
)
from dashboard.downloads import init_exports
from dashboard.static import BOOTSTRAP_CSS, BOOTSTRAP_STATIC, VENDOR_PREFIX
from dashboard.text import T
from data import cache
from data.db import Database

ROOT = Path(__file__).resolve().parent.parent

PAGE_MODULES = (
    "layouts.overview",
    "layouts.progress",
    "layouts.complaints",
    "layouts.rectification",
    "layouts.overdue",
    "layouts.unit",
    "layouts.supervision",
    "layouts.inspections",
    "layouts.evaluation",
    "layouts.present",
    "layouts.present_questions",
    "layouts.snapshots",
    "layouts.topics",
    "layouts.topic",
    "layouts.briefings",
    "layouts.reports",
    "layouts.commitments",
    "layouts.archives",
    "layouts.todo",
    "layouts.imports",
    "layouts.admin",
    "layouts.admin_campaign",
    "layouts.admin_users",
    "layouts.admin_units",
    "layouts.admin_chase",
    "layouts.not_found",
)

# Dash moves @callback registrations from its global list into the first app it sets up.
# Keeping a copy lets every app this process creates (tests create several) get them all.
_registered: Registrations | None = None


def _register_callbacks() -> None:
    """Import the callback modules once and hand their callbacks to the next app."""
    global _registered
    if _registered is None:
        import callbacks

        for module in pkgutil.iter_modules(callbacks.__path__):
            importlib.import_module(f"callbacks.{module.name}")
        _registered = registered_callbacks()
    register_again(_registered)


def _vendor_blueprint() -> Blueprint:
    """Bootstrap 5 and Bootstrap Icons from the installed bootstrap-flask package."""
    return Blueprint(
        "vendor",
        __name__,
        static_folder=str(BOOTSTRAP_STATIC),
        static_url_path=VENDOR_PREFIX,
    )


def create_app(settings: Settings | None = None) -> Dash:
    """Build the dashboard for the given settings (default: from the environment)."""
    settings = settings or Settings()
    app = Dash(
        __name__,
        use_pages=True,
        pages_folder="",
        assets_folder=str(ROOT / "assets"),
        external_stylesheets=[BOOTSTRAP_CSS],
        title=T["app_title"],
        update_title=None,
        suppress_callback_exceptions=True,
        serve_locally=True,
    )
    server = app.server
    server.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        MAX_CONTENT_LENGTH=20 * 1024 * 1024,
        PERMANENT_SESSION_LIFETIME=dt.timedelta(minutes=settings.session_idle_minutes),
        # The cookie is re-sent when the session changes, which the log-in gate does at least
        # every 30 s of activity (auth.SEEN_AT_STEP), not on every request.
        SESSION_REFRESH_EACH_REQUEST=False,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
    )
    server.register_blueprint(_vendor_blueprint())
    init_auth(server)
    init_exports(server)
    from dashboard.response_cache import init_response_cache
    from dashboard.security import init_security

    init_response_cache(server)
    cache.use_shared(settings.shared_cache)
    init_security(app, settings.trusted_proxies)
    server.extensions[EXTENSION] = {
        "db": Database.from_url(settings.database_url),
        "settings": settings,
    }

    for name in PAGE_MODULES:
        module = importlib.import_module(name)
        page = dict(module.PAGE)
        dash.register_page(page.pop("module", name), layout=module.layout, **page)
    from layouts.shell import shell

    app.layout = shell
    _register_callbacks()
    # Hand the callbacks over now rather than at the first request, so that apps made one
    # after another in one process (tests, several workers) each get the whole set.
    with server.test_request_context():
        setup_server(app)
    return app


def page_registry() -> dict[str, Any]:
    """Dash's page registry (read-only use)."""
    return dash.page_registry
