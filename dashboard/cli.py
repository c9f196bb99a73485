"""The command line: `dashboard serve | db upgrade | demo | stats | users add`."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import sys
from collections.abc import Sequence

from data.db import Database, database_url
from data.reference import ROLE_NAMES


class CliError(Exception):
    """An error the user can fix; printed as one Chinese line, exit status 1."""


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{text}") from exc


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dashboard", description="民主评议政风行风 评议督导")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="运行生产服务器")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8050)
    serve.add_argument("--workers", type=int, default=2)

    db = sub.add_parser("db", help="数据库")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="执行数据库迁移")

    demo = sub.add_parser("demo", help="载入演示县数据")
    demo.add_argument("--seed", type=int, default=2024)
    demo.add_argument("--today", type=_date, default=None, help="固定“今天”（测试用）")
    demo.add_argument("--force", action="store_true", help="覆盖已有数据")
    demo.add_argument("--if-empty", action="store_true", help="数据库不为空时什么也不做")

    stats = sub.add_parser("stats", help="输出评议统计数字")
    stats.add_argument("--campaign", type=int, required=True)
    stats.add_argument("--as-of", type=_date, default=None)
    stats.add_argument("--json", action="store_true", required=True)

    users = sub.add_parser("users", help="用户管理")
    users_sub = users.add_subparsers(dest="users_command", required=True)
    add = users_sub.add_parser("add", help="添加用户（密码从标准输入读取或提示输入）")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=sorted(ROLE_NAMES))
    add.add_argument("--unit", default=None, help="单位名称（单位填报员必填）")
    add.add_argument("--display-name", default=None)
    return parser


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the dashboard with gunicorn (never Flask's debug server)."""
    from dashboard.serve import serve

    serve(args.host, args.port, args.workers)
    return 0


def cmd_db(args: argparse.Namespace) -> int:
    """Apply migrations."""
    from data.migrate import upgrade

    upgrade(database_url())
    print("数据库已迁移到最新版本")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """Load the demo county."""
    from data.demo import DatabaseNotEmpty, load_demo

    db = Database.from_url()
    try:
        summary = load_demo(db, seed=args.seed, today=args.today, force=args.force)
    except DatabaseNotEmpty as exc:
        if args.if_empty:
            print("数据库已有数据，未载入演示数据")
            return 0
        raise CliError(str(exc)) from exc
    problems = "，".join(f"{year}年 {n} 件问题" for year, n in sorted(summary.problems.items()))
    print(f"已载入演示县：{summary.units} 个单位，{problems}")
    for username, role, password in summary.users:
        print(f"  用户 {username}（{ROLE_NAMES[role]}）密码 {password}")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    """Print the campaign's figures as JSON (INTERFACES.md shape)."""
    from data.figures import CampaignNotFound, campaign_figures

    as_of = args.as_of or dt.date.today()
    db = Database.from_url()
    with db.read() as session:
        try:
            figures = campaign_figures(session, args.campaign, as_of)
        except CampaignNotFound as exc:
            raise CliError(str(exc)) from exc
    json.dump(figures.to_json(), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


def _read_password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("密码：")
        if first != getpass.getpass("再次输入密码："):
            raise CliError("两次输入的密码不一致")
        return first
    return sys.stdin.readline().rstrip("\n")


def cmd_users(args: argparse.Namespace) -> int:
    """Add a user; the password comes from stdin or a prompt."""
    from data.users import UserError, add_user

    password = _read_password()
    db = Database.from_url()
    try:
        with db.write("cli") as session:
            add_user(
                session,
                args.name,
                password,
                args.role,
                unit_name=args.unit,
                display_name=args.display_name,
            )
    except UserError as exc:
        raise CliError(str(exc)) from exc
    print(f"已添加用户 {args.name}（{ROLE_NAMES[args.role]}）")
    return 0


COMMANDS = {
    "serve": cmd_serve,
    "db": cmd_db,
    "demo": cmd_demo,
    "stats": cmd_stats,
    "users": cmd_users,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; errors are one Chinese line on stderr and a non-zero status."""
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except CliError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
