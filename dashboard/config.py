"""Settings of one running dashboard, read from the environment by default."""

from __future__ import annotations

import datetime as dt
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from data.db import database_url


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one kept in instance/secret_key (made on first use)."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    path = Path("instance") / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key


def _trusted_proxies() -> tuple[str, ...]:
    """TRUSTED_PROXIES: the reverse proxies (addresses or networks, comma-separated) whose
    X-Forwarded-For and X-Forwarded-Proto are believed; none by default."""
    text = os.environ.get("TRUSTED_PROXIES", "")
    return tuple(part.strip() for part in text.split(",") if part.strip())


def _shared_cache() -> bool:
    """SHARED_CACHE=0 keeps each worker's cache to itself (data/cache.py); on by default."""
    return os.environ.get("SHARED_CACHE", "1").strip() not in ("0", "false", "no", "off")


def _today_override() -> dt.date | None:
    text = os.environ.get("DASHBOARD_TODAY")
    return dt.date.fromisoformat(text) if text else None


@dataclass
class Settings:
    """What create_app needs: where the data is, the session key, the trusted reverse proxies,
    and (for demos/tests) today."""

    database_url: str = field(default_factory=database_url)
    secret_key: str = field(default_factory=_secret_key)
    fixed_today: dt.date | None = field(default_factory=_today_override)
    session_idle_minutes: int = 30
    session_max_hours: int = 12
    trusted_proxies: tuple[str, ...] = field(default_factory=_trusted_proxies)
    shared_cache: bool = field(default_factory=_shared_cache)

    def today(self) -> dt.date:
        """Today's date, unless pinned by DASHBOARD_TODAY (used by demos and tests)."""
        return self.fixed_today or dt.date.today()
