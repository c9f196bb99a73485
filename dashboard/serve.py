"""The production server: gunicorn workers, each building the app from the environment.

Several workers share nothing but the database: sessions are signed cookies (one SECRET_KEY,
settled in the master before any worker starts), the log-in lockout counters live in the
app_user table, and each worker opens its own database pool after the fork.
"""

from __future__ import annotations

import os
from typing import Any

from gunicorn.app.base import BaseApplication


class _Gunicorn(BaseApplication):
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from dashboard.app import create_app

        return create_app().server


def serve(host: str, port: int, workers: int) -> None:
    """Run gunicorn on host:port with `workers` processes (threads for slow clients)."""
    from dashboard.config import Settings

    # Made (or read) once here, so that workers starting together cannot each make their own.
    os.environ["SECRET_KEY"] = Settings().secret_key
    print(
        f"评议督导 正在 http://{host}:{port} 提供服务（演示账号：admin / leader / duban / unit01，"
        "密码 pingyi2024；生产环境请用 dashboard users add 建立账号）",
        flush=True,
    )
    _Gunicorn(
        {
            "bind": f"{host}:{port}",
            "workers": max(1, workers),
            "threads": 4,
            "worker_class": "gthread",
            "timeout": 120,
            "graceful_timeout": 30,
            "keepalive": 5,
            # A worker is replaced after this many requests: memory cannot creep up for weeks.
            "max_requests": 5000,
            "max_requests_jitter": 500,
            "accesslog": "-",
        }
    ).run()
