"""`dashboard chase run [--date D] [--dry-run]`: one day's 催办 steps (for cron or a systemd
timer; docs/deploy.md), through the same run_chase as the server's daily job."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from data.db import Database


def add_parser(sub: argparse._SubParsersAction, date_type: Callable[[str], dt.date]) -> None:
    """The `chase` command and its `run` subcommand."""
    chase = sub.add_parser("chase", help="催办：按提醒—催办—督办—重点督查的步骤办理一天")
    chase_sub = chase.add_subparsers(dest="chase_command", required=True)
    run = chase_sub.add_parser(
        "run", help="办理一天的催办步骤（同一天重复执行不会重复催办）；供 cron 或 systemd 定时执行"
    )
    run.add_argument(
        "--date", type=date_type, default=None, help="办理哪一天 YYYY-MM-DD（默认今天）"
    )
    run.add_argument(
        "--dry-run", action="store_true", help="试运行：只显示将要办理的内容，不写入任何数据"
    )
    run.add_argument(
        "--no-send", action="store_true", help="办理后不发送到期的消息（留给服务器的后台发送）"
    )


def cmd_chase(args: argparse.Namespace) -> int:
    """Run one day's ladder and print what was done, in Chinese. Exit status 1 when a message
    was given up or a channel could not be reached (so that cron or systemd tell someone);
    a day after today is refused unless only tried (--dry-run): steps once made stay made."""
    from dashboard.cli import CliError, _today
    from data.chase import run_chase
    from data.db import Database

    today = _today()
    day = args.date or today
    if day > today and not args.dry_run:
        raise CliError(
            f"不能办理今天（{today.isoformat()}）之后的日期 {day.isoformat()}："
            "催办步骤和通知书一经生成就留在记录中。要预先查看，请加 --dry-run 试运行。"
        )
    database = Database.from_url()
    ok = True
    try:
        result = run_chase(database, day, dry_run=args.dry_run, source="cli")
        for line in result.lines():
            print(line)
        if not (args.dry_run or args.no_send):
            lines, ok = send_messages(database)
            for line in lines:
                print(line)
    finally:
        database.engine.dispose()
    return 0 if ok else 1


# At most this many batches per run (each claims what it takes: the loop always ends sooner).
SEND_ROUNDS = 50


def send_messages(database: Database) -> tuple[list[str], bool]:
    """Send the messages due now (the server's sender may be off); what happened, in Chinese,
    and whether all went well (none given up, no channel down). Never raises: a failed message
    waits for its retry."""
    from data.outbox import send_due

    sent = retrying = failed = 0
    errors: list[str] = []
    for _ in range(SEND_ROUNDS):
        result = send_due(database, dt.datetime.now())
        sent, retrying, failed = (
            sent + result.sent,
            retrying + result.retrying,
            failed + result.failed,
        )
        if result.error:
            errors.append(result.error)
            break
        if not (result.sent or result.retrying or result.failed):
            break
    lines = []
    if sent or retrying or failed:
        lines.append(f"已发送消息 {sent} 条，待重试 {retrying} 条，放弃 {failed} 条")
    lines.extend(f"消息发送出错：{error}" for error in errors)
    return lines, not (failed or errors)
