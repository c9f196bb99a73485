"""The production server: gunicorn workers, each building the app from the environment.

Several workers share nothing but the database: sessions are signed cookies (one SECRET_KEY,
settled in the master before any worker starts; each revocable through app_user.session_epoch),
log-in failures live in the login_failure table, pending uploads in pending_upload, and each
worker opens its own database pool after the fork.
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
        from dashboard.jobs import start_jobs

        app = create_app()
        # In each worker, after the fork: the daily 催办 run (one server claims it) and the
        # outbox sender; PINGYI_JOBS=0 starts none (dashboard/jobs.py).
        start_jobs(app)
        return app.server


FIRST_ADMIN = (
    "数据库中还没有任何账号。请先建立第一个管理员账号：\n"
    "  dashboard users add 用户名 --role admin --display-name 姓名\n"
    "（密码从标准输入读取或按提示输入），然后用它登录，按“系统设置”中的四步建立本局的评议工作"
)


def startup_hint(url: str | None = None) -> str:
    """What the log says on start: how to create the first admin on an empty database, the demo
    accounts where the demo county is loaded, else nothing more than how to sign in."""
    from sqlalchemy import func, select
    from sqlalchemy.exc import SQLAlchemyError

    from data.db import Database
    from data.demo import ACTOR, DEMO_PASSWORD
    from data.models import ChangeLog, User

    database = Database.from_url(url)
    try:
        with database.read() as session:
            users = session.scalar(select(func.count()).select_from(User)) or 0
            demo = session.scalar(select(ChangeLog.id).where(ChangeLog.actor == ACTOR).limit(1))
    except SQLAlchemyError:
        return "数据库尚未建立，请先执行 dashboard db upgrade"
    finally:
        database.engine.dispose()
    if not users:
        return FIRST_ADMIN
    if demo is not None:
        return f"演示账号：admin / leader / duban / unit01，密码 {DEMO_PASSWORD}"
    return "请用本局账号登录"


def serve(host: str, port: int, workers: int) -> None:
    """Run gunicorn on host:port with `workers` processes (threads for slow clients)."""
    from dashboard.config import Settings

    # Made (or read) once here, so that workers starting together cannot each make their own.
    os.environ["SECRET_KEY"] = Settings().secret_key
    print(f"评议督导 正在 http://{host}:{port} 提供服务；{startup_hint()}", flush=True)
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
